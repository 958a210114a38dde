import Tensor
import AD
import BigInt
#if canImport(Glibc)
import Glibc
#endif

// `math` (floats and exact integers, Python's domain errors) and `operator`.

extension Interpreter {
    func makeMathModule() -> Namespace {
        func real(_ a: BoundArguments, _ name: String = "x") throws -> Double {
            let v = a.value(name)!
            if let n = Number(v) { return try n.double() }
            return try a.interpreter.toFloat(v)
        }
        func unary(_ name: String, domain: ((Double) -> Bool)? = nil, _ f: @escaping (Double) -> Double) -> (String, Value) {
            (name, function(name, ["x", "/"]) { a in
                let x = try real(a)
                if let domain, !domain(x) { throw PythonError(.ValueError, "math domain error") }
                let r = f(x)
                if r.isInfinite && x.isFinite { throw PythonError(.OverflowError, "math range error") }
                return .float(r)
            })
        }
        func integer(_ a: BoundArguments, _ name: String) throws -> BigInt {
            let v = a.value(name)!
            guard let n = Number(v)?.bigInt, Number(v).map({ if case .float = $0 { return false }; return true }) ?? false else {
                throw PythonError(.TypeError, "'\(v.pyType.name)' object cannot be interpreted as an integer")
            }
            return n
        }
        func roundTo(_ name: String, _ rule: FloatingPointRoundingRule) -> (String, Value) {
            (name, function(name, ["x", "/"]) { a in
                let v = a.value("x")!
                if case .int = v { return v }
                if case .bigInt = v { return v }
                let x = try real(a)
                guard x.isFinite else {
                    throw x.isNaN ? PythonError(.ValueError, "cannot convert float NaN to integer") : PythonError(.OverflowError, "cannot convert float infinity to integer")
                }
                return .integer(BigInt(x.rounded(rule)))
            })
        }
        var attrs: [(String, Value)] = [
            ("pi", .float(Double.pi)), ("e", .float(2.718281828459045)), ("tau", .float(2 * Double.pi)),
            ("inf", .float(.infinity)), ("nan", .float(.nan)),
            unary("sqrt", domain: { $0 >= 0 || $0.isNaN }) { $0.squareRoot() },
            unary("exp") { Glibc.exp($0) },
            unary("expm1") { Glibc.expm1($0) },
            unary("log2", domain: { $0 > 0 || $0.isNaN }) { Glibc.log2($0) },
            unary("log10", domain: { $0 > 0 || $0.isNaN }) { Glibc.log10($0) },
            unary("log1p", domain: { $0 > -1 || $0.isNaN }) { Glibc.log1p($0) },
            unary("sin") { Glibc.sin($0) }, unary("cos") { Glibc.cos($0) }, unary("tan") { Glibc.tan($0) },
            unary("asin", domain: { abs($0) <= 1 || $0.isNaN }) { Glibc.asin($0) },
            unary("acos", domain: { abs($0) <= 1 || $0.isNaN }) { Glibc.acos($0) },
            unary("atan") { Glibc.atan($0) },
            unary("sinh") { Glibc.sinh($0) }, unary("cosh") { Glibc.cosh($0) }, unary("tanh") { Glibc.tanh($0) },
            unary("asinh") { Glibc.asinh($0) },
            unary("acosh", domain: { $0 >= 1 || $0.isNaN }) { Glibc.acosh($0) },
            unary("atanh", domain: { abs($0) < 1 || $0.isNaN }) { Glibc.atanh($0) },
            unary("erf") { Glibc.erf($0) }, unary("erfc") { Glibc.erfc($0) },
            unary("gamma", domain: { !($0 <= 0 && $0.rounded() == $0) }) { Glibc.tgamma($0) },
            unary("lgamma", domain: { !($0 <= 0 && $0.rounded() == $0) }) { Glibc.lgamma($0) },
            unary("fabs") { abs($0) },
            unary("degrees") { $0 * 180 / Double.pi }, unary("radians") { $0 * Double.pi / 180 },
            roundTo("floor", .down), roundTo("ceil", .up), roundTo("trunc", .towardZero),
            ("log", function("log", ["x", "base=None", "/"]) { a in
                let v = a.value("x")!
                var r: Double
                if case .bigInt(let b) = v, b > 0 {
                    let shift = max(0, b.bitWidth - 60)
                    r = Glibc.log(Double(b >> shift)) + Double(shift) * Glibc.log(2.0)
                } else {
                    let x = try real(a)
                    guard x > 0 || x.isNaN else { throw PythonError(.ValueError, "math domain error") }
                    r = Glibc.log(x)
                }
                if a.has("base") {
                    let base = try real(a, "base")
                    guard base > 0, base != 1 else { throw PythonError(base == 1 ? .ZeroDivisionError : .ValueError, base == 1 ? "float division by zero" : "math domain error") }
                    r /= Glibc.log(base)
                }
                return .float(r)
            }),
            ("pow", function("pow", ["x", "y", "/"]) { a in
                let x = try real(a), y = try real(a, "y")
                if x < 0 && y.rounded() != y { throw PythonError(.ValueError, "math domain error") }
                if x == 0 && y < 0 { throw PythonError(.ValueError, "math domain error") }
                let r = Glibc.pow(x, y)
                if r.isInfinite && x.isFinite && y.isFinite { throw PythonError(.OverflowError, "math range error") }
                return .float(r)
            }),
            ("atan2", function("atan2", ["y", "x", "/"]) { a in .float(Glibc.atan2(try real(a, "y"), try real(a, "x"))) }),
            ("hypot", function("hypot", ["*coordinates"]) { a in
                .float(try a.rest.map { try a.interpreter.toFloat($0) }.reduce(0) { Glibc.hypot($0, $1) })
            }),
            ("copysign", function("copysign", ["x", "y", "/"]) { a in .float(Glibc.copysign(try real(a), try real(a, "y"))) }),
            ("fmod", function("fmod", ["x", "y", "/"]) { a in
                let y = try real(a, "y")
                guard y != 0 else { throw PythonError(.ValueError, "math domain error") }
                return .float(Glibc.fmod(try real(a), y))
            }),
            ("modf", function("modf", ["x", "/"]) { a in
                let x = try real(a)
                let i = x.rounded(.towardZero)
                return .tuple([.float(x.isInfinite ? Glibc.copysign(0, x) : x - i), .float(i)])
            }),
            ("frexp", function("frexp", ["x", "/"]) { a in
                var e: Int32 = 0
                let m = Glibc.frexp(try real(a), &e)
                return .tuple([.float(m), .int(Int(e))])
            }),
            ("ldexp", function("ldexp", ["x", "i", "/"]) { a in .float(Glibc.ldexp(try real(a), Int32(clamping: try a.int("i")))) }),
            ("isnan", function("isnan", ["x", "/"]) { a in .bool(try real(a).isNaN) }),
            ("isinf", function("isinf", ["x", "/"]) { a in .bool(try real(a).isInfinite) }),
            ("isfinite", function("isfinite", ["x", "/"]) { a in .bool(try real(a).isFinite) }),
            ("isclose", function("isclose", ["a", "b", "/", "|rel_tol=1e-09", "|abs_tol=0.0"]) { a in
                let x = try real(a, "a"), y = try real(a, "b")
                let rel = try a.double("rel_tol"), abst = try a.double("abs_tol")
                guard rel >= 0, abst >= 0 else { throw PythonError(.ValueError, "tolerances must be non-negative") }
                if x == y { return .bool(true) }
                if x.isInfinite || y.isInfinite { return .bool(false) }
                let d = abs(x - y)
                return .bool(d <= abs(rel * y) || d <= abs(rel * x) || d <= abst)
            }),
            ("factorial", function("factorial", ["n", "/"]) { a in
                let n = try integer(a, "n")
                guard n >= 0 else { throw PythonError(.ValueError, "factorial() not defined for negative values") }
                guard n <= 100_000 else { throw PythonError(.MemoryError, "factorial(\(n)) is too large") }
                var r = BigInt(1)
                var i = BigInt(2)
                while i <= n { r *= i; i += 1 }
                return .integer(r)
            }),
            ("comb", function("comb", ["n", "k", "/"]) { a in
                let n = try integer(a, "n"), k = try integer(a, "k")
                guard n >= 0, k >= 0 else { throw PythonError(.ValueError, "n must be a non-negative integer") }
                guard k <= n else { return .int(0) }
                let kk = min(k, n - k)
                var r = BigInt(1), i = BigInt(0)
                while i < kk { r = r * (n - i) / (i + 1); i += 1 }
                return .integer(r)
            }),
            ("perm", function("perm", ["n", "k=None", "/"]) { a in
                let n = try integer(a, "n")
                let k = a.has("k") ? try integer(a, "k") : n
                guard n >= 0, k >= 0 else { throw PythonError(.ValueError, "n must be a non-negative integer") }
                guard k <= n else { return .int(0) }
                var r = BigInt(1), i = BigInt(0)
                while i < k { r *= (n - i); i += 1 }
                return .integer(r)
            }),
            ("gcd", function("gcd", ["*integers"]) { a in
                .integer(try a.rest.map { v -> BigInt in
                    guard let n = Number(v)?.bigInt else { throw PythonError(.TypeError, "'\(v.pyType.name)' object cannot be interpreted as an integer") }
                    return n
                }.reduce(BigInt(0)) { BigInt($0.magnitude.greatestCommonDivisor(with: $1.magnitude)) })
            }),
            ("lcm", function("lcm", ["*integers"]) { a in
                .integer(try a.rest.map { v -> BigInt in
                    guard let n = Number(v)?.bigInt else { throw PythonError(.TypeError, "'\(v.pyType.name)' object cannot be interpreted as an integer") }
                    return n
                }.reduce(BigInt(1)) { x, y in
                    if x == 0 || y == 0 { return 0 }
                    return BigInt((x * y).magnitude / x.magnitude.greatestCommonDivisor(with: y.magnitude))
                })
            }),
            ("isqrt", function("isqrt", ["n", "/"]) { a in
                let n = try integer(a, "n")
                guard n >= 0 else { throw PythonError(.ValueError, "isqrt() argument must be nonnegative") }
                return .integer(BigInt(n.magnitude.squareRoot()))
            }),
            ("prod", function("prod", ["iterable", "/", "|start=1"]) { a in
                var acc = a.value("start")!
                for v in try a.interpreter.collect(a.value("iterable")!, range: a.range) {
                    acc = try a.interpreter.binaryOperation(.multiply, acc, v, range: a.range)
                }
                return acc
            }),
            ("fsum", function("fsum", ["seq", "/"]) { a in
                .float(exactSum(try a.interpreter.collect(a.value("seq")!, range: a.range).map { try a.interpreter.toFloat($0) }))
            }),
            ("dist", function("dist", ["p", "q", "/"]) { a in
                let p = try a.interpreter.collect(a.value("p")!, range: a.range).map { try a.interpreter.toFloat($0) }
                let q = try a.interpreter.collect(a.value("q")!, range: a.range).map { try a.interpreter.toFloat($0) }
                guard p.count == q.count else { throw PythonError(.ValueError, "both points must have the same number of dimensions") }
                return .float(zip(p, q).reduce(0) { Glibc.hypot($0, $1.0 - $1.1) })
            }),
        ]
        attrs.sort { $0.0 < $1.0 }
        return Namespace(name: "math", attributes: attrs)
    }

