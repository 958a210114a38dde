import CEditLine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from the terminal with libedit: Emacs keys, history, TAB completion, Ctrl-C.
///
/// On a terminal the user gets Emacs editing (Ctrl-A, Ctrl-E, Ctrl-K, Ctrl-R, ...), history
/// recall with the up and down arrows (kept in ``historyPath`` between sessions), and TAB
/// completion through ``completer``. When standard input is not a terminal, libedit prints
/// no prompt and returns the lines as they come, so scripts can be piped in.
///
/// ```swift
/// let editor = LineEditor(programName: "jacobi")
/// editor.completer = { before, _ in
///     let word = CompletionContext(lineBeforeCursor: before).word
///     return ["jacrev", "jacfwd", "vmap"].filter { $0.hasPrefix(word) }
/// }
/// loop: while true {
///     switch editor.readLine(prompt: ">>> ") {
///     case .line(let text):
///         editor.addHistory(text)
///         print(evaluate(text))
///     case .interrupted:
///         print("^C")            // the partial line is dropped; ask again
///     case .endOfFile:
///         break loop
///     }
/// }
/// editor.saveHistory()
/// ```
///
/// One editor reads from the process's standard input: create one per process, and use it
/// from one thread.
public final class LineEditor {
    /// What one call to ``LineEditor/readLine(prompt:)`` read.
    ///
    /// ```swift
    /// switch editor.readLine(prompt: ">>> ") {
    /// case .line(let text): run(text)
    /// case .interrupted: print("^C")
    /// case .endOfFile: exit(0)
    /// }
    /// ```
    public enum Input: Equatable, Sendable {
        /// A line, without its end-of-line characters.
        case line(String)
        /// Ctrl-C at the prompt: the partial line was dropped.
        case interrupted
        /// End of input: Ctrl-D on an empty line, the end of a piped script, or a read error.
        case endOfFile
    }

    /// The file that history is loaded from and saved to, or `nil` to keep none.
    ///
    /// ```swift
    /// LineEditor(programName: "jacobi").historyPath   // "/home/ada/.local/state/jacobi/history"
    /// ```
    public let historyPath: String?

    /// Offers completions for TAB, given the line before and after the cursor.
    ///
    /// The candidates are full replacements for the word before the cursor, which is
    /// `CompletionContext(lineBeforeCursor: before, pathCommands: pathCommands).word`. One
    /// candidate replaces the word; several replace it with their longest common prefix,
    /// and a second TAB lists them (sorted, shown by ``CompletionContext/displayText(for:)``).
    /// Nothing is offered while it is `nil`.
    ///
    /// ```swift
    /// editor.completer = { before, _ in
    ///     let context = CompletionContext(lineBeforeCursor: before)
    ///     switch context.kind {
    ///     case .stringLiteral, .path: return PathCompletion.candidates(for: context.word)
    ///     case .command: return [":help", ":history", ":quit"].filter { $0.hasPrefix(context.word) }
    ///     case .identifier: return environment.names.filter { $0.hasPrefix(context.word) }
    ///     case .comment: return []
    ///     }
    /// }
    /// ```
    public var completer: ((_ before: String, _ after: String) -> [String])?

    /// The commands whose unquoted arguments complete as paths (``CompletionContext/Kind/path``).
    ///
    /// ```swift
    /// editor.pathCommands = [":load", ":save", ":source"]
    /// ```
    public var pathCommands: Set<String> = CompletionContext.defaultPathCommands

    /// The prompt that ``readContinuationLine()`` shows, for the lines of a statement
    /// whose brackets are still open.
    ///
    /// ```swift
    /// editor.continuationPrompt = "... "
    /// ```
    public var continuationPrompt: String = "... "

    /// The libedit editor (`jc_editor *`), owned: released in `deinit`.
    private let handle: OpaquePointer

    /// Whether history changed since it was last loaded or saved.
    private var historyChanged = false

    /// Entries kept in memory and in the history file.
    private static let historySize: Int32 = 1000

