// Expressions, by Python's precedence, loosest first:
// lambda < x if c else y < or < and < not < comparisons < | < ^ < & < + - < * / // % @
// < unary - + ~ < ** < calls, subscripts, attributes < atoms.

extension Parser {
    // MARK: - Expression lists

    /// Parses `a, b, c` (a bare tuple when there is a comma, trailing comma allowed) or a single
    /// expression. Used where Python allows unparenthesised tuples: statements, `return`, `for ... in`.
    ///
    /// ```swift
    /// // "1, 2," -> .tuple([1, 2])    "x" -> .name("x")
    /// ```
    mutating func parseExpressionList(allowStarred: Bool = false) throws(SyntaxError) -> Expr {
        let start = current.range.start
        let first = allowStarred ? try parseStarredOrExpression() : try parseExpression()
        guard check(.comma) else { return first }
        var items = [first]
        while consume(.comma) != nil, canStartExpression(current) || (allowStarred && check(.star)) {
            items.append(allowStarred ? try parseStarredOrExpression() : try parseExpression())
        }
        return .tuple(items, range(from: start))
    }

    /// Parses `*expression` (in displays and expression lists) or an expression.
    mutating func parseStarredOrExpression() throws(SyntaxError) -> Expr {
        guard let star = consume(.star) else { return try parseExpression() }
        let value = try parseBinary()
        return .starred(value, range(from: star.range.start))
    }

    /// Parses one expression: a lambda, a conditional expression, or anything tighter.
    ///
    /// ```swift
    /// // "x if c else y if d else z" -> (x if c else (y if d else z))
    /// ```
    mutating func parseExpression() throws(SyntaxError) -> Expr {
        try enterNesting()
        defer { nestingDepth -= 1 }
        if check(.lambda) { return try parseLambda() }
        let start = current.range.start
        let body = try parseDisjunction()
        guard consume(.if) != nil else { return body }
        let condition = try parseDisjunction()
        try expect(.else, "'else' in conditional expression", hint: "write 'a if condition else b'")
        let otherwise = try parseExpression()
        return .conditional(then: body, condition: condition, otherwise: otherwise, range(from: start))
    }

    /// Parses `lambda params: body`.
    ///
    /// ```swift
    /// // "lambda x, y=1: x + y" -> .lambda([x, y=1], x + y)
    /// ```
    mutating func parseLambda() throws(SyntaxError) -> Expr {
        let start = advance().range.start
        let parameters = try parseParameters(closing: .colon, allowAnnotations: false)
        try expect(.colon, "':' after lambda parameters")
        let body = try parseExpression()
        return .lambda(parameters, body, range(from: start))
    }

    // MARK: - Boolean operators

    /// Parses `a or b or c` (left-associative).
    mutating func parseDisjunction() throws(SyntaxError) -> Expr {
        let start = current.range.start
        var left = try parseConjunction()
        while consume(.or) != nil {
            let right = try parseConjunction()
            left = .logical(.or, left, right, range(from: start))
        }
        return left
    }

    /// Parses `a and b and c` (left-associative).
    mutating func parseConjunction() throws(SyntaxError) -> Expr {
        let start = current.range.start
        var left = try parseInversion()
        while consume(.and) != nil {
            let right = try parseInversion()
            left = .logical(.and, left, right, range(from: start))
        }
        return left
    }

    /// Parses `not x` (binding looser than comparisons: `not a == b` is `not (a == b)`).
    mutating func parseInversion() throws(SyntaxError) -> Expr {
        let start = current.range.start
        guard consume(.not) != nil else { return try parseComparison() }
        try enterNesting()
        defer { nestingDepth -= 1 }
        let operand = try parseInversion()
        return .unary(.not, operand, range(from: start))
    }

    // MARK: - Comparisons

