// Statements: compound statements (def, for, if) with inline or indented bodies, and simple
// statements (expressions, assignments, return, import, del, pass) separated by `;`.

extension Parser {
    // MARK: - Statements

    /// Parses one compound statement, or one line of simple statements separated by `;`.
    ///
    /// ```swift
    /// // "a = 1; b = 2\n" -> [.assign(a, 1), .assign(b, 2)]
    /// ```
    mutating func parseStatement() throws(SyntaxError) -> [Statement] {
        switch current.kind {
        case .keyword(.def):
            return [try parseFunctionDefinition()]
        case .keyword(.for):
            return [try parseFor()]
        case .keyword(.if):
            return [try parseIf()]
        case .keyword(.elif), .keyword(.else):
            throw .error("'\(current.text)' without a matching 'if'", at: current.range,
                         hint: "'\(current.text)' must be indented like the 'if' it continues")
        case .name, .int, .float, .string, .keyword, .symbol, .newline, .indent, .dedent, .endOfInput:
            let statements = try parseSimpleStatements()
            lastStatementIsOpen = false
            return statements
        }
    }

    /// Parses `simple (';' simple)* [';']` and the end of the line.
    private mutating func parseSimpleStatements() throws(SyntaxError) -> [Statement] {
        var statements: [Statement] = []
        repeat {
            statements += try parseSimpleStatement()
        } while consume(.semicolon) != nil && current.kind != .newline
        switch current.kind {
        case .newline:
            advance()
            return statements
        case .symbol(let symbol) where symbol.isClosingBracket:
            throw .error("unmatched '\(symbol.rawValue)'", at: current.range)
        case .name, .int, .float, .string, .keyword, .symbol, .indent, .dedent, .endOfInput:
            throw unexpected(current, hint: hintAfterStatement(statements.last))
        }
    }

    /// A suggestion for a token that cannot follow `statement`, e.g. `print x` or `a not b`.
    private func hintAfterStatement(_ statement: Statement?) -> String? {
        if check(.not) { return "did you mean 'not in'?" }
        guard canStartExpression(current) else { return nil }
        if case .expression(.name(let name, _))? = statement {
            return "to call '\(name)', put its arguments in parentheses: \(name)(...)"
        }
        return "is an operator or a comma missing? Separate statements with a newline or ';'"
    }

    /// Parses one simple statement (`import a, b` gives one statement per module).
    private mutating func parseSimpleStatement() throws(SyntaxError) -> [Statement] {
        switch current.kind {
        case .keyword(.pass):
            return [.pass(advance().range)]
        case .keyword(.return):
            return [try parseReturn()]
        case .keyword(.del):
            return [try parseDel()]
        case .keyword(.import):
            return try parseImport()
        case .keyword(.from):
            return [try parseFromImport()]
        case .indent:
            throw unexpected(current, hint: "only the body of a def, for or if is indented")
        case .name, .int, .float, .string, .keyword, .symbol, .newline, .dedent, .endOfInput:
            return [try parseExpressionOrAssignment()]
        }
    }

    // MARK: - Assignment

    /// Parses an expression statement, `a = b = value`, `a, *rest = value` or `x += value`.
    private mutating func parseExpressionOrAssignment() throws(SyntaxError) -> Statement {
        let start = current.range.start
        var targets: [Target] = []
        while true {
            let acceptsAugmented = targets.isEmpty
            let isAssignment: (Token.Kind) -> Bool = { kind in
                guard case .symbol(let symbol) = kind else { return false }
                return symbol == .assign || (acceptsAugmented && symbol.augmentedOperator != nil)
            }
            if let target = speculateTargets(followedBy: isAssignment) {
                if case .symbol(let symbol) = current.kind, let op = symbol.augmentedOperator {
                    return try parseAugmentedAssignment(target, op, start: start)
                }
                try validateStarred(target, inSequence: false)
                advance()  // '='
                targets.append(target)
                continue
            }
            let value = try parseExpressionList()
            if consume(.assign) != nil {
                targets.append(try target(from: value, context: .assignment))
                continue
            }
            if case .symbol(let symbol) = current.kind, let op = symbol.augmentedOperator {
                guard targets.isEmpty else { throw unexpected(current) }
                let target = try target(from: value, context: .augmentedAssignment)
                return try parseAugmentedAssignment(target, op, start: start)
            }
            if targets.isEmpty { return .expression(value) }
            return .assign(targets, value, range(from: start))
        }
    }

    /// Parses the operator and value of `target op= value`; the cursor is on the operator.
    private mutating func parseAugmentedAssignment(_ target: Target, _ op: BinaryOperator, start: SourceLocation)
        throws(SyntaxError) -> Statement
    {
        switch target {
        case .name, .attribute, .subscript:
            break
        case .tuple(_, let range), .starred(_, let range):
            throw .error("invalid target for augmented assignment", at: range,
                         hint: "augmented assignment needs a single name, attribute or subscript")
        }
        advance()
        let value = try parseExpressionList()
        return .augmentedAssign(target, op, value, range(from: start))
    }

    // MARK: - Simple statements

    /// Parses `return` or `return value` (a bare tuple is allowed: `return a, b`).
    private mutating func parseReturn() throws(SyntaxError) -> Statement {
        let keyword = advance()
        guard functionDepth > 0 else {
            throw .error("'return' outside function", at: keyword.range)
        }
        let value = canStartExpression(current) ? try parseExpressionList() : nil
        return .return(value, range(from: keyword.range.start))
    }

