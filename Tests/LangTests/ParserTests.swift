import XCTest
@testable import Lang

/// A fully parenthesised rendering of expressions, to check precedence.
func show(_ e: Expr) -> String {
    switch e {
    case .int(let i, _): return String(i)
    case .float(let d, _): return String(d)
    case .string(let s, _): return pythonQuoted(s)
    case .bool(let b, _): return b ? "True" : "False"
    case .none: return "None"
    case .ellipsis: return "..."
    case .name(let n, _): return n
    case .attribute(let b, let n, _): return show(b) + "." + n
    case .call(let f, let args, _):
        return show(f) + "(" + args.map { a in
            switch a {
            case .positional(let x): return show(x)
            case .keyword(let k, let x, _): return k + "=" + show(x)
            case .star(let x): return "*" + show(x)
            case .doubleStar(let x): return "**" + show(x)
            }
        }.joined(separator: ", ") + ")"
    case .subscript(let b, let items, _):
        return show(b) + "[" + items.map { i in
            switch i {
            case .index(let x): return show(x)
            case .slice(let a, let b, let c, _):
                return (a.map(show) ?? "") + ":" + (b.map(show) ?? "") + (c.map { ":" + show($0) } ?? "")
            }
        }.joined(separator: ", ") + "]"
    case .unary(let op, let x, _): return "(" + (op == .not ? "not " : op.rawValue) + show(x) + ")"
    case .binary(let op, let a, let b, _): return "(" + show(a) + " " + op.rawValue + " " + show(b) + ")"
    case .compare(let a, let rest, _): return "(" + show(a) + rest.map { " \($0.0.rawValue) " + show($0.1) }.joined() + ")"
    case .logical(let op, let a, let b, _): return "(" + show(a) + " \(op.rawValue) " + show(b) + ")"
    case .conditional(let t, let c, let o, _): return "(" + show(t) + " if " + show(c) + " else " + show(o) + ")"
    case .lambda(let ps, let body, _): return "(lambda " + ps.map(\.name).joined(separator: ", ") + ": " + show(body) + ")"
    case .list(let xs, _): return "[" + xs.map(show).joined(separator: ", ") + "]"
    case .tuple(let xs, _): return "(" + xs.map(show).joined(separator: ", ") + (xs.count == 1 ? ",)" : ")")
    case .dict(let ps, _): return "{" + ps.map { show($0.0) + ": " + show($0.1) }.joined(separator: ", ") + "}"
    case .listComprehension(let el, let cs, _): return "[" + show(el) + cs.map { " for _ in " + show($0.iterable) }.joined() + "]"
    }
}

final class ParserTests: XCTestCase {
    func expr(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard case .complete(let st) = parse(s), st.count == 1, case .expression(let e) = st[0] else {
            XCTFail("did not parse as one expression: \(s)", file: file, line: line)
            return ""
        }
        return show(e)
    }

    func testPrecedence() {
        XCTAssertEqual(expr("-2**2"), "(-(2 ** 2))")
        XCTAssertEqual(expr("2**-1"), "(2 ** (-1))")
        XCTAssertEqual(expr("2**3**2"), "(2 ** (3 ** 2))")
        XCTAssertEqual(expr("a @ b + c"), "((a @ b) + c)")
        XCTAssertEqual(expr("a + b * c - d / e"), "((a + (b * c)) - (d / e))")
        XCTAssertEqual(expr("a or b and not c"), "(a or (b and (not c)))")
        XCTAssertEqual(expr("a < b <= c"), "(a < b <= c)")
        XCTAssertEqual(expr("not a == b"), "(not (a == b))")
        XCTAssertEqual(expr("x if c else y if d else z"), "(x if c else (y if d else z))")
        XCTAssertEqual(expr("lambda x: x + 1"), "(lambda x: (x + 1))")
        XCTAssertEqual(expr("a | b ^ c & d"), "(a | (b ^ (c & d)))")
        XCTAssertEqual(expr("a // b % c"), "((a // b) % c)")
        XCTAssertEqual(expr("x not in y"), "(x not in y)")
        XCTAssertEqual(expr("x is not None"), "(x is not None)")
        XCTAssertEqual(expr("-x.T @ y"), "((-x.T) @ y)")
    }

    func testPrimaries() {
        XCTAssertEqual(expr("functorch.vmap(functorch.jacrev(func))(inputs)"), "functorch.vmap(functorch.jacrev(func))(inputs)")
        XCTAssertEqual(expr("f(x, dim=1, *a, **k)"), "f(x, dim=1, *a, **k)")
        XCTAssertEqual(expr("J.permute(1, 0, 2)"), "J.permute(1, 0, 2)")
        XCTAssertEqual(expr("J[:, 0, :]"), "J[:, 0, :]")
        XCTAssertEqual(expr("x[::2]"), "x[::2]")
        XCTAssertEqual(expr("x[1:3]"), "x[1:3]")
        XCTAssertEqual(expr("x[..., None]"), "x[..., None]")
        XCTAssertEqual(expr("x[-1]"), "x[(-1)]")
        XCTAssertEqual(expr("(1,)"), "(1,)")
        XCTAssertEqual(expr("()"), "()")
        XCTAssertEqual(expr("[1, 2,]"), "[1, 2]")
        XCTAssertEqual(expr("{'a': 1, 'b': [2]}"), "{'a': 1, 'b': [2]}")
        XCTAssertEqual(expr("[f(i) for i in range(3) if i > 0]"), "[f(i) for _ in range(3)]")
        XCTAssertEqual(expr("1e-3"), "0.001")
        XCTAssertEqual(expr("2."), "2.0")
        XCTAssertEqual(expr(".5"), "0.5")
        XCTAssertEqual(expr("0x1F"), "31")
        XCTAssertEqual(expr("1_000"), "1000")
        XCTAssertEqual(expr("'a' \"b\""), "'ab'")
        XCTAssertEqual(expr("r'\\n'"), "'\\\\n'")
        XCTAssertEqual(expr("'''multi\nline'''"), "'multi\\nline'")
    }

