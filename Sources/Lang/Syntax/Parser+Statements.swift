// Statements: compound statements (def, class, for, while, if, try, with, decorators) with inline
// or indented bodies, and simple statements (expressions, assignments, return, raise, assert,
// import, del, pass, break, continue, global, nonlocal) separated by `;`.

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
            return [try parseFunctionDefinition(decorators: [], start: current.range.start)]
        case .keyword(.class):
            return [try parseClassDefinition(decorators: [], start: current.range.start)]
        case .symbol(.at):
            return [try parseDecorated()]
        case .keyword(.for):
            return [try parseFor()]
        case .keyword(.while):
            return [try parseWhile()]
        case .keyword(.if):
            return [try parseIf()]
        case .keyword(.try):
            return [try parseTry()]
        case .keyword(.with):
            return [try parseWith()]
        case .keyword(.elif), .keyword(.else):
            throw .error("'\(current.text)' without a matching 'if'", at: current.range,
                         hint: "'\(current.text)' must be indented like the 'if', 'for', 'while' or 'try' it continues")
        case .keyword(.except), .keyword(.finally):
            throw .error("'\(current.text)' without a matching 'try'", at: current.range,
                         hint: "'\(current.text)' must be indented like the 'try' it continues")
        case .keyword(.async):
            throw unsupportedKeyword(current)
        case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .newline, .indent, .dedent, .endOfInput:
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
        } while consume(.semicolon) != nil && current.kind != .newline && current.kind != .endOfInput
        switch current.kind {
        case .newline:
            advance()
            return statements
        case .symbol(let symbol) where symbol.isClosingBracket:
            throw .error("unmatched '\(symbol.rawValue)'", at: current.range)
        case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .indent, .dedent, .endOfInput:
            throw unexpected(current, hint: hintAfterStatement(statements.last))
        }
    }

    /// A suggestion for a token that cannot follow `statement`, e.g. `print x` or `a not b`.
    private func hintAfterStatement(_ statement: Statement?) -> String? {
        if check(.not) { return "did you mean 'not in'?" }
        guard canStartExpression(current) else { return nil }
        if case .expression(.name(let name, _))? = statement {
            if name == "match" { return "match statements are not supported; use if/elif" }
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
        case .keyword(.break), .keyword(.continue):
            let token = advance()
            guard loopDepth > 0 else {
                throw .error("'\(token.text)' outside loop", at: token.range)
            }
            return [token.kind == .keyword(.break) ? .break(token.range) : .continue(token.range)]
        case .keyword(.raise):
            return [try parseRaise()]
        case .keyword(.assert):
            let keyword = advance()
            let condition = try parseExpression()
            let message = consume(.comma) != nil ? try parseExpression() : nil
            return [.assert(condition, message, range(from: keyword.range.start))]
        case .keyword(.global), .keyword(.nonlocal):
            let keyword = advance()
            var names: [String] = []
            repeat {
                names.append(try expectName("a name after '\(keyword.text)'").0)
            } while consume(.comma) != nil
            if keyword.kind == .keyword(.nonlocal) && functionDepth == 0 {
                throw .error("nonlocal declaration not allowed at module level", at: keyword.range)
            }
            let r = range(from: keyword.range.start)
            return [keyword.kind == .keyword(.global) ? .global(names, r) : .nonlocal(names, r)]
        case .keyword(.yield), .keyword(.await), .keyword(.async):
            throw unsupportedKeyword(current)
        case .indent:
            throw unexpected(current, hint: "only the body of a def, class, for, while, if, try or with is indented")
        case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .newline, .dedent, .endOfInput:
            return [try parseExpressionOrAssignment()]
        }
    }

    // MARK: - Assignment

    /// Parses an expression statement, `a = b = value`, `a, *rest = value`, `x += value` or
    /// `x: int = value`.
    private mutating func parseExpressionOrAssignment() throws(SyntaxError) -> Statement {
        let start = current.range.start
        var targets: [Target] = []
        while true {
            let acceptsAugmented = targets.isEmpty
            let isAssignment: (Token.Kind) -> Bool = { kind in
                guard case .symbol(let symbol) = kind else { return false }
                return symbol == .assign || (acceptsAugmented && (symbol.augmentedOperator != nil || symbol == .colon))
            }
            if let target = speculateTargets(followedBy: isAssignment) {
                if case .symbol(let symbol) = current.kind, let op = symbol.augmentedOperator {
                    return try parseAugmentedAssignment(target, op, start: start)
                }
                if check(.colon) { return try parseAnnotatedAssignment(target, start: start) }
                try validateStarred(target, inSequence: false)
                advance()  // '='
                targets.append(target)
                continue
            }
            let value = try parseExpressionList(allowStarred: true)
            if consume(.assign) != nil {
                targets.append(try target(from: value, context: .assignment))
                continue
            }
            if case .symbol(let symbol) = current.kind, let op = symbol.augmentedOperator {
                guard targets.isEmpty else { throw unexpected(current) }
                let target = try target(from: value, context: .augmentedAssignment)
                return try parseAugmentedAssignment(target, op, start: start)
            }
            if case .starred(_, let r) = value {
                throw .error("can't use starred expression here", at: r)
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

    /// Parses `: annotation [= value]` after a single target; the cursor is on the colon.
    private mutating func parseAnnotatedAssignment(_ target: Target, start: SourceLocation) throws(SyntaxError) -> Statement {
        switch target {
        case .name, .attribute, .subscript:
            break
        case .tuple(_, let range), .starred(_, let range):
            throw .error("only single target (not tuple) can be annotated", at: range)
        }
        advance()  // ':'
        let annotation = try parseExpression()
        let value = consume(.assign) != nil ? try parseExpressionList() : nil
        return .annotatedAssign(target, annotation: annotation, value: value, range(from: start))
    }

    // MARK: - Simple statements

    /// Parses `return` or `return value` (a bare tuple is allowed: `return a, b`).
    private mutating func parseReturn() throws(SyntaxError) -> Statement {
        let keyword = advance()
        guard functionDepth > 0 else {
            throw .error("'return' outside function", at: keyword.range)
        }
        let value = canStartExpression(current) ? try parseExpressionList(allowStarred: true) : nil
        return .return(value, range(from: keyword.range.start))
    }

    /// Parses `raise`, `raise E` and `raise E from cause`.
    private mutating func parseRaise() throws(SyntaxError) -> Statement {
        let keyword = advance()
        guard canStartExpression(current) else { return .raise(nil, cause: nil, range(from: keyword.range.start)) }
        let exception = try parseExpression()
        let cause = consume(.from) != nil ? try parseExpression() : nil
        return .raise(exception, cause: cause, range(from: keyword.range.start))
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
            throw .error("relative imports are not supported", at: current.range,
                         hint: "Jacobi runs one file; paste the definitions you need")
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

    /// Parses `@decorator` lines and the `def` or `class` they decorate.
    private mutating func parseDecorated() throws(SyntaxError) -> Statement {
        let start = current.range.start
        var decorators: [Expr] = []
        while consume(.at) != nil {
            decorators.append(try parseExpression())
            guard current.kind == .newline else { throw expected("a newline after the decorator") }
            advance()
        }
        switch current.kind {
        case .keyword(.def): return try parseFunctionDefinition(decorators: decorators, start: start)
        case .keyword(.class): return try parseClassDefinition(decorators: decorators, start: start)
        case .keyword(.async): throw unsupportedKeyword(current)
        case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .newline, .indent, .dedent, .endOfInput:
            throw expected("'def' or 'class' after a decorator")
        }
    }

    /// Parses `def name(params) [-> annotation]: body`.
    private mutating func parseFunctionDefinition(decorators: [Expr], start: SourceLocation) throws(SyntaxError) -> Statement {
        let keyword = advance()
        let (name, _) = try expectName("a function name after 'def'")
        let open = try expect(.leftParen, "'(' after the function name")
        let parameters = try parseParameters(closing: .rightParen, allowAnnotations: true)
        try expectClosing(open)
        if consume(.arrow) != nil {
            _ = try parseExpression()  // return annotations are accepted and ignored
        }
        let header = range(from: keyword.range.start)
        functionDepth += 1
        let savedLoops = loopDepth
        loopDepth = 0
        let body = try parseSuite(after: keyword, construct: "function definition")
        loopDepth = savedLoops
        functionDepth -= 1
        lastStatementIsOpen = true
        return .functionDef(FunctionDefinition(name: name, parameters: parameters, body: body, decorators: decorators,
                                               docstring: Self.docstring(body), range: range(from: start), headerRange: header))
    }

    /// Parses `class Name[(bases)]: body`.
    private mutating func parseClassDefinition(decorators: [Expr], start: SourceLocation) throws(SyntaxError) -> Statement {
        let keyword = advance()
        let (name, _) = try expectName("a class name after 'class'")
        var bases: [Argument] = []
        if check(.leftParen) { bases = try parseArguments() }
        let savedFunctions = functionDepth, savedLoops = loopDepth
        functionDepth = 0
        loopDepth = 0
        let body = try parseSuite(after: keyword, construct: "class definition")
        functionDepth = savedFunctions
        loopDepth = savedLoops
        lastStatementIsOpen = true
        return .classDef(ClassDefinition(name: name, bases: bases, body: body, decorators: decorators,
                                         docstring: Self.docstring(body), range: range(from: start)))
    }

    /// The docstring of a body: its first statement, when that is a string literal.
    static func docstring(_ body: [Statement]) -> String? {
        if case .expression(.string(let s, _))? = body.first { return s }
        return nil
    }

    /// Parses `for target in iterable: body [else: body]`.
    private mutating func parseFor() throws(SyntaxError) -> Statement {
        let keyword = advance()
        let target = try parseForTarget()
        try expect(.in, "'in' after the loop target")
        let iterable = try parseExpressionList(allowStarred: true)
        loopDepth += 1
        let body = try parseSuite(after: keyword, construct: "'for' statement")
        loopDepth -= 1
        let otherwise = try parseElse()
        lastStatementIsOpen = true
        return .for(target, iterable, body, else: otherwise, range(from: keyword.range.start))
    }

    /// Parses `while condition: body [else: body]`.
    private mutating func parseWhile() throws(SyntaxError) -> Statement {
        let keyword = advance()
        let condition = try parseExpression()
        loopDepth += 1
        let body = try parseSuite(after: keyword, construct: "'while' statement")
        loopDepth -= 1
        let otherwise = try parseElse()
        lastStatementIsOpen = true
        return .while(condition, body, else: otherwise, range(from: keyword.range.start))
    }

    /// Parses an optional `else: body` after a loop or a `try`.
    private mutating func parseElse() throws(SyntaxError) -> [Statement]? {
        guard let elseKeyword = consume(.else) else { return nil }
        return try parseSuite(after: elseKeyword, construct: "'else'")
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
        let otherwise = try parseElse()
        lastStatementIsOpen = true
        return .if(clauses, else: otherwise, range(from: start))
    }

    /// Parses `try: body`, `except [Type [as name]]: body`..., `else: body`, `finally: body`.
    private mutating func parseTry() throws(SyntaxError) -> Statement {
        let keyword = advance()
        let body = try parseSuite(after: keyword, construct: "'try' statement")
        var handlers: [ExceptHandler] = []
        while let except = consume(.except) {
            if check(.star) {
                throw .error("'except*' is not supported", at: current.range, hint: "use 'except'")
            }
            var type: Expr?
            var name: String?
            if !check(.colon) {
                type = try parseExpressionList()
                if consume(.as) != nil { name = try expectName("a name after 'as'").0 }
            }
            let header = range(from: except.range.start)
            let handlerBody = try parseSuite(after: except, construct: "'except' statement")
            handlers.append(ExceptHandler(type: type, name: name, body: handlerBody, range: header))
        }
        if let bare = handlers.dropLast().first(where: { $0.type == nil }) {
            throw .error("default 'except:' must be last", at: bare.range)
        }
        let otherwise = handlers.isEmpty ? nil : try parseElse()
        var finally: [Statement]?
        if let finallyKeyword = consume(.finally) {
            finally = try parseSuite(after: finallyKeyword, construct: "'finally' statement")
        }
        if handlers.isEmpty && finally == nil {
            throw expected("'except' or 'finally' block", hint: "a 'try' needs at least one 'except' or a 'finally'")
        }
        lastStatementIsOpen = true
        return .try(body: body, handlers: handlers, else: otherwise, finally: finally, range(from: keyword.range.start))
    }

    /// Parses `with item [as target], ...: body`, also with the items in parentheses.
    private mutating func parseWith() throws(SyntaxError) -> Statement {
        let keyword = advance()
        var items: [WithItem] = []
        let saved = position
        if let open = consume(.leftParen) {
            // `with (a as x, b as y):` — or a parenthesised expression such as `with (a):`.
            do throws(SyntaxError) {
                var parenthesised: [WithItem] = []
                while !check(.rightParen) {
                    parenthesised.append(try parseWithItem())
                    guard consume(.comma) != nil else { break }
                }
                try expectClosing(open)
                if check(.colon) && !parenthesised.isEmpty { items = parenthesised }
            } catch {
                // Not the parenthesised form: parse again as expressions.
            }
            if items.isEmpty { position = saved }
        }
        if items.isEmpty {
            repeat {
                items.append(try parseWithItem())
            } while consume(.comma) != nil
        }
        let body = try parseSuite(after: keyword, construct: "'with' statement")
        lastStatementIsOpen = true
        return .with(items, body, range(from: keyword.range.start))
    }

    /// Parses `expression [as target]`.
    private mutating func parseWithItem() throws(SyntaxError) -> WithItem {
        let context = try parseExpression()
        guard consume(.as) != nil else { return WithItem(context: context, target: nil) }
        return WithItem(context: context, target: try parseSingleTarget())
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
        case .name, .int, .bigInt, .fstring, .float, .string, .keyword, .symbol, .newline, .dedent, .endOfInput:
            throw .error("expected an indented block after \(construct) on line \(keyword.range.start.line)",
                         at: current.range, hint: "indent the body, e.g. by 4 spaces")
        }
    }
}