    /// Parses `del a, b[0], c.d`.
    private mutating func parseDel() throws(SyntaxError) -> Statement {
        let keyword = advance()
        var targets: [Target] = []
        repeat {
            guard canStartExpression(current) else { throw expected("a name to delete") }
            targets.append(try target(from: try parseExpression(), context: .deletion))
        } while consume(.comma) != nil && canStartExpression(current)
        return .del(targets, range(from: keyword.range.start))
    }

    /// Parses `import a.b [as c], d`: one statement per module, each with the whole statement's range.
    private mutating func parseImport() throws(SyntaxError) -> [Statement] {
        let keyword = advance()
        var modules: [(String, String?)] = []
        repeat {
            let module = try parseDottedName()
            let alias = consume(.as) != nil ? try expectName("a name after 'as'").0 : nil
            modules.append((module, alias))
        } while consume(.comma) != nil
        let range = range(from: keyword.range.start)
        return modules.map { .import(module: $0.0, alias: $0.1, names: [], range) }
    }

    /// Parses `from a.b import c [as d], e`, `from m import (c, d,)` and `from m import *`.
    private mutating func parseFromImport() throws(SyntaxError) -> Statement {
        let keyword = advance()
        if check(.dot) || check(.ellipsis) {
            throw .error("relative imports are not supported", at: current.range)
        }
        let module = try parseDottedName()
        try expect(.import, "'import' after the module name")
        var names: [(String, String?)] = []
        if consume(.star) != nil {
            names = [("*", nil)]
        } else {
            let open = consume(.leftParen)
            repeat {
                if open != nil && check(.rightParen) { break }
                let (name, _) = try expectName("a name to import")
                let alias = consume(.as) != nil ? try expectName("a name after 'as'").0 : nil
                names.append((name, alias))
            } while consume(.comma) != nil
            if let open { try expectClosing(open) }
        }
        return .import(module: module, alias: nil, names: names, range(from: keyword.range.start))
    }

    /// Parses `a.b.c`.
    private mutating func parseDottedName() throws(SyntaxError) -> String {
        var parts = [try expectName("a module name").0]
        while consume(.dot) != nil {
            parts.append(try expectName("a name after '.'").0)
        }
        return parts.joined(separator: ".")
    }

    // MARK: - Compound statements

    /// Parses `def name(params) [-> annotation]: body`.
    private mutating func parseFunctionDefinition() throws(SyntaxError) -> Statement {
        let keyword = advance()
        let (name, _) = try expectName("a function name after 'def'")
        let open = try expect(.leftParen, "'(' after the function name")
        let parameters = try parseParameters(closing: .rightParen, allowAnnotations: true)
        try expectClosing(open)
        if consume(.arrow) != nil {
            _ = try parseExpression()  // return annotations are accepted and ignored
        }
        functionDepth += 1
        let body = try parseSuite(after: keyword, construct: "function definition")
        functionDepth -= 1
        lastStatementIsOpen = true
        return .functionDef(name: name, parameters: parameters, body: body, range(from: keyword.range.start))
    }

    /// Parses `for target in iterable: body`.
    private mutating func parseFor() throws(SyntaxError) -> Statement {
        let keyword = advance()
        let target = try parseForTarget()
        try expect(.in, "'in' after the loop target")
        let iterable = try parseExpressionList()
        let body = try parseSuite(after: keyword, construct: "'for' statement")
        lastStatementIsOpen = true
        return .for(target, iterable, body, range(from: keyword.range.start))
    }

    /// Parses `if cond: body`, any `elif cond: body`, and an optional `else: body`.
    private mutating func parseIf() throws(SyntaxError) -> Statement {
        let start = current.range.start
        var clauses: [(Expr, [Statement])] = []
        var keyword = advance()
        while true {
            let condition = try parseExpression()
            let construct = keyword.kind == .keyword(.if) ? "'if' statement" : "'elif' statement"
            clauses.append((condition, try parseSuite(after: keyword, construct: construct)))
            guard let elif = consume(.elif) else { break }
            keyword = elif
        }
        var otherwise: [Statement]?
        if let elseKeyword = consume(.else) {
            otherwise = try parseSuite(after: elseKeyword, construct: "'else'")
        }
        lastStatementIsOpen = true
        return .if(clauses, else: otherwise, range(from: start))
    }

    /// Parses `: body` after a compound statement header: simple statements on the same line,
    /// or a newline and an indented block.
    private mutating func parseSuite(after keyword: Token, construct: String)
        throws(SyntaxError) -> [Statement]
    {
        try expect(.colon, "':' to end the \(keyword.text) header")
        guard current.kind == .newline else { return try parseSimpleStatements() }
        advance()
        // At the end of the text the lexer closes open blocks before `.endOfInput`.
        let endOfInputFollows = tokens[position...].first { $0.kind != .dedent }?.kind == .endOfInput
        if endOfInputFollows {
            if let lexError { throw lexError }
            if !(interactive && endsWithBlankLine) { throw .incomplete }
        }
        switch current.kind {
        case .indent:
            advance()
            var body: [Statement] = []
            while current.kind != .dedent {
                guard current.kind != .endOfInput else { throw unexpected(current) }
                body += try parseStatement()
            }
            advance()
            return body
        case .name, .int, .float, .string, .keyword, .symbol, .newline, .dedent, .endOfInput:
            throw .error("expected an indented block after \(construct) on line \(keyword.range.start.line)",
                         at: current.range, hint: "indent the body, e.g. by 4 spaces")
        }
    }
}
