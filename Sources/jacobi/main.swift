import ArgumentParser
import REPL
import Tensor
import CStack
#if canImport(Glibc)
import Glibc
#endif

AllocatorTuning.keepFreedMemoryForReuse()

/// `jacobi`: interactive on a terminal, a script runner otherwise.
struct Jacobi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobi",
        abstract: "A REPL for exploring the derivatives of neural networks.",
        discussion: """
            With no arguments on a terminal, starts the interactive REPL. With FILE.jac arguments, \
            replays them. With stdin not a terminal, runs stdin as a script. Type :help at the prompt.
            """)

    @Argument(parsing: .captureForPassthrough, help: "Session scripts (.jac) to replay in order, or a Python script (.py) and its arguments.")
    var files: [String] = []

    @Option(name: .short, help: ArgumentHelp("Run CODE and exit (the words after it are sys.argv[1:]).", valueName: "CODE"))
    var c: String?

    @Flag(name: .long, help: "Keep going after an error in a script (exit status 1 at the end).")
    var keepGoing = false

    @Flag(name: .long, help: "Print the version, the BLAS kernel and exit.")
    var version = false

    @Flag(name: .long, help: ArgumentHelp("Mask timings and other figures that change from run to run (for golden transcripts).", visibility: .hidden))
    var stableOutput = false

    @Flag(name: .long, help: "Echo each input with >>> prompts before its output, as a session transcript.")
    var transcript = false

    @Flag(name: .long, help: ArgumentHelp("Compare GEMM with a naive loop on this machine's BLAS kernel.", visibility: .hidden))
    var checkBlas = false

    mutating func run() throws {
        // The script's arguments are captured as they come, so `--help` arrives as a "file".
        if c == nil, let first = files.first, first == "--help" || first == "-h" {
            print(Jacobi.helpMessage())
            return
        }
        if version {
            print("jacobi \(JacobiVersion.string)")
            print("BLAS: OpenBLAS, kernel \(BLASInfo.coreName), \(BLASInfo.threads) thread(s)")
            return
        }
        if checkBlas {
            let report = BLASCheck.run()
            print(report.text)
            throw ExitCode(report.passed ? 0 : 1)
        }
        let status = Jacobi.execute(QuickCommandLine(files: files, code: c, keepGoing: keepGoing,
                                                     stableOutput: stableOutput, transcript: transcript))
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs what the command line asks for; returns the exit status.
    static func execute(_ line: QuickCommandLine) -> Int32 {
        let driver = Driver(stableOutput: line.stableOutput, keepGoing: line.keepGoing)
        driver.transcript = line.transcript
        if let code = line.code {
            driver.interpreter.argv = ["-c"] + line.files
            return driver.runSource(code, file: "<string>")
        } else if !line.files.isEmpty {
            return driver.runFiles(line.files)
        } else if Terminal.isInteractive {
            return driver.interactive()
        } else {
            return driver.runStandardInput()
        }
    }
}

/// The command line as the common invocations spell it (`jacobi`, `jacobi FILE ARGS...`,
/// `jacobi -c CODE ARGS...`, with `--keep-going`, `--transcript`, `--stable-output` before),
/// read without ArgumentParser, whose reflection over the command's properties costs several
/// milliseconds at every start (issue 17). Anything else (`--help`, `--version`, a mistake) goes
/// to ArgumentParser, which also gives the same meaning to these forms.
struct QuickCommandLine {
    var files: [String] = []
    var code: String?
    var keepGoing = false
    var stableOutput = false
    var transcript = false

    init(files: [String], code: String?, keepGoing: Bool, stableOutput: Bool, transcript: Bool) {
        self.files = files; self.code = code; self.keepGoing = keepGoing
        self.stableOutput = stableOutput; self.transcript = transcript
    }

    /// Nil when `arguments` need ArgumentParser.
    init?(_ arguments: [String]) {
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            switch word {
            case "--keep-going": keepGoing = true
            case "--stable-output": stableOutput = true
            case "--transcript": transcript = true
            case "-c":
                guard code == nil, i + 1 < arguments.count else { return nil }
                code = arguments[i + 1]
                i += 1
            default:
                // The first word that is not an option starts the files (and a script's arguments).
                guard !word.hasPrefix("-") else { return nil }
                files = Array(arguments[i...])
                return
            }
            i += 1
        }
    }
}

/// Runs `body` on a 2 GiB stack (reserved address space, touched only as used) on this thread,
/// so that deep recursion in user code meets Python's `RecursionError` at the interpreter's
/// limit (`sys.setrecursionlimit`) long before the native stack would overflow. It stays on the
/// main thread so that Ctrl-C and window resizes reach the terminal reader (see `CStack`).
func runOnLargeStack(_ body: @escaping () -> Void) {
    final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }
    let box = Unmanaged.passRetained(Box(body))
    defer { box.release() }
    let status = jc_run_on_stack(2 << 30, { context in
        Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue().body()
    }, box.toOpaque())
    if status != 0 { body() }  // no big stack: run with the normal one
}

runOnLargeStack {
    if let line = QuickCommandLine(Array(CommandLine.arguments.dropFirst())) {
        let status = Jacobi.execute(line)
        exit(status)
    }
    Jacobi.main()
}