    func testStatements() throws {
        guard case .complete(let s) = parse("out, fn = vjp(f, x)\na = b = 1\nx += 2\na, *rest = xs\ndel a\npass; y = 3") else {
            return XCTFail("did not parse")
        }
        XCTAssertEqual(s.count, 7)
        guard case .assign(let t, _, _) = s[0], case .tuple(let names, _) = t[0] else { return XCTFail("tuple target") }
        XCTAssertEqual(names.count, 2)
        guard case .assign(let t2, _, _) = s[1] else { return XCTFail() }
        XCTAssertEqual(t2.count, 2)
        guard case .augmentedAssign(_, .add, _, _) = s[2] else { return XCTFail("augmented") }
        guard case .assign(let t3, _, _) = s[3], case .tuple(let parts, _) = t3[0], case .starred = parts[1] else { return XCTFail("starred") }
        guard case .import(let m, let alias, let names2, _) = (parse("from torch.func import vmap, jacrev as jr").statements?[0]) else {
            return XCTFail("import")
        }
        XCTAssertEqual(m, "torch.func"); XCTAssertNil(alias)
        XCTAssertEqual(names2.map { $0.0 }, ["vmap", "jacrev"]); XCTAssertEqual(names2[1].1, "jr")
    }

    func testBlocks() {
        let src = "def f(x, y=2):\n    z = x * y\n    return z\n\nfor i in range(3):\n    if i > 1:\n        print(i)\n    elif i:\n        pass\n    else:\n        print(0)\nf(1)\n"
        guard case .complete(let s) = parse(src) else { return XCTFail("did not parse") }
        XCTAssertEqual(s.count, 3)
        guard case .functionDef(let name, let params, let body, let r) = s[0] else { return XCTFail() }
        XCTAssertEqual(name, "f"); XCTAssertEqual(params.count, 2); XCTAssertEqual(body.count, 2)
        XCTAssertEqual(r.start.line, 1); XCTAssertEqual(r.end.line, 3)
        guard case .for(_, _, let loopBody, _) = s[1], case .if(let branches, let otherwise, _) = loopBody[0] else { return XCTFail() }
        XCTAssertEqual(branches.count, 2); XCTAssertNotNil(otherwise)
        guard case .complete(let one) = parse("def g(x): return x * 2") else { return XCTFail("one-line def") }
        XCTAssertEqual(one.count, 1)
    }

    func testIncompleteInput() {
        for s in ["f(x,", "[1, 2", "x = {", "'''abc", "x = 1 + \\", "def f(x):", "for i in xs:\n    print(i)"] {
            guard case .incomplete = parse(s, interactive: true) else { return XCTFail("should be incomplete: \(s)") }
        }
        guard case .complete = parse("for i in xs:\n    print(i)\n", interactive: true) else { return XCTFail("blank line ends a block") }
        guard case .complete = parse("for i in xs:\n    print(i)", interactive: false) else { return XCTFail("EOF ends a block in scripts") }
        guard case .failure = parse("x = 'abc") else { return XCTFail("unterminated single-quoted string is an error") }
    }

    func testErrorPositions() {
        func position(_ s: String) -> (Int, Int, String)? {
            guard case .failure(let d) = parse(s), let r = d.range else { return nil }
            return (r.start.line, r.start.column, d.message)
        }
        XCTAssertEqual(position("b = a +* 2")?.0, 1)
        XCTAssertEqual(position("b = a +* 2")?.1, 8)
        XCTAssertEqual(position("x = 1\ny = )")?.0, 2)
        XCTAssertEqual(position("x = 1\ny = )")?.1, 5)
        XCTAssertEqual(position("f(x) = 1")?.2, "cannot assign to this expression")
        XCTAssertEqual(position("f(a=1, 2)")?.2, "positional argument follows keyword argument")
        XCTAssertEqual(position("f(a=1, 2)")?.1, 8)
        XCTAssertEqual(position("  x = 1")?.2, "unexpected indent")
        XCTAssertEqual(position("(1, 2]")?.2, "closing ']' does not match opening '(' at 1:1")
        XCTAssertEqual(position("x = 1 2")?.1, 7)
        XCTAssertEqual(position("lambda x, x: x")?.2, "duplicate parameter 'x'")
    }

    func testRangesCoverTheirText() {
        guard case .complete(let s) = parse("y = jacrev(f)(x)[0]"), case .assign(_, let e, _) = s[0] else { return XCTFail() }
        XCTAssertEqual(e.range.start.column, 5)
        XCTAssertEqual(e.range.end.column, 20)
        guard case .subscript(let base, _, _) = e else { return XCTFail() }
        XCTAssertEqual(base.range.end.column, 17)
    }

    func testIncompleteReasonPointsAtTheBracket() {
        let d = Lexer.incompleteReason("y = f(1,\n  [2, 3]")
        XCTAssertEqual(d.message, "'(' was never closed")
        XCTAssertEqual(d.range?.start.line, 1)
        XCTAssertEqual(d.range?.start.column, 6)
    }
}

extension ParseResult {
    var statements: [Statement]? { if case .complete(let s) = self { return s }; return nil }
}
