import XCTest
@testable import Lang

final class ParserTests: XCTestCase {
    // MARK: - Precedence

    func testPowerBindsTighterThanUnaryOnItsLeft() {
        XCTAssertEqual(expr("-2**2"), "(-(2**2))")
        XCTAssertEqual(expr("2**-1"), "(2**(-1))")
        XCTAssertEqual(expr("a**b**c"), "(a**(b**c))")
        XCTAssertEqual(expr("-x**-y"), "(-(x**(-y)))")
        XCTAssertEqual(expr("--x"), "(-(-x))")
    }

    func testBooleanOperators() {
        XCTAssertEqual(expr("a or b and not c"), "(a or (b and (not c)))")
        XCTAssertEqual(expr("a and b or c and d"), "((a and b) or (c and d))")
        XCTAssertEqual(expr("a or b or c"), "((a or b) or c)")
        XCTAssertEqual(expr("not a == b"), "(not (a == b))")
        XCTAssertEqual(expr("not not a"), "(not (not a))")
    }

    func testComparisonChains() {
        XCTAssertEqual(expr("a < b < c"), "(a < b < c)")
        XCTAssertEqual(expr("a <= b == c != d >= e > f"), "(a <= b == c != d >= e > f)")
        XCTAssertEqual(expr("x not in ys"), "(x not in ys)")
        XCTAssertEqual(expr("x is not None"), "(x is not None)")
        XCTAssertEqual(expr("x is None in y"), "(x is None in y)")
        XCTAssertEqual(expr("a < b | c"), "(a < (b | c))")
        XCTAssertEqual(expr("not x in y"), "(not (x in y))")
    }

    func testArithmeticAndBitwiseLevels() {
        XCTAssertEqual(expr("a @ b + c"), "((a @ b) + c)")
        XCTAssertEqual(expr("a + b * c - d / e // f % g"), "((a + (b * c)) - (((d / e) // f) % g))")
        XCTAssertEqual(expr("a | b ^ c & d + e"), "(a | (b ^ (c & (d + e))))")
        XCTAssertEqual(expr("a - b - c"), "((a - b) - c)")
        XCTAssertEqual(expr("-a * ~b + +c"), "(((-a) * (~b)) + (+c))")
    }

    func testConditionalExpressions() {
        XCTAssertEqual(expr("x if c else y if d else z"), "(x if c else (y if d else z))")
        XCTAssertEqual(expr("a or b if c and d else e"), "((a or b) if (c and d) else e)")
        XCTAssertEqual(expr("(x if c else y) + 1"), "((x if c else y) + 1)")
    }

    func testLambdas() {
        XCTAssertEqual(expr("lambda x: x + 1"), "(lambda x: (x + 1))")
        XCTAssertEqual(expr("lambda: 0"), "(lambda: 0)")
        XCTAssertEqual(expr("lambda x, y=2, *args, **kw: x"), "(lambda x, y=2, *args, **kw: x)")
        XCTAssertEqual(expr("lambda x: x if x else -x"), "(lambda x: (x if x else (-x)))")
        XCTAssertEqual(expr("lambda f: lambda x: f(x)"), "(lambda f: (lambda x: f(x)))")
        XCTAssertEqual(expr("vmap(lambda x: x * 2, in_dims=0)"), "vmap((lambda x: (x * 2)), in_dims=0)")
    }

    func testPostfixOperatorsBindTightest() {
        XCTAssertEqual(expr("-x.T ** 2"), "(-(x.T**2))")
        XCTAssertEqual(expr("f(x)[0].T"), "f(x)[0].T")
        XCTAssertEqual(expr("jacrev(f)(x)"), "jacrev(f)(x)")
        XCTAssertEqual(expr("(a + b).sum(dim=1)"), "(a + b).sum(dim=1)")
    }

    // MARK: - Literals and displays

    func testNumberAndConstantLiterals() {
        XCTAssertEqual(expr("[1_000, 0x1F, 1., .5, 1e-3, 2.5E+4]"), "[1000, 31, 1.0, 0.5, 0.001, 25000.0]")
        XCTAssertEqual(expr("(True, False, None, ...)"), "(True, False, None, ...)")
    }