    /// Parses a comparison chain `a < b <= c`, including `in`, `not in`, `is`, `is not`.
    mutating func parseComparison() throws(SyntaxError) -> Expr {
        let start = current.range.start
        let first = try parseBinary()
        var rest: [(CompareOperator, Expr)] = []
        while let op = consumeCompareOperator() {
            rest.append((op, try parseBinary()))
        }
        return rest.isEmpty ? first : .compare(first, rest, range(from: start))
    }

    private static let comparisonSymbols: [Symbol: CompareOperator] = [
        .less: .less, .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual,
        .equalEqual: .equal, .notEqual: .notEqual,
    ]

    /// Consumes a comparison operator (one token, or two for `not in` / `is not`).
    private mutating func consumeCompareOperator() -> CompareOperator? {
        if case .symbol(let symbol) = current.kind, let op = Self.comparisonSymbols[symbol] {
            advance()
            return op
        }
        if consume(.in) != nil { return .in }
        if check(.not) && peek().kind == .keyword(.in) {
            advance(); advance()
            return .notIn
        }
        if consume(.is) != nil {
            return consume(.not) != nil ? .isNot : .is
        }
        return nil
    }

    // MARK: - Binary operators

    /// Binary operators with their precedence level (0 loosest); all are left-associative.
    private static let binaryOperators: [Symbol: (op: BinaryOperator, level: Int)] = [
        .pipe: (.bitOr, 0),
        .caret: (.bitXor, 1),
        .ampersand: (.bitAnd, 2),
        .leftShift: (.leftShift, 3), .rightShift: (.rightShift, 3),
        .plus: (.add, 4), .minus: (.subtract, 4),
        .star: (.multiply, 5), .slash: (.divide, 5), .doubleSlash: (.floorDivide, 5), .percent: (.modulo, 5),
        .at: (.matmul, 5),
    ]

    /// Parses the binary operators `|`, `^`, `&`, `+ -`, `* / // % @` by precedence climbing:
    /// only operators of `minimumLevel` or tighter are taken, so `a - b - c` is `(a - b) - c`.
    ///
    /// ```swift
    /// // "a @ b + c" -> ((a @ b) + c)
    /// ```
    mutating func parseBinary(minimumLevel: Int = 0) throws(SyntaxError) -> Expr {
        let start = current.range.start
        var left = try parseFactor()
        while case .symbol(let symbol) = current.kind, let entry = Self.binaryOperators[symbol],
              entry.level >= minimumLevel {
            advance()
            let right = try parseBinary(minimumLevel: entry.level + 1)
            left = .binary(entry.op, left, right, range(from: start))
        }
        return left
    }

    private static let unarySymbols: [Symbol: UnaryOperator] = [.minus: .negate, .plus: .plus, .tilde: .invert]

    /// Parses unary `-x`, `+x`, `~x`, which bind looser than `**` on their right: `-2**2` is `-(2**2)`.
    mutating func parseFactor() throws(SyntaxError) -> Expr {
        let start = current.range.start
        guard case .symbol(let symbol) = current.kind, let op = Self.unarySymbols[symbol] else {
            return try parsePower()
        }
        advance()
        try enterNesting()
        defer { nestingDepth -= 1 }
        let operand = try parseFactor()
        return .unary(op, operand, range(from: start))
    }

    /// Parses `a ** b`, right-associative, with a unary-capable exponent: `2**-1`, `a**b**c`.
    mutating func parsePower() throws(SyntaxError) -> Expr {
        let start = current.range.start
        let base = try parsePrimary()
        guard consume(.doubleStar) != nil else { return base }
        let exponent = try parseFactor()
        return .binary(.power, base, exponent, range(from: start))
    }

    // MARK: - Primaries

