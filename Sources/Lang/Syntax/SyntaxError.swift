/// Why the lexer or the parser stopped: the input needs more lines, or it is wrong.
///
/// ```swift
/// do throws(SyntaxError) {
///     let tokens = try Lexer.tokenize(text)
/// } catch {
///     switch error {
///     case .incomplete: askForAnotherLine()
///     case .invalid(let diagnostic): print(diagnostic.render(source: text, file: "<stdin>"))
///     }
/// }
/// ```
public enum SyntaxError: Error, Sendable {
    /// The input is a valid prefix that needs more lines (open bracket, triple-quoted string,
    /// trailing backslash, block header without its body...).
    case incomplete
    /// The input is wrong; the diagnostic points at the offending text.
    case invalid(Diagnostic)

    /// An `.invalid` error with an error diagnostic.
    ///
    /// ```swift
    /// throw SyntaxError.error("unexpected token '='", at: token.range)
    /// ```
    static func error(_ message: String, at range: SourceRange, hint: String? = nil) -> SyntaxError {
        .invalid(Diagnostic(.error, message, range: range, hint: hint))
    }
}
