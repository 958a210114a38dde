// f-strings: `f"{gain:.4f}"`, `f"{x!r:>8}"`, `f"{x=}"`, `f"{a:{width}}"`. The lexer splits the literal
// into text and replacement fields and remembers where each field's expression starts, so that the
// parser can parse it with exact source ranges (errors inside a field point into the f-string).

extension Lexer {
    /// Lexes an f-string whose prefix starts at `start`; the cursor is on the opening quote.
    mutating func lexFString(start: SourceLocation, raw: Bool) throws(SyntaxError) -> Token {
        let quote = advance()
        let triple = peek() == quote && peek(1) == quote
        if triple { skip(2) }
        let pieces = try lexFStringPieces(start: start, quote: quote, triple: triple, raw: raw, inSpec: false)
        return Token(kind: .fstring(pieces), text: text(from: start), range: SourceRange(start, location))
    }

    /// Reads literal text and fields up to the closing quote (or, inside a format spec, up to the
    /// `}` that closes the field).
    private mutating func lexFStringPieces(start: SourceLocation, quote: Unicode.Scalar, triple: Bool, raw: Bool,
                                           inSpec: Bool) throws(SyntaxError) -> [FStringPiece] {
        var pieces: [FStringPiece] = []
        var text = ""
        func flush() {
            if !text.isEmpty { pieces.append(.literal(text)); text = "" }
        }
        while true {
            guard let c = peek() else {
                if triple { throw .incomplete }
                throw unterminatedString(start)
            }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                if inSpec {
                    throw .error("f-string: expecting '}'", at: SourceRange(location, location))
                }
                skip(triple ? 3 : 1)
                flush()
                return pieces
            }
            if c == "\n" && !triple {
                if inSpec { throw .error("f-string: expecting '}'", at: SourceRange(location, location)) }
                throw unterminatedString(start)
            }
            if c == "{" {
                if !inSpec && peek(1) == "{" { skip(2); text += "{"; continue }
                advance()
                flush()
                pieces.append(.field(try lexFStringField(start: start, quote: quote, triple: triple, raw: raw)))
                continue
            }
            if c == "}" {
                if inSpec { flush(); return pieces }
                if peek(1) == "}" { skip(2); text += "}"; continue }
                let here = location
                advance()
                throw .error("f-string: single '}' is not allowed", at: SourceRange(here, location),
                             hint: "write '}}' for a literal brace")
            }
            if c == "\\" {
                try lexEscape(into: &text, raw: raw)
                continue
            }
            text.unicodeScalars.append(advance())
        }
    }

    /// Reads one replacement field after its `{`, up to and including its `}`.
    private mutating func lexFStringField(start: SourceLocation, quote: Unicode.Scalar, triple: Bool, raw: Bool)
        throws(SyntaxError) -> FStringField
    {
        let exprStart = location
        var depth = 0
        var expressionEnd: SourceLocation?
        var debugText: String?
        func closingQuoteAhead() -> Bool {
            guard peek() == quote else { return false }
            return !triple || (peek(1) == quote && peek(2) == quote)
        }
        scan: while true {
            guard let c = peek() else {
                if triple { throw .incomplete }
                throw unterminatedString(start)
            }
            if closingQuoteAhead() || (c == "\n" && !triple && depth == 0) {
                throw .error("f-string: expecting '}'", at: SourceRange(exprStart, location))
            }
            switch c {
            case "(", "[", "{":
                depth += 1
                advance()
            case ")", "]":
                depth -= 1
                advance()
            case "}":
                if depth == 0 { break scan }
                depth -= 1
                advance()
            case "'", "\"":
                // A string inside the expression (with the other quote, as Python before 3.12 requires).
                let inner = advance()
                while let d = peek(), d != inner {
                    if d == "\\" { advance() }
                    if peek() == nil { break }
                    advance()
                }
                if peek() == nil { throw unterminatedString(start) }
                advance()
            case "!" where depth == 0 && peek(1) != "=":
                break scan
            case ":" where depth == 0:
                break scan
            case "=" where depth == 0 && peek(1) != "=":
                let before = text(from: exprStart)
                if let last = before.unicodeScalars.last, "=!<>".unicodeScalars.contains(last) {
                    advance()
                    continue
                }
                expressionEnd = location
                advance()
                debugText = text(from: exprStart)
                // Only spaces may follow the '=' before '!', ':' or '}'.
                while peek() == " " { advance() }
                debugText = text(from: exprStart)
                break scan
            case "\\":
                throw .error("f-string expression part cannot include a backslash", at: SourceRange(location, location),
                             hint: "compute the value in a variable first")
            case "#":
                throw .error("f-string expression part cannot include '#'", at: SourceRange(location, location))
            default:
                advance()
            }
        }
        let expression: String
        if let end = expressionEnd {
            expression = String(text(from: exprStart).unicodeScalars.prefix(end.offset - exprStart.offset))
        } else {
            expression = text(from: exprStart)
        }
        if expression.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) {
            throw .error("f-string: empty expression not allowed", at: SourceRange(exprStart, location))
        }
        var field = FStringField(expression: expression, start: exprStart, conversion: nil, spec: nil, debugText: debugText)
        if peek() == "!" {
            let here = location
            advance()
            guard let conv = peek(), conv == "r" || conv == "s" || conv == "a" else {
                throw .error("f-string: invalid conversion character: expected 's', 'r', or 'a'", at: SourceRange(here, location))
            }
            advance()
            field.conversion = Character(conv)
            guard peek() == ":" || peek() == "}" else {
                throw .error("f-string: expecting '}'", at: SourceRange(location, location))
            }
        }
        if peek() == ":" {
            advance()
            field.spec = try lexFStringPieces(start: start, quote: quote, triple: triple, raw: raw, inSpec: true)
        }
        guard peek() == "}" else {
            throw .error("f-string: expecting '}'", at: SourceRange(location, location))
        }
        advance()
        return field
    }
}
