import Tensor
import AD
import Printer
#if canImport(Glibc)
import Glibc
#endif

// `jax.random`: JAX's counter-based generator (`Tensor/Threefry.swift`), bit for bit: raw keys
// (`PRNGKey(0)`, a uint32 array `[0 0]`) and typed keys (`key(0)`, printed
// `Array((), dtype=key<fry>) overlaying:`), `split`, `fold_in`, `bits`, and the samplers of
// `Tensor/ThreefrySampling.swift`. A key is never consumed: the same key gives the same numbers.

extension Interpreter {
    func makeJAXRandomModule() -> Namespace {
        func key(_ a: BoundArguments, _ name: String = "key") throws -> Threefry.Key {
            try a.interpreter.jaxKey(a.value(name)!, range: a.range)
        }
        func shape(_ a: BoundArguments, _ name: String = "shape") throws -> [Int] {
            guard let v = a.value(name), !v.isNone else { return [] }
            let dims = try a.interpreter.indexValue(v).map { [$0] } ?? (try a.intList(name) ?? [])
            return try a.interpreter.jaxShape(dims, what: "jax.random." + a.builtin.name).dims
        }
        func floatType(_ a: BoundArguments) throws -> DType {
            let d = try a.dtype("dtype") ?? a.interpreter.jaxFloat
            guard d.isFloatingPoint else { throw a.fail("dtype argument must be a float dtype, got \(d.rawValue)", kind: .ValueError) }
            return a.interpreter.jaxX64 ? d : (d == .float64 ? .float32 : d)
        }
        func floats(_ values: [Double], _ s: [Int], _ d: DType, _ a: BoundArguments) throws -> Value {
            try a.interpreter.jaxArray(.tensor(Tensor(shape: Shape(s), doubles: values, dtype: d)))
        }
        func uniform(_ k: Threefry.Key, _ s: [Int], _ d: DType, _ lo: Double, _ hi: Double) -> [Double] {
            let n = s.reduce(1, *)
            if d == .float64 { return ThreefrySampling.uniform64(k, count: n, min: lo, max: hi) }
            return ThreefrySampling.uniform32(k, count: n, min: Float(lo), max: Float(hi)).map(Double.init)
        }
        let fns: [(String, Value)] = [
            ("PRNGKey", function("PRNGKey", ["seed", "impl=None"]) { a in
                let k = Threefry.seed(Int64(try a.int("seed")), x64: a.interpreter.jaxX64)
                return try a.interpreter.jaxKeyArray([k], shape: [], typed: false)
            }),
            ("key", function("key", ["seed", "impl=None"]) { a in
                let k = Threefry.seed(Int64(try a.int("seed")), x64: a.interpreter.jaxX64)
                return try a.interpreter.jaxKeyArray([k], shape: [], typed: true)
            }),
            ("key_data", function("key_data", ["keys"]) { a in
                guard case .instance(let i) = a.value("keys")!, let h = i.payload as? TensorHandle else { return a.value("keys")! }
                return try a.interpreter.jaxArray(h.value)
            }),
            ("wrap_key_data", function("wrap_key_data", ["key_bits_array", "impl=None"]) { a in
                let data = try a.interpreter.jnpArray(a, "key_bits_array").converted(to: .uint32)
                return .instance(Instance(cls: BuiltinTypes.jaxKeyType, payload: TensorHandle(data)))
            }),
            ("split", function("split", ["key", "num=2"]) { a in
                let (keys, typed) = try a.interpreter.jaxKeys(a.value("key")!, range: a.range)
                guard keys.count == 1 else { throw a.fail("split accepts a single key, but was given a key array of shape (\(keys.count),)", kind: .TypeError) }
                let dims = try shape(a, "num")
                return try a.interpreter.jaxKeyArray(Threefry.split(keys[0], count: dims.reduce(1, *)), shape: dims, typed: typed)
            }),
            ("fold_in", function("fold_in", ["key", "data"]) { a in
                let (_, typed) = try a.interpreter.jaxKeys(a.value("key")!, range: a.range)
                let key = try a.interpreter.jaxKey(a.value("key")!, range: a.range)
                let data = try a.int("data")
                guard data >= 0 && data <= Int(UInt32.max) || { if case .tensor = a.value("data")! { return true }; return false }() else {
                    throw PythonError(.OverflowError, "Python int \(data) too large to convert to uint32", at: a.range)
                }
                return try a.interpreter.jaxKeyArray([Threefry.foldIn(key, Int64(data))], shape: [], typed: typed)
            }),
            ("bits", function("bits", ["key", "shape=()", "dtype=None"]) { a in
                let k = try key(a), s = try shape(a), n = s.reduce(1, *)
                let d = try a.dtype("dtype") ?? .uint32
                let words = Threefry.bits32(k, count: n)
                let values = words.map { d == .uint8 ? Double($0 & 0xFF) : Double($0) }
                return try a.interpreter.jaxArray(.tensor(Tensor(shape: Shape(s), doubles: values, dtype: d == .uint8 ? .uint8 : .uint32)))
            }),
            ("uniform", function("uniform", ["key", "shape=()", "dtype=None", "minval=0.0", "maxval=1.0"]) { a in
                let k = try key(a), s = try shape(a), d = try floatType(a)
                return try floats(uniform(k, s, d, try a.double("minval"), try a.double("maxval")), s, d, a)
            }),
            ("normal", function("normal", ["key", "shape=()", "dtype=None"]) { a in
                let k = try key(a), s = try shape(a), d = try floatType(a), n = s.reduce(1, *)
                let values = d == .float64 ? ThreefrySampling.normal64(k, count: n) : ThreefrySampling.normal32(k, count: n).map(Double.init)
                return try floats(values, s, d, a)
            }),
            ("truncated_normal", function("truncated_normal", ["key", "lower", "upper", "shape=None", "dtype=None"]) { a in
                let k = try key(a), d = try floatType(a)
                let lower = try a.double("lower"), upper = try a.double("upper")
                let s = a.has("shape") ? try shape(a) : []
                let sqrt2 = Double(2).squareRoot()
                let lo = erf(lower / sqrt2), hi = erf(upper / sqrt2)
                let u = uniform(k, s, d, lo, hi)
                let values = u.map { x -> Double in
                    let v = d == .float64 ? sqrt2 * ThreefrySampling.erfInv64(x) : Double(Float(sqrt2) * ThreefrySampling.erfInv32(Float(x)))
                    return Swift.min(Swift.max(v, lower.nextUp), upper.nextDown)
                }
                return try floats(values, s, d, a)
            }),
            ("gumbel", function("gumbel", ["key", "shape=()", "dtype=None"]) { a in
                let k = try key(a), s = try shape(a)
                let u = ThreefrySampling.uniform32(k, count: s.reduce(1, *), min: .leastNormalMagnitude, max: 1)
                return try floats(u.map { Double(-ThreefrySampling.xlaLog(-ThreefrySampling.xlaLog($0))) }, s, .float32, a)
            }),
            ("bernoulli", function("bernoulli", ["key", "p=0.5", "shape=None"]) { a in
                let k = try key(a)
                let p = try a.interpreter.jnpArray(a, "p")
                let s = a.has("shape") ? try shape(a) : p.shape.dims
                let u = uniform(k, s, .float32, 0, 1)
                let u32 = try a.interpreter.jaxArray(.tensor(Tensor(shape: Shape(s), doubles: u, dtype: .float32)))
                return try a.interpreter.jaxArray(try Operand.compare(.lt, u32.operand!, p.converted(to: .float32)))
            }),
            ("randint", function("randint", ["key", "shape", "minval", "maxval", "dtype=None"]) { a in
                let k = try key(a), s = try shape(a)
                let d = try a.dtype("dtype") ?? (a.interpreter.jaxX64 ? .int64 : .int32)
                let lo = try a.int("minval"), hi = try a.int("maxval")
                for (name, v) in [("minval", lo), ("maxval", hi)] where v < Int(Int32.min) || v > Int(Int32.max) {
                    throw PythonError(.OverflowError, "Python int \(v) too large to convert to int32 (randint's \(name))", at: a.range)
                }
                // Narrow types are sampled as int32 between the bounds clipped to the type.
                var (low, high) = (Int64(lo), Int64(hi))
                if let range = Self.integerRange(d), range.max < Int64(Int32.max) {
                    low = Swift.min(Swift.max(low, range.min), range.max)
                    high = Swift.min(Swift.max(high, range.min), range.max + 1)
                }
                let values = ThreefrySampling.randint32(k, count: s.reduce(1, *), min: low, max: high)
                return try a.interpreter.jaxArray(.tensor(Tensor(shape: Shape(s), doubles: values.map(Double.init), dtype: d)))
            }),
            ("permutation", function("permutation", ["key", "x", "axis=0", "independent=False"]) { a in
                let i = a.interpreter, k = try key(a), x = a.value("x")!
                if let n = try i.indexValue(x), case .int = x {
                    _ = try i.jaxShape([n], what: "jax.random.permutation")
                    let order = ThreefrySampling.permutation(k, count: n)
                    return try i.jaxArray(.tensor(Tensor(shape: [n], doubles: order.map(Double.init), dtype: i.jaxX64 ? .int64 : .int32)))
                }
                let arr = try i.jnpArray(a, "x")
                let axis = try i.jnpAxis(try a.int("axis"), rank: arr.rank)
                let order = ThreefrySampling.permutation(k, count: arr.shape[axis])
                return try i.jaxArray(try arr.indexSelect(axis, .tensor(Tensor(shape: [order.count], int64: order.map(Int64.init)))))
            }),
            ("choice", function("choice", ["key", "a", "shape=()", "replace=True", "p=None", "axis=0"]) { a in
                let i = a.interpreter, k = try key(a), s = try shape(a), draws = s.reduce(1, *)
                let given = a.value("a")!
                var arr: Operand? = nil
                let n: Int
                if case .int(let m) = given { n = m } else { let o = try i.jnpArray(a, "a"); arr = o; n = o.shape[try i.jnpAxis(try a.int("axis"), rank: o.rank)] }
                _ = try i.jaxShape([Swift.max(n, 0)], what: "jax.random.choice")
                guard n > 0 else { throw PythonError(.ValueError, "a must be greater than 0 unless no samples are taken", at: a.range) }
                let replace = try a.bool("replace")
                if !replace && draws > n {
                    throw PythonError(.ValueError, "Cannot take a larger sample (size \(draws)) than population (size \(n)) when 'replace=False'", at: a.range)
                }
                var indices: [Int]
                if a.has("p") {
                    let p = try i.jnpArray(a, "p").converted(to: .float32).requireConcrete("choice's p").doubles.map { Float($0) }
                    guard p.count == n else { throw PythonError(.ValueError, "p must be None or a 1D vector with the same size as a.shape[axis]. p has shape (\(p.count),) and a.shape[axis] is \(n).", at: a.range) }
                    indices = ThreefrySampling.choice(k, p: p, count: draws, replace: replace)
                } else if replace {
                    indices = ThreefrySampling.randint32(k, count: draws, min: 0, max: Int64(n)).map { Int($0) }
                } else {
                    indices = Array(ThreefrySampling.permutation(k, count: n).prefix(draws))
                }
                let idx = Tensor(shape: [indices.count], int64: indices.map(Int64.init))
                guard let arr else { return try i.jaxArray(try Operand.tensor(idx).view(s)) }
                let axis = try i.jnpAxis(try a.int("axis"), rank: arr.rank)
                var dims = arr.shape.dims
                dims.replaceSubrange(axis...axis, with: s)
                return try i.jaxArray(try arr.indexSelect(axis, .tensor(idx)).view(dims))
            }),
            ("categorical", function("categorical", ["key", "logits", "axis=-1", "shape=None", "replace=True"]) { a in
                let i = a.interpreter, k = try key(a)
                let logits = try i.jnpFloating(try i.jnpArray(a, "logits"))
                let axis = try i.jnpAxis(try a.int("axis"), rank: logits.rank)
                var batch = logits.shape.dims
                batch.remove(at: axis)
                let s = a.has("shape") ? try shape(a) : batch
                // argmax(gumbel(key, shape + [n]) + logits) along the last axis.
                let n = logits.shape[axis]
                _ = try i.jaxShape(s + [n], what: "jax.random.categorical")
                let u = ThreefrySampling.uniform32(k, count: s.reduce(1, *) * n, min: .leastNormalMagnitude, max: 1)
                let g = Tensor(shape: Shape(s + [n]), doubles: u.map { Double(-ThreefrySampling.xlaLog(-ThreefrySampling.xlaLog($0))) }, dtype: .float32)
                let moved = try logits.movedim(axis, logits.rank - 1)
                return try i.jaxArray(try (Operand.tensor(g) + moved.converted(to: .float32)).argmax(s.count, max: true))
            }),
        ]
        return Namespace(name: "jax.random", attributes: fns + [("PRNGKeyArray", .type(BuiltinTypes.jaxKeyType))])
    }