    /// Parses an atom followed by calls `f(x)`, subscripts `x[i]` and attributes `x.name`.
    ///
    /// ```swift
    /// // "f(x)[0].T" -> .attribute(.subscript(.call(f, [x]), [0]), "T")
    /// ```
    mutating func parsePrimary() throws(SyntaxError) -> Expr {
        let start = current.range.start
        var expr = try parseAtom()
        while true {
            if consume(.dot) != nil {
                let (name, _) = try expectName("attribute name after '.'")
                expr = .attribute(expr, name, range(from: start))
            } else if check(.leftParen) {
                let arguments = try parseArguments()
                expr = .call(expr, arguments, range(from: start))
            } else if check(.leftBracket) {
                let items = try parseSubscriptItems()
                expr = .subscript(expr, items, range(from: start))
            } else {
                return expr
            }
        }
    }

    /// Parses `(arguments)` of a call: positional, `name=value`, `*iterable`, `**mapping`.
    mutating func parseArguments() throws(SyntaxError) -> [Argument] {
        let open = advance()
        var arguments: [Argument] = []
        var keywordNames: Set<String> = []
        var sawKeyword = false
        var sawDoubleStar = false
        while !check(.rightParen) {
            let argumentStart = current
            if consume(.star) != nil {
                let value = try parseExpression()
                if sawDoubleStar {
                    throw .error("iterable argument unpacking follows keyword argument unpacking",
                                 at: range(from: argumentStart.range.start))
                }
                arguments.append(.star(value))
            } else if consume(.doubleStar) != nil {
                arguments.append(.doubleStar(try parseExpression()))
                sawDoubleStar = true
            } else if case .name(let name) = current.kind, peek().kind == .symbol(.assign) {
                advance(); advance()
                let value = try parseExpression()
                guard keywordNames.insert(name).inserted else {
                    throw .error("keyword argument repeated: '\(name)'", at: argumentStart.range)
                }
                arguments.append(.keyword(name, value, range(from: argumentStart.range.start)))
                sawKeyword = true
            } else {
                var value = try parseExpression()
                if check(.for) {
                    let clauses = try parseComprehensionClauses()
                    value = .generator(value, clauses, range(from: argumentStart.range.start))
                    guard arguments.isEmpty && check(.rightParen) else {
                        throw .error("generator expression must be parenthesized", at: value.range,
                                     hint: "put it in parentheses: f((x for x in xs), ...)")
                    }
                }
                if check(.assign) {
                    throw .error("invalid keyword argument", at: value.range,
                                 hint: "a keyword argument needs a plain name before '='; use '==' to compare")
                }
                if sawKeyword || sawDoubleStar {
                    throw .error(sawDoubleStar ? "positional argument follows keyword argument unpacking"
                                               : "positional argument follows keyword argument",
                                 at: value.range, hint: "put positional arguments before keyword arguments")
                }
                arguments.append(.positional(value))
            }
            guard consume(.comma) != nil else { break }
        }
        try expectClosing(open)
        return arguments
    }

    /// Parses `[items]` of a subscript: indices and slices separated by commas.
    private mutating func parseSubscriptItems() throws(SyntaxError) -> [SubscriptItem] {
        let open = advance()
        guard !check(.rightBracket) else {
            throw .error("expected an index or a slice", at: SourceRange(open.range.start, current.range.end))
        }
        var items = [try parseSubscriptItem()]
        while consume(.comma) != nil, !check(.rightBracket) {
            items.append(try parseSubscriptItem())
        }
        try expectClosing(open)
        return items
    }

    /// Parses one subscript item: `i`, `a:b`, `::2`, `:`, `...`, `None`.
    private mutating func parseSubscriptItem() throws(SyntaxError) -> SubscriptItem {
        let start = current.range.start
        var lower: Expr?
        if !check(.colon) {
            let index = try parseExpression()
            guard check(.colon) else { return .index(index) }
            lower = index
        }
        advance()  // ':'
        let upper = endsSlicePart() ? nil : try parseExpression()
        var step: Expr?
        if consume(.colon) != nil, !endsSlicePart() {
            step = try parseExpression()
        }
        return .slice(start: lower, stop: upper, step: step, range(from: start))
    }

