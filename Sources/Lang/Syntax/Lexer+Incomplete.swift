extension Lexer {
    /// Why input that `parse` called incomplete cannot end where it does (for scripts, where no
    /// more lines will come): the innermost unclosed bracket, or the end of the text.
    ///
    /// ```swift
    /// Lexer.incompleteReason("y = f(1,\n  [2, 3]").message   // "'(' was never closed"
    /// ```
    public static func incompleteReason(_ source: String) -> Diagnostic {
        var lexer = Lexer(source)
        while true {
            do {
                if try lexer.next().kind == .endOfInput { break }
            } catch {
                break
            }
        }
        if let open = lexer.openBrackets.last {
            let close = open.text == "(" ? ")" : (open.text == "[" ? "]" : "}")
            return Diagnostic(.error, "'\(open.text)' was never closed", range: open.range, hint: "add the missing '\(close)'")
        }
        let end = lexer.location
        return Diagnostic(.error, "unexpected end of input: an unterminated triple-quoted string, a trailing '\\', or a block with no body",
                          range: SourceRange(end, end))
    }
}
