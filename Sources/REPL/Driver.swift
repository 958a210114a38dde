import Foundation
import Tensor
import AD
import Lang
import Printer
#if canImport(Glibc)
import Glibc
#endif

/// Runs Jacobi in each of its modes: scripts (`.jac` files, `-c`, piped stdin) and the
/// interactive REPL. Scripts may mix code with `:commands` on their own lines.
///
/// ```swift
/// let d = Driver(stableOutput: false, keepGoing: false)
/// exit(d.runFiles(["sessions/tour.jac"]))
/// ```
public final class Driver {
    /// The session's interpreter.
    public let interpreter: Interpreter
    /// Mask run-to-run figures (timings, addresses) for golden transcripts.
    public var stableOutput: Bool {
        didSet { interpreter.stableOutput = stableOutput }
    }
    /// Continue after errors in scripts.
    public var keepGoing: Bool
    /// Echo each input with `>>> ` / `... ` prompts before its output, and send diagnostics to
    /// stdout, so a replayed script reads like the interactive session it records.
    public var transcript = false {
        didSet {
            errorOutput = transcript ? { [unowned self] s in self.write(s) } : { fputs($0, stderr) }
            if transcript { interpreter.warn = { [unowned self] s in self.write("warning: " + s + "\n") } }
        }
    }
    var lastEchoedLine = -1
    /// Inputs that ran without error, for `:save`.
    public private(set) var successfulInputs: [String] = []
    /// The scripts being run by `:load`, innermost last (real paths), to refuse loading one again.
    var loading: [String] = []
    /// Set by `:quit` and `sys.exit`.
    public private(set) var quitRequested = false
    /// The status `sys.exit(code)` asked for.
    public private(set) var exitStatus: Int32?
    /// Where diagnostics go (stderr by default).
    var errorOutput: (String) -> Void = { fputs($0, stderr) }
    /// Long output (`:help`) goes through a pager: set at an interactive prompt with stdout on a
    /// terminal.
    var pagesOutput = false
    /// The command table.
    lazy var commands: [Command] = Command.all(for: self)

    /// Creates a driver with a fresh interpreter writing to stdout.
    /// Colour escapes only on a terminal that can show them: stdout a tty, `NO_COLOR` unset
    /// (no-color.org), and `TERM` neither `dumb` nor unset.
    static func colorWanted(stdoutIsTerminal: Bool = isatty(1) != 0,
                            environment: Environment = .process) -> Bool {
        guard stdoutIsTerminal, environment["NO_COLOR"] == nil, let term = environment["TERM"] else { return false }
        return !term.isEmpty && term != "dumb"
    }

    public init(stableOutput: Bool, keepGoing: Bool) {
        self.stableOutput = stableOutput
        self.keepGoing = keepGoing
        interpreter = Interpreter(output: { s in fputs(s, stdout); fflush(stdout) },
                                  warn: { s in fputs("warning: " + s + "\n", stderr) })
        interpreter.useColor = Driver.colorWanted()
        interpreter.terminalColumns = { Terminal.columns() }
        interpreter.stableOutput = stableOutput
    }

    func write(_ s: String) { interpreter.output(s) }

    /// Writes text that may be long: through the pager when `pagesOutput` is set and the text
    /// is taller than the terminal (see ``Pager``), else as `write` does.
    func page(_ s: String) {
        if pagesOutput { Pager.show(s, rows: Terminal.rows(), write: write) } else { write(s) }
    }

    // MARK: - Scripts

