/// The outcome of lexing: tokens, a need for more input, or an error.
public enum LexResult {
    case tokens([Token])
    /// Unclosed brackets, an unterminated triple-quoted string or a trailing backslash.
    case incomplete
    case failure(Diagnostic)
}

/// Splits source text into tokens, Python style: NEWLINE at the end of logical lines,
/// INDENT/DEDENT for blocks, newlines ignored inside brackets, `\` continuation, `#` comments.
///
/// ```swift
/// if case .tokens(let ts) = Lexer(source: "f(x)\n").tokenize() { print(ts.count) }
/// ```
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var column = 1
    private var tokens: [Token] = []
    private var brackets: [(Character, SourceRange)] = []
    private var indents = [0]
    private var atLineStart = true

    /// Why input that `parse` called incomplete cannot end here: the innermost unclosed bracket,
    /// an unterminated triple-quoted string, a trailing backslash, or a block with no body.
    public static func incompleteReason(_ source: String) -> Diagnostic {
        var lexer = Lexer(source: source)
        _ = lexer.tokenize()
        if let (open, range) = lexer.brackets.last {
            let close = open == "(" ? ")" : (open == "[" ? "]" : "}")
            return Diagnostic(.error, "'\(open)' was never closed", range: range, hint: "add the missing '\(close)'")
        }
        let end = lexer.location
        if lexer.unterminatedString {
            return Diagnostic(.error, "unterminated triple-quoted string", range: SourceRange(end, end))
        }
        return Diagnostic(.error, "unexpected end of input: a line ends with '\\' or a block has no body",
                          range: SourceRange(end, end))
    }

    /// Set when the input ended inside a triple-quoted string.
    private var unterminatedString = false

    /// Creates a lexer over `source`.
    public init(source: String) { scalars = Array(source.unicodeScalars) }

    private var location: SourceLocation { SourceLocation(offset: i, line: line, column: column) }
    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < scalars.count ? scalars[i + k] : nil }

    private mutating func advance() {
        if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    private mutating func add(_ kind: Token.Kind, from start: SourceLocation) {
        tokens.append(Token(kind: kind, range: SourceRange(start, location)))
    }

    private func error(_ message: String, _ start: SourceLocation, _ end: SourceLocation? = nil, hint: String? = nil) -> LexResult {
        .failure(Diagnostic(.error, message, range: SourceRange(start, end ?? SourceLocation(offset: start.offset + 1, line: start.line, column: start.column + 1)), hint: hint))
    }

    /// Produces every token, ending with NEWLINE (if needed), DEDENTs and EOF.
    public mutating func tokenize() -> LexResult {
        while i < scalars.count {
            if atLineStart && brackets.isEmpty {
                if let r = handleIndentation() { return r }
                continue
            }
            let c = scalars[i]
            let start = location
            switch c {
            case " ", "\t", "\r", "\u{0C}":
                advance()
            case "#":
                while let d = peek(), d != "\n" { advance() }
            case "\\":
                if peek(1) == "\n" { advance(); advance() } else if peek(1) == nil { return .incomplete }
                else if peek(1) == "\r" && peek(2) == "\n" { advance(); advance(); advance() }
                else { return error("unexpected character after line continuation character", start) }
            case "\n":
                advance()
                if brackets.isEmpty {
                    if let last = tokens.last, last.kind != .newline, last.kind != .indent, last.kind != .dedent {
                        tokens.append(Token(kind: .newline, range: SourceRange(start, location)))
                    }
                    atLineStart = true
                }
            case "0"..."9":
                if let r = lexNumber(start) { return r }
            case ".":
                if let d = peek(1), ("0"..."9").contains(d) {
                    if let r = lexNumber(start) { return r }
                } else if peek(1) == "." && peek(2) == "." {
                    advance(); advance(); advance()
                    add(.op("..."), from: start)
                } else {
                    advance(); add(.op("."), from: start)
                }
            case "'", "\"":
                if let r = lexString(start, raw: false) { return r }
            default:
                if c.properties.isAlphabetic || c == "_" {
                    if (c == "r" || c == "R"), let q = peek(1), q == "'" || q == "\"" {
                        advance()
                        if let r = lexString(start, raw: true) { return r }
                        continue
                    }
                    var name = ""
                    while let d = peek(), d.properties.isAlphabetic || d == "_" || ("0"..."9").contains(d) {
                        name.unicodeScalars.append(d); advance()
                    }
                    add(keywords.contains(name) ? .keyword(name) : .name(name), from: start)
                } else if let r = lexOperator(start) { return r }
            }
        }
        if !brackets.isEmpty { return .incomplete }
        let end = location
        if let last = tokens.last, last.kind != .newline, last.kind != .dedent, last.kind != .indent {
            tokens.append(Token(kind: .newline, range: SourceRange(end, end)))
        }
        while indents.count > 1 {
            indents.removeLast()
            tokens.append(Token(kind: .dedent, range: SourceRange(end, end)))
        }
        tokens.append(Token(kind: .eof, range: SourceRange(end, end)))
        return .tokens(tokens)
    }

    /// Measures the indentation of a new logical line and emits INDENT/DEDENT.
    private mutating func handleIndentation() -> LexResult? {
        var width = 0
        let lineStart = location
        while let c = peek(), c == " " || c == "\t" {
            width += c == "\t" ? 8 - width % 8 : 1
            advance()
        }
        // Blank and comment-only lines do not count.
        guard let c = peek(), c != "\n", c != "#", c != "\r" else {
            if peek() == "#" { while let d = peek(), d != "\n" { advance() } }
            if peek() == "\n" { advance() }
            return nil
        }
        atLineStart = false
        let here = location
        if width > indents.last! {
            indents.append(width)
            tokens.append(Token(kind: .indent, range: SourceRange(lineStart, here)))
        } else {
            while width < indents.last! {
                indents.removeLast()
                tokens.append(Token(kind: .dedent, range: SourceRange(here, here)))
            }
            if width != indents.last! {
                return error("unindent does not match any outer indentation level", lineStart, here)
            }
        }
        return nil
    }

    private mutating func lexNumber(_ start: SourceLocation) -> LexResult? {
        var text = ""
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance(); advance()
            while let d = peek(), d.properties.isASCIIHexDigit || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; advance() }
            guard let v = Int(text, radix: 16) else { return error("invalid hexadecimal literal", start, location) }
            add(.int(v), from: start)
            return nil
        }
        var isFloat = false
        func digits() { while let d = peek(), ("0"..."9").contains(d) || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; advance() } }
        digits()
        if peek() == ".", !(peek(1) == "." && peek(2) == ".") {
            isFloat = true
            text += "."
            advance()
            digits()
        }
        if let e = peek(), e == "e" || e == "E" {
            let save = (i, line, column, text)
            text += "e"
            advance()
            if let s = peek(), s == "+" || s == "-" { text.unicodeScalars.append(s); advance() }
            if let d = peek(), ("0"..."9").contains(d) { digits(); isFloat = true } else { (i, line, column, text) = save }
        }
        if let d = peek(), d.properties.isAlphabetic || d == "_" {
            return error("invalid decimal literal", start, location)
        }
        if isFloat {
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text += "0" }
            guard let v = Double(text) else { return error("invalid number '\(text)'", start, location) }
            add(.float(v), from: start)
        } else {
            guard let v = Int(text) else { return error("integer literal '\(text)' is too large", start, location) }
            add(.int(v), from: start)
        }
        return nil
    }

    private mutating func lexString(_ start: SourceLocation, raw: Bool) -> LexResult? {
        let quote = scalars[i]
        let triple = peek(1) == quote && peek(2) == quote
        advance()
        if triple { advance(); advance() }
        var s = ""
        while true {
            guard let c = peek() else {
                if triple { unterminatedString = true; return .incomplete }
                return error("unterminated string literal", start, location, hint: "close it with \(quote)")
            }
            if c == "\n" && !triple {
                return error("unterminated string literal", start, location, hint: "close it with \(quote) on the same line")
            }
            if c == quote {
                if !triple { advance(); break }
                if peek(1) == quote && peek(2) == quote { advance(); advance(); advance(); break }
            }
            if c == "\\" && !raw, let n = peek(1) {
                advance(); advance()
                switch n {
                case "n": s += "\n"
                case "t": s += "\t"
                case "r": s += "\r"
                case "0": s += "\0"
                case "\\": s += "\\"
                case "'": s += "'"
                case "\"": s += "\""
                case "\n": break
                default: s += "\\"; s.unicodeScalars.append(n)
                }
                continue
            }
            s.unicodeScalars.append(c)
            advance()
        }
        // Adjacent string literals concatenate.
        if let last = tokens.last, case .string(let prev) = last.kind {
            tokens[tokens.count - 1] = Token(kind: .string(prev + s), range: last.range.union(SourceRange(start, location)))
        } else {
            add(.string(s), from: start)
        }
        return nil
    }

    private static let operators = ["**=", "//=", "...", "->", "**", "//", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "@=", "%=",
                                    "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "=", ":", ",", ";", "(", ")",
                                    "[", "]", "{", "}", "."]

    private mutating func lexOperator(_ start: SourceLocation) -> LexResult? {
        for op in Lexer.operators {
            let u = Array(op.unicodeScalars)
            if (0..<u.count).allSatisfy({ peek($0) == u[$0] }) {
                for _ in 0..<u.count { advance() }
                let range = SourceRange(start, location)
                switch op {
                case "(", "[", "{": brackets.append((Character(op), range))
                case ")", "]", "}":
                    let open: Character = op == ")" ? "(" : (op == "]" ? "[" : "{")
                    guard let last = brackets.last else { return .failure(Diagnostic(.error, "unmatched '\(op)'", range: range)) }
                    guard last.0 == open else {
                        return .failure(Diagnostic(.error, "closing '\(op)' does not match opening '\(last.0)' at \(last.1.start.line):\(last.1.start.column)", range: range))
                    }
                    brackets.removeLast()
                default: break
                }
                tokens.append(Token(kind: .op(op), range: range))
                return nil
            }
        }
        return error("invalid character '\(scalars[i])' in input", start)
    }
}