    /// Whether the current token ends one part of a slice (`:`, `,` or `]`).
    private func endsSlicePart() -> Bool {
        check(.colon) || check(.comma) || check(.rightBracket)
    }

    // MARK: - Atoms

    /// Parses names, literals, `...`, and parenthesised, list and dict displays.
    mutating func parseAtom() throws(SyntaxError) -> Expr {
        let token = current
        switch token.kind {
        case .name(let name):
            advance()
            return .name(name, token.range)
        case .int(let value):
            advance()
            return .int(value, token.range)
        case .bigInt(let value):
            advance()
            return .bigInt(value, token.range)
        case .fstring:
            return try parseStringConcatenation()
        case .float(let value):
            advance()
            return .float(value, token.range)
        case .string:
            return try parseStringConcatenation()
        case .keyword(.True), .keyword(.False):
            advance()
            return .bool(token.kind == .keyword(.True), token.range)
        case .keyword(.None):
            advance()
            return .none(token.range)
        case .symbol(.ellipsis):
            advance()
            return .ellipsis(token.range)
        case .symbol(.leftParen):
            return try parseParenthesized()
        case .symbol(.leftBracket):
            return try parseList()
        case .symbol(.leftBrace):
            return try parseDict()
        case .symbol(.star), .symbol(.doubleStar):
            throw unexpected(token, hint: "'\(token.text)' unpacking is only allowed in call arguments"
                                 + (token.kind == .symbol(.star) ? " and assignment targets" : ""))
        case .keyword(.lambda):
            throw unexpected(token, hint: "put the lambda in parentheses")
        case .keyword(.def), .keyword(.for), .keyword(.if), .keyword(.class), .keyword(.while), .keyword(.try),
             .keyword(.with):
            throw unexpected(token, hint: "'\(token.text)' statements must start on their own line")
        case .keyword(.yield), .keyword(.await), .keyword(.async):
            throw unsupportedKeyword(token)
        case .keyword, .symbol, .newline, .indent, .dedent, .endOfInput:
            throw unexpected(token, hint: token.kind == .endOfInput ? nil : "expected an expression")
        }
    }

    /// Parses `()`, `(expr)`, `(a,)`, `(a, b)`. A parenthesised expression keeps its own range.
    private mutating func parseParenthesized() throws(SyntaxError) -> Expr {
        let open = advance()
        if consume(.rightParen) != nil { return .tuple([], range(from: open.range.start)) }
        if check(.yield) { throw unsupportedKeyword(current) }
        let first = try parseStarredOrExpression()
        if check(.for) {
            let clauses = try parseComprehensionClauses()
            try expectClosing(open)
            return .generator(first, clauses, range(from: open.range.start))
        }
        guard check(.comma) else {
            try expectClosing(open)
            if case .starred(_, let r) = first { throw .error("can't use starred expression here", at: r) }
            return first
        }
        var items = [first]
        while consume(.comma) != nil, !check(.rightParen) {
            items.append(try parseStarredOrExpression())
        }
        try expectClosing(open)
        return .tuple(items, range(from: open.range.start))
    }

    /// Parses `[]`, `[a, b,]` and list comprehensions `[e for x in xs if c]`.
    private mutating func parseList() throws(SyntaxError) -> Expr {
        let open = advance()
        if consume(.rightBracket) != nil { return .list([], range(from: open.range.start)) }
        let first = try parseStarredOrExpression()
        if check(.for) {
            let clauses = try parseComprehensionClauses()
            try expectClosing(open)
            return .listComprehension(first, clauses, range(from: open.range.start))
        }
        var items = [first]
        while consume(.comma) != nil, !check(.rightBracket) {
            items.append(try parseStarredOrExpression())
        }
        try expectClosing(open)
        return .list(items, range(from: open.range.start))
    }

