// The parser entry point and the token cursor shared by the expression, statement and
// target parsers (Parser+Expressions.swift, Parser+Statements.swift, Parser+Targets.swift).

// MARK: - Entry point

/// The outcome of parsing a source text.
///
/// ```swift
/// switch parse(line, interactive: true) {
/// case .complete(let statements): run(statements)
/// case .incomplete: askForAnotherLine()
/// case .failure(let diagnostic): print(diagnostic.render(source: line, file: "<stdin>"))
/// }
/// ```
public enum ParseResult: Sendable {
    /// The whole text parsed into statements.
    case complete([Statement])
    /// The text is a valid prefix that needs more lines: an unclosed bracket, an unterminated
    /// triple-quoted string, a trailing backslash, a block header without a body, or (interactive
    /// only) a compound statement not yet followed by a blank line.
    case incomplete
    /// The text is wrong; the diagnostic points at the offending token.
    case failure(Diagnostic)
}

/// Parses Jacobi source text into statements. A pure function: no evaluation, no state.
///
/// With `interactive: false` (script files) the end of the text ends every open block.
/// With `interactive: true` (the prompt) the caller passes the lines typed so far joined with
/// `"\n"`, as Python's `codeop` does: a compound statement (`def`, `for`, `if`), even one whose
/// body is on the header's line, is complete only once an empty last line follows it, and an
/// empty line right after a block header is an error.
///
/// ```swift
/// parse("y = f(x, dim=1)")                              // .complete([.assign(...)])
/// parse("f(x,")                                         // .incomplete
/// parse("def f(x):\n    return x", interactive: true)    // .incomplete
/// parse("def f(x):\n    return x\n", interactive: true)  // .complete([.functionDef(...)])
/// parse("for i in xs: print(i)", interactive: true)      // .incomplete, as at Python's >>>
/// parse("f(x) = 1")                                     // .failure(invalid assignment target)
/// ```
public func parse(_ source: String, interactive: Bool = false) -> ParseResult {
    var parser = Parser(source: source, interactive: interactive)
    do {
        let statements = try parser.parseProgram()
        if interactive && parser.lastStatementIsOpen && !parser.endsWithBlankLine { return .incomplete }
        return .complete(statements)
    } catch {
        switch error {
        case .incomplete: return .incomplete
        case .invalid(let diagnostic): return .failure(diagnostic)
        }
    }
}

// MARK: - Parser state

/// A recursive-descent parser over the tokens of one source text, following Python's grammar.
///
/// Tokens are lexed up front; if the lexer fails, the tokens before the failure are kept and the
/// lexer's error is reported when the parser reaches that point, so the first error in the text
/// wins whichever stage finds it.
///
/// ```swift
/// var parser = Parser(source: "a, b = b, a", interactive: false)
/// let statements = try parser.parseProgram()
/// ```
struct Parser {
    /// The tokens; the last one is always `.endOfInput`.
    let tokens: [Token]
    /// Why lexing stopped early, reported when the parser reaches the final token.
    let lexError: SyntaxError?
    /// Whether the text ends with a blank line (see `Lexer.endsWithBlankLine`).
    let endsWithBlankLine: Bool
    /// Whether the interactive rules apply (see `parse(_:interactive:)`).
    let interactive: Bool
    /// Index of the current token.
    var position = 0
    /// How many `def` bodies enclose the current statement (`return` is only valid inside one).
    var functionDepth = 0
    /// How many loops enclose the current statement in the current function (`break` and
    /// `continue` are only valid inside one).
    var loopDepth = 0
    /// Whether the last statement parsed is a compound statement (`def`, `for`, `if`), which at
    /// the prompt ends only at a blank line. Compound statements set it after their body, so at
    /// the top level it describes the last top-level statement.
    var lastStatementIsOpen = false
    /// How deeply the current expression is nested (brackets, unary operators, lambdas...).
    var nestingDepth = 0