    /// Runs a script given as text; returns the exit status (0 ok, 1 error).
    public func runSource(_ source: String, file: String) -> Int32 {
        var failed = false
        var chunk: [String] = []
        var chunkStart = 1
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func flush() -> Bool {
            defer { chunk = [] }
            let text = chunk.joined(separator: "\n")
            if text.allSatisfy(\.isWhitespace) { return true }
            let padded = String(repeating: "\n", count: chunkStart - 1) + text
            let result = interpreter.run(padded, file: file, echo: true, keepGoing: keepGoing,
                                         willRun: transcript ? { [unowned self] s in self.echoInput(s, lines) } : nil,
                                         onDiagnostic: { [unowned self] d in self.report(d, source: source, file: file) })
            if result.succeeded { successfulInputs.append(text) }
            if let status = result.exitStatus { exitStatus = status; requestQuit() }
            return result.succeeded
        }
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingBlanks()
            // A `:command`, or IPython's `name?` (the same as `:help name`), between statements.
            // Only such lines need to know whether the code before them is still open (inside
            // brackets or a string), so the pending code is parsed for them alone: replaying a
            // script stays linear in its length.
            let candidate = trimmed.hasPrefix(":") || helpRequest(trimmed) != nil
            let insideOpenInput: Bool = {
                guard candidate, !chunk.isEmpty else { return false }
                if case .incomplete = parse(chunk.joined(separator: "\n")) { return true }
                return false
            }()
            let helpTopic = insideOpenInput ? nil : helpRequest(trimmed)
            if candidate && !insideOpenInput {
                if !flush() { failed = true; if !keepGoing || quitRequested { return exitStatus ?? 1 } }
                if quitRequested { return exitStatus ?? 0 }
                if transcript { write(">>> " + trimmed + "\n") }
                let ok = runCommand(helpTopic.map { ":help " + $0 } ?? trimmed, file: file, line: i + 1,
                                    column: line.count - trimmed.count + 1)
                if !ok { failed = true; if !keepGoing { return 1 } }
                if quitRequested { return failed ? 1 : 0 }
                chunkStart = i + 2
                continue
            }
            if chunk.isEmpty { chunkStart = i + 1 }
            chunk.append(line)
        }
        if !flush() { failed = true }
        if let exitStatus { return exitStatus }
        return failed ? 1 : 0
    }

    /// Runs a Python script as Python would: parsed whole, bare expressions not echoed, the
    /// first uncaught exception reported with its place, `sys.exit(code)` giving the status.
    public func runPython(_ source: String, file: String) -> Int32 {
        let result = interpreter.run(source, file: file, echo: false, keepGoing: false,
                                     onDiagnostic: { [unowned self] d in self.report(d, source: source, file: file) })
        if let status = result.exitStatus { return status }
        return result.succeeded ? 0 : 1
    }

    /// Prints the source lines of a statement with prompts (transcript mode), with the comment
    /// lines just above it.
    func echoInput(_ s: Statement, _ lines: [String]) {
        let first = s.range.start.line - 1, last = max(first, s.range.end.line - 1)
        var start = first
        while start > 0, lines[start - 1].trimmingCharacters(in: .whitespaces).hasPrefix("#"), start - 1 > lastEchoedLine {
            start -= 1
        }
        for i in start...min(last, lines.count - 1) {
            let isComment = lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("#")
            write((i == first || (i < first && isComment) ? ">>> " : "... ") + lines[i] + "\n")
        }
        lastEchoedLine = last
    }

    /// Runs script files in order; stops at the first failing file unless keep-going. A `.py`
    /// file runs as a Python script, with the words after it as `sys.argv[1:]`.
    public func runFiles(_ paths: [String]) -> Int32 {
        var status: Int32 = 0
        if let first = paths.first, first.hasSuffix(".py") {
            interpreter.argv = paths
            guard let text = readTextFile(first) else {
                errorOutput("\(first): error: cannot read file: \(String(cString: strerror(errno)))\n")
                return 1
            }
            return runPython(text, file: first)
        }
        for p in paths {
            guard let text = readTextFile(p) else {
                errorOutput("\(p): error: cannot read file: \(String(cString: strerror(errno)))\n")
                return 1
            }
            loading.append(realpath(p, nil).map { r in defer { free(r) }; return String(cString: r) } ?? p)
            let fileStatus = runSource(text, file: p)
            loading.removeLast()
            if fileStatus != 0 {
                status = fileStatus
                if !keepGoing || quitRequested { return status }
            }
            if quitRequested { break }
        }
        return status
    }

    /// Runs standard input as a script (no banner, no prompts).
    public func runStandardInput() -> Int32 {
        var text = ""
        while let line = Swift.readLine(strippingNewline: false) { text += line }
        return runSource(text, file: "<stdin>")
    }

    /// Prints a diagnostic with its place and caret.
    func report(_ d: Diagnostic, source: String, file: String) {
        var text = d.render(source: source, file: file, width: Terminal.columns())
        // The working directory differs between clones: mask it for golden transcripts.
        if stableOutput, let cwd = currentDirectory() { text = text.replacingOccurrences(of: cwd, with: "<cwd>") }
        errorOutput(text + "\n")
    }

    /// Runs one `:command` line; returns false on error.
    @discardableResult
    public func runCommand(_ line: String, file: String = "<input>", line lineNumber: Int = 1, column: Int = 1) -> Bool {
        let body = line.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        guard let command = commands.first(where: { $0.name == name || $0.aliases.contains(name) }) else {
            let guess = closestName(name, among: commands.map(\.name))
            let start = SourceLocation(offset: 0, line: lineNumber, column: column)
            let end = SourceLocation(offset: 0, line: lineNumber, column: column + name.count + 1)
            let d = Diagnostic(.error, "unknown command ':\(name)'", range: SourceRange(start, end),
                               hint: guess.map { "did you mean ':\($0)'? :help lists the commands" } ?? ":help lists the commands")
            report(d, source: String(repeating: "\n", count: lineNumber - 1) + String(repeating: " ", count: column - 1) + line, file: file)
            return false
        }
        do {
            try command.run(argument)
            successfulInputs.append(line)
            return true
        } catch let d as Diagnostic {
            // Point into the command's argument.
            var shifted = d
            if let r = d.range, r.start.line == 1 {
                let offset = column + name.count + 1 + (body.count - name.count - argument.count)
                func move(_ l: SourceLocation) -> SourceLocation {
                    SourceLocation(offset: l.offset, line: lineNumber, column: l.column + offset)
                }
                shifted.range = SourceRange(move(r.start), move(r.end))
            }
            let source = String(repeating: "\n", count: lineNumber - 1) + String(repeating: " ", count: column - 1) + line
            report(shifted, source: source, file: file)
            return false
        } catch let e as TensorError {
            errorOutput("\(file):\(lineNumber):\(column): error: \(e.message)\n" + (e.hint.map { "  hint: \($0)\n" } ?? ""))
            return false
        } catch is Interrupted {
            errorOutput("interrupted\n")
            return false
        } catch {
            let e = interpreter.pythonError(from: error)
            if e.isInstance(of: .KeyboardInterrupt) { errorOutput("KeyboardInterrupt\n"); return false }
            var d = interpreter.diagnostic(for: e)
            if let r = d.range, d.source == nil, r.start.line == 1 {
                let offset = column + name.count + 1 + (body.count - name.count - argument.count)
                func move(_ l: SourceLocation) -> SourceLocation {
                    SourceLocation(offset: l.offset, line: lineNumber, column: l.column + offset)
                }
                d.range = SourceRange(move(r.start), move(r.end))
            }
            let source = String(repeating: "\n", count: lineNumber - 1) + String(repeating: " ", count: column - 1) + line
            report(d, source: source, file: file)
            return false
        }
    }

    /// Appends an input to the successful inputs (used by the interactive loop).
    func recordSuccess(_ input: String) { successfulInputs.append(input) }

    /// Clears the successful inputs (after `:reset`).
    func forgetInputs() { successfulInputs.removeAll() }

    func requestQuit() { quitRequested = true }
}

