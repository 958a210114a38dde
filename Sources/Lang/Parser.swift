/// The outcome of parsing: statements, a need for more input, or an error with its place.
public enum ParseResult {
    case complete([Statement])
    /// A valid beginning that needs more lines (unclosed bracket or string, an open block).
    case incomplete
    case failure(Diagnostic)
}

/// Parses source text into statements. A pure function: no evaluation, no state.
/// With `interactive`, a block (`def`, `for`, `if`) is complete only after an empty line,
/// as at Python's prompt.
///
/// ```swift
/// if case .complete(let s) = parse("y = f(x, dim=1)") { print(s.count) }   // 1
/// ```
public func parse(_ source: String, interactive: Bool = false) -> ParseResult {
    var lexer = Lexer(source: source)
    switch lexer.tokenize() {
    case .incomplete: return .incomplete
    case .failure(let d): return .failure(d)
    case .tokens(let tokens):
        var p = Parser(tokens: tokens)
        do {
            let statements = try p.parseFile()
            if interactive && p.sawBlock {
                let lastLine = source.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
                if !lastLine.allSatisfy({ $0 == " " || $0 == "\t" }) || !source.contains("\n") { return .incomplete }
            }
            return .complete(statements)
        } catch let e as ParseError {
            switch e {
            case .incomplete: return .incomplete
            case .diagnostic(let d): return .failure(d)
            }
        } catch {
            return .failure(Diagnostic(.error, "\(error)"))
        }
    }
}

enum ParseError: Error {
    case incomplete
    case diagnostic(Diagnostic)
}

/// Recursive descent over tokens, one method per grammar level (Python's precedence).
struct Parser {
    let tokens: [Token]
    var pos = 0
    /// Whether a compound statement (block) was parsed.
    var sawBlock = false

    init(tokens: [Token]) { self.tokens = tokens }

    var current: Token { tokens[pos] }
    var previousEnd: SourceLocation { pos > 0 ? tokens[pos - 1].range.end : current.range.start }

    /// The end of the last token that is not a NEWLINE, INDENT or DEDENT (where a block ends).
    var significantEnd: SourceLocation {
        var k = pos - 1
        while k > 0, [Token.Kind.newline, .indent, .dedent].contains(tokens[k].kind) { k -= 1 }
        return k >= 0 ? tokens[k].range.end : current.range.start
    }

    mutating func next() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func isOp(_ s: String) -> Bool { if case .op(s) = current.kind { return true }; return false }
    func isKeyword(_ s: String) -> Bool { if case .keyword(s) = current.kind { return true }; return false }

    mutating func accept(_ s: String) -> Bool {
        if isOp(s) || isKeyword(s) { _ = next(); return true }
        return false
    }

    func fail(_ message: String, at token: Token? = nil, hint: String? = nil) -> ParseError {
        let t = token ?? current
        if t.kind == .eof { return .incomplete }
        return .diagnostic(Diagnostic(.error, message, range: t.range, hint: hint))
    }

    mutating func expect(_ s: String, _ context: String) throws -> Token {
        guard isOp(s) || isKeyword(s) else {
            throw fail("expected '\(s)' \(context), found '\(current.text)'")
        }
        return next()
    }

    // MARK: - Statements

    mutating func parseFile() throws -> [Statement] {
        var out: [Statement] = []
        while current.kind != .eof {
            if current.kind == .newline { _ = next(); continue }
            if current.kind == .indent {
                throw ParseError.diagnostic(Diagnostic(.error, "unexpected indent", range: current.range,
                                                       hint: "remove the leading spaces, or put this line inside a def/for/if block"))
            }
            out += try parseStatement()
        }
        return out
    }

    mutating func parseStatement() throws -> [Statement] {
        if isKeyword("def") || isKeyword("for") || isKeyword("if") { return [try parseCompound()] }
        return try parseSimpleStatements()
    }

    mutating func parseSimpleStatements() throws -> [Statement] {
        var out = [try parseSmall()]
        while accept(";") {
            if current.kind == .newline || current.kind == .eof { break }
            out.append(try parseSmall())
        }
        guard current.kind == .newline || current.kind == .eof || current.kind == .dedent else {
            throw fail("unexpected '\(current.text)'", hint: "put one statement per line, or separate them with ';'")
        }
        if current.kind == .newline { _ = next() }
        return out
    }