    /// Creates the editor, installs the Ctrl-C flag handler (``Interrupt/install()``) and
    /// loads the history file if there is one.
    ///
    /// - Parameters:
    ///   - programName: Names the program for `~/.editrc` sections (`jacobi:bind ...`).
    ///   - historyPath: Where history lives between sessions; `nil` keeps history only in
    ///     memory. Its directory is created when history is first saved.
    ///
    /// ```swift
    /// let editor = LineEditor(programName: "jacobi")                   // default history file
    /// let scratch = LineEditor(programName: "jacobi", historyPath: nil) // no history file
    /// ```
    public init(programName: String = "jacobi",
                historyPath: String? = LineEditor.defaultHistoryPath()) {
        guard let handle = jc_editor_create(programName, nil, nil, nil) else {
            fatalError("LineEditor: libedit could not allocate an editor (out of memory)")
        }
        self.handle = handle
        self.historyPath = historyPath
        jc_history_set_size(handle, Self.historySize)
        Interrupt.install()

        jc_editor_set_completer(handle, { context, before, after, out in
            guard let context, let before, let after, let out else { return }
            let editor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
            editor.complete(before: String(cString: before), after: String(cString: after),
                            into: out)
        }, Unmanaged.passUnretained(self).toOpaque())

        if let historyPath, FileManager.default.fileExists(atPath: historyPath) {
            jc_history_load(handle, historyPath)
        }
    }

    deinit {
        if historyChanged {
            saveHistory()
        }
        jc_editor_destroy(handle)
    }

    // MARK: - Reading

    /// Shows `prompt` and reads one line.
    ///
    /// Returns ``Input/interrupted`` when Ctrl-C was pressed at the prompt (the caller
    /// usually prints `^C` and asks again) and ``Input/endOfFile`` at the end of input.
    /// Ctrl-C pressed earlier, while nothing polled ``Interrupt/pending``, is forgotten:
    /// the flag is clear when this returns. Lines are not added to history by themselves:
    /// call ``addHistory(_:)``. Invisible sequences in the prompt (colours) must be wrapped
    /// in `"\u{1}"` so that libedit does not count their width.
    ///
    /// ```swift
    /// if case .line(let text) = editor.readLine(prompt: ">>> ") { print("got: \(text)") }
    /// let coloured = editor.readLine(prompt: "\u{1}\u{1B}[1;34m\u{1}>>>\u{1}\u{1B}[0m\u{1} ")
    /// ```
    public func readLine(prompt: String) -> Input {
        jc_editor_set_prompt(handle, prompt)
        jc_editor_use_continuation_prompt(handle, 0)
        return read()
    }

    /// Reads one more line of an unfinished statement, showing ``continuationPrompt``.
    ///
    /// ```swift
    /// var source = text
    /// while parserNeedsMore(source), case .line(let more) = editor.readContinuationLine() {
    ///     source += "\n" + more
    /// }
    /// ```
    public func readContinuationLine() -> Input {
        jc_editor_set_continuation_prompt(handle, continuationPrompt)
        jc_editor_use_continuation_prompt(handle, 1)
        return read()
    }

    /// Calls libedit and classifies what it returned.
    private func read() -> Input {
        defer { Interrupt.clear() }
        while true {
            var count: Int32 = 0
            var error: Int32 = 0
            guard let line = jc_editor_gets(handle, &count, &error) else {
                if count == -1 && error == EINTR {
                    if Interrupt.pending {
                        return .interrupted
                    }
                    continue // another signal (such as SIGCHLD) interrupted the read
                }
                return .endOfFile
            }
            let bytes = UnsafeRawBufferPointer(start: line, count: Int(max(count, 0)))
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasSuffix("\n") {
                text.removeLast()
            }
            if text.hasSuffix("\r") {
                text.removeLast()
            }
            return .line(text)
        }
    }

    // MARK: - History

