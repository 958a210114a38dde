// Assignment targets: `x`, `a.b`, `a[i]`, `a, b`, `(a, b), c`, `a, *rest`.
//
// `Expr` has no starred form, so target lists are parsed directly with their own grammar. Where
// a statement may be either an expression or an assignment, the target parse is speculative:
// if it fails or is not followed by `=`, the parser rewinds and parses an expression, which is
// then converted to a target (with a precise error when it is not assignable).

extension Parser {
    /// Where a target appears, which decides what is allowed and how errors read.
    enum TargetContext {
        /// `x = ...`, `for x in ...`: names, attributes, subscripts, tuples, `*rest`.
        case assignment
        /// `x += ...`: a single name, attribute or subscript.
        case augmentedAssignment
        /// `del x`: names, attributes, subscripts and tuples of them.
        case deletion
    }

    // MARK: - Speculative parsing

    /// Parses a target list if one is next and is followed by a token `isFollower` accepts;
    /// otherwise rewinds to where it started and returns `nil`.
    ///
    /// ```swift
    /// // at "a, *rest = xs": returns (a, *rest), cursor on '='
    /// // at "f(x) + 1":      returns nil, cursor unchanged
    /// ```
    mutating func speculateTargets(followedBy isFollower: (Token.Kind) -> Bool) -> Target? {
        // A literal or a keyword never starts a target: no speculation (and no error message
        // built to be thrown away) for the value of every `name = 1`.
        guard canStartTarget(current) else { return nil }
        let saved = position
        do {
            let target = try parseTargetList()
            if isFollower(current.kind) { return target }
        } catch {
            // Not a target list: the caller parses an expression from the same place instead.
        }
        position = saved
        return nil
    }

    /// Parses the target of a `for` loop or comprehension clause, up to (not including) `in`.
    ///
    /// ```swift
    /// // "i, (a, b) in pairs" -> .tuple([i, .tuple([a, b])]), cursor on 'in'
    /// ```
    mutating func parseForTarget(until isFollower: (Token.Kind) -> Bool = { $0 == .keyword(.in) }) throws(SyntaxError) -> Target {
        if let target = speculateTargets(followedBy: isFollower) {
            try validateStarred(target, inSequence: false)
            return target
        }
        // Parse above comparisons so that `in` is left for the caller, then explain what is wrong.
        let start = current.range.start
        var expr = try parseBinary()
        if check(.comma) {
            var items = [expr]
            while consume(.comma) != nil, canStartExpression(current) {
                items.append(try parseBinary())
            }
            expr = .tuple(items, range(from: start))
        }
        return try target(from: expr, context: .assignment)
    }

    /// Parses one target without a top-level tuple (the target of `with ... as target`).
    mutating func parseSingleTarget() throws(SyntaxError) -> Target {
        try parseTargetAtom()
    }

    // MARK: - Target grammar

    /// Parses `target (',' target)* [',']`; a tuple target when there is a comma.
    private mutating func parseTargetList() throws(SyntaxError) -> Target {
        let start = current.range.start
        let first = try parseTargetElement()
        guard check(.comma) else { return first }
        var items = [first]
        while consume(.comma) != nil, canStartTarget(current) {
            items.append(try parseTargetElement())
        }
        return .tuple(items, range(from: start))
    }

    /// Parses `*target` or a plain target.
    private mutating func parseTargetElement() throws(SyntaxError) -> Target {
        guard let star = consume(.star) else { return try parseTargetAtom() }
        let inner = try parseTargetAtom()
        return .starred(inner, range(from: star.range.start))
    }

    /// Parses `(targets)`, `[targets]`, or a primary expression that is a name, attribute or subscript.
    private mutating func parseTargetAtom() throws(SyntaxError) -> Target {
        guard check(.leftParen) || check(.leftBracket) else {
            let expr = try parsePrimary()
            return try target(from: expr, context: .assignment)
        }
        try enterNesting()
        defer { nestingDepth -= 1 }
        let open = advance()
        let start = open.range.start
        let parenthesised = open.kind == .symbol(.leftParen)
        let close: Symbol = parenthesised ? .rightParen : .rightBracket
        var items: [Target] = []
        var sawComma = false
        while !check(close) {
            items.append(try parseTargetElement())
            guard consume(.comma) != nil else { break }
            sawComma = true
        }
        try expectClosing(open)
        if check(.dot) || check(.leftParen) || check(.leftBracket) {
            // `(a).b = 1`: a primary expression, handled by the expression route.
            throw unexpected(current)
        }
        if parenthesised && items.count == 1 && !sawComma { return items[0] }
        return .tuple(items, range(from: start))
    }