/// The current working directory, or nil.
func currentDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(cString: buffer)
}

/// The whole text of a file, or nil.
func readTextFile(_ path: String) -> String? {
    guard let f = fopen(path, "r") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes a file atomically (a temporary file renamed over the target).
func writeTextFileAtomically(_ path: String, _ text: String) -> Bool {
    let tmp = path + ".tmp-\(getpid())"
    guard let f = fopen(tmp, "w") else { return false }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, f)
    let closed = fclose(f) == 0
    guard written == bytes.count && closed else { unlink(tmp); return false }
    return rename(tmp, path) == 0
}

extension String {
    /// The string without leading and trailing spaces and tabs (what `:command` lines are cut
    /// by; cheaper than Foundation's `trimmingCharacters`, which replay calls for every line).
    func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }) else { return "" }
        let last = lastIndex(where: { !blank($0) })!
        if first == startIndex && last == index(before: endIndex) { return self }
        return String(self[first...last])
    }
}

/// Whether Jacobi talks to a person.
public enum Terminal {
    /// True when Jacobi should run interactively.
    /// Decided on stdin alone, as Python does: `jacobi | tee log` and `jacobi > out` on a
    /// terminal stay interactive, with the prompt and line editing on the terminal (stderr)
    /// and the results on stdout.
    public static var isInteractive: Bool { isatty(0) != 0 }

    /// The width to print for: the terminal's (stdout's, or stderr's when stdout is
    /// redirected), else `COLUMNS`, else 80.
    public static func columns(environment: Environment = .process) -> Int {
        size(\.ws_col, else: "COLUMNS", 80, environment)
    }

    /// The terminal's height in lines (stdout's, else stderr's), else `LINES`, else 24.
    public static func rows(environment: Environment = .process) -> Int {
        size(\.ws_row, else: "LINES", 24, environment)
    }

    /// One dimension of the terminal (stdout's, else stderr's), else the variable, else the default.
    private static func size(_ dimension: KeyPath<winsize, UInt16>, else variable: String, _ fallback: Int,
                             _ environment: Environment) -> Int {
        for fd: Int32 in [1, 2] where isatty(fd) != 0 {
            var size = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size[keyPath: dimension] > 0 { return Int(size[keyPath: dimension]) }
        }
        if let text = environment[variable], let n = Int(text), n > 0 { return n }
        return fallback
    }
}