    /// Adds a line as the newest history entry, for the up arrow and for the history file.
    ///
    /// Blank lines and a repeat of the newest entry are not added.
    ///
    /// ```swift
    /// if case .line(let text) = editor.readLine(prompt: ">>> ") { editor.addHistory(text) }
    /// ```
    public func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        if jc_history_add(handle, line) == 0 {
            historyChanged = true
        }
    }

    /// The history entries, oldest first (for `:history`).
    ///
    /// ```swift
    /// for (number, entry) in editor.history.enumerated() { print(number + 1, entry) }
    /// ```
    public var history: [String] {
        var entries: [String] = []
        withUnsafeMutablePointer(to: &entries) { pointer in
            jc_history_foreach(handle, pointer) { context, entry in
                guard let context, let entry else { return }
                context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: entry))
            }
        }
        return entries
    }

    /// Forgets every history entry (the file changes at the next save).
    ///
    /// ```swift
    /// editor.clearHistory()
    /// editor.history   // []
    /// ```
    public func clearHistory() {
        jc_history_clear(handle)
        historyChanged = true
    }

    /// Writes the history (at most 1000 entries) to ``historyPath`` atomically (a temporary
    /// file renamed over it), creating its directory.
    ///
    /// `deinit` also saves history that changed, but a process that ends with `exit()`
    /// runs no `deinit`: save before leaving. Returns `false` when there is no history
    /// path or the file could not be written.
    ///
    /// ```swift
    /// editor.addHistory("J = jacrev(f)(x)")
    /// editor.saveHistory()
    /// ```
    @discardableResult
    public func saveHistory() -> Bool {
        guard let historyPath else { return false }
        let directory = (historyPath as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        // Written to a temporary file and renamed, so a crash mid-write never truncates it.
        let temporary = historyPath + ".tmp-\(getpid())"
        guard jc_history_save(handle, temporary) >= 0, rename(temporary, historyPath) == 0 else {
            unlink(temporary)
            return false
        }
        historyChanged = false
        return true
    }

    /// Where history is kept unless told otherwise: `$XDG_STATE_HOME/jacobi/history` when
    /// `XDG_STATE_HOME` is set to an absolute path, else the XDG default,
    /// `~/.local/state/jacobi/history`.
    ///
    /// - Parameter environment: The variables to read; the process's environment by default.
    ///
    /// ```swift
    /// LineEditor.defaultHistoryPath()                                   // "/home/ada/.local/state/jacobi/history"
    /// LineEditor.defaultHistoryPath(environment: ["XDG_STATE_HOME": "/tmp/s"])
    /// // "/tmp/s/jacobi/history"
    /// ```
    public static func defaultHistoryPath(
        environment: Environment = .process
    ) -> String {
        Journal.defaultDirectory(environment: environment) + "/history"
    }

    // MARK: - Terminal

    /// Whether both standard input and standard output are terminals: the REPL is talking
    /// to a person rather than running a piped script.
    ///
    /// ```swift
    /// let banner = LineEditor.isInteractive ? "Jacobi 0.1, :help for help" : nil
    /// ```
    public static var isInteractive: Bool {
        isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
    }

    /// Whether libedit edits lines on a terminal (standard input is a terminal and
    /// `~/.editrc` did not turn editing off); when `false`, lines are read as they come.
    ///
    /// ```swift
    /// if !editor.isEditing { print(text) }   // echo piped input into a transcript
    /// ```
    public var isEditing: Bool {
        jc_editor_is_editing(handle) != 0
    }

    // MARK: - Completion

    /// Answers libedit's TAB: asks ``completer`` and hands the candidates to C.
    private func complete(before: String, after: String, into out: OpaquePointer) {
        guard let completer else { return }
        let context = CompletionContext(lineBeforeCursor: before, pathCommands: pathCommands)
        jc_completions_set_word_length(out, Int32(clamping: context.word.utf8.count))
        var seen = Set<String>()
        for candidate in completer(before, after).sorted() where seen.insert(candidate).inserted {
            jc_completions_add(out, candidate, context.displayText(for: candidate))
        }
    }
}
