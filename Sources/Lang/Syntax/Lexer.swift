// Turns source text into `Token`s following Python's lexical rules: significant newlines and
// indentation outside brackets, implicit continuation inside brackets, `\` line continuation,
// `#` comments, Python number and string literals, f-strings.

import BigInt

/// Splits source text into tokens, one at a time.
///
/// Newlines are tokens only where they end a logical line; indentation changes become
/// `.indent` / `.dedent` tokens. At the end of the source the lexer closes the last line and all
/// open blocks, then returns `.endOfInput` (again on every further call).
///
/// ```swift
/// var lexer = Lexer("if x:\n    y\n")
/// while true {
///     let token = try lexer.next()   // if, x, :, NEWLINE, INDENT, y, NEWLINE, DEDENT, EOF
///     if token.kind == .endOfInput { break }
/// }
/// ```
public struct Lexer {
    /// An indentation level: its width with tabs to the next multiple of 8, and with tabs as 1,
    /// so that ambiguous mixes of tabs and spaces can be rejected like Python does.
    private struct Indentation {
        var width: Int
        var widthWithNarrowTabs: Int
    }

    private let scalars: [Unicode.Scalar]
    private var offset = 0
    private var line = 1
    private var column = 1
    private var indentation = [Indentation(width: 0, widthWithNarrowTabs: 0)]
    /// Opening brackets not yet closed; newlines and indentation are ignored while non-empty.
    private(set) var openBrackets: [Token] = []
    /// Indent and dedent tokens computed at the start of a line, waiting to be returned.
    private var pending: [Token] = []
    private var atLineStart = true
    private var lineHasTokens = false

    /// Whether the source ends with a line holding only spaces and tabs (`"...\n"` or `"...\n  "`):
    /// in interactive mode, that blank line closes a compound statement. Set once the end is reached.
    ///
    /// ```swift
    /// var lexer = Lexer("def f():\n    pass\n")
    /// while try lexer.next().kind != .endOfInput {}
    /// lexer.endsWithBlankLine   // true
    /// ```
    public private(set) var endsWithBlankLine = false

    /// Creates a lexer for a source text.
    ///
    /// ```swift
    /// var lexer = Lexer("x = 1")
    /// ```
    public init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    /// Offset of the first scalar in the whole source (non-zero for an f-string's expression).
    private var baseOffset = 0

    /// A lexer for a piece of a larger source (an f-string's replacement field) that starts at
    /// `start`, as if inside brackets: newlines and indentation do not count.
    ///
    /// ```swift
    /// var lexer = Lexer(fragment: "x + 1", start: fieldStart)
    /// ```
    public init(fragment: String, start: SourceLocation) {
        scalars = Array(fragment.unicodeScalars)
        baseOffset = start.offset
        line = start.line
        column = start.column
        atLineStart = false
        let here = SourceRange(start, start)
        openBrackets = [Token(kind: .symbol(.leftParen), text: "(", range: here)]
        isFragment = true
    }

    /// Whether this lexer reads an f-string field (see `init(fragment:start:)`).
    private var isFragment = false

    /// Tokenizes a whole source text; the last token is `.endOfInput`.
    ///
    /// ```swift
    /// let kinds = try Lexer.tokenize("f(x)").map(\.kind)
    /// // [.name("f"), .symbol(.leftParen), .name("x"), .symbol(.rightParen), .newline, .endOfInput]
    /// ```
    public static func tokenize(_ source: String) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    /// The current position in the source (after the last token returned).
    ///
    /// ```swift
    /// var lexer = Lexer("ab cd")
    /// _ = try lexer.next()
    /// lexer.location.column   // 3
    /// ```
    public var location: SourceLocation { SourceLocation(offset: baseOffset + offset, line: line, column: column) }

    // MARK: - Main loop

