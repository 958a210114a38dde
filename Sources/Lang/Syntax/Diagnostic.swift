/// An error or warning tied to a place in the source, printed as
/// `file:line:col: error: message`, then the source line and a caret under the range.
///
/// ```swift
/// let d = Diagnostic(.error, "unknown name 'jacref'", range: r, hint: "did you mean 'jacrev'?")
/// print(d.render(source: text, file: "demo.jac"))
/// ```
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// Severity of a diagnostic.
    public enum Severity: String, Sendable { case error, warning, note }
    /// How bad it is.
    public var severity: Severity
    /// What went wrong, one line.
    public var message: String
    /// Where it went wrong; `nil` when no source position applies.
    public var range: SourceRange?
    /// What to do instead, if there is a suggestion.
    public var hint: String?
    /// The text `range` refers to, when it is not the text being run (an error inside a
    /// function defined in another file or in a string).
    public var source: (file: String, text: String)?

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, _ message: String, range: SourceRange? = nil, hint: String? = nil) {
        self.severity = severity; self.message = message; self.range = range; self.hint = hint
    }

    public var description: String { "\(severity.rawValue): \(message)" }

    /// Renders the diagnostic with the offending source line and a caret (`^~~~`) under the range;
    /// the diagnostic's own `source`, when set, takes the place of the given text.
    public func render(source: String, file: String) -> String {
        if let own = self.source, own.text != source || own.file != file {
            var d = self
            d.source = nil
            return d.render(source: own.text, file: own.file)
        }
        guard let range else {
            var s = "\(file): \(severity.rawValue): \(message)"
            if let hint { s += "\n  hint: \(hint)" }
            return s
        }
        var out = "\(file):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message)"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if range.start.line - 1 < lines.count {
            let line = String(lines[range.start.line - 1])
            out += "\n" + line
            let width: Int
            if range.end.line == range.start.line {
                width = Swift.max(1, range.end.column - range.start.column)
            } else {
                width = Swift.max(1, line.unicodeScalars.count - range.start.column + 1)
            }
            out += "\n" + String(repeating: " ", count: range.start.column - 1) + "^"
                + String(repeating: "~", count: width - 1)
        }
        if let hint { out += "\n  hint: \(hint)" }
        return out
    }
}

/// The diagnostic for input that ended too early (script mode).
public func incompleteInputDiagnostic(_ source: String) -> Diagnostic {
    Lexer.incompleteReason(source)
}
