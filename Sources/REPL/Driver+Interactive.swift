import Tensor
import AD
import Lang
import NN
#if canImport(Glibc)
import Glibc
#endif

extension Driver {
    /// The interactive REPL: a banner, `>>> ` and `... ` prompts, libedit line editing with
    /// history and completion, Ctrl-C to drop a line or stop an evaluation, Ctrl-D to leave.
    public func interactive() -> Int32 {
        let editor = LineEditor(programName: "jacobi", historyPath: LineEditor.defaultHistoryPath())
        editor.completer = { [unowned self] before, _ in self.completions(for: before) }
        editor.pathCommands = [":load", ":save"]
        interpreter.shouldStop = { Interrupt.pending }
        let bar = ProgressBar()
        pagesOutput = isatty(1) != 0
        interpreter.progress = { done, total in bar.update(done, total) }
        // Whatever is printed first erases the bar, so results never share its line.
        let (output, warn, errors, driverErrors) = (interpreter.output, interpreter.warn, interpreter.errorOutput, errorOutput)
        interpreter.output = { s in bar.erase(); output(s) }
        interpreter.warn = { s in bar.erase(); warn(s) }
        interpreter.errorOutput = { s in bar.erase(); errors(s) }
        errorOutput = { s in bar.erase(); driverErrors(s) }
        // With stdout redirected (`jacobi | tee log`), what is for the person at the terminal
        // goes to stderr, and only results to stdout.
        let say: (String) -> Void = isatty(1) != 0 ? { [unowned self] s in self.write(s) } : { s in fputs(s, stderr) }
        say("Jacobi \(JacobiVersion.string) — derivatives of neural networks. :help for help, Ctrl-D to quit.\n")
        let journalDirectory = Journal.defaultDirectory()
        for path in Journal.leftBehind(in: journalDirectory) {
            say("A previous session ended without a clean exit; its inputs are in \(path)\n"
                  + "  (replay them with: jacobi --keep-going \(path), or :load \(path))\n")
        }
        let journal = Journal(directory: journalDirectory)
        journal?.installCrashNotice()
        defer { journal?.close() }
        var buffer: [String] = []
        while !quitRequested {
            let prompt = buffer.isEmpty ? ">>> " : "... "
            switch buffer.isEmpty ? editor.readLine(prompt: prompt) : editor.readContinuationLine() {
            case .endOfFile:
                if buffer.isEmpty { say("\n"); editor.saveHistory(); return 0 }
                buffer = []
                say("\n")
            case .interrupted:
                // As Python does: leave the dropped line on screen, then a line of its own.
                buffer = []
                Interrupt.clear()
                say("\nKeyboardInterrupt\n")
            case .line(let line):
                if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                    editor.addHistory(line)
                    journal?.record(line)
                    Interrupt.clear()
                    bar.begin()
                    Typeahead.run(fd: STDIN_FILENO) { runCommand(line.trimmingCharacters(in: .whitespaces), file: "<input>") }
                    bar.finish()
                    continue
                }
                if buffer.isEmpty, let topic = helpRequest(line) {
                    // IPython's `obj?`: the help of obj.
                    editor.addHistory(line)
                    runCommand(":help " + topic, file: "<input>")
                    continue
                }
                buffer.append(line)
                let text = buffer.joined(separator: "\n")
                if case .incomplete = parse(text, interactive: true) { continue }
                buffer = []
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                editor.addHistory(text)
                journal?.record(text)
                Interrupt.clear()
                bar.begin()
                let result = Typeahead.run(fd: STDIN_FILENO) {
                    interpreter.run(text, file: "<input>", echo: true,
                                    onDiagnostic: { [unowned self] d in
                                        bar.finish()
                                        // The terminal echoed ^C where the cursor was: the message starts a line.
                                        if d.message.contains("KeyboardInterrupt") { self.errorOutput("\n") }
                                        self.report(d, source: text, file: "<input>")
                                    })
                }
                bar.finish()
                Interrupt.clear()
                if result.succeeded { recordSuccess(text) }
                if let status = result.exitStatus {
                    // sys.exit() at the prompt leaves at once, as Python does.
                    editor.saveHistory()
                    return status
                }
            }
        }
        editor.saveHistory()
        return 0
    }

    /// `name?` or `name.attr?` (IPython's help syntax): the name, or nil for other input.
    func helpRequest(_ line: String) -> String? {
        // Most lines do not end with '?': say so without building a trimmed copy.
        guard line.utf8.last(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "?") else { return nil }
        let t = line.trimmingBlanks()
        guard t.hasSuffix("?"), !t.hasPrefix("#") else { return nil }
        let name = String(t.dropLast()).trimmingBlanks()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
        return name
    }

    /// Tab completions for the text before the cursor: `:commands`, variables and builtins,
    /// attributes after a dot (tensor methods, object attributes), file paths inside strings
    /// and after `:load`/`:save`. In the indentation (nothing but blanks before the cursor),
    /// TAB indents by four spaces, as it indents in Python's REPL.
    ///
    /// ```swift
    /// driver.completions(for: "jacr")   // ["jacrev"]
    /// driver.completions(for: "    ")   // ["    "]: four more spaces of indentation
    /// ```
    public func completions(for before: String) -> [String] {
        if before.allSatisfy(\.isWhitespace) { return [Self.indentation] }
        let context = CompletionContext(lineBeforeCursor: before, pathCommands: [":load", ":save"])
        let word = context.word
        switch context.kind {
        case .comment: return []
        case .command:
            return commands.map { ":" + $0.name }.filter { $0.hasPrefix(word) }.sorted()
        case .stringLiteral, .path:
            return PathCompletion.candidates(for: word)
        case .identifier:
            if let dot = word.lastIndex(of: ".") {
                let base = String(word[..<dot]), partial = String(word[word.index(after: dot)...])
                guard let value = try? interpreter.run(quietly: base) else { return [] }
                // Children named by index (`Sequential`'s "0", "1") are reached as net.block1[0].
                return Set(attributeNames(of: value)).filter { $0.hasPrefix(partial) }.sorted()
                    .map { $0.first?.isNumber == true ? base + "[" + $0 + "]" : base + "." + $0 }
            }
            var names = Set(interpreter.registry.names)
            names.formUnion(interpreter.globals.variables.keys)
            names.formUnion(interpreter.globalNames)
            names.formUnion(Keyword.allCases.map(\.rawValue).filter { !["yield", "async", "await"].contains($0) })
            return names.filter { $0.hasPrefix(word) }.sorted()
        }
    }

    /// What TAB inserts in the indentation of a line.
    static let indentation = "    "

    func attributeNames(of v: Value) -> [String] {
        interpreter.attributeNames(of: v) + v.pyType.mro.flatMap(\.attributeOrder).filter { !$0.hasPrefix("_") }
    }
}

extension Interpreter {
    /// Evaluates a side-effect-free dotted name (for completion), or nil.
    func run(quietly dotted: String) throws -> Value? {
        let parts = dotted.split(separator: ".").map(String.init)
        guard let first = parts.first else { return nil }
        var v: Value? = globals.variables[first] ?? resolveName(first)
        for p in parts.dropFirst() {
            guard let cur = v else { return nil }
            v = try? getAttributeIfPresent(cur, p)
        }
        return v
    }
}

import Foundation