    /// The smallest and largest value of an integer type.
    static func integerRange(_ d: DType) -> (min: Int64, max: Int64)? {
        switch d {
        case .uint8: return (0, 255)
        case .int8: return (-128, 127)
        case .int16: return (-32768, 32767)
        case .int32: return (Int64(Int32.min), Int64(Int32.max))
        case .uint32: return (0, Int64(UInt32.max))
        case .int64: return (Int64.min, Int64.max)
        case .bool, .float16, .bfloat16, .float32, .float64: return nil
        }
    }

    /// A raw key array (uint32, shape `shape + [2]`) or typed keys (`key<fry>`, shape `shape`).
    func jaxKeyArray(_ keys: [Threefry.Key], shape: [Int], typed: Bool) throws -> Value {
        let data = Tensor(shape: Shape(shape + [2]), storage: .uint32(keys.flatMap { [$0.0, $0.1] }))
        if typed { return .instance(Instance(cls: BuiltinTypes.jaxKeyType, payload: TensorHandle(.tensor(data)))) }
        return try jaxArray(.tensor(data))
    }

    /// The keys of a key argument (a raw uint32 array whose last axis is 2, or typed keys), and
    /// whether it was typed.
    func jaxKeys(_ v: Value, range: SourceRange?) throws -> ([Threefry.Key], Bool) {
        var typed = false
        var data: Tensor
        if case .instance(let i) = v, let h = i.payload as? TensorHandle, i.cls === BuiltinTypes.jaxKeyType {
            typed = true
            data = try h.value.requireConcrete("a random key")
        } else if case .tensor(let h) = v {
            data = try h.value.requireConcrete("a random key")
        } else {
            throw PythonError(.TypeError, "JAX random functions take a key (jax.random.key(0) or jax.random.PRNGKey(0)), not \(v.pyType.name)", at: range,
                              hint: "key = jax.random.key(0); then x = jax.random.normal(key, (3,))")
        }
        guard data.shape.dims.last == 2, !data.dtype.isFloatingPoint else {
            throw PythonError(.TypeError, "JAX encountered invalid PRNG key data: expected key_data.shape to end with (2,); got shape=\(NumPyFormatter.shapeTuple(data.shape.dims))",
                              at: range, hint: "make keys with jax.random.key(seed) or jax.random.PRNGKey(seed) and split them")
        }
        guard case .int64(let exact) = data.storage.widened() else {
            throw PythonError(.TypeError, "JAX random keys are unsigned integers, not \(data.dtype.rawValue)", at: range)
        }
        let words = exact.map { UInt32(truncatingIfNeeded: $0) }
        return (stride(from: 0, to: words.count, by: 2).map { (words[$0], words[$0 + 1]) }, typed)
    }

