import Tensor
import AD
import Printer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `jax.numpy` (`jnp`): NumPy's names, argument names and semantics (`axis=`, `keepdims=`,
// `ddof=0`, `jnp.split` by sections or indices, `jnp.transpose(a, axes)`), computed by the shared
// tensor operations and returned as JAX arrays (64-bit types narrowed to 32 unless
// `jax_enable_x64` is on). These are JAX's functions, not the torch builtins under other names:
// `jnp.std(x)` divides by n, `jnp.max(x, axis=0)` returns values only, `jnp.arange(3)` is int32.
// The same functions are the methods of JAX arrays (`x.sum(axis=0)`, `x.reshape(2, 3)`).

extension Interpreter {
    /// Names of `jnp` functions that are also methods of JAX arrays.
    static let jaxArrayMethods = ["sum", "mean", "max", "min", "prod", "std", "var", "argmax", "argmin", "all", "any",
                                  "cumsum", "cumprod", "reshape", "transpose", "squeeze", "ravel", "flatten", "astype",
                                  "clip", "dot", "round", "sort", "argsort", "swapaxes", "take", "repeat", "trace",
                                  "conj", "real", "diagonal", "nonzero"]

    /// `x.name` for a JAX array when `name` is one of `jaxArrayMethods`: the `jnp` function bound to `x`.
    func jaxArrayMethod(_ h: TensorHandle, _ name: String) -> Value? {
        guard Interpreter.jaxArrayMethods.contains(name) else { return nil }
        let fname = name == "flatten" ? "ravel" : name
        guard let f = module(named: "jax.numpy")?.attribute(fname, self) else { return nil }
        return .function(Function.bound(f, to: .tensor(h), name: name))
    }

    /// The default float type of JAX arrays: float32, float64 with x64 on.
    var jaxFloat: DType { jaxX64 ? .float64 : .float32 }

    /// The `jax.numpy` module.
    func makeJAXNumPyModule() -> Namespace {
        var attrs: [(String, Value)] = [
            ("pi", .float(Double.pi)), ("e", .float(2.718281828459045)), ("inf", .float(.infinity)), ("nan", .float(.nan)),
            ("newaxis", .none), ("ndarray", .type(BuiltinTypes.jaxArray)),
        ]
        // Jacobi has no uint64: jnp.uint64 is uint32, what JAX gives with 64-bit types off.
        for (n, d) in [("float32", DType.float32), ("float64", .float64), ("float16", .float16), ("bfloat16", .bfloat16),
                       ("int32", .int32), ("int64", .int64), ("int16", .int16), ("int8", .int8), ("uint8", .uint8),
                       ("uint32", .uint32), ("uint64", .uint32), ("bool_", .bool)] {
            attrs.append((n, .instance(Instance(cls: BuiltinTypes.jaxScalarType, payload: d))))
        }
        attrs += jnpTypeInfo() + jnpCreation() + jnpElementwise() + jnpReductions() + jnpShapes() + jnpSorting()
        return Namespace(name: "jax.numpy", attributes: attrs, resolve: { interp, n in
            interp.module(named: "jax.numpy." + n).map { .namespace($0) }
        }, resolvableNames: { _ in ["linalg"] })
    }

    /// `jax.numpy.linalg`.
    func makeJAXLinalgModule() -> Namespace {
        Namespace(name: "jax.numpy.linalg", attributes: jnpLinalgFunctions())
    }

    // MARK: - Helpers

    /// A `jnp` function: `body` computes a value whose tensors are returned as JAX arrays, weakly
    /// typed when every argument named in `weakFrom` is (Python scalars, weak arrays). Errors
    /// about shapes are `TypeError`s, as in JAX.
    func jnp(_ name: String, _ params: [String], weakFrom: [String] = [], _ body: @escaping (BoundArguments) throws -> Value) -> (String, Value) {
        (name, function(name, params, qualname: "jax.numpy." + name) { [unowned self] a in
            let weak = !weakFrom.isEmpty && weakFrom.allSatisfy { n in
                switch a.value(n) {
                case .int?, .float?: return true
                case .tensor(let h)?: return h.api == .jax(weak: true)
                default: return false
                }
            }
            return try self.jaxValue(try self.jaxShapeErrorsAsTypeErrors { try body(a) }, weak: weak)
        })
    }

    /// An array argument: JAX arrays, tensors, numbers and nested lists (ints are int32, floats
    /// float32, as JAX makes them).
    func jnpArray(_ a: BoundArguments, _ name: String) throws -> Operand {
        guard let v = a.value(name) else { throw a.fail("missing required argument '\(name)'") }
        return try jnpOperand(v, range: a.range)
    }

    /// A value as an operand the way `jnp.asarray` reads it.
    func jnpOperand(_ v: Value, range: SourceRange?) throws -> Operand {
        if case .tensor(let h) = v { return h.operand }
        var o = try toOperand(v, what: "array", range: range)
        if o.dtype == .int64 && !jaxX64 { o = try o.converted(to: .int32) }
        if o.dtype == .float32 && jaxX64, !containsTensor(v) { o = try toOperand(v, what: "array", range: range, dtype: .float64) }
        return o
    }

    private func containsTensor(_ v: Value) -> Bool {
        switch v {
        case .tensor: return true
        case .list(let l): return l.items.contains(where: containsTensor)
        case .tuple(let t): return t.contains(where: containsTensor)
        default: return false
        }
    }

    /// `jnp.array(x, dtype)`/`jnp.asarray`: a Python int or float without a dtype gives a weakly
    /// typed array, as in JAX.
    func jnpAsArray(_ a: BoundArguments, _ name: String) throws -> Value {
        var o = try jnpArray(a, name)
        let d = try a.dtype("dtype")
        if let d { o = try o.converted(to: d) }
        var weak = false
        switch a.value(name)! {
        case .int, .float: weak = d == nil
        case .tensor(let h): weak = d == nil && h.api == .jax(weak: true)
        default: break
        }
        return try jaxArray(o, weak: weak)
    }

    /// An `axis=` argument: nil (all axes), one axis, or a tuple of axes, each checked against the
    /// array's rank and made non-negative.
    func jnpAxes(_ a: BoundArguments, _ name: String = "axis", rank: Int? = nil) throws -> [Int]? {
        guard let axes = try a.intList(name) else { return nil }
        guard let rank else { return axes }
        return try axes.map { try jnpAxis($0, rank: rank) }
    }

    /// One axis checked against a rank (NumPy's `AxisError` is a `ValueError`).
    func jnpAxis(_ axis: Int, rank: Int) throws -> Int {
        guard rank > 0 && axis >= -rank && axis < rank else {
            throw PythonError(.ValueError, "axis \(axis) is out of bounds for array of dimension \(rank)")
        }
        return axis < 0 ? axis + rank : axis
    }

