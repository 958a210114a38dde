import ArgumentParser
import REPL
import Tensor
import CStack
#if canImport(Glibc)
import Glibc
#endif

BLASInfo.reexecWithFastKernelsIfNeeded()
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
        let driver = Driver(stableOutput: stableOutput, keepGoing: keepGoing)
        driver.transcript = transcript
        let status: Int32
        if let code = c {
            driver.interpreter.argv = ["-c"] + files
            status = driver.runSource(code, file: "<string>")
        } else if !files.isEmpty {
            status = driver.runFiles(files)
        } else if Terminal.isInteractive {
            status = driver.interactive()
        } else {
            status = driver.runStandardInput()
        }
        if status != 0 { throw ExitCode(status) }
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

runOnLargeStack { Jacobi.main() }
