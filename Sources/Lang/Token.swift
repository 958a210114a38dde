/// A lexical token with its source range.
///
/// ```swift
/// // "x = 1" lexes to name(x), op(=), int(1), newline, eof
/// ```
public struct Token: Sendable {
    /// Kinds of tokens.
    public enum Kind: Sendable, Equatable {
        case name(String)
        case keyword(String)
        case int(Int)
        case float(Double)
        case string(String)
        /// Operators and punctuation, e.g. `**`, `(`, `->`, `...`.
        case op(String)
        case newline
        case indent
        case dedent
        case eof
    }
    /// What the token is.
    public var kind: Kind
    /// Where it is.
    public var range: SourceRange

    /// Source-like text for error messages.
    public var text: String {
        switch kind {
        case .name(let s), .keyword(let s), .op(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string(let s): return pythonQuoted(s)
        case .newline: return "end of line"
        case .indent: return "indent"
        case .dedent: return "dedent"
        case .eof: return "end of input"
        }
    }
}

/// Python keywords that Jacobi's language understands.
let keywords: Set<String> = ["lambda", "and", "or", "not", "in", "is", "if", "else", "elif", "for", "def",
                             "return", "import", "from", "as", "del", "pass", "True", "False", "None"]