    /// Returns the next token.
    ///
    /// Throws `.incomplete` for an unterminated triple-quoted string or a trailing backslash at the
    /// end of the source, and `.invalid` for malformed input.
    ///
    /// ```swift
    /// var lexer = Lexer("1 + 2")
    /// try lexer.next().kind   // .int(1)
    /// ```
    public mutating func next() throws(SyntaxError) -> Token {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if atLineStart && openBrackets.isEmpty {
                atLineStart = false
                try beginLine()
                continue
            }
            skipSpacesAndComment()
            guard let c = peek() else { return endOfInput() }
            if c == "\n" {
                let start = location
                advance()
                guard openBrackets.isEmpty else { continue }
                atLineStart = true
                if lineHasTokens {
                    lineHasTokens = false
                    let end = SourceLocation(offset: start.offset + 1, line: start.line, column: start.column + 1)
                    return Token(kind: .newline, text: "\n", range: SourceRange(start, end))
                }
                continue
            }
            if c == "\\" {
                try lineContinuation()
                continue
            }
            let token = try lexToken()
            lineHasTokens = true
            return token
        }
    }

    /// Closes the last logical line and the open blocks, then reports the end of input.
    private mutating func endOfInput() -> Token {
        let here = SourceRange(location, location)
        if isFragment { return Token(kind: .endOfInput, text: "", range: here) }
        if openBrackets.isEmpty {
            if lineHasTokens {
                lineHasTokens = false
                return Token(kind: .newline, text: "", range: here)
            }
            if indentation.count > 1 {
                indentation.removeLast()
                return Token(kind: .dedent, text: "", range: here)
            }
        }
        return Token(kind: .endOfInput, text: "", range: here)
    }

    // MARK: - Lines and indentation

    /// Measures the indentation of a new line and queues indent or dedent tokens.
    /// Blank and comment-only lines do not affect indentation.
    private mutating func beginLine() throws(SyntaxError) {
        let start = location
        var width = 0
        var narrowWidth = 0
        while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" || c == "\r" {
            switch c {
            case " ": width += 1; narrowWidth += 1
            case "\t": width = (width / 8 + 1) * 8; narrowWidth += 1
            case "\u{0C}": width = 0; narrowWidth = 0
            default: break  // "\r" of a "\r\n" line ending
            }
            advance()
        }
        guard let c = peek() else {
            endsWithBlankLine = line > 1
            return
        }
        if c == "\n" || c == "#" { return }

        let whitespace = SourceRange(start, location)
        let level = Indentation(width: width, widthWithNarrowTabs: narrowWidth)
        let top = indentation[indentation.count - 1]
        if width > top.width {
            guard narrowWidth > top.widthWithNarrowTabs else { throw inconsistentTabs(whitespace) }
            indentation.append(level)
            pending.append(Token(kind: .indent, text: text(from: start), range: whitespace))
            return
        }
        while width < indentation[indentation.count - 1].width {
            indentation.removeLast()
            pending.append(Token(kind: .dedent, text: "", range: SourceRange(location, location)))
        }
        let matched = indentation[indentation.count - 1]
        guard matched.width == width else {
            throw .error("unindent does not match any outer indentation level", at: whitespace,
                         hint: "indent this line like one of the enclosing blocks")
        }
        guard matched.widthWithNarrowTabs == narrowWidth else { throw inconsistentTabs(whitespace) }
    }

    private func inconsistentTabs(_ range: SourceRange) -> SyntaxError {
        .error("inconsistent use of tabs and spaces in indentation", at: range,
               hint: "indent with spaces only")
    }

    /// Handles `\` at the end of a line: the next line continues this one.
    private mutating func lineContinuation() throws(SyntaxError) {
        let start = location
        advance()
        if peek() == "\r" && peek(1) == "\n" { advance() }
        guard let c = peek() else { throw .incomplete }
        guard c == "\n" else {
            throw .error("unexpected character after line continuation character",
                         at: SourceRange(start, location), hint: "'\\' must be the last character of the line")
        }
        advance()
    }

    private mutating func skipSpacesAndComment() {
        while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" || c == "\r" { advance() }
        if peek() == "#" {
            while let c = peek(), c != "\n" { advance() }
        }
    }

    // MARK: - Tokens

    private mutating func lexToken() throws(SyntaxError) -> Token {
        let start = location
        let c = peek()!
        if Self.isIdentifierStart(c) { return try lexNameOrPrefixedString() }
        if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) { return try lexNumber() }
        if c == "'" || c == "\"" { return try lexString(start: start, raw: false) }
        return try lexSymbol()
    }

    private mutating func lexNameOrPrefixedString() throws(SyntaxError) -> Token {
        let start = location
        while let c = peek(), Self.isIdentifierContinue(c) { advance() }
        let name = text(from: start)
        if let quote = peek(), quote == "'" || quote == "\"" {
            switch name.lowercased() {
            case "r": return try lexString(start: start, raw: true)
            case "u": return try lexString(start: start, raw: false)
            case "f", "fr", "rf":
                return try lexFString(start: start, raw: name.lowercased() != "f")
            case "b", "br", "rb":
                advance()
                throw .error("bytes literals are not supported", at: SourceRange(start, location))
            default: break
            }
        }
        let range = SourceRange(start, location)
        if let keyword = Keyword(rawValue: name) {
            return Token(kind: .keyword(keyword), text: name, range: range)
        }
        return Token(kind: .name(name), text: name, range: range)
    }

    /// Python operators that Jacobi lacks, with the message and hint to report.
    private static let unsupportedOperators: [String: (message: String, hint: String?)] = [
        ":=": ("assignment expressions (':=') are not supported", "assign on a separate line with '='"),
    ]

    /// Lexes the longest operator or delimiter at the cursor.
    private mutating func lexSymbol() throws(SyntaxError) -> Token {
        let start = location
        // Every longer operator has '/', '*', '<', '>', '=' or '.' second: otherwise only one
        // character can match (most symbols), and no longer spellings are tried.
        let second: Unicode.Scalar = offset + 1 < scalars.count ? scalars[offset + 1] : " "
        let longest = ["/", "*", "<", ">", "=", "."].contains(second) ? 3 : 1
        for length in stride(from: longest, through: 1, by: -1) {
            guard let spelling = upcoming(length) else { continue }
            if let unsupported = Self.unsupportedOperators[spelling] {
                skip(length)
                throw .error(unsupported.message, at: SourceRange(start, location), hint: unsupported.hint)
            }
            if let symbol = Symbol(rawValue: spelling) {
                skip(length)
                return symbolToken(symbol, start: start)
            }
        }
        let c = advance()
        let shown = c.properties.isWhitespace || c.value < 0x20 || c.value == 0x7F
            ? "U+" + String(c.value, radix: 16, uppercase: true) : String(Character(c))
        throw .error("unexpected character '\(shown)'", at: SourceRange(start, location),
                     hint: c == "!" ? "use 'not' for negation and '!=' for inequality" : nil)
    }

    /// Makes a symbol token and keeps track of bracket nesting.
    private mutating func symbolToken(_ symbol: Symbol, start: SourceLocation) -> Token {
        let token = Token(kind: .symbol(symbol), text: symbol.rawValue, range: SourceRange(start, location))
        if symbol.closingBracket != nil {
            openBrackets.append(token)
        } else if symbol.isClosingBracket && openBrackets.count > (isFragment ? 1 : 0) {
            openBrackets.removeLast()
        }
        return token
    }

    // MARK: - Numbers

    private mutating func lexNumber() throws(SyntaxError) -> Token {
        let start = location
        if peek() == "0", let p = peek(1), let radix = ["x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2][p] {
            skip(2)
            let digits = try digitRun(radix: radix, start: start, allowLeadingUnderscore: true)
            let kind = [16: "hexadecimal", 8: "octal", 2: "binary"][radix]!
            guard !digits.isEmpty, !peekIsIdentifierContinue() else {
                while peekIsIdentifierContinue() { advance() }
                throw .error("invalid \(kind) literal", at: SourceRange(start, location))
            }
            guard let value = Int(digits, radix: radix) else {
                guard let big = BigInt(digits, radix: radix) else { throw tooLarge(start) }
                return Token(kind: .bigInt(big), text: text(from: start), range: SourceRange(start, location))
            }
            return Token(kind: .int(value), text: text(from: start), range: SourceRange(start, location))
        }

        var literal = try digitRun(radix: 10, start: start, allowLeadingUnderscore: false)
        let integerDigits = literal
        var isFloat = false
        if peek() == "." {
            advance()
            isFloat = true
            literal += "." + (try digitRun(radix: 10, start: start, allowLeadingUnderscore: false))
        }
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let d = peek(signed ? 2 : 1), Self.isDigit(d) {
                advance()
                if signed { literal += "e" + String(Character(advance())) } else { literal += "e" }
                literal += try digitRun(radix: 10, start: start, allowLeadingUnderscore: false)
                isFloat = true
            }
        }
        if let c = peek(), Self.isIdentifierContinue(c) {
            let imaginary = c == "j" || c == "J"
            while peekIsIdentifierContinue() { advance() }
            throw .error(imaginary ? "complex numbers are not supported" : "invalid decimal literal",
                         at: SourceRange(start, location))
        }
        let range = SourceRange(start, location)
        if isFloat {
            guard let value = Double(literal.hasPrefix(".") ? "0" + literal : literal), value.isFinite else {
                throw .error("float literal is out of range", at: range)
            }
            return Token(kind: .float(value), text: text(from: start), range: range)
        }
        if integerDigits.count > 1 && integerDigits.hasPrefix("0") && integerDigits.contains(where: { $0 != "0" }) {
            throw .error("leading zeros in decimal integer literals are not permitted", at: range,
                         hint: "use an 0o prefix for octal integers")
        }
        guard let value = Int(integerDigits) else {
            guard let big = BigInt(integerDigits, radix: 10) else { throw tooLarge(start) }
            return Token(kind: .bigInt(big), text: text(from: start), range: range)
        }
        return Token(kind: .int(value), text: text(from: start), range: range)
    }

    /// Reads digits of a radix, allowing single underscores between digits; returns them without underscores.
    private mutating func digitRun(radix: Int, start: SourceLocation, allowLeadingUnderscore: Bool)
        throws(SyntaxError) -> String
    {
        var digits = ""
        var canTakeUnderscore = allowLeadingUnderscore
        while let c = peek() {
            if c == "_" {
                guard canTakeUnderscore, let d = peek(1), Character(d).hexDigitValue.map({ $0 < radix }) == true else {
                    advance()
                    throw .error("invalid \(radix == 10 ? "decimal" : "number") literal",
                                 at: SourceRange(start, location), hint: "'_' may only separate digits")
                }
                advance()
                canTakeUnderscore = false
                continue
            }
            guard let value = Character(c).hexDigitValue, value < radix, c.isASCII else { break }
            digits.unicodeScalars.append(advance())
            canTakeUnderscore = true
        }
        return digits
    }

    private func tooLarge(_ start: SourceLocation) -> SyntaxError {
        .error("invalid integer literal", at: SourceRange(start, location))
    }

    // MARK: - Strings

    /// Lexes a string literal whose prefix (if any) starts at `start` and whose quote is next.
    private mutating func lexString(start: SourceLocation, raw: Bool) throws(SyntaxError) -> Token {
        let quote = advance()
        let triple = peek() == quote && peek(1) == quote
        if triple { skip(2) }
        var value = ""
        while true {
            guard let c = peek() else {
                if triple { throw .incomplete }
                throw unterminatedString(start)
            }
            if c == quote {
                if !triple {
                    advance()
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    skip(3)
                    break
                }
            }
            if c == "\n" && !triple { throw unterminatedString(start) }
            if c == "\r" && peek(1) == "\n" {
                advance()
                continue
            }
            if c == "\\" {
                try lexEscape(into: &value, raw: raw)
                continue
            }
            value.unicodeScalars.append(advance())
        }
        return Token(kind: .string(value), text: text(from: start), range: SourceRange(start, location))
    }

    func unterminatedString(_ start: SourceLocation) -> SyntaxError {
        .error("unterminated string literal", at: SourceRange(start, location),
               hint: "close it with the same quote; use triple quotes for text spanning lines")
    }

    /// Resolves the escape sequence at the current `\` and appends it to `value`.
    mutating func lexEscape(into value: inout String, raw: Bool) throws(SyntaxError) {
        let start = location
        advance()
        guard var c = peek() else { throw .incomplete }
        if c == "\r" && peek(1) == "\n" {
            advance()
            c = "\n"
        }
        if raw {
            value.unicodeScalars.append("\\")
            value.unicodeScalars.append(advance())
            return
        }
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", "\"": "\"",
            "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "v": "\u{0B}",
        ]
        if c == "\n" {
            advance()  // backslash-newline: the string continues on the next line
        } else if let resolved = simple[c] {
            advance()
            value.unicodeScalars.append(resolved)
        } else if let digit = Character(c).hexDigitValue, digit < 8 {
            var code = 0
            for _ in 0..<3 {
                guard let d = peek(), let v = Character(d).hexDigitValue, v < 8 else { break }
                code = code * 8 + v
                advance()
            }
            value.unicodeScalars.append(Unicode.Scalar(UInt32(code))!)  // at most 0o777, always valid
        } else if let count = ["x": 2, "u": 4, "U": 8][c] {
            advance()
            var code: UInt32 = 0
            for _ in 0..<count {
                guard let d = peek(), d.isASCII, let v = Character(d).hexDigitValue else {
                    throw .error("invalid \\\(c) escape: expected \(count) hex digits",
                                 at: SourceRange(start, location))
                }
                code = code * 16 + UInt32(v)
                advance()
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw .error("invalid Unicode code point in escape", at: SourceRange(start, location))
            }
            value.unicodeScalars.append(scalar)
        } else {
            // Python keeps unknown escapes such as "\d" as written.
            value.unicodeScalars.append("\\")
            value.unicodeScalars.append(advance())
        }
    }

    // MARK: - Characters

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        offset + ahead < scalars.count ? scalars[offset + ahead] : nil
    }

    /// The next `count` characters, or `nil` if fewer remain.
    private func upcoming(_ count: Int) -> String? {
        guard offset + count <= scalars.count else { return nil }
        return Self.string(scalars[offset..<offset + count])
    }

    mutating func skip(_ count: Int) {
        for _ in 0..<count { advance() }
    }

    private func peekIsIdentifierContinue() -> Bool {
        peek().map(Self.isIdentifierContinue) ?? false
    }

    @discardableResult
    mutating func advance() -> Unicode.Scalar {
        let c = scalars[offset]
        offset += 1
        if c == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return c
    }

    func text(from start: SourceLocation) -> String {
        Self.string(scalars[(start.offset - baseOffset)..<offset])
    }

    /// The scalars as a string; names, numbers and operators are ASCII almost always, and then
    /// their bytes are written directly (the lexer makes one string per token).
    private static func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        if slice.allSatisfy(\.isASCII) {
            return String(unsafeUninitializedCapacity: slice.count) { bytes in
                for (i, c) in slice.enumerated() { bytes[i] = UInt8(truncatingIfNeeded: c.value) }
                return slice.count
            }
        }
        // One at a time: `String.UnicodeScalarView(slice)` is generic over the slice and looks its
        // types up at run time (the first lookup scans the binary's conformance records).
        var view = String.UnicodeScalarView()
        for c in slice { view.append(c) }
        return String(view)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.isASCII ? isASCIILetter(c) : c.properties.isXIDStart)
    }

    private static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.isASCII ? (isASCIILetter(c) || isDigit(c)) : c.properties.isXIDContinue)
    }
}