    /// The shape of an array a JAX function makes, checked: no negative sizes, and within the
    /// memory limit (`:set memlimit`).
    func jaxShape(_ dims: [Int], dtype: DType = .float32, what: String) throws -> Shape {
        let shape = try checkedShape(dims)
        try checkAllocation(elements: shape.elementCount, bytesPerElement: max(dtype.byteSize, 4), what: what)
        return shape
    }

    /// Floating-point operand for functions that need one (`mean` of ints is float).
    func jnpFloating(_ o: Operand) throws -> Operand {
        o.dtype.isFloatingPoint ? o : try o.converted(to: jaxFloat)
    }

    // MARK: - Type information

    private func jnpTypeInfo() -> [(String, Value)] {
        [
            ("finfo", function("finfo", ["dtype"]) { a in
                guard let d = try a.dtype("dtype"), d.isFloatingPoint else { throw a.fail("finfo takes a floating point dtype", kind: .ValueError) }
                let (eps, maxV, tiny, bits): (Double, Double, Double, Int)
                switch d {
                case .float64: (eps, maxV, tiny, bits) = (Double.ulpOfOne, Double.greatestFiniteMagnitude, Double.leastNormalMagnitude, 64)
                case .float16: (eps, maxV, tiny, bits) = (Double(Float16.ulpOfOne), Double(Float16.greatestFiniteMagnitude), Double(Float16.leastNormalMagnitude), 16)
                case .bfloat16: (eps, maxV, tiny, bits) = (0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 16)
                default: (eps, maxV, tiny, bits) = (Double(Float.ulpOfOne), Double(Float.greatestFiniteMagnitude), Double(Float.leastNormalMagnitude), 32)
                }
                func scalar(_ v: Double) throws -> Value { try a.interpreter.jaxArray(.scalar(v, d)) }
                return .instance(Instance(cls: BuiltinTypes.object, attributes: [
                    "eps": try scalar(eps), "max": try scalar(maxV), "min": try scalar(-maxV), "tiny": try scalar(tiny),
                    "smallest_normal": try scalar(tiny), "bits": .int(bits), "dtype": .instance(Instance(cls: BuiltinTypes.numpyDType, payload: d)),
                ]))
            }),
            ("iinfo", function("iinfo", ["int_type"]) { a in
                guard let d = try a.dtype("int_type"), d.isInteger else { throw a.fail("iinfo takes an integer dtype", kind: .ValueError) }
                let (lo, hi): (Int, Int)
                switch d {
                case .uint8: (lo, hi) = (0, 255)
                case .int8: (lo, hi) = (-128, 127)
                case .int16: (lo, hi) = (-32768, 32767)
                case .uint32: (lo, hi) = (0, Int(UInt32.max))
                case .int64: (lo, hi) = (Int.min, Int.max)
                default: (lo, hi) = (Int(Int32.min), Int(Int32.max))
                }
                return .instance(Instance(cls: BuiltinTypes.object, attributes: ["min": .int(lo), "max": .int(hi), "bits": .int(d.byteSize * 8)]))
            }),
        ]
    }

    // MARK: - Creation

    private func jnpCreation() -> [(String, Value)] {
        func shape(_ a: BoundArguments, _ n: String) throws -> [Int] {
            guard let v = a.value(n) else { return [] }
            if let i = try indexValue(v) { return [i] }
            return try a.intList(n) ?? []
        }
        func dtypeOr(_ a: BoundArguments, _ d: DType) throws -> DType { try a.dtype("dtype") ?? d }
        return [
            jnp("array", ["object", "dtype=None", "copy=True", "order='K'", "ndmin=0"]) { [unowned self] a in
                try self.jnpAsArray(a, "object")
            },
            jnp("asarray", ["a", "dtype=None", "order=None", "copy=None"]) { [unowned self] a in
                try self.jnpAsArray(a, "a")
            },
            jnp("zeros", ["shape", "dtype=None"]) { [unowned self] a in
                .tensor(TensorHandle(.tensor(Tensor.full(try self.jaxShape(try shape(a, "shape"), what: "jnp.zeros"), 0, dtype: try dtypeOr(a, self.jaxFloat)))))
            },
            jnp("ones", ["shape", "dtype=None"]) { [unowned self] a in
                .tensor(TensorHandle(.tensor(Tensor.full(try self.jaxShape(try shape(a, "shape"), what: "jnp.ones"), 1, dtype: try dtypeOr(a, self.jaxFloat)))))
            },
            jnp("full", ["shape", "fill_value", "dtype=None"]) { [unowned self] a in
                let fill = try self.jnpArray(a, "fill_value")
                let d = try a.dtype("dtype") ?? fill.dtype
                return .tensor(TensorHandle(try fill.converted(to: d).broadcast(to: try self.jaxShape(try shape(a, "shape"), what: "jnp.full"))))
            },
            jnp("empty", ["shape", "dtype=None"]) { [unowned self] a in
                .tensor(TensorHandle(.tensor(Tensor.full(try self.jaxShape(try shape(a, "shape"), what: "jnp.empty"), 0, dtype: try dtypeOr(a, self.jaxFloat)))))
            },
            jnp("zeros_like", ["a", "dtype=None", "shape=None"]) { [unowned self] a in
                let x = try self.jnpArray(a, "a")
                return .tensor(TensorHandle(.tensor(Tensor.full(x.shape, 0, dtype: try dtypeOr(a, x.dtype)))))
            },
            jnp("ones_like", ["a", "dtype=None", "shape=None"]) { [unowned self] a in
                let x = try self.jnpArray(a, "a")
                return .tensor(TensorHandle(.tensor(Tensor.full(x.shape, 1, dtype: try dtypeOr(a, x.dtype)))))
            },
            jnp("full_like", ["a", "fill_value", "dtype=None", "shape=None"]) { [unowned self] a in
                let x = try self.jnpArray(a, "a")
                return .tensor(TensorHandle(try self.jnpArray(a, "fill_value").converted(to: try dtypeOr(a, x.dtype)).broadcast(to: x.shape)))
            },
            jnp("eye", ["N", "M=None", "k=0", "dtype=None"]) { [unowned self] a in
                let n = try a.int("N"), m = try a.optionalInt("M") ?? n
                _ = try self.jaxShape([n, m], what: "jnp.eye")
                let k = Swift.min(Swift.max(try a.int("k"), -n), m)
                var values = [Double](repeating: 0, count: n * m)
                for i in 0..<n where i + k >= 0 && i + k < m { values[i * m + i + k] = 1 }
                return .tensor(TensorHandle(.tensor(Tensor(shape: [n, m], doubles: values, dtype: try dtypeOr(a, self.jaxFloat)))))
            },
            jnp("identity", ["n", "dtype=None"]) { [unowned self] a in
                let n = try a.int("n")
                _ = try self.jaxShape([n, n], what: "jnp.identity")
                var values = [Double](repeating: 0, count: n * n)
                for i in 0..<n { values[i * n + i] = 1 }
                return .tensor(TensorHandle(.tensor(Tensor(shape: [n, n], doubles: values, dtype: try dtypeOr(a, self.jaxFloat)))))
            },
            jnp("arange", ["start", "stop=None", "step=None", "dtype=None"]) { [unowned self] a in
                var bounds = [a.value("start")!, a.value("stop")!, a.value("step")!]
                if bounds[1].isNone { bounds = [.int(0), bounds[0], bounds[2]] }
                if bounds[2].isNone { bounds[2] = .int(1) }
                let isFloat = bounds.contains { if case .float = $0 { return true }; return false }
                let nums = try bounds.map { v -> Double in
                    guard let n = Number(v) else { throw a.fail("arange: bounds must be numbers") }
                    return try n.double()
                }
                guard nums[2] != 0 else { throw PythonError(.ValueError, "arange: step must not be zero") }
                let steps = ((nums[1] - nums[0]) / nums[2]).rounded(.up)
                guard steps.isFinite else { throw PythonError(.ValueError, "arange: the bounds must be finite") }
                let count = Int(max(0, min(steps, 1e15)))
                _ = try self.jaxShape([count], what: "jnp.arange")
                let d = try a.dtype("dtype") ?? (isFloat ? self.jaxFloat : (self.jaxX64 ? .int64 : .int32))
                let values = (0..<count).map { nums[0] + Double($0) * nums[2] }
                return .tensor(TensorHandle(.tensor(Tensor(shape: [count], doubles: values, dtype: d))))
            },
            jnp("linspace", ["start", "stop", "num=50", "endpoint=True", "retstep=False", "dtype=None", "axis=0"]) { [unowned self] a in
                let lo = try a.double("start"), hi = try a.double("stop"), n = try a.int("num")
                guard n >= 0 else { throw PythonError(.ValueError, "Number of samples, \(n), must be non-negative.") }
                _ = try self.jaxShape([n], what: "jnp.linspace")
                let endpoint = try a.bool("endpoint")
                let div = Double(endpoint ? max(n - 1, 1) : max(n, 1))
                let step = (hi - lo) / div
                // NumPy: start + i * step, with the last value exactly `stop` when it is included.
                var values = (0..<n).map { lo + Double($0) * step }
                if endpoint && n > 1 { values[n - 1] = hi }
                let d = try a.dtype("dtype") ?? self.jaxFloat
                return .tensor(TensorHandle(.tensor(Tensor(shape: [n], doubles: values, dtype: d))))
            },
        ]
    }