    mutating func parseSuite() throws -> [Statement] {
        _ = try expect(":", "to begin the block")
        if current.kind != .newline { return try parseSimpleStatements() }
        _ = next()
        guard current.kind == .indent else {
            if current.kind == .eof { throw ParseError.incomplete }
            throw fail("expected an indented block")
        }
        _ = next()
        var body: [Statement] = []
        while current.kind != .dedent && current.kind != .eof {
            if current.kind == .newline { _ = next(); continue }
            body += try parseStatement()
        }
        if current.kind == .dedent { _ = next() }
        return body
    }

    mutating func parseCompound() throws -> Statement {
        sawBlock = true
        let start = current.range.start
        if accept("def") {
            guard case .name(let name) = current.kind else { throw fail("expected a function name after 'def'") }
            _ = next()
            _ = try expect("(", "after the function name")
            let params = try parseParameters(closing: ")")
            _ = try expect(")", "to close the parameter list")
            if accept("->") { _ = try parseTest() }
            let body = try parseSuite()
            return .functionDef(name: name, parameters: params, body: body, SourceRange(start, significantEnd))
        }
        if accept("for") {
            let target = try toTarget(try parseTargetList())
            _ = try expect("in", "in a for loop")
            let iterable = try parseTestList()
            let body = try parseSuite()
            return .for(target, iterable, body, SourceRange(start, significantEnd))
        }
        _ = try expect("if", "")
        var branches: [(Expr, [Statement])] = []
        branches.append((try parseTest(), try parseSuite()))
        var otherwise: [Statement]? = nil
        while true {
            if accept("elif") { branches.append((try parseTest(), try parseSuite())); continue }
            if accept("else") { otherwise = try parseSuite() }
            break
        }
        return .if(branches, else: otherwise, SourceRange(start, significantEnd))
    }

    mutating func parseSmall() throws -> Statement {
        let start = current.range.start
        if accept("pass") { return .pass(SourceRange(start, previousEnd)) }
        if accept("return") {
            if current.kind == .newline || current.kind == .eof || isOp(";") || current.kind == .dedent {
                return .return(nil, SourceRange(start, previousEnd))
            }
            return .return(try parseTestList(), SourceRange(start, previousEnd))
        }
        if accept("del") {
            var targets = [try toTarget(try parseExpr())]
            while accept(",") { targets.append(try toTarget(try parseExpr())) }
            return .del(targets, SourceRange(start, previousEnd))
        }
        if accept("import") {
            let module = try parseDottedName()
            var alias: String? = nil
            if accept("as") { alias = try parseName("after 'as'") }
            return .import(module: module, alias: alias, names: [], SourceRange(start, previousEnd))
        }
        if accept("from") {
            let module = try parseDottedName()
            _ = try expect("import", "after 'from \(module)'")
            var names: [(String, String?)] = []
            let parens = accept("(")
            repeat {
                if parens && isOp(")") { break }
                if accept("*") { names.append(("*", nil)); continue }
                let n = try parseName("to import")
                names.append((n, accept("as") ? try parseName("after 'as'") : nil))
            } while accept(",")
            if parens { _ = try expect(")", "to close the import list") }
            return .import(module: module, alias: nil, names: names, SourceRange(start, previousEnd))
        }
        // Expression, assignment or augmented assignment.
        let first = try parseTestListStar()
        if case .op(let op) = current.kind, op.count >= 2, op.hasSuffix("="), !["==", "<=", ">=", "!="].contains(op) {
            _ = next()
            guard let bop = BinaryOperator(rawValue: String(op.dropLast())) else { throw fail("unknown operator '\(op)'") }
            let target = try toTarget(first)
            let value = try parseTestList()
            return .augmentedAssign(target, bop, value, SourceRange(start, previousEnd))
        }
        if isOp("=") {
            var items = [first]
            while accept("=") { items.append(try parseTestListStar()) }
            let value = items.removeLast()
            if case .starredMarker = value { throw fail("can't use starred expression here") }
            let targets = try items.map { try toTarget($0) }
            return .assign(targets, value.expr, SourceRange(start, previousEnd))
        }
        return .expression(first.expr)
    }

    mutating func parseName(_ context: String) throws -> String {
        guard case .name(let n) = current.kind else { throw fail("expected a name \(context), found '\(current.text)'") }
        _ = next()
        return n
    }

    mutating func parseDottedName() throws -> String {
        var parts = [try parseName("(a module name)")]
        while accept(".") { parts.append(try parseName("after '.'")) }
        return parts.joined(separator: ".")
    }

    // MARK: - Targets

