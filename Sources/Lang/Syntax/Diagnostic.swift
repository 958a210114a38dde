import Printer

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
    /// the diagnostic's own `source`, when set, takes the place of the given text. With a
    /// `width`, the message and the hint break between words to fit it (the source line and
    /// its caret stay as they are).
    public func render(source: String, file: String, width: Int = .max) -> String {
        if let own = self.source, own.text != source || own.file != file {
            var d = self
            d.source = nil
            return d.render(source: own.text, file: own.file, width: width)
        }
        func hintLines() -> String {
            hint.map { "\n" + TextWrap.words("  hint: \($0)", width: width, indent: "        ") } ?? ""
        }
        guard let range else {
            return TextWrap.words("\(file): \(severity.rawValue): \(message)", width: width) + hintLines()
        }
        var out = TextWrap.words("\(file):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message)",
                                 width: width)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if range.start.line - 1 < lines.count {
            let line = String(lines[range.start.line - 1])
            out += "\n" + line
            let underline: Int
            if range.end.line == range.start.line {
                underline = Swift.max(1, range.end.column - range.start.column)
            } else {
                underline = Swift.max(1, line.unicodeScalars.count - range.start.column + 1)
            }
            out += "\n" + String(repeating: " ", count: range.start.column - 1) + "^"
                + String(repeating: "~", count: underline - 1)
        }
        return out + hintLines()
    }
}

/// The diagnostic for input that ended too early (script mode).
public func incompleteInputDiagnostic(_ source: String) -> Diagnostic {
    Lexer.incompleteReason(source)
}