    /// The one key of a key argument.
    func jaxKey(_ v: Value, range: SourceRange?) throws -> Threefry.Key {
        let (keys, _) = try jaxKeys(v, range: range)
        guard keys.count == 1 else {
            throw PythonError(.ValueError, "this function takes a single key; got \(keys.count) keys", at: range, hint: "split the key and pass one of them, or vmap over the keys")
        }
        return keys[0]
    }
}

extension BuiltinTypes {
    /// Typed PRNG keys (`jax.random.key(0)`): `key<fry>` elements over uint32 key data.
    static let jaxKeyType: TypeObject = {
        func data(_ v: Value) -> TensorHandle? {
            if case .instance(let i) = v { return i.payload as? TensorHandle }
            return nil
        }
        func wrap(_ o: Operand) -> Value { .instance(Instance(cls: jaxKeyType, payload: TensorHandle(o))) }
        var s = Slots()
        s.repr = { _, v in
            guard let h = data(v), let t = h.concrete else { return "Array(<traced>, dtype=key<fry>)" }
            let dims = Array(t.shape.dims.dropLast())
            return "Array(\(NumPyFormatter.shapeTuple(dims)), dtype=key<fry>) overlaying:\n" + NumPyFormatter.str(t)
        }
        s.getItem = { interp, v, key in
            guard let h = data(v) else { return .none }
            return wrap(try interp.indexTensor(h.value, key))
        }
        s.length = { _, v in
            guard let h = data(v), h.rank > 1 else { throw PythonError(.TypeError, "len() of unsized object") }
            return h.shape[0]
        }
        s.iterate = { interp, v in
            guard let h = data(v), h.rank > 1 else { throw PythonError(.TypeError, "iteration over a 0-d key array") }
            let x = h.value
            var i = 0
            return PyIterator {
                guard i < x.shape[0] else { return nil }
                defer { i += 1 }
                return wrap(try x.subscripted([.index(i)]))
            }
        }
        s.getAttribute = { _, v, name in
            guard let h = data(v) else { return nil }
            switch name {
            case "shape": return .tuple(h.shape.dims.dropLast().map { .int($0) })
            case "ndim": return .int(h.rank - 1)
            case "size": return .int(h.shape.dims.dropLast().reduce(1, *))
            case "dtype": return .instance(Instance(cls: jaxKeyDType))
            default: return nil
            }
        }
        return TypeObject(name: "PRNGKeyArray", moduleName: "jax._src.prng", base: object, slots: s)
    }()

    /// The dtype of typed keys, `key<fry>`.
    static let jaxKeyDType: TypeObject = {
        var s = Slots()
        s.repr = { _, _ in "key<fry>" }
        return TypeObject(name: "PRNGKeyDType", moduleName: "jax._src.prng", base: object, slots: s)
    }()
}