    // MARK: - Elementwise

    private func jnpElementwise() -> [(String, Value)] {
        var out: [(String, Value)] = []
        let unaries: [(String, UnaryOp)] = [("sin", .sin), ("cos", .cos), ("exp", .exp), ("log", .log), ("tanh", .tanh),
                                            ("sqrt", .sqrt), ("abs", .abs), ("absolute", .abs), ("sign", .sign),
                                            ("log1p", .log1p), ("expm1", .expm1), ("floor", .floor), ("ceil", .ceil),
                                            ("negative", .neg), ("logical_not", .not), ("arcsin", .asin), ("arccos", .acos),
                                            ("arctan", .atan)]
        for (n, op) in unaries {
            out.append(jnp(n, ["x"], weakFrom: ["x"]) { [unowned self] a in
                var x = try self.jnpArray(a, "x")
                if op == .not { x = try Operand.compare(.ne, x, x.constant(0)) }
                let transcendental: Set<UnaryOp> = [.sin, .cos, .exp, .log, .tanh, .sqrt, .log1p, .expm1, .asin, .acos, .atan]
                if transcendental.contains(op) { x = try self.jnpFloating(x) }
                return .tensor(TensorHandle(try x.unary(op)))
            })
        }
        func unary(_ n: String, _ f: @escaping (Operand) throws -> Operand) {
            out.append(jnp(n, ["x"], weakFrom: ["x"]) { [unowned self] a in .tensor(TensorHandle(try f(try self.jnpArray(a, "x")))) })
        }
        unary("square") { try $0 * $0 }
        unary("tan") { x in let f = try self.jnpFloating(x); return try f.unary(.sin) / f.unary(.cos) }
        unary("reciprocal") { x in let f = try self.jnpFloating(x); return try f.constant(1) / f }
        unary("log2") { x in let f = try self.jnpFloating(x); return try f.unary(.log) / f.constant(log(2.0)) }
        unary("log10") { x in let f = try self.jnpFloating(x); return try f.unary(.log) / f.constant(log(10.0)) }
        unary("exp2") { x in let f = try self.jnpFloating(x); return try (f * f.constant(log(2.0))).unary(.exp) }
        unary("sinh") { x in let f = try self.jnpFloating(x); return try (f.unary(.exp) - f.unary(.neg).unary(.exp)) / f.constant(2) }
        unary("cosh") { x in let f = try self.jnpFloating(x); return try (f.unary(.exp) + f.unary(.neg).unary(.exp)) / f.constant(2) }
        unary("isnan") { try Operand.compare(.ne, $0, $0) }
        unary("isinf") { x in try Operand.compare(.eq, x.unary(.abs), x.constant(.infinity)) }
        unary("isfinite") { x in try Operand.binary(.and, Operand.compare(.eq, x, x), Operand.compare(.ne, x.unary(.abs), x.constant(.infinity))) }
        unary("trunc") { x in x.dtype.isFloatingPoint ? try x.unary(.sign) * x.unary(.abs).unary(.floor) : x }
        unary("real") { $0 }
        unary("conj") { $0 }
        out.append(jnp("round", ["a", "decimals=0"], weakFrom: ["a"]) { [unowned self] a in
            let x = try self.jnpArray(a, "a"), d = try a.int("decimals")
            guard x.dtype.isFloatingPoint else { return .tensor(TensorHandle(x)) }
            if d == 0 { return .tensor(TensorHandle(try x.unary(.round))) }
            let scale = x.constant(pow(10, Double(d)))
            return .tensor(TensorHandle(try (x * scale).unary(.round) / scale))
        })
        let binaries: [(String, BinaryOperator)] = [("add", .add), ("subtract", .subtract), ("multiply", .multiply),
                                                    ("divide", .divide), ("true_divide", .divide), ("power", .power),
                                                    ("floor_divide", .floorDivide), ("mod", .modulo), ("remainder", .modulo),
                                                    ("matmul", .matmul)]
        for (n, op) in binaries {
            out.append(jnp(n, ["x1", "x2"], weakFrom: ["x1", "x2"]) { [unowned self] a in
                let (x, y) = try self.jnpPair(a, "x1", "x2")
                return .tensor(TensorHandle(try self.tensorBinary(op, x, y)))
            })
        }
        let extrema: [(String, BinaryOp)] = [("maximum", .max), ("minimum", .min), ("logical_and", .and), ("logical_or", .or), ("logical_xor", .xor)]
        for (n, op) in extrema {
            out.append(jnp(n, ["x1", "x2"], weakFrom: ["x1", "x2"]) { [unowned self] a in
                var (x, y) = try self.jnpPair(a, "x1", "x2")
                if n.hasPrefix("logical") { x = try Operand.compare(.ne, x, x.constant(0)); y = try Operand.compare(.ne, y, y.constant(0)) }
                return .tensor(TensorHandle(try Operand.binary(op, x, y)))
            })
        }
        out.append(jnp("arctan2", ["x1", "x2"], weakFrom: ["x1", "x2"]) { [unowned self] a in
            let (y, x) = try self.jnpPair(a, "x1", "x2")
            return .tensor(TensorHandle(try Operand.atan2(y, x)))
        })
        let comparisons: [(String, CompareOp)] = [("equal", .eq), ("not_equal", .ne), ("greater", .gt), ("greater_equal", .ge),
                                                  ("less", .lt), ("less_equal", .le)]
        for (n, op) in comparisons {
            out.append(jnp(n, ["x1", "x2"]) { [unowned self] a in
                let (x, y) = try self.jnpPair(a, "x1", "x2")
                return .tensor(TensorHandle(try Operand.compare(op, x, y)))
            })
        }
        out.append(jnp("where", ["condition", "x=None", "y=None"]) { [unowned self] a in
            let c = try self.jnpArray(a, "condition")
            guard a.has("x") else { throw a.fail("jnp.where(condition) with one argument is not supported in Jacobi", hint: "use jnp.nonzero(condition)") }
            let (x, y) = try self.jnpPair(a, "x", "y")
            return .tensor(TensorHandle(try Operand.select(try Operand.compare(.ne, c, c.constant(0)), x, y)))
        })
        out.append(jnp("clip", ["arr=None", "min=None", "max=None", "|a=None", "|a_min=None", "|a_max=None"], weakFrom: ["arr"]) { [unowned self] a in
            let x = try self.jnpOperand(a.has("arr") ? a.value("arr")! : a.value("a")!, range: a.range)
            let lo = a.has("min") ? a.value("min")! : a.value("a_min")!, hi = a.has("max") ? a.value("max")! : a.value("a_max")!
            var r = x
            if !lo.isNone { r = try Operand.binary(.max, r, try self.scalarOperand(lo, like: x) ?? self.jnpOperand(lo, range: a.range)) }
            if !hi.isNone { r = try Operand.binary(.min, r, try self.scalarOperand(hi, like: x) ?? self.jnpOperand(hi, range: a.range)) }
            return .tensor(TensorHandle(r))
        })
        out.append(jnp("astype", ["x", "dtype", "copy=False"]) { [unowned self] a in
            .tensor(TensorHandle(try self.jnpArray(a, "x").converted(to: try a.dtype("dtype") ?? self.jaxFloat)))
        })
        out.append(jnp("allclose", ["a", "b", "rtol=1e-05", "atol=1e-08", "equal_nan=False"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a", "b")
            let close = try self.jnpIsClose(x, y, rtol: try a.double("rtol"), atol: try a.double("atol"), equalNaN: try a.bool("equal_nan"))
            return .tensor(TensorHandle(try close.extremum(max: false)))
        })
        out.append(jnp("isclose", ["a", "b", "rtol=1e-05", "atol=1e-08", "equal_nan=False"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a", "b")
            return .tensor(TensorHandle(try self.jnpIsClose(x, y, rtol: try a.double("rtol"), atol: try a.double("atol"), equalNaN: try a.bool("equal_nan"))))
        })
        out.append(jnp("array_equal", ["a1", "a2", "equal_nan=False"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a1", "a2")
            guard x.shape == y.shape else { return .tensor(TensorHandle(.scalar(0, .bool))) }
            return .tensor(TensorHandle(try Operand.compare(.eq, x, y).extremum(max: false)))
        })
        return out
    }

    /// Two array arguments; a Python number takes the other's type (JAX's weak scalars).
    func jnpPair(_ a: BoundArguments, _ n1: String, _ n2: String) throws -> (Operand, Operand) {
        let v1 = a.value(n1)!, v2 = a.value(n2)!
        switch (v1, v2) {
        case (.tensor, _), (_, .tensor): return try broadcastPair(v1, v2, range: a.range)
        default:
            let x = try jnpOperand(v1, range: a.range)
            if let y = try scalarOperand(v2, like: x) { return (x, y) }
            return (x, try jnpOperand(v2, range: a.range))
        }
    }

    /// `|x - y| <= atol + rtol * |y|` elementwise (NumPy's asymmetric test).
    func jnpIsClose(_ x: Operand, _ y: Operand, rtol: Double, atol: Double, equalNaN: Bool) throws -> Operand {
        let (p, q) = try Operand.promoted(try jnpFloating(x), try jnpFloating(y))
        let diff = try (p - q).unary(.abs)
        let bound = try q.unary(.abs) * q.constant(rtol) + q.constant(atol)
        var close = try Operand.binary(.or, Operand.compare(.le, diff, bound), Operand.compare(.eq, p, q))
        if equalNaN { close = try Operand.binary(.or, close, Operand.binary(.and, Operand.compare(.ne, p, p), Operand.compare(.ne, q, q))) }
        return close
    }

    // MARK: - Reductions

    private func jnpReductions() -> [(String, Value)] {
        var out: [(String, Value)] = []
        func reduction(_ n: String, _ extra: [String] = [], floating: Bool = false,
                       _ f: @escaping (Operand, [Int]?, Bool, BoundArguments) throws -> Operand) {
            out.append(jnp(n, ["a", "axis=None", "dtype=None", "out=None", "keepdims=False"] + extra, weakFrom: ["a"]) { [unowned self] a in
                var x = try self.jnpArray(a, "a")
                if let d = try a.dtype("dtype") { x = try x.converted(to: d) }
                if floating { x = try self.jnpFloating(x) }
                if x.dtype == .bool && ["sum", "prod"].contains(n) { x = try x.converted(to: self.jaxX64 ? .int64 : .int32) }
                return .tensor(TensorHandle(try f(x, try self.jnpAxes(a, rank: x.rank), try a.bool("keepdims"), a)))
            })
        }
        reduction("sum") { x, axes, keep, _ in try x.sum(axes, keepdim: keep) }
        reduction("mean", floating: true) { x, axes, keep, _ in try x.mean(axes, keepdim: keep) }
        reduction("max", ["initial=None", "where=None"]) { x, axes, keep, _ in try x.extremum(max: true, axes, keepdim: keep) }
        reduction("amax", ["initial=None", "where=None"]) { x, axes, keep, _ in try x.extremum(max: true, axes, keepdim: keep) }
        reduction("min", ["initial=None", "where=None"]) { x, axes, keep, _ in try x.extremum(max: false, axes, keepdim: keep) }
        reduction("amin", ["initial=None", "where=None"]) { x, axes, keep, _ in try x.extremum(max: false, axes, keepdim: keep) }
        reduction("prod") { [unowned self] x, axes, keep, _ in try self.jnpProduct(x, axes, keepdims: keep) }
        reduction("var", ["ddof=0"], floating: true) { x, axes, keep, a in try x.variance(axes, correction: try a.int("ddof"), keepdim: keep) }
        reduction("std", ["ddof=0"], floating: true) { x, axes, keep, a in try x.variance(axes, correction: try a.int("ddof"), keepdim: keep).unary(.sqrt) }
        reduction("all") { x, axes, keep, _ in try Operand.compare(.ne, x, x.constant(0)).extremum(max: false, axes, keepdim: keep) }
        reduction("any") { x, axes, keep, _ in try Operand.compare(.ne, x, x.constant(0)).extremum(max: true, axes, keepdim: keep) }
        reduction("count_nonzero") { [unowned self] x, axes, keep, _ in
            try Operand.compare(.ne, x, x.constant(0)).converted(to: self.jaxX64 ? .int64 : .int32).sum(axes, keepdim: keep)
        }
        reduction("nanmean", floating: true) { x, axes, keep, _ in
            let ok = try Operand.compare(.eq, x, x)
            let zeroed = try Operand.select(ok, x, x.constant(0))
            return try zeroed.sum(axes, keepdim: keep) / ok.converted(to: x.dtype).sum(axes, keepdim: keep)
        }
        reduction("nansum") { x, axes, keep, _ in try Operand.select(Operand.compare(.eq, x, x), x, x.constant(0)).sum(axes, keepdim: keep) }
        reduction("median", floating: true) { [unowned self] x, axes, keep, _ in try self.jnpQuantile(x, axes, 0.5, keepdims: keep) }
        for (n, isMax) in [("argmax", true), ("argmin", false)] {
            out.append(jnp(n, ["a", "axis=None", "out=None", "keepdims=False"]) { [unowned self] a in
                let x = try self.jnpArray(a, "a")
                return .tensor(TensorHandle(try x.argmax(try a.optionalInt("axis"), max: isMax, keepdim: try a.bool("keepdims"))))
            })
        }
        for (n, isProduct) in [("cumsum", false), ("cumprod", true)] {
            out.append(jnp(n, ["a", "axis=None", "dtype=None", "out=None"]) { [unowned self] a in
                var x = try self.jnpArray(a, "a")
                if let d = try a.dtype("dtype") { x = try x.converted(to: d) }
                if x.dtype == .bool { x = try x.converted(to: self.jaxX64 ? .int64 : .int32) }
                var axis = try a.optionalInt("axis") ?? 0
                if a.value("axis")!.isNone { x = try x.flatten() }
                axis = try self.jnpAxis(axis, rank: x.rank)
                return .tensor(TensorHandle(try self.jnpScan(x, axis: axis, multiply: isProduct)))
            })
        }
        return out
    }

    /// The product over `axes`, as a left-to-right chain of multiplications of slices.
    func jnpProduct(_ x: Operand, _ axes: [Int]?, keepdims: Bool) throws -> Operand {
        var r = x
        let all = try (axes ?? Array(0..<x.rank)).map { try jnpAxis($0, rank: x.rank) }
        for axis in Set(all).sorted(by: >) {
            let n = r.shape[axis]
            var acc: Operand
            if n == 0 {
                acc = .tensor(Tensor.full(Shape(r.shape.dims.enumerated().map { $0.offset == axis ? 1 : $0.element }), 1, dtype: r.dtype))
            } else {
                acc = try r.narrowed(axis, 0, 1)
                for i in stride(from: 1, to: n, by: 1) { acc = try acc * r.narrowed(axis, i, 1) }
            }
            r = keepdims ? acc : try acc.squeeze(axis)
        }
        return r
    }

    /// Running sums (products) along `axis`: element i combines elements 0...i left to right.
    func jnpScan(_ x: Operand, axis: Int, multiply: Bool) throws -> Operand {
        let n = x.shape[axis]
        guard n > 1 else { return x }
        var parts = [try x.narrowed(axis, 0, 1)]
        for i in 1..<n {
            let next = try x.narrowed(axis, i, 1)
            parts.append(multiply ? try parts[i - 1] * next : try parts[i - 1] + next)
        }
        return try Operand.cat(parts, dim: axis)
    }

    /// The `q` quantile over `axes` (linear interpolation between the sorted values, NumPy's
    /// default), computed on concrete values.
    func jnpQuantile(_ x: Operand, _ axes: [Int]?, _ q: Double, keepdims: Bool) throws -> Operand {
        let t = try x.requireConcrete("jnp.median (sorting needs concrete values in Jacobi)")
        let all = try (axes ?? Array(0..<t.rank)).map { try jnpAxis($0, rank: t.rank) }
        let kept = (0..<t.rank).filter { !all.contains($0) }
        let moved = try Operand.tensor(t).permuted(kept + all).requireConcrete("median")
        let groups = kept.reduce(1) { $0 * t.shape[$1] }, n = all.reduce(1) { $0 * t.shape[$1] }
        let values = moved.doubles
        var result: [Double] = []
        for g in 0..<groups where n > 0 {
            let sorted = values[(g * n)..<((g + 1) * n)].sorted()
            let pos = q * Double(n - 1)
            let lo = Int(pos.rounded(.down)), hi = min(lo + 1, n - 1)
            result.append(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - Double(lo)))
        }
        if n == 0 { result = Array(repeating: .nan, count: groups) }
        var dims = kept.map { t.shape[$0] }
        if keepdims { dims = (0..<t.rank).map { all.contains($0) ? 1 : t.shape[$0] } }
        return .tensor(Tensor(shape: Shape(dims), doubles: result, dtype: t.dtype))
    }

    // MARK: - Shapes

    private func jnpShapes() -> [(String, Value)] {
        var out: [(String, Value)] = []
        func shapeFunction(_ n: String, _ params: [String], _ f: @escaping (Operand, BoundArguments) throws -> Operand) {
            out.append(jnp(n, params, weakFrom: [params[0]]) { [unowned self] a in .tensor(TensorHandle(try f(try self.jnpArray(a, params[0]), a))) })
        }
        func ints(_ v: Value, _ a: BoundArguments) throws -> [Int] {
            if let i = try indexValue(v) { return [i] }
            return try collect(v, range: a.range).map { try indexValue($0) ?? 0 }
        }
        shapeFunction("reshape", ["a", "*args", "|shape=None", "|newshape=None", "|order='C'"]) { x, a in
            var dims: [Int]
            if a.has("shape") { dims = try a.intList("shape")! } else if a.has("newshape") { dims = try a.intList("newshape")! } else {
                let rest = a.rest
                dims = rest.count == 1 ? try ints(rest[0], a) : try rest.map { try self.indexValue($0) ?? 0 }
            }
            return try x.view(dims)
        }
        shapeFunction("ravel", ["a", "order='C'"]) { x, _ in try x.flatten() }
        shapeFunction("transpose", ["a", "*args", "|axes=None"]) { x, a in
            var perm: [Int] = []
            if a.has("axes") { perm = try a.intList("axes")! }
            else if a.rest.count == 1, !a.rest[0].isNone { perm = try ints(a.rest[0], a) }
            else if a.rest.count > 1 { perm = try a.rest.map { try self.indexValue($0) ?? 0 } }
            if perm.isEmpty { perm = Array((0..<x.rank).reversed()) }
            return try x.permute(perm)
        }
        shapeFunction("swapaxes", ["a", "axis1", "axis2"]) { x, a in try x.transpose(try a.int("axis1"), try a.int("axis2")) }
        shapeFunction("moveaxis", ["a", "source", "destination"]) { x, a in try x.movedim(try a.int("source"), try a.int("destination")) }
        shapeFunction("expand_dims", ["a", "axis"]) { x, a in
            var r = x
            for ax in (try a.intList("axis") ?? []).sorted() { r = try r.unsqueeze(ax < 0 ? ax + r.rank + 1 : ax) }
            return r
        }
        shapeFunction("squeeze", ["a", "axis=None"]) { x, a in
            guard let axes = try a.intList("axis") else { return try x.squeeze() }
            var r = x
            for ax in Set(try axes.map { try self.jnpAxis($0, rank: x.rank) }).sorted(by: >) {
                guard r.shape[ax] == 1 else {
                    throw PythonError(.ValueError, "cannot select an axis to squeeze out which has size not equal to one, got shape=\(NumPyFormatter.shapeTuple(x.shape.dims)) and dimensions=(\(ax),)")
                }
                r = try r.squeeze(ax)
            }
            return r
        }
        shapeFunction("broadcast_to", ["array", "shape"]) { x, a in try x.broadcast(to: Shape(try a.intList("shape") ?? [])) }
        shapeFunction("atleast_1d", ["x"]) { x, _ in x.rank == 0 ? try x.view([1]) : x }
        shapeFunction("atleast_2d", ["x"]) { x, _ in x.rank == 0 ? try x.view([1, 1]) : x.rank == 1 ? try x.unsqueeze(0) : x }
        shapeFunction("flip", ["m", "axis=None"]) { x, a in
            var r = x
            for ax in try a.intList("axis") ?? Array(0..<x.rank) {
                let d = try self.jnpAxis(ax, rank: x.rank)
                let n = r.shape[d]
                r = try r.indexSelect(d, .tensor(Tensor(shape: [n], int64: (0..<n).reversed().map(Int64.init))))
            }
            return r
        }
        shapeFunction("roll", ["a", "shift", "axis=None"]) { x, a in
            let shift = try a.int("shift")
            guard let axis = try a.optionalInt("axis") else {
                let flat = try x.flatten()
                let n = flat.shape[0]
                guard n > 0 else { return x }
                let s = ((shift % n) + n) % n
                return try Operand.cat([flat.narrowed(0, n - s, s), flat.narrowed(0, 0, n - s)], dim: 0).view(x.shape.dims)
            }
            let d = try self.jnpAxis(axis, rank: x.rank), n = x.shape[d]
            guard n > 0 else { return x }
            let s = ((shift % n) + n) % n
            return try Operand.cat([x.narrowed(d, n - s, s), x.narrowed(d, 0, n - s)], dim: d)
        }
        shapeFunction("tile", ["A", "reps"]) { x, a in
            let reps = try a.intList("reps") ?? []
            guard reps.allSatisfy({ $0 >= 0 }) else { throw PythonError(.ValueError, "tile: reps must be non-negative, got \(reps)") }
            var dims = x.shape.dims
            while dims.count < reps.count { dims.insert(1, at: 0) }
            let fullReps = Array(repeating: 1, count: dims.count - reps.count) + reps
            let outDims = try zip(dims, fullReps).map { d, k -> Int in
                let (p, o) = d.multipliedReportingOverflow(by: k)
                if o { throw PythonError(.ValueError, "tile: the result's size overflows") }
                return p
            }
            let outShape = try self.jaxShape(outDims, dtype: x.dtype, what: "jnp.tile")
            if outShape.elementCount == 0 { return .tensor(Tensor.full(outShape, 0, dtype: x.dtype)) }
            var r = x
            while r.rank < reps.count { r = try r.unsqueeze(0) }
            let full = Array(repeating: 1, count: r.rank - reps.count) + reps
            for (d, k) in full.enumerated() where k != 1 {
                r = k == 0 ? try r.narrowed(d, 0, 0) : try Operand.cat(Array(repeating: r, count: k), dim: d)
            }
            return r
        }
        shapeFunction("repeat", ["a", "repeats", "axis=None", "|total_repeat_length=None"]) { x, a in
            let k = try a.int("repeats")
            guard k >= 0 else { throw PythonError(.ValueError, "repeat: repeats may not contain negative values, got \(k)") }
            _ = try self.jaxShape([x.shape.elementCount, k], dtype: x.dtype, what: "jnp.repeat")
            var r = x, axis = try a.optionalInt("axis") ?? 0
            if a.value("axis")!.isNone { r = try x.flatten(); axis = 0 }
            let d = try self.jnpAxis(axis, rank: r.rank)
            var dims = r.shape.dims
            let expanded = try r.unsqueeze(d + 1)
            var big = expanded.shape.dims
            big[d + 1] = k
            dims[d] *= k
            return try expanded.broadcast(to: Shape(big)).view(dims)
        }
        shapeFunction("diagonal", ["a", "offset=0", "axis1=0", "axis2=1"]) { x, a in
            try x.diagonal(offset: try a.int("offset"), dim1: try a.int("axis1"), dim2: try a.int("axis2"))
        }
        shapeFunction("diag", ["v", "k=0"]) { x, a in
            let k = try a.int("k")
            if x.rank == 1 {
                guard k == 0 else { throw a.fail("jnp.diag(v, k) with k != 0 for a vector is not supported in Jacobi") }
                return try x.diagEmbed()
            }
            return try x.diagonal(offset: k)
        }
        shapeFunction("trace", ["a", "offset=0", "axis1=0", "axis2=1", "dtype=None"]) { x, a in
            try x.diagonal(offset: try a.int("offset"), dim1: try a.int("axis1"), dim2: try a.int("axis2")).sum([-1])
        }
        for (n, lower) in [("tril", true), ("triu", false)] {
            shapeFunction(n, ["m", "k=0"]) { x, a in
                guard x.rank >= 2 else { throw PythonError(.ValueError, "jnp.\(n) needs an array of at least two dimensions, got \(x.rank)") }
                let k = try a.int("k"), rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1]
                var mask = [Bool](repeating: false, count: rows * cols)
                for i in 0..<rows { for j in 0..<cols { mask[i * cols + j] = lower ? j - i <= k : j - i >= k } }
                return try Operand.select(.tensor(Tensor(shape: [rows, cols], bool: mask)), x, x.constant(0))
            }
        }
        shapeFunction("take", ["a", "indices", "axis=None", "|mode=None", "|fill_value=None"]) { x, a in
            let idx = try self.jnpArray(a, "indices")
            guard let axis = try a.optionalInt("axis") else { return try x.flatten().indexSelect(0, idx.flatten()).view(idx.shape.dims) }
            let d = try self.jnpAxis(axis, rank: x.rank)
            let picked = try x.indexSelect(d, idx.flatten())
            var dims = x.shape.dims
            dims.replaceSubrange(d...d, with: idx.shape.dims)
            return try picked.view(dims)
        }
        for (n, isStack) in [("concatenate", false), ("stack", true), ("hstack", false), ("vstack", false), ("column_stack", true)] {
            out.append(jnp(n, ["arrays", "axis=0", "|dtype=None"]) { [unowned self] a in
                var parts = try self.collect(a.value("arrays")!, range: a.range).map { try self.jnpOperand($0, range: a.range) }
                var axis = try a.int("axis")
                switch n {
                case "hstack": axis = parts.first.map { $0.rank <= 1 ? 0 : 1 } ?? 0
                case "vstack": parts = try parts.map { $0.rank == 0 ? try $0.view([1, 1]) : $0.rank == 1 ? try $0.unsqueeze(0) : $0 }; axis = 0
                case "column_stack": axis = 1
                default: break
                }
                if parts.count > 1 {
                    let d = parts.dropFirst().reduce(parts[0].dtype) { DType.promote($0, $1.dtype) }
                    parts = try parts.map { try $0.converted(to: d) }
                }
                return .tensor(TensorHandle(isStack ? try Operand.stack(parts, dim: axis) : try Operand.cat(parts, dim: axis)))
            })
        }
        out.append(jnp("split", ["ary", "indices_or_sections", "axis=0"]) { [unowned self] a in
            let x = try self.jnpArray(a, "ary")
            let d = try self.jnpAxis(try a.int("axis"), rank: x.rank), n = x.shape[d]
            var bounds: [Int]
            if let k = try self.indexValue(a.value("indices_or_sections")!) {
                _ = try self.jaxShape([Swift.max(k, 0)], what: "jnp.split")
                guard k > 0, n % k == 0 else { throw PythonError(.ValueError, "array split does not result in an equal division: \(n) into \(k)") }
                bounds = (0...k).map { $0 * n / k }
            } else {
                bounds = [0] + (try a.intList("indices_or_sections") ?? []).map { min(max($0 < 0 ? $0 + n : $0, 0), n) } + [n]
            }
            var parts: [Value] = []
            for i in 0..<(bounds.count - 1) {
                let lo = bounds[i], hi = max(bounds[i], bounds[i + 1])
                parts.append(.tensor(TensorHandle(try x.narrowed(d, lo, hi - lo))))
            }
            return .list(parts)
        })
        out.append(jnp("shape", ["a"]) { [unowned self] a in .tuple(try self.jnpArray(a, "a").shape.dims.map { .int($0) }) })
        out.append(jnp("ndim", ["a"]) { [unowned self] a in .int(try self.jnpArray(a, "a").rank) })
        out.append(jnp("size", ["a", "axis=None"]) { [unowned self] a in .int(try self.jnpArray(a, "a").shape.elementCount) })
        out.append(jnp("diag_indices", ["n", "ndim=2"]) { [unowned self] a in
            let n = try a.int("n"), k = try a.int("ndim")
            guard n >= 0, k >= 0, k <= 64 else { throw PythonError(.ValueError, "diag_indices: n and ndim must be non-negative") }
            _ = try self.jaxShape([n, k], what: "jnp.diag_indices")
            let idx = Tensor(shape: [n], doubles: (0..<n).map(Double.init), dtype: self.jaxX64 ? .int64 : .int32)
            return .tuple(Array(repeating: .tensor(TensorHandle(.tensor(idx))), count: k))
        })
        out.append(jnp("einsum", ["subscripts", "*operands", "|optimize=None", "|precision=None"]) { [unowned self] a in
            let ops = try a.rest.map { try self.jnpOperand($0, range: a.range) }
            return .tensor(TensorHandle(try Operand.einsum(try a.string("subscripts"), ops)))
        })
        out.append(jnp("dot", ["a", "b"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a", "b")
            if x.rank == 0 || y.rank == 0 { return .tensor(TensorHandle(try x * y)) }
            return .tensor(TensorHandle(try x.matmul(y)))
        })
        out.append(jnp("vdot", ["a", "b"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a", "b")
            return .tensor(TensorHandle(try x.flatten().matmul(y.flatten())))
        })
        out.append(jnp("inner", ["a", "b"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a", "b")
            return .tensor(TensorHandle(try (x * y).sum([-1])))
        })
        out.append(jnp("outer", ["a", "b"]) { [unowned self] a in
            let (x, y) = try self.jnpPair(a, "a", "b")
            return .tensor(TensorHandle(try x.flatten().unsqueeze(1) * y.flatten().unsqueeze(0)))
        })
        return out
    }

    // MARK: - Sorting (concrete values)

    private func jnpSorting() -> [(String, Value)] {
        func sortedIndices(_ x: Operand, axis: Int, _ name: String) throws -> (Tensor, [Int], Int) {
            let t = try x.requireConcrete("jnp.\(name) (sorting needs concrete values in Jacobi)")
            let d = try self.jnpAxis(axis, rank: t.rank)
            let moved = try Operand.tensor(t).movedim(d, t.rank - 1).requireConcrete(name)
            let n = t.shape[d], values = moved.doubles
            var order: [Int] = []
            for g in 0..<(n == 0 ? 0 : values.count / n) {
                let base = g * n
                // NaNs last, ties in order (a stable sort).
                order += (0..<n).sorted { i, j in
                    let p = values[base + i], q = values[base + j]
                    if p.isNaN || q.isNaN { return (!p.isNaN && q.isNaN) || (p.isNaN == q.isNaN && i < j) }
                    return p < q || (p == q && i < j)
                }
            }
            return (moved, order, d)
        }
        return [
            jnp("sort", ["a", "axis=-1", "kind=None", "order=None", "|stable=True", "|descending=False"]) { [unowned self] a in
                let x = try self.jnpArray(a, "a")
                let (moved, order, d) = try sortedIndices(x, axis: try a.int("axis"), "sort")
                let n = moved.shape.dims.last ?? 1
                let values = moved.doubles
                let out = order.enumerated().map { values[($0.offset / max(n, 1)) * n + $0.element] }
                return .tensor(TensorHandle(try Operand.tensor(Tensor(shape: moved.shape, doubles: out, dtype: moved.dtype)).movedim(moved.rank - 1, d)))
            },
            jnp("argsort", ["a", "axis=-1", "kind=None", "order=None", "|stable=True", "|descending=False"]) { [unowned self] a in
                let x = try self.jnpArray(a, "a")
                let (moved, order, d) = try sortedIndices(x, axis: try a.int("axis"), "argsort")
                return .tensor(TensorHandle(try Operand.tensor(Tensor(shape: moved.shape, doubles: order.map(Double.init), dtype: .int32)).movedim(moved.rank - 1, d)))
            },
            jnp("nonzero", ["a", "|size=None", "|fill_value=None"]) { [unowned self] a in
                let t = try self.jnpArray(a, "a").requireConcrete("jnp.nonzero")
                let strides = t.shape.strides
                let hits = t.doubles.enumerated().filter { $0.element != 0 }.map(\.offset)
                return .tuple((0..<t.rank).map { d in
                    .tensor(TensorHandle(.tensor(Tensor(shape: [hits.count], doubles: hits.map { Double($0 / strides[d] % t.shape[d]) }, dtype: .int32))))
                })
            },
            jnp("searchsorted", ["a", "v", "side='left'", "sorter=None", "|method='scan'"]) { [unowned self] a in
                let sorted = try self.jnpArray(a, "a").requireConcrete("jnp.searchsorted").doubles
                let v = try self.jnpArray(a, "v").requireConcrete("jnp.searchsorted")
                let right = try a.string("side") == "right"
                let found = v.doubles.map { x in Double(sorted.filter { right ? $0 <= x : $0 < x }.count) }
                return .tensor(TensorHandle(.tensor(Tensor(shape: v.shape, doubles: found, dtype: .int32))))
            },
        ]
    }

    // MARK: - Linear algebra

    private func jnpLinalgFunctions() -> [(String, Value)] {
        func matrix(_ n: String, _ f: @escaping (Operand) throws -> Operand) -> (String, Value) {
            jnp(n, ["a"]) { [unowned self] a in .tensor(TensorHandle(try f(try self.jnpFloating(try self.jnpArray(a, "a"))))) }
        }
        return [
            matrix("inv") { try $0.inverse() },
            matrix("det") { try $0.det() },
            matrix("pinv") { try $0.pinv() },
            jnp("solve", ["a", "b"]) { [unowned self] a in
                let (x, y) = try self.jnpPair(a, "a", "b")
                return .tensor(TensorHandle(try x.solve(y)))
            },
            jnp("svd", ["a", "full_matrices=True", "compute_uv=True", "hermitian=False"]) { [unowned self] a in
                let x = try self.jnpFloating(try self.jnpArray(a, "a"))
                if try !a.bool("compute_uv") { return .tensor(TensorHandle(try x.svdvals())) }
                let r = try x.svd(fullMatrices: try a.bool("full_matrices"))
                return .tuple([.tensor(TensorHandle(r.u)), .tensor(TensorHandle(r.s)), .tensor(TensorHandle(r.vh))])
            },
            jnp("norm", ["x", "ord=None", "axis=None", "keepdims=False"]) { [unowned self] a in
                let x = try self.jnpFloating(try self.jnpArray(a, "x"))
                let axes = try self.jnpAxes(a), keep = try a.bool("keepdims")
                let ord = a.value("ord")!
                var frobenius = ord.isNone
                if case .string("fro") = ord { frobenius = true }
                if frobenius { return .tensor(TensorHandle(try (x * x).sum(axes, keepdim: keep).unary(.sqrt))) }
                let p = try a.double("ord")
                if p == .infinity { return .tensor(TensorHandle(try x.unary(.abs).extremum(max: true, axes, keepdim: keep))) }
                if p == 1 { return .tensor(TensorHandle(try x.unary(.abs).sum(axes, keepdim: keep))) }
                let powered = try Operand.binary(.pow, x.unary(.abs), x.constant(p)).sum(axes, keepdim: keep)
                return .tensor(TensorHandle(try Operand.binary(.pow, powered, powered.constant(1 / p))))
            },
        ]
    }
}

extension BuiltinTypes {
    /// `jnp.float32` and the other scalar types: callable (`jnp.float32(2.5)` is a 0-d array),
    /// usable as `dtype=` and equal to `x.dtype`.
    static let jaxScalarType: TypeObject = {
        var s = Slots()
        s.call = { interp, v, args in
            guard case .instance(let i) = v, let d = i.payload as? DType, let x = args.positional.first else {
                throw PythonError(.TypeError, "a scalar type takes one argument")
            }
            return try interp.jaxArray(try interp.jnpOperand(x, range: args.range).converted(to: d))
        }
        s.repr = { _, v in
            guard case .instance(let i) = v, let d = i.payload as? DType else { return "" }
            return "<class 'jax.numpy.\(d == .bool ? "bool" : d.rawValue)'>"
        }
        s.compare = { _, op, a, b in
            guard op == .eq || op == .ne, case .instance(let i) = a, let x = i.payload as? DType else { return nil }
            var same = false
            if case .instance(let j) = b, let y = j.payload as? DType { same = x == y }
            if case .dtype(let y) = b { same = x == y }
            return .bool(op == .eq ? same : !same)
        }
        s.getAttribute = { _, v, name in
            guard case .instance(let i) = v, let d = i.payload as? DType else { return nil }
            if name == "dtype" { return .instance(Instance(cls: numpyDType, payload: d)) }
            if name == "__name__" { return .string(d.rawValue) }
            return nil
        }
        return TypeObject(name: "_ScalarMeta", moduleName: "jax._src.numpy.scalar_types", base: object, slots: s)
    }()
}

extension Operand {
    /// `length` entries of `axis` from `start` (`x.narrow(axis, start, length)`).
    func narrowed(_ axis: Int, _ start: Int, _ length: Int) throws -> Operand {
        var items = [IndexItem](repeating: .slice(start: nil, stop: nil, step: nil), count: rank)
        items[axis] = .slice(start: start, stop: start + length, step: 1)
        return try subscripted(items)
    }
}