    /// Parses the `for target in iterable if cond ...` clauses of a comprehension.
    private mutating func parseComprehensionClauses() throws(SyntaxError) -> [ComprehensionClause] {
        var clauses: [ComprehensionClause] = []
        while consume(.for) != nil {
            let target = try parseForTarget()
            try expect(.in, "'in' after the comprehension target")
            let iterable = try parseDisjunction()
            var conditions: [Expr] = []
            while consume(.if) != nil {
                conditions.append(try parseDisjunction())
            }
            clauses.append(ComprehensionClause(target: target, iterable: iterable, conditions: conditions))
        }
        return clauses
    }

    /// Parses `{}`, `{key: value, **other, ...}`, `{a, b}`, and dict and set comprehensions.
    private mutating func parseDict() throws(SyntaxError) -> Expr {
        let open = advance()
        if consume(.rightBrace) != nil { return .dict([], range(from: open.range.start)) }
        // The first item decides between a dict and a set.
        if consume(.doubleStar) != nil {
            var items: [DictItem] = [.unpack(try parseBinary())]
            while consume(.comma) != nil, !check(.rightBrace) { items.append(try parseDictItem()) }
            try expectClosing(open)
            return .dict(items, range(from: open.range.start))
        }
        let first = try parseStarredOrExpression()
        if consume(.colon) != nil {
            if case .starred(_, let r) = first { throw .error("cannot use a starred expression in a dictionary value", at: r) }
            let value = try parseExpression()
            if check(.for) {
                let clauses = try parseComprehensionClauses()
                try expectClosing(open)
                return .dictComprehension(key: first, value: value, clauses, range(from: open.range.start))
            }
            var items: [DictItem] = [.pair(first, value)]
            while consume(.comma) != nil, !check(.rightBrace) { items.append(try parseDictItem()) }
            try expectClosing(open)
            return .dict(items, range(from: open.range.start))
        }
        if check(.for) {
            let clauses = try parseComprehensionClauses()
            try expectClosing(open)
            return .setComprehension(first, clauses, range(from: open.range.start))
        }
        var items = [first]
        while consume(.comma) != nil, !check(.rightBrace) { items.append(try parseStarredOrExpression()) }
        try expectClosing(open)
        return .set(items, range(from: open.range.start))
    }

    /// Parses one `key: value` or `**mapping` of a dict display.
    private mutating func parseDictItem() throws(SyntaxError) -> DictItem {
        if consume(.doubleStar) != nil { return .unpack(try parseBinary()) }
        let key = try parseExpression()
        try expect(.colon, "':' after dictionary key")
        return .pair(key, try parseExpression())
    }

    // MARK: - Strings

    /// Parses adjacent string and f-string literals as one: `"a" f"{x}"` is an f-string.
    private mutating func parseStringConcatenation() throws(SyntaxError) -> Expr {
        let start = current.range.start
        var parts: [FStringPart] = []
        var isFString = false
        while true {
            switch current.kind {
            case .string(let text):
                parts.append(.literal(text))
            case .fstring(let pieces):
                isFString = true
                parts += try parseFStringPieces(pieces)
            case .name, .int, .bigInt, .float, .keyword, .symbol, .newline, .indent, .dedent, .endOfInput:
                let r = range(from: start)
                guard isFString else {
                    return .string(parts.map { part -> String in
                        if case .literal(let t) = part { return t }
                        return ""
                    }.joined(), r)
                }
                return .fstring(Self.mergingLiterals(parts), r)
            }
            advance()
        }
    }

    /// Adjacent literal parts joined into one.
    private static func mergingLiterals(_ parts: [FStringPart]) -> [FStringPart] {
        var out: [FStringPart] = []
        for part in parts {
            if case .literal(let t) = part, case .literal(let previous)? = out.last {
                out[out.count - 1] = .literal(previous + t)
            } else {
                out.append(part)
            }
        }
        return out
    }