    /// Whether `token` can begin a target (used for trailing commas).
    private func canStartTarget(_ token: Token) -> Bool {
        switch token.kind {
        case .name: return true
        case .symbol(let symbol): return symbol == .leftParen || symbol == .leftBracket || symbol == .star
        case .int, .bigInt, .fstring, .float, .string, .keyword, .newline, .indent, .dedent, .endOfInput: return false
        }
    }

    // MARK: - Validation

    /// Rejects a lone `*rest` and several starred targets in one tuple.
    ///
    /// ```swift
    /// // "*a = xs"        -> error: starred assignment target must be in a list or tuple
    /// // "*a, *b = xs"    -> error: multiple starred targets in one assignment
    /// ```
    func validateStarred(_ target: Target, inSequence: Bool) throws(SyntaxError) {
        switch target {
        case .name, .attribute, .subscript:
            return
        case .starred(let inner, let range):
            if !inSequence {
                throw .error("starred assignment target must be in a list or tuple", at: range,
                             hint: "write 'a, *rest = ...'")
            }
            try validateStarred(inner, inSequence: false)
        case .tuple(let items, _):
            var sawStar = false
            for item in items {
                if case .starred(_, let range) = item {
                    if sawStar { throw .error("multiple starred targets in one assignment", at: range) }
                    sawStar = true
                }
                try validateStarred(item, inSequence: true)
            }
        }
    }

    // MARK: - Expressions as targets

    /// Converts an expression parsed on the left of `=` (or after `del`) to a target, or fails
    /// with an error pointing at the part that cannot be assigned.
    ///
    /// ```swift
    /// // "a.b, x[0]" -> .tuple([.attribute(a, "b"), .subscript(x, [0])])
    /// // "f(x)"      -> error: invalid assignment target (a function call cannot be assigned to)
    /// ```
    func target(from expr: Expr, context: TargetContext) throws(SyntaxError) -> Target {
        switch expr {
        case .name(let name, let range):
            return .name(name, range)
        case .attribute(let base, let name, let range):
            return .attribute(base, name, range)
        case .subscript(let base, let items, let range):
            return .subscript(base, items, range)
        case .tuple(let items, let range), .list(let items, let range):
            guard context != .augmentedAssignment else {
                throw .error("invalid target for augmented assignment", at: range,
                             hint: "augmented assignment needs a single name, attribute or subscript")
            }
            var targets: [Target] = []
            for item in items { targets.append(try target(from: item, context: context)) }
            let result = Target.tuple(targets, range)
            if context == .assignment { try validateStarred(result, inSequence: false) }
            return result
        case .starred(let inner, let range):
            guard context == .assignment else { throw invalidTarget(expr, context: context, what: "a starred expression") }
            return .starred(try target(from: inner, context: context), range)
        case .int, .bigInt, .float, .string, .fstring, .bool, .none, .ellipsis:
            throw invalidTarget(expr, context: context, what: "a literal")
        case .call:
            throw invalidTarget(expr, context: context, what: "a function call")
        case .unary, .binary, .compare, .logical, .conditional, .lambda, .dict, .listComprehension, .set,
             .setComprehension, .dictComprehension, .generator:
            throw invalidTarget(expr, context: context, what: "an expression")
        }
    }

    private func invalidTarget(_ expr: Expr, context: TargetContext, what: String) -> SyntaxError {
        switch context {
        case .assignment:
            let compare = what == "an expression" ? "" : "; did you mean '=='?"
            return .error("invalid assignment target", at: expr.range,
                          hint: "\(what) cannot be assigned to\(compare)")
        case .augmentedAssignment:
            return .error("invalid target for augmented assignment", at: expr.range,
                          hint: "\(what) cannot be assigned to")
        case .deletion:
            return .error("invalid target for 'del'", at: expr.range, hint: "\(what) cannot be deleted")
        }
    }
}