    func makeOperatorModule() -> Namespace {
        func binary(_ name: String, _ op: BinaryOperator) -> (String, Value) {
            (name, function(name, ["a", "b", "/"]) { a in try a.interpreter.binaryOperation(op, a.value("a")!, a.value("b")!, range: a.range) })
        }
        func compare(_ name: String, _ op: ComparisonOp) -> (String, Value) {
            (name, function(name, ["a", "b", "/"]) { a in try a.interpreter.richCompare(op, a.value("a")!, a.value("b")!, range: a.range) })
        }
        return Namespace(name: "operator", attributes: [
            binary("add", .add), binary("sub", .subtract), binary("mul", .multiply), binary("truediv", .divide),
            binary("floordiv", .floorDivide), binary("mod", .modulo), binary("pow", .power), binary("matmul", .matmul),
            binary("and_", .bitAnd), binary("or_", .bitOr), binary("xor", .bitXor),
            compare("lt", .lt), compare("le", .le), compare("eq", .eq), compare("ne", .ne), compare("gt", .gt), compare("ge", .ge),
            ("neg", function("neg", ["a", "/"]) { a in try a.interpreter.unaryOperation(.negate, a.value("a")!, range: a.range) }),
            ("not_", function("not_", ["a", "/"]) { a in .bool(!(try a.interpreter.truthy(a.value("a")!, range: a.range))) }),
            ("itemgetter", function("itemgetter", ["*items"]) { a in
                let items = a.rest
                return .function(Function(name: "itemgetter", native: { args, interp in
                    guard let obj = args.positional.first else { throw PythonError(.TypeError, "itemgetter expected 1 argument, got 0") }
                    let got = try items.map { try interp.getItem(obj, $0, range: args.range) }
                    return got.count == 1 ? got[0] : .tuple(got)
                }))
            }),
            ("attrgetter", function("attrgetter", ["*attrs"]) { a in
                let names = try a.rest.map { v -> String in
                    guard case .string(let s) = v else { throw PythonError(.TypeError, "attribute name must be a string") }
                    return s
                }
                return .function(Function(name: "attrgetter", native: { args, interp in
                    guard let obj = args.positional.first else { throw PythonError(.TypeError, "attrgetter expected 1 argument, got 0") }
                    let got = try names.map { path in
                        try path.split(separator: ".").reduce(obj) { try interp.getAttribute($0, String($1), range: args.range) }
                    }
                    return got.count == 1 ? got[0] : .tuple(got)
                }))
            }),
        ])
    }
}

/// The correctly rounded sum of doubles (Shewchuk's algorithm, as Python's `math.fsum`).
func exactSum(_ xs: [Double]) -> Double {
    var partials: [Double] = []
    var special = 0.0
    for var x in xs {
        if !x.isFinite { special += x; continue }
        var i = 0
        for var y in partials {
            if abs(x) < abs(y) { swap(&x, &y) }
            let hi = x + y
            let lo = y - (hi - x)
            if lo != 0 { partials[i] = lo; i += 1 }
            x = hi
        }
        partials.removeSubrange(i...)
        partials.append(x)
    }
    if special != 0 || special.isNaN { return special }
    var n = partials.count
    guard n > 0 else { return 0 }
    n -= 1
    var hi = partials[n]
    var lo = 0.0
    while n > 0 {
        let x = hi
        n -= 1
        let y = partials[n]
        hi = x + y
        let yr = hi - x
        lo = y - yr
        if lo != 0 { break }
    }
    if n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0)) {
        let y = lo * 2
        let x = hi + y
        let yr = x - hi
        if y == yr { hi = x }
    }
    return hi
}