    /// The deepest nesting accepted, so that the recursive descent cannot overflow the stack.
    static let maximumNesting = 100

    /// Lexes `source` and positions the parser on its first token.
    ///
    /// ```swift
    /// var parser = Parser(source: "x = 1", interactive: false)
    /// ```
    init(source: String, interactive: Bool) {
        self.init(lexer: Lexer(source), interactive: interactive)
    }

    /// A parser for an f-string field's expression, which starts at `start` in the whole source.
    init(fragment: String, start: SourceLocation) {
        self.init(lexer: Lexer(fragment: fragment, start: start), interactive: false)
    }

    private init(lexer initial: Lexer, interactive: Bool) {
        var lexer = initial
        var tokens: [Token] = []
        var lexError: SyntaxError?
        while true {
            do {
                let token = try lexer.next()
                tokens.append(token)
                if token.kind == .endOfInput { break }
            } catch {
                lexError = error
                let here = SourceRange(lexer.location, lexer.location)
                tokens.append(Token(kind: .endOfInput, text: "", range: here))
                break
            }
        }
        self.tokens = tokens
        self.lexError = lexError
        self.endsWithBlankLine = lexer.endsWithBlankLine
        self.interactive = interactive
    }

    // MARK: - Program

    /// Parses the whole text: statements until the end of input.
    ///
    /// ```swift
    /// try parser.parseProgram()   // [Statement]
    /// ```
    mutating func parseProgram() throws(SyntaxError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            switch current.kind {
            case .endOfInput:
                if let lexError { throw lexError }
                return statements
            case .newline:
                advance()
            case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .indent, .dedent:
                statements += try parseStatement()
            }
        }
    }

    // MARK: - Cursor

    /// The token under the cursor.
    var current: Token { tokens[position] }

    /// The token `ahead` places after the cursor (the final `.endOfInput` if past the end).
    func peek(_ ahead: Int = 1) -> Token {
        tokens[Swift.min(position + ahead, tokens.count - 1)]
    }

    /// Moves past the current token and returns it; stays on the final `.endOfInput`.
    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Whether the current token is `symbol`.
    func check(_ symbol: Symbol) -> Bool { current.kind == .symbol(symbol) }

    /// Whether the current token is `keyword`.
    func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    /// Consumes the current token if it is `symbol`.
    mutating func consume(_ symbol: Symbol) -> Token? {
        check(symbol) ? advance() : nil
    }

    /// Consumes the current token if it is `keyword`.
    mutating func consume(_ keyword: Keyword) -> Token? {
        check(keyword) ? advance() : nil
    }

    /// Consumes `symbol` or fails with "expected <what>".
    @discardableResult
    mutating func expect(_ symbol: Symbol, _ what: String, hint: String? = nil) throws(SyntaxError) -> Token {
        if let token = consume(symbol) { return token }
        throw expected(what, hint: hint)
    }

    /// Consumes `keyword` or fails with "expected <what>".
    @discardableResult
    mutating func expect(_ keyword: Keyword, _ what: String, hint: String? = nil) throws(SyntaxError) -> Token {
        if let token = consume(keyword) { return token }
        throw expected(what, hint: hint)
    }

    /// Consumes a name or fails with "expected <what>".
    mutating func expectName(_ what: String) throws(SyntaxError) -> (String, Token) {
        guard case .name(let name) = current.kind else { throw expected(what) }
        return (name, advance())
    }

    /// Consumes the bracket closing `opener`, or fails with "expected ')' to close '(' at 1:5".
    mutating func expectClosing(_ opener: Token) throws(SyntaxError) {
        guard case .symbol(let open) = opener.kind, let close = open.closingBracket else {
            preconditionFailure("expectClosing called with a non-bracket token")
        }
        if consume(close) != nil { return }
        if current.kind == .endOfInput { throw unexpected(current) }
        let place = "\(opener.range.start.line):\(opener.range.start.column)"
        throw .error("expected '\(close.rawValue)' to close '\(open.rawValue)' at \(place)", at: current.range,
                     hint: canStartExpression(current) ? "did you forget a comma?" : nil)
    }

    /// The range from `start` to the end of the last consumed token that is not a newline,
    /// indent or dedent: exactly the source text of the construct just parsed.
    func range(from start: SourceLocation) -> SourceRange {
        var i = position - 1
        while i >= 0 {
            switch tokens[i].kind {
            case .newline, .indent, .dedent:
                i -= 1
            case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .endOfInput:
                return SourceRange(start, tokens[i].range.end)
            }
        }
        return SourceRange(start, start)
    }

    /// Counts one more level of nesting, failing beyond `maximumNesting`; the caller undoes it
    /// with `defer { nestingDepth -= 1 }`.
    mutating func enterNesting() throws(SyntaxError) {
        guard nestingDepth < Self.maximumNesting else {
            throw .error("expression is too deeply nested", at: current.range,
                         hint: "at most \(Self.maximumNesting) levels are allowed; use intermediate variables")
        }
        nestingDepth += 1
    }

    // MARK: - Errors

    /// "expected <what>" at the current token; at the end of input the text is incomplete instead.
    func expected(_ what: String, hint: String? = nil) -> SyntaxError {
        if current.kind == .endOfInput { return unexpected(current) }
        let found: String
        switch current.kind {
        case .newline: found = "end of line"
        case .indent: found = "indent"
        case .dedent: found = "end of block"
        case .string, .fstring: found = "string literal"
        case .name, .int, .bigInt, .float, .keyword, .symbol, .endOfInput: found = "'\(current.text)'"
        }
        let equalsHint = check(.assign) ? "use '==' to compare values" : nil
        return .error("expected \(what), found \(found)", at: current.range, hint: hint ?? equalsHint)
    }

    /// "unexpected token 'x'" (or "unexpected indent", "unexpected end of line"...) at `token`.
    /// At the end of input the text is incomplete, unless lexing stopped there with an error.
    func unexpected(_ token: Token, hint: String? = nil) -> SyntaxError {
        let message: String
        switch token.kind {
        case .endOfInput: return lexError ?? .incomplete
        case .newline: message = "unexpected end of line"
        case .indent: message = "unexpected indent"
        case .dedent: message = "unexpected end of block"
        case .string, .fstring: message = "unexpected string literal"
        case .name, .int, .bigInt, .float, .keyword, .symbol: message = "unexpected token '\(token.text)'"
        }
        return .error(message, at: token.range, hint: hint)
    }

    /// The error for Python's `yield`, `async` and `await`, which Jacobi does not implement.
    func unsupportedKeyword(_ token: Token) -> SyntaxError {
        let hint: String
        switch token.kind {
        case .keyword(.yield):
            hint = "generator functions are not supported; build and return a list, or use a generator expression (x for x in xs)"
        case .keyword(.async), .keyword(.await):
            hint = "asynchronous code is not supported; call the functions directly"
        case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .newline, .indent, .dedent, .endOfInput:
            hint = "Jacobi does not support this statement"
        }
        return .error("'\(token.text)' is not supported", at: token.range, hint: hint)
    }

    // MARK: - Token classes

    /// Whether `token` can begin an expression (used for trailing commas and hints).
    func canStartExpression(_ token: Token) -> Bool {
        switch token.kind {
        case .name, .int, .bigInt, .fstring, .float, .string:
            return true
        case .keyword(let keyword):
            return [.lambda, .not, .True, .False, .None, .await, .yield].contains(keyword)
        case .symbol(let symbol):
            return [.leftParen, .leftBracket, .leftBrace, .minus, .plus, .tilde, .ellipsis].contains(symbol)
        case .newline, .indent, .dedent, .endOfInput:
            return false
        }
    }
}