    func testStringLiterals() {
        XCTAssertEqual(expr(#"'a' "b" r'\n'"#), #"'ab\\n'"#)
        XCTAssertEqual(expr("'''x\ny'''"), #"'x\ny'"#)
        XCTAssertEqual(expr(#""it's""#), #"'it\'s'"#)
    }

    func testTuplesListsAndDicts() {
        XCTAssertEqual(expr("()"), "()")
        XCTAssertEqual(expr("(1,)"), "(1,)")
        XCTAssertEqual(expr("(1)"), "1")
        XCTAssertEqual(expr("1, 2,"), "(1, 2)")
        XCTAssertEqual(expr("[]"), "[]")
        XCTAssertEqual(expr("[1, [2, 3],]"), "[1, [2, 3]]")
        XCTAssertEqual(expr("{}"), "{}")
        XCTAssertEqual(expr("{'lr': 0.1, 'steps': [1, 2],}"), "{'lr': 0.1, 'steps': [1, 2]}")
        XCTAssertEqual(expr("(\n  1,\n  2,\n)"), "(1, 2)")
    }

    func testListComprehensions() {
        XCTAssertEqual(expr("[f(i) for i in range(3) if i > 0]"), "[f(i) for i in range(3) if (i > 0)]")
        XCTAssertEqual(expr("[a + b for a, b in pairs]"), "[(a + b) for (a, b) in pairs]")
        XCTAssertEqual(expr("[x for row in m for x in row if x if not y]"),
                       "[x for row in m for x in row if x if (not y)]")
        XCTAssertEqual(expr("[x if x else 0 for x in xs]"), "[(x if x else 0) for x in xs]")
    }

    func testSetsDictComprehensionsAndGenerators() {
        XCTAssertEqual(expr("{1, 2}"), "{1, 2}")
        XCTAssertEqual(expr("{*a, 3}"), "{*a, 3}")
        XCTAssertEqual(expr("{**d, 'x': 1}"), "{**d, 'x': 1}")
        XCTAssertEqual(expr("sum(x for x in xs)"), "sum((x for x in xs))")
        XCTAssertEqual(expr("(x * 2 for x in xs if x)"), "((x * 2) for x in xs if x)")
        XCTAssertEqual(expr("{k: v for k, v in d.items()}"), "{k: v for (k, v) in d.items()}")
        XCTAssertEqual(expr("{x % 3 for x in xs}"), "{(x % 3) for x in xs}")
        let unparenthesised = failure("f(x for x in xs, 1)")
        XCTAssertEqual(unparenthesised?.message, "generator expression must be parenthesized")
        XCTAssertEqual(expr("[*a, *b]"), "[*a, *b]")
    }

    func testFStringsParseTheirFields() {
        XCTAssertEqual(expr("f'{x + 1:>{w}} and {y!r}'"), "f'{(x + 1):>{w}} and {y!r}'")
        let bad = failure("f'{x +}'")
        XCTAssertEqual(bad?.message, "f-string: expecting an expression")
        XCTAssertEqual(failure("f'{x y}'")?.message, "unexpected token 'y'")
        XCTAssertEqual(place(failure("a = f'{x y}'")), "1:10-1:11", "errors point into the f-string")
    }

    // MARK: - Calls and subscripts

    func testCallArguments() {
        XCTAssertEqual(expr("f()"), "f()")
        XCTAssertEqual(expr("f(x, dim=1, *args, **kw,)"), "f(x, dim=1, *args, **kw)")
        XCTAssertEqual(expr("f(*a, b, key=1, *c)"), "f(*a, b, key=1, *c)")
        XCTAssertEqual(expr("torch.sum(x ** 2, dim=-1)"), "torch.sum((x**2), dim=(-1))")
    }

    func testCallArgumentErrors() {
        let positional = failure("f(dim=1, x)")
        XCTAssertEqual(positional?.message, "positional argument follows keyword argument")
        XCTAssertEqual(place(positional), "1:10-1:11")
        let repeated = failure("f(a=1, a=2)")
        XCTAssertEqual(repeated?.message, "keyword argument repeated: 'a'")
        XCTAssertEqual(place(repeated), "1:8-1:9")
        XCTAssertEqual(failure("f(x.y=1)")?.message, "invalid keyword argument")
        XCTAssertEqual(failure("f(**kw, x)")?.message, "positional argument follows keyword argument unpacking")
    }

    func testSubscripts() {
        XCTAssertEqual(expr("x[0]"), "x[0]")
        XCTAssertEqual(expr("x[-1]"), "x[(-1)]")
        XCTAssertEqual(expr("x[1:3]"), "x[1:3]")
        XCTAssertEqual(expr("x[::2]"), "x[::2]")
        XCTAssertEqual(expr("x[:, 0, :]"), "x[:, 0, :]")
        XCTAssertEqual(expr("x[..., None]"), "x[..., None]")
        XCTAssertEqual(expr("x[i, j]"), "x[i, j]")
        XCTAssertEqual(expr("x[1:]"), "x[1:]")
        XCTAssertEqual(expr("x[:-1]"), "x[:(-1)]")
        XCTAssertEqual(expr("x[a:b:c, ::]"), "x[a:b:c, :]")
        XCTAssertEqual(expr("x[i,]"), "x[i]")
    }

    func testSubscriptItemStructure() throws {
        let e = try XCTUnwrap(parsedExpr("x[1:, ::2, i]"))
        guard case .subscript(_, let items, _) = e else { return XCTFail("not a subscript: \(e)") }
        XCTAssertEqual(items.count, 3)
        guard case .slice(let start, let stop, let step, let range) = items[1] else { return XCTFail("not a slice") }
        XCTAssertNil(start)
        XCTAssertNil(stop)
        XCTAssertEqual(step?.description, "2")
        XCTAssertEqual(place(range), "1:7-1:10")
        guard case .index(let index) = items[2] else { return XCTFail("not an index") }
        XCTAssertEqual(index.description, "i")
        XCTAssertEqual(failure("x[]")?.message, "expected an index or a slice")
    }

    // MARK: - Assignment

    func testAssignments() {
        XCTAssertEqual(statements("a = b = 1"), "a = b = 1")
        XCTAssertEqual(statements("t = 1, 2"), "t = (1, 2)")
        XCTAssertEqual(statements("x.grad = None"), "x.grad = None")
        XCTAssertEqual(statements("w[0, :] = v"), "w[0, :] = v")
        XCTAssertEqual(statements("f(x).y = 2"), "f(x).y = 2")
        XCTAssertEqual(statements("(a).b = 2"), "a.b = 2")
        XCTAssertEqual(statements("x = y == z"), "x = (y == z)")
    }

    func testTupleUnpacking() {
        XCTAssertEqual(statements("out, fn = vjp(f, x)"), "(out, fn) = vjp(f, x)")
        XCTAssertEqual(statements("(a, b), c = t"), "((a, b), c) = t")
        XCTAssertEqual(statements("a, *rest = xs"), "(a, *rest) = xs")
        XCTAssertEqual(statements("[a, b] = xs"), "(a, b) = xs")
        XCTAssertEqual(statements("a, = xs"), "(a,) = xs")
        XCTAssertEqual(statements("x.y, z[0] = 1, 2"), "(x.y, z[0]) = (1, 2)")
        XCTAssertEqual(statements("a, b = c, d = pair"), "(a, b) = (c, d) = pair")
    }

    func testAugmentedAssignments() {
        let source = "a += 1; a -= 1; a *= 2; a /= 2; a //= 2; a %= 2; a **= 2; a @= w; a &= m; a |= m; a ^= m"
        XCTAssertEqual(statements(source), """
            a += 1
            a -= 1
            a *= 2
            a /= 2
            a //= 2
            a %= 2
            a **= 2
            a @= w
            a &= m
            a |= m
            a ^= m
            """)
        XCTAssertEqual(statements("x[i] += y, z"), "x[i] += (y, z)")
    }

    func testInvalidAssignmentTargets() {
        let call = failure("f(x) = 1")
        XCTAssertEqual(call?.message, "invalid assignment target")
        XCTAssertEqual(call?.hint, "a function call cannot be assigned to; did you mean '=='?")
        XCTAssertEqual(place(call), "1:1-1:5")
        let literal = failure("1 = x")
        XCTAssertEqual(literal?.message, "invalid assignment target")
        XCTAssertEqual(place(literal), "1:1-1:2")
        XCTAssertEqual(place(failure("a, f() = 1, 2")), "1:4-1:7")
        XCTAssertEqual(place(failure("y = x + 1 = 2")), "1:5-1:10")
        XCTAssertEqual(place(failure("for f(i) in xs: pass")), "1:5-1:9")
        let augmented = failure("a, b += 1")
        XCTAssertEqual(augmented?.message, "invalid target for augmented assignment")
        XCTAssertEqual(place(augmented), "1:1-1:5")
        XCTAssertEqual(failure("del f(x)")?.message, "invalid target for 'del'")
    }

    func testStarredTargetErrors() {
        XCTAssertEqual(failure("*a = xs")?.message, "starred assignment target must be in a list or tuple")
        let twice = failure("a, *b, *c = xs")
        XCTAssertEqual(twice?.message, "multiple starred targets in one assignment")
        XCTAssertEqual(place(twice), "1:8-1:10")
        XCTAssertEqual(failure("x = *a")?.message, "can't use starred expression here")
    }

    // MARK: - Function definitions

    func testOneLineFunctionDefinition() {
        XCTAssertEqual(statements("def f(x, y=2): return x*y"), "def f(x, y=2):\n    return (x * y)")
        XCTAssertEqual(statements("def g(): a = 1; return a,"), "def g():\n    a = 1\n    return (a,)")
    }

    func testFunctionDefinitionWithBlock() {
        let source = """
            def loss(w, x, *rest, scale: float = 1.0, **options) -> float:
                # squared error
                y = x @ w

                if scale:
                    return (y ** 2).sum() * scale
                return y.sum()
            """
        XCTAssertEqual(statements(source), """
            def loss(w, x, *rest, scale=1.0, **options):
                y = (x @ w)
                if scale:
                    return ((y**2).sum() * scale)
                return y.sum()
            """)
    }

    func testReturnOutsideFunction() {
        let error = failure("return 1")
        XCTAssertEqual(error?.message, "'return' outside function")
        XCTAssertEqual(place(error), "1:1-1:7")
        XCTAssertEqual(statements("def f():\n    return\n"), "def f():\n    return")
    }

    func testParameterErrors() {
        let order = failure("def f(x=1, y): pass")
        XCTAssertEqual(order?.message, "parameter without a default follows parameter with a default")
        XCTAssertEqual(place(order), "1:12-1:13")
        XCTAssertEqual(failure("lambda x, x: 0")?.message, "duplicate argument 'x' in function definition")
        XCTAssertEqual(failure("def f(a, *): pass")?.message, "named arguments must follow bare *")
        XCTAssertEqual(failure("def f(/, a): pass")?.message, "at least one parameter must precede '/'")
        XCTAssertEqual(statements("def f(a, /, b=1, *, c, **kw): pass"), "def f(a, /, b=1, *, c, **kw):\n    pass")
        XCTAssertEqual(failure("def f(**kw, x): pass")?.message, "parameter after '**kw'")
        XCTAssertEqual(statements("def f(*args, key): pass"), "def f(*args, key):\n    pass")
    }

    // MARK: - Control flow

    func testForLoops() {
        XCTAssertEqual(statements("for i, (a, b) in enumerate(pairs):\n    print(i)\n"),
                       "for (i, (a, b)) in enumerate(pairs):\n    print(i)")
        XCTAssertEqual(statements("for x in 1, 2: total += x"), "for x in (1, 2):\n    total += x")
        XCTAssertEqual(statements("for first, *others in rows: pass"), "for (first, *others) in rows:\n    pass")
    }

    func testIfElifElse() {
        let source = """
            if x < 0:
                s = -1
            elif x == 0:
                s = 0
            elif x is None: s = None
            else:
                s = 1
            """
        XCTAssertEqual(statements(source), """
            if (x < 0):
                s = (-1)
            elif (x == 0):
                s = 0
            elif (x is None):
                s = None
            else:
                s = 1
            """)
        XCTAssertEqual(statements("if a: b\nelse: c"), "if a:\n    b\nelse:\n    c")
    }

    func testNestedBlocksDedentSeveralLevels() {
        let source = """
            for i in range(3):
                for j in range(3):
                    if i == j:
                        print(i)
            print('done')
            """
        let result = parseStatements(source)
        XCTAssertEqual(result?.count, 2)
        XCTAssertEqual(result?.last?.description, "print('done')")
    }

    // MARK: - Other statements

    func testImports() {
        XCTAssertEqual(statements("import torch"), "import torch")
        XCTAssertEqual(statements("import torch.nn as nn"), "import torch.nn as nn")
        XCTAssertEqual(statements("from torch.func import vmap, jacrev as jr"), "from torch.func import vmap, jacrev as jr")
        XCTAssertEqual(statements("from m import (a,\n    b,)"), "from m import a, b")
        XCTAssertEqual(statements("from m import *"), "from m import *")
        XCTAssertEqual(statements("import numpy as np, torch"), "import numpy as np\nimport torch")
        XCTAssertEqual(failure("from . import x")?.message, "relative imports are not supported")
    }

    func testImportStructure() throws {
        let parsed = try XCTUnwrap(parseStatements("import torch.nn as nn"))
        guard case .import(let module, let alias, let names, let range) = parsed[0] else { return XCTFail() }
        XCTAssertEqual(module, "torch.nn")
        XCTAssertEqual(alias, "nn")
        XCTAssertTrue(names.isEmpty)
        XCTAssertEqual(place(range), "1:1-1:22")
    }

    func testDelPassAndSemicolons() {
        XCTAssertEqual(statements("del x, y[0], z.w"), "del x, y[0], z.w")
        XCTAssertEqual(statements("pass"), "pass")
        XCTAssertEqual(statements("a = 1; b = 2;"), "a = 1\nb = 2")
        XCTAssertEqual(statements("if x: a = 1; b = 2"), "if x:\n    a = 1\n    b = 2")
        XCTAssertEqual(statements("a, b"), "(a, b)")
    }

    func testEmptyAndCommentOnlySources() {
        XCTAssertEqual(statements(""), "")
        XCTAssertEqual(statements("\n\n   \n"), "")
        XCTAssertEqual(statements("# just a comment"), "")
    }

    // MARK: - Scripts

    func testScriptWithBlocksCommentsAndContinuations() {
        let source = """
            # A two-layer net and its Jacobian.
            import torch
            from torch.func import jacrev, vmap

            def net(x, w1=None, w2=None):
                h = torch.tanh(x @ w1)   # hidden
                return h @ w2

            x = torch.randn(4, 3)
            J = vmap(jacrev(net))(x,
                                  w1=torch.randn(3, 5),
                                  w2=torch.randn(5, 2))
            total = 0
            for i in range(4):
                if i % 2 == 0:
                    total += J[i].norm()
                else:
                    pass
            shape = J.shape; n = \\
                J.shape[0]
            J[..., 0]
            """
        let result = parseStatements(source)
        XCTAssertEqual(result?.count, 10)
        XCTAssertEqual(result?.map { $0.description.split(separator: "\n")[0] }, [
            "import torch",
            "from torch.func import jacrev, vmap",
            "def net(x, w1=None, w2=None):",
            "x = torch.randn(4, 3)",
            "J = vmap(jacrev(net))(x, w1=torch.randn(3, 5), w2=torch.randn(5, 2))",
            "total = 0",
            "for i in range(4):",
            "shape = J.shape",
            "n = J.shape[0]",
            "J[..., 0]",
        ])
    }

    // MARK: - Incomplete input

    func testOpenBracketsAreIncomplete() {
        for source in ["f(1,", "[1, 2", "{", "x = (1 +", "f(1,\n  2", "x[0:", "g(a=[1,\n", "{'a':"] {
            XCTAssertTrue(isIncomplete(source), source)
            XCTAssertTrue(isIncomplete(source, interactive: true), source)
        }
        XCTAssertFalse(isIncomplete("f(1,\n  2)"))
    }

    func testBlockHeadersAreIncomplete() {
        for source in ["def f(x):", "for x in xs:", "if x:\n    a\nelse:", "if x:\n    a\nelif y:",
                       "def f(x):\n    for i in x:", "def f(x):  # body follows"] {
            XCTAssertTrue(isIncomplete(source, interactive: true), source)
            XCTAssertTrue(isIncomplete(source), source)
        }
    }

    func testInteractiveBlocksNeedABlankLine() {
        XCTAssertTrue(isIncomplete("def f(x):\n    return x", interactive: true))
        XCTAssertTrue(isIncomplete("def f(x):\n    y = x\n    return y", interactive: true))
        XCTAssertTrue(isIncomplete("for i in xs:\n    print(i)", interactive: true))
        XCTAssertTrue(isIncomplete("if x: y", interactive: true))
        XCTAssertTrue(isIncomplete("if x:\n    y\nelse:\n    z\n# comment", interactive: true))
        XCTAssertEqual(statements("def f(x):\n    return x\n", interactive: true), "def f(x):\n    return x")
        XCTAssertEqual(statements("if x: y\n  ", interactive: true), "if x:\n    y")
        // As at Python's >>> prompt, even a body on the header's line waits for a blank line.
        for source in ["def f(x): return x", "for i in xs: print(i)", "if a: b\nelse: c",
                       "if x:\n    y\nelse: z"] {
            XCTAssertTrue(isIncomplete(source, interactive: true), source)
        }
        XCTAssertEqual(statements("def f(x): return x\n", interactive: true), "def f(x):\n    return x")
        XCTAssertEqual(statements("for i in xs: print(i)\n", interactive: true), "for i in xs:\n    print(i)")
        XCTAssertEqual(statements("if a: b\nelse: c\n", interactive: true), "if a:\n    b\nelse:\n    c")
        XCTAssertEqual(statements("if x:\n    y\nelse: z\n", interactive: true), "if x:\n    y\nelse:\n    z")
        XCTAssertEqual(statements("def f(x): return x", interactive: false), "def f(x):\n    return x")
        XCTAssertEqual(statements("x = 1", interactive: true), "x = 1")
        XCTAssertEqual(statements("def f(x):\n    return x"), "def f(x):\n    return x")
    }

    func testInteractiveBlankLineAfterHeaderIsAnError() {
        let error = failure("def f(x):\n", interactive: true)
        XCTAssertEqual(error?.message, "expected an indented block after function definition on line 1")
        XCTAssertEqual(place(error), "2:1-2:1")
        let nested = failure("def f(x):\n    for i in x:\n", interactive: true)
        XCTAssertEqual(nested?.message, "expected an indented block after 'for' statement on line 2")
        XCTAssertEqual(place(nested), "3:1-3:1")
        XCTAssertTrue(isIncomplete("def f(x):\n"))
    }

    func testTrailingBackslashAndTripleQuotesAreIncomplete() {
        XCTAssertTrue(isIncomplete("x = 1 + \\"))
        XCTAssertTrue(isIncomplete("doc = '''first line\nsecond"))
        XCTAssertTrue(isIncomplete("f('''a\n", interactive: true))
        XCTAssertEqual(statements("x = 1 + \\\n    2"), "x = (1 + 2)")
        XCTAssertEqual(failure("x = 1 + \\\n")?.message, "unexpected end of line")
    }

    func testErrorsBeforeTheEndAreNotIncomplete() {
        XCTAssertEqual(failure("x = = (")?.message, "unexpected token '='")
        let string = failure("s = 'abc")
        XCTAssertEqual(string?.message, "unterminated string literal")
        XCTAssertEqual(place(string), "1:5-1:9")
        XCTAssertEqual(failure("f(1, 'abc")?.message, "unterminated string literal")
    }

    // MARK: - Error positions

    func testMismatchedAndMissingBrackets() {
        let mismatch = failure("f(1, 2]")
        XCTAssertEqual(mismatch?.message, "expected ')' to close '(' at 1:2")
        XCTAssertEqual(place(mismatch), "1:7-1:8")
        let comma = failure("xs = [1 2]")
        XCTAssertEqual(comma?.message, "expected ']' to close '[' at 1:6")
        XCTAssertEqual(comma?.hint, "did you forget a comma?")
        XCTAssertEqual(place(comma), "1:9-1:10")
        let multiline = failure("y = f(a,\n      b c)")
        XCTAssertEqual(multiline?.message, "expected ')' to close '(' at 1:6")
        XCTAssertEqual(place(multiline), "2:9-2:10")
        let unmatched = failure("x = 1)")
        XCTAssertEqual(unmatched?.message, "unmatched ')'")
        XCTAssertEqual(place(unmatched), "1:6-1:7")
    }

    func testUnexpectedTokens() {
        let equals = failure("x = = 1")
        XCTAssertEqual(equals?.message, "unexpected token '='")
        XCTAssertEqual(place(equals), "1:5-1:6")
        let endOfLine = failure("y = x +\nz = 1")
        XCTAssertEqual(endOfLine?.message, "unexpected end of line")
        XCTAssertEqual(place(endOfLine), "1:8-1:9")
        let twoValues = failure("x = 1 2")
        XCTAssertEqual(twoValues?.message, "unexpected token '2'")
        XCTAssertEqual(place(twoValues), "1:7-1:8")
        XCTAssertEqual(twoValues?.hint, "is an operator or a comma missing? Separate statements with a newline or ';'")
        XCTAssertEqual(failure("print 'hi'")?.hint, "to call 'print', put its arguments in parentheses: print(...)")
        XCTAssertEqual(failure("a not b")?.hint, "did you mean 'not in'?")
        XCTAssertEqual(failure("x = 1; def f(): pass")?.hint, "'def' statements must start on their own line")
        XCTAssertEqual(failure("else: x")?.message, "'else' without a matching 'if'")
        XCTAssertEqual(failure("x = a if b")?.message, "expected 'else' in conditional expression, found end of line")
    }

    func testIndentationErrors() {
        let indent = failure("x = 1\n    y = 2")
        XCTAssertEqual(indent?.message, "unexpected indent")
        XCTAssertEqual(place(indent), "2:1-2:5")
        let missing = failure("def f(x):\nreturn x")
        XCTAssertEqual(missing?.message, "expected an indented block after function definition on line 1")
        XCTAssertEqual(place(missing), "2:1-2:7")
        let unindent = failure("if x:\n    a = 1\n  b = 2")
        XCTAssertEqual(unindent?.message, "unindent does not match any outer indentation level")
        XCTAssertEqual(place(unindent), "3:1-3:3")
    }

    func testMissingColonAndComparisonHint() {
        let colon = failure("if x\n    y")
        XCTAssertEqual(colon?.message, "expected ':' to end the if header, found end of line")
        XCTAssertEqual(place(colon), "1:5-1:6")
        let assign = failure("if x = 1: pass")
        XCTAssertEqual(assign?.message, "expected ':' to end the if header, found '='")
        XCTAssertEqual(assign?.hint, "use '==' to compare values")
    }

    func testUnsupportedPythonKeywords() {
        let generator = failure("def f():\n    yield 1\n")
        XCTAssertEqual(generator?.message, "'yield' is not supported")
        XCTAssertEqual(place(generator), "2:5-2:10")
        XCTAssertTrue(generator?.hint?.contains("generator expression") == true)
        XCTAssertEqual(failure("async def f(): pass")?.message, "'async' is not supported")
        XCTAssertEqual(failure("x = await y")?.message, "'await' is not supported")
        XCTAssertEqual(failure("break")?.message, "'break' outside loop")
        XCTAssertEqual(failure("def f():\n    for x in xs:\n        pass\n    continue\n")?.message, "'continue' outside loop")
    }

    func testNewStatements() {
        XCTAssertEqual(statements("while x:\n    x -= 1\nelse:\n    y = 2"), "while x:\n    x -= 1\nelse:\n    y = 2")
        XCTAssertEqual(statements("for i in r:\n    if i: break\n    continue"), "for i in r:\n    if i:\n        break\n    continue")
        XCTAssertEqual(statements("try:\n    f()\nexcept (A, B) as e:\n    raise C('x') from e\nexcept:\n    raise\nelse:\n    g()\nfinally:\n    h()"),
                       "try:\n    f()\nexcept (A, B) as e:\n    raise C('x') from e\nexcept:\n    raise\nelse:\n    g()\nfinally:\n    h()")
        XCTAssertEqual(statements("with a as x, b:\n    pass"), "with a as x, b:\n    pass")
        XCTAssertEqual(statements("with (a as x, b as y):\n    pass"), "with a as x, b as y:\n    pass")
        XCTAssertEqual(statements("assert x > 0, 'neg'"), "assert (x > 0), 'neg'")
        XCTAssertEqual(statements("x: int = 5"), "x: int = 5")
        XCTAssertEqual(statements("@dec\n@torch.no_grad()\ndef f(x): return x"), "@dec\n@torch.no_grad()\ndef f(x):\n    return x")
        XCTAssertEqual(statements("class Net(nn.Module):\n    scale = 2\n    def forward(self, x): return x"),
                       "class Net(nn.Module):\n    scale = 2\n    def forward(self, x):\n        return x")
        XCTAssertEqual(failure("try:\n    pass\nx = 1\n")?.message, "expected 'except' or 'finally' block, found 'x'")
        XCTAssertEqual(failure("try:\n    f()\nexcept:\n    pass\nexcept E:\n    pass")?.message, "default 'except:' must be last")
        XCTAssertEqual(statements("x = 1 << 2 >> 1; y = 1 + 2 << 3"), "x = ((1 << 2) >> 1)\ny = ((1 + 2) << 3)")
        XCTAssertEqual(expr("1 + 2 << 3 & 4"), "(((1 + 2) << 3) & 4)")
    }

    func testDiagnosticRendersCaret() {
        let source = "y = f(x) = 1"
        let rendered = failure(source)?.render(source: source, file: "t.jac")
        XCTAssertEqual(rendered, """
            t.jac:1:5: error: invalid assignment target
            y = f(x) = 1
                ^~~~
              hint: a function call cannot be assigned to; did you mean '=='?
            """)
    }

    func testDeepNestingAndLongScripts() {
        func nested(_ depth: Int) -> String {
            String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
        }
        XCTAssertEqual(statements(nested(90) + " = 1"), "x = 1")
        XCTAssertEqual(expr(nested(90) + " + 1"), "(x + 1)")
        XCTAssertEqual(parseStatements("y = " + String(repeating: "[", count: 90) + String(repeating: "]", count: 90))?
            .count, 1)
        let tooDeep = failure("y = " + nested(1000))
        XCTAssertEqual(tooDeep?.message, "expression is too deeply nested")
        XCTAssertEqual(place(tooDeep), "1:105-1:106")
        XCTAssertEqual(failure(String(repeating: "-", count: 1000) + "x")?.message, "expression is too deeply nested")
        XCTAssertEqual(failure(String(repeating: "not ", count: 1000) + "x")?.message, "expression is too deeply nested")
        XCTAssertEqual(failure(String(repeating: "(", count: 1000) + "x" + String(repeating: ")", count: 1000) + " = 1")?
            .message, "expression is too deeply nested")
        let script = (0..<2000).map { "v\($0) = f(v\($0 / 2), [i * 2 for i in range(\($0))], k=\($0))" }
            .joined(separator: "\n")
        XCTAssertEqual(parseStatements(script)?.count, 2000)
    }

    // MARK: - Source ranges

    func testExpressionRangesCoverTheirText() throws {
        let source = "(a + b) * c.d[1:2]"
        let e = try XCTUnwrap(parsedExpr(source))
        XCTAssertEqual(text(source, e.range), source)
        guard case .binary(.multiply, let left, let right, _) = e else { return XCTFail("\(e)") }
        XCTAssertEqual(text(source, left.range), "a + b")
        XCTAssertEqual(text(source, right.range), "c.d[1:2]")
        guard case .subscript(let base, let items, _) = right, case .slice(_, _, _, let slice) = items[0] else {
            return XCTFail("\(right)")
        }
        XCTAssertEqual(text(source, base.range), "c.d")
        XCTAssertEqual(text(source, slice), "1:2")
    }

    func testCallAndLambdaRanges() throws {
        let source = "vmap(lambda x: -x ** 2, in_dims=(0, None))"
        let e = try XCTUnwrap(parsedExpr(source))
        XCTAssertEqual(text(source, e.range), source)
        guard case .call(_, let arguments, _) = e,
              case .positional(let lambda) = arguments[0],
              case .keyword(let name, let value, let keywordRange) = arguments[1] else { return XCTFail("\(e)") }
        XCTAssertEqual(text(source, lambda.range), "lambda x: -x ** 2")
        XCTAssertEqual(name, "in_dims")
        XCTAssertEqual(text(source, keywordRange), "in_dims=(0, None)")
        XCTAssertEqual(text(source, value.range), "(0, None)")
        guard case .lambda(_, let body, _) = lambda else { return XCTFail() }
        XCTAssertEqual(text(source, body.range), "-x ** 2")
    }

    func testStatementRanges() throws {
        let source = "a, *rest = xs  # unpack\ndef f(x):\n    if x:\n        return 1\n\n    return 2\n\nn += 1"
        let parsed = try XCTUnwrap(parseStatements(source))
        XCTAssertEqual(parsed.count, 3)
        XCTAssertEqual(text(source, parsed[0].range), "a, *rest = xs")
        guard case .assign(let targets, _, _) = parsed[0], case .tuple(let items, let tupleRange) = targets[0] else {
            return XCTFail()
        }
        XCTAssertEqual(text(source, tupleRange), "a, *rest")
        XCTAssertEqual(text(source, items[1].range), "*rest")
        XCTAssertEqual(text(source, parsed[1].range), "def f(x):\n    if x:\n        return 1\n\n    return 2")
        guard case .functionDef(let d) = parsed[1] else { return XCTFail() }
        XCTAssertEqual(text(source, d.body[0].range), "if x:\n        return 1")
        XCTAssertEqual(text(source, parsed[2].range), "n += 1")
    }

    func testMultiLineAndTupleRanges() throws {
        let source = "x = f(1,\n      2) ; y = 1, 2,"
        let parsed = try XCTUnwrap(parseStatements(source))
        guard case .assign(_, let call, let range) = parsed[0], case .assign(_, let tuple, _) = parsed[1] else {
            return XCTFail()
        }
        XCTAssertEqual(text(source, range), "x = f(1,\n      2)")
        XCTAssertEqual(place(call.range), "1:5-2:9")
        XCTAssertEqual(text(source, tuple.range), "1, 2,")
        let strings = "s = ('a'\n     'b')"
        let concatenated = try XCTUnwrap(parseStatements(strings))
        guard case .assign(_, let value, _) = concatenated[0] else { return XCTFail() }
        XCTAssertEqual(text(strings, value.range), "'a'\n     'b'")
    }
}

// MARK: - Helpers

/// The statements of `source`, or `nil` (with a test failure) if it does not parse completely.
private func parseStatements(_ source: String, interactive: Bool = false,
                             file: StaticString = #filePath, line: UInt = #line) -> [Statement]? {
    switch parse(source, interactive: interactive) {
    case .complete(let statements):
        return statements
    case .incomplete:
        XCTFail("unexpectedly incomplete: \(source.debugDescription)", file: file, line: line)
    case .failure(let diagnostic):
        XCTFail("unexpected failure: \(diagnostic.render(source: source, file: "test"))", file: file, line: line)
    }
    return nil
}

/// The statements of `source` printed one per line (bodies indented), as `Statement.description`.
private func statements(_ source: String, interactive: Bool = false,
                        file: StaticString = #filePath, line: UInt = #line) -> String? {
    parseStatements(source, interactive: interactive, file: file, line: line)?
        .map(\.description).joined(separator: "\n")
}

/// The single expression statement of `source`.
private func parsedExpr(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Expr? {
    guard let parsed = parseStatements(source, file: file, line: line) else { return nil }
    guard parsed.count == 1, case .expression(let e) = parsed[0] else {
        XCTFail("not a single expression: \(parsed)", file: file, line: line)
        return nil
    }
    return e
}

/// The fully parenthesised form of the single expression in `source`.
private func expr(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    parsedExpr(source, file: file, line: line)?.description
}

/// The diagnostic for `source`, which must fail to parse.
private func failure(_ source: String, interactive: Bool = false,
                     file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
    switch parse(source, interactive: interactive) {
    case .failure(let diagnostic):
        return diagnostic
    case .complete(let statements):
        XCTFail("expected an error, parsed \(statements)", file: file, line: line)
    case .incomplete:
        XCTFail("expected an error, got .incomplete for \(source.debugDescription)", file: file, line: line)
    }
    return nil
}

private func isIncomplete(_ source: String, interactive: Bool = false) -> Bool {
    if case .incomplete = parse(source, interactive: interactive) { return true }
    return false
}

/// `line:column-line:column` of a diagnostic's range.
private func place(_ diagnostic: Diagnostic?) -> String {
    place(diagnostic?.range)
}

private func place(_ range: SourceRange?) -> String {
    guard let range else { return "none" }
    return "\(range.start.line):\(range.start.column)-\(range.end.line):\(range.end.column)"
}

/// The source text a range covers.
private func text(_ source: String, _ range: SourceRange) -> String {
    let scalars = Array(source.unicodeScalars)
    return String(String.UnicodeScalarView(scalars[range.start.offset..<range.end.offset]))
}