    /// An expression list that may hold `*x` items (for unpacking targets).
    indirect enum StarList {
        case plain(Expr)
        case starredMarker(Expr, SourceRange)
        case list([StarList], SourceRange, isList: Bool)
        var expr: Expr {
            switch self {
            case .plain(let e): return e
            case .starredMarker(let e, _): return e
            case .list(let items, let r, let isList): return isList ? .list(items.map(\.expr), r) : .tuple(items.map(\.expr), r)
            }
        }
    }

    mutating func parseStarItem() throws -> StarList {
        let start = current.range.start
        if accept("*") {
            let e = try parseExpr()
            return .starredMarker(e, SourceRange(start, previousEnd))
        }
        return .plain(try parseTest())
    }

    mutating func parseTestListStar() throws -> StarList {
        let start = current.range.start
        let first = try parseStarItem()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if isOp("=") || current.kind == .newline || current.kind == .eof || isOp(";") || isOp(")") { break }
            items.append(try parseStarItem())
        }
        return .list(items, SourceRange(start, previousEnd), isList: false)
    }

    mutating func parseTargetList() throws -> StarList {
        let start = current.range.start
        var items: [StarList] = []
        repeat {
            if isKeyword("in") { break }
            let s = current.range.start
            if accept("*") { items.append(.starredMarker(try parseExpr(), SourceRange(s, previousEnd))) }
            else { items.append(.plain(try parseExpr())) }
        } while accept(",")
        return items.count == 1 ? items[0] : .list(items, SourceRange(start, previousEnd), isList: false)
    }

    func toTarget(_ s: StarList) throws -> Target {
        switch s {
        case .plain(let e): return try toTarget(e)
        case .starredMarker(let e, let r): return .starred(try toTarget(e), r)
        case .list(let items, let r, _): return .tuple(try items.map { try toTarget($0) }, r)
        }
    }

    func toTarget(_ e: Expr) throws -> Target {
        switch e {
        case .name(let n, let r): return .name(n, r)
        case .attribute(let b, let n, let r): return .attribute(b, n, r)
        case .subscript(let b, let items, let r): return .subscript(b, items, r)
        case .tuple(let items, let r), .list(let items, let r): return .tuple(try items.map { try toTarget($0) }, r)
        default:
            throw ParseError.diagnostic(Diagnostic(.error, "cannot assign to this expression", range: e.range,
                                                   hint: "the left of '=' must be a name, a tuple of names, an attribute or an item"))
        }
    }

    // MARK: - Expressions

    mutating func parseTestList() throws -> Expr {
        let start = current.range.start
        let first = try parseTest()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if current.kind == .newline || current.kind == .eof || isOp(")") || isOp("=") || isOp(";") || isOp(":") { break }
            items.append(try parseTest())
        }
        return .tuple(items, SourceRange(start, previousEnd))
    }

    mutating func parseTest() throws -> Expr {
        if isKeyword("lambda") { return try parseLambda() }
        let start = current.range.start
        let value = try parseOr()
        if accept("if") {
            let condition = try parseOr()
            _ = try expect("else", "in a conditional expression (x if cond else y)")
            let otherwise = try parseTest()
            return .conditional(then: value, condition: condition, otherwise: otherwise, SourceRange(start, previousEnd))
        }
        return value
    }

    mutating func parseLambda() throws -> Expr {
        let start = current.range.start
        _ = next()
        let params = try parseParameters(closing: ":")
        _ = try expect(":", "after the lambda's parameters")
        let body = try parseTest()
        return .lambda(params, body, SourceRange(start, previousEnd))
    }

    mutating func parseParameters(closing: String) throws -> [Parameter] {
        var params: [Parameter] = []
        var sawDefault = false
        while !isOp(closing) {
            var kind = Parameter.Kind.normal
            if accept("**") { kind = .doubleStar } else if accept("*") { kind = .star }
            let nameToken = current
            let name = try parseName("for a parameter")
            if closing == ")" && accept(":") { _ = try parseTest() }   // type annotation, ignored
            var def: Expr? = nil
            if accept("=") { def = try parseTest(); sawDefault = true }
            else if sawDefault && kind == .normal {
                throw fail("a parameter without a default follows one with a default", at: nameToken)
            }
            if params.contains(where: { $0.name == name }) { throw fail("duplicate parameter '\(name)'", at: nameToken) }
            params.append(Parameter(name: name, defaultValue: def, kind: kind))
            if !accept(",") { break }
        }
        return params
    }

    /// Python's `expr` level (no comparisons or boolean operators): what targets are made of.
    mutating func parseExpr() throws -> Expr { try parseBinary(0) }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while accept("or") {
            let right = try parseAnd()
            left = .logical(.or, left, right, left.range.union(right.range))
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while accept("and") {
            let right = try parseNot()
            left = .logical(.and, left, right, left.range.union(right.range))
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        let start = current.range.start
        if accept("not") {
            let x = try parseNot()
            return .unary(.not, x, SourceRange(start, x.range.end))
        }
        return try parseComparison()
    }

    mutating func compareOperator() -> CompareOperator? {
        switch current.kind {
        case .op("<"): _ = next(); return .less
        case .op("<="): _ = next(); return .lessEqual
        case .op(">"): _ = next(); return .greater
        case .op(">="): _ = next(); return .greaterEqual
        case .op("=="): _ = next(); return .equal
        case .op("!="): _ = next(); return .notEqual
        case .keyword("in"): _ = next(); return .in
        case .keyword("is"):
            _ = next()
            return accept("not") ? .isNot : .is
        case .keyword("not"):
            if case .keyword("in") = tokens[pos + 1].kind { _ = next(); _ = next(); return .notIn }
            return nil
        default: return nil
        }
    }

    mutating func parseComparison() throws -> Expr {
        let first = try parseBinary(0)
        var rest: [(CompareOperator, Expr)] = []
        while let op = compareOperator() { rest.append((op, try parseBinary(0))) }
        if rest.isEmpty { return first }
        return .compare(first, rest, first.range.union(rest.last!.1.range))
    }

    /// Binary operator levels, loosest first: | ^ & (+ -) (* / // % @).
    static let levels: [[String]] = [["|"], ["^"], ["&"], ["+", "-"], ["*", "/", "//", "%", "@"]]

    mutating func parseBinary(_ level: Int) throws -> Expr {
        if level == Parser.levels.count { return try parseFactor() }
        var left = try parseBinary(level + 1)
        while case .op(let op) = current.kind, Parser.levels[level].contains(op) {
            _ = next()
            let right = try parseBinary(level + 1)
            left = .binary(BinaryOperator(rawValue: op)!, left, right, left.range.union(right.range))
        }
        return left
    }

    mutating func parseFactor() throws -> Expr {
        let start = current.range.start
        let op: UnaryOperator?
        switch current.kind {
        case .op("-"): op = .negate
        case .op("+"): op = .plus
        case .op("~"): op = .invert
        default: op = nil
        }
        if let op {
            _ = next()
            let x = try parseFactor()
            return .unary(op, x, SourceRange(start, x.range.end))
        }
        return try parsePower()
    }

    mutating func parsePower() throws -> Expr {
        let base = try parsePrimary()
        if accept("**") {
            let exponent = try parseFactor()
            return .binary(.power, base, exponent, base.range.union(exponent.range))
        }
        return base
    }

    mutating func parsePrimary() throws -> Expr {
        var e = try parseAtom()
        while true {
            if accept("(") {
                let args = try parseArguments()
                _ = try expect(")", "to close the call")
                e = .call(e, args, SourceRange(e.range.start, previousEnd))
            } else if accept("[") {
                let items = try parseSubscriptItems()
                _ = try expect("]", "to close the subscript")
                e = .subscript(e, items, SourceRange(e.range.start, previousEnd))
            } else if accept(".") {
                let name = try parseName("after '.'")
                e = .attribute(e, name, SourceRange(e.range.start, previousEnd))
            } else {
                return e
            }
        }
    }

    mutating func parseArguments() throws -> [Argument] {
        var args: [Argument] = []
        var sawKeyword = false
        while !isOp(")") {
            let start = current.range.start
            if accept("**") { args.append(.doubleStar(try parseTest())); sawKeyword = true }
            else if accept("*") { args.append(.star(try parseTest())) }
            else if case .name(let n) = current.kind, case .op("=") = tokens[pos + 1].kind {
                _ = next(); _ = next()
                args.append(.keyword(n, try parseTest(), SourceRange(start, previousEnd)))
                sawKeyword = true
            } else {
                let startToken = current
                var e = try parseTest()
                if isKeyword("for") { e = try parseComprehension(e, start: e.range.start, closing: ")") }
                if sawKeyword {
                    throw fail("positional argument follows keyword argument", at: startToken,
                               hint: "put positional arguments before keyword arguments")
                }
                args.append(.positional(e))
            }
            if !accept(",") { break }
        }
        return args
    }

    mutating func parseSubscriptItems() throws -> [SubscriptItem] {
        var items: [SubscriptItem] = []
        repeat {
            if isOp("]") { break }
            let start = current.range.start
            var lower: Expr? = nil
            if !isOp(":") { lower = try parseTest() }
            if accept(":") {
                var upper: Expr? = nil, step: Expr? = nil
                if !isOp(":") && !isOp(",") && !isOp("]") { upper = try parseTest() }
                if accept(":") { if !isOp(",") && !isOp("]") { step = try parseTest() } }
                items.append(.slice(start: lower, stop: upper, step: step, SourceRange(start, previousEnd)))
            } else {
                items.append(.index(lower!))
            }
        } while accept(",")
        return items
    }

    mutating func parseComprehension(_ element: Expr, start: SourceLocation, closing: String) throws -> Expr {
        var clauses: [ComprehensionClause] = []
        while accept("for") {
            let target = try toTarget(try parseTargetList())
            _ = try expect("in", "in a comprehension")
            let iterable = try parseOr()
            var conditions: [Expr] = []
            while accept("if") { conditions.append(try parseOr()) }
            clauses.append(ComprehensionClause(target: target, iterable: iterable, conditions: conditions))
        }
        return .listComprehension(element, clauses, SourceRange(start, previousEnd))
    }

    mutating func parseAtom() throws -> Expr {
        let t = current
        switch t.kind {
        case .int(let i): _ = next(); return .int(i, t.range)
        case .float(let d): _ = next(); return .float(d, t.range)
        case .string(let s): _ = next(); return .string(s, t.range)
        case .name(let n): _ = next(); return .name(n, t.range)
        case .keyword("True"): _ = next(); return .bool(true, t.range)
        case .keyword("False"): _ = next(); return .bool(false, t.range)
        case .keyword("None"): _ = next(); return .none(t.range)
        case .op("..."): _ = next(); return .ellipsis(t.range)
        case .op("("):
            _ = next()
            if accept(")") { return .tuple([], SourceRange(t.range.start, previousEnd)) }
            let first = try parseTest()
            if isKeyword("for") {
                let c = try parseComprehension(first, start: t.range.start, closing: ")")
                _ = try expect(")", "to close '(' at \(t.range.start.line):\(t.range.start.column)")
                return c
            }
            if accept(")") { return first }
            var items = [first]
            while accept(",") {
                if isOp(")") { break }
                items.append(try parseTest())
            }
            _ = try expect(")", "to close '(' at \(t.range.start.line):\(t.range.start.column)")
            return .tuple(items, SourceRange(t.range.start, previousEnd))
        case .op("["):
            _ = next()
            var items: [Expr] = []
            if !isOp("]") {
                let first = try parseTest()
                if isKeyword("for") {
                    let c = try parseComprehension(first, start: t.range.start, closing: "]")
                    _ = try expect("]", "to close '[' at \(t.range.start.line):\(t.range.start.column)")
                    return .listComprehension(c.comprehensionElement!, c.comprehensionClauses!, SourceRange(t.range.start, previousEnd))
                }
                items.append(first)
                while accept(",") {
                    if isOp("]") { break }
                    items.append(try parseTest())
                }
            }
            _ = try expect("]", "to close '[' at \(t.range.start.line):\(t.range.start.column)")
            return .list(items, SourceRange(t.range.start, previousEnd))
        case .op("{"):
            _ = next()
            var pairs: [(Expr, Expr)] = []
            while !isOp("}") {
                let k = try parseTest()
                _ = try expect(":", "between a dict key and its value")
                pairs.append((k, try parseTest()))
                if !accept(",") { break }
            }
            _ = try expect("}", "to close '{' at \(t.range.start.line):\(t.range.start.column)")
            return .dict(pairs, SourceRange(t.range.start, previousEnd))
        case .eof:
            throw ParseError.incomplete
        case .newline, .dedent, .indent:
            throw fail("expected an expression, found \(t.text)", at: t)
        default:
            throw fail("unexpected '\(t.text)'", at: t, hint: t.kind == .op("=") ? "use == to compare" : nil)
        }
    }
}

extension Expr {
    var comprehensionElement: Expr? { if case .listComprehension(let e, _, _) = self { return e }; return nil }
    var comprehensionClauses: [ComprehensionClause]? { if case .listComprehension(_, let c, _) = self { return c }; return nil }
}