    /// Parses the expressions of an f-string's fields (and of fields nested in format specs).
    private func parseFStringPieces(_ pieces: [FStringPiece]) throws(SyntaxError) -> [FStringPart] {
        var parts: [FStringPart] = []
        for piece in pieces {
            switch piece {
            case .literal(let text):
                parts.append(.literal(text))
            case .field(let field):
                var sub = Parser(fragment: field.expression, start: field.start)
                let e = try sub.parseFragment()
                let spec = try field.spec.map { spec throws(SyntaxError) in try parseFStringPieces(spec) }
                parts.append(.field(e, conversion: field.conversion, spec: spec, debugText: field.debugText))
            }
        }
        return parts
    }

    /// Parses a whole f-string field's text as one expression (a bare tuple is allowed).
    mutating func parseFragment() throws(SyntaxError) -> Expr {
        do throws(SyntaxError) {
            let e = try parseExpressionList()
            guard current.kind == .endOfInput else { throw unexpected(current) }
            if let lexError { throw lexError }
            return e
        } catch {
            switch error {
            case .incomplete:
                throw .error("f-string: expecting an expression", at: current.range)
            case .invalid(let d):
                throw .invalid(d)
            }
        }
    }

    // MARK: - Parameters

    /// Parses lambda or def parameters up to (not including) `closing`: `x, y=2, *args, **kw`.
    /// With `allowAnnotations`, `x: T` annotations are accepted and ignored (for pasted Python).
    ///
    /// ```swift
    /// // "x, y=2, *args" -> [x, y=2, *args]
    /// ```
    mutating func parseParameters(closing: Symbol, allowAnnotations: Bool) throws(SyntaxError) -> [Parameter] {
        var parameters: [Parameter] = []
        var sawDefault = false
        var sawStar = false
        var sawSlash = false
        var sawDoubleStar = false
        while !check(closing) {
            let start = current
            if sawDoubleStar {
                throw .error("parameter after '**\(parameters.last!.name)'", at: start.range,
                             hint: "'**' must be the last parameter")
            }
            if consume(.slash) != nil {
                guard !sawSlash, !sawStar, !parameters.isEmpty else {
                    throw .error(parameters.isEmpty ? "at least one parameter must precede '/'" : "'/' must come before '*' and only once",
                                 at: start.range)
                }
                sawSlash = true
                for i in parameters.indices { parameters[i].kind = .positionalOnly }
                guard consume(.comma) != nil else { break }
                continue
            }
            var kind = sawStar ? Parameter.Kind.keywordOnly : .normal
            if consume(.star) != nil {
                if sawStar { throw .error("only one '*' parameter is allowed", at: start.range) }
                sawStar = true
                if check(.comma) || check(closing) {
                    // A bare '*': the parameters after it are keyword-only.
                    if check(closing) { throw .error("named arguments must follow bare *", at: start.range) }
                    advance()
                    continue
                }
                kind = .star
            } else if consume(.doubleStar) != nil {
                kind = .doubleStar
            }
            let (name, nameToken) = try expectName("a parameter name")
            if parameters.contains(where: { $0.name == name }) {
                throw .error("duplicate argument '\(name)' in function definition", at: nameToken.range)
            }
            if allowAnnotations && consume(.colon) != nil {
                _ = try parseExpression()
            }
            var defaultValue: Expr?
            if (kind == .normal || kind == .keywordOnly) && consume(.assign) != nil {
                defaultValue = try parseExpression()
                if kind == .normal { sawDefault = true }
            } else if kind == .normal && sawDefault {
                throw .error("parameter without a default follows parameter with a default", at: nameToken.range,
                             hint: "give '\(name)' a default or move it before the defaulted parameters")
            }
            parameters.append(Parameter(name: name, defaultValue: defaultValue, kind: kind))
            sawDoubleStar = kind == .doubleStar
            guard consume(.comma) != nil else { break }
        }
        return parameters
    }
}
