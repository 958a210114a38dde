import Tensor
import AD
import Printer

// `jax.Array`: the class of values that JAX's operations (`jnp.*`, `jax.random.*`, the `jax`
// transforms) make. Underneath it is the one tensor type (`.tensor(handle)` with `handle.api`
// `.jax`); the class gives it JAX's face: NumPy's printing (`[1. 2.]`,
// `Array([1., 2.], dtype=float32)`), `shape` as a tuple, `dtype` as NumPy's, NumPy's method names
// and arguments (`x.sum(axis=0, keepdims=True)`, `x.astype(jnp.int32)`), immutability (`x.at[i].set(v)`
// instead of `x[i] = v`). Operators and indexing give JAX arrays: a mixed expression takes the
// class of its left operand (of the tensor, when the left one is a number).

extension BuiltinTypes {
    /// `jax.Array` (`jaxlib._jax.ArrayImpl`).
    static let jaxArray: TypeObject = makeJAXArrayType()

    /// The `x.at` helper of a JAX array, and `x.at[idx]`'s updater.
    static let jaxIndexHelper: TypeObject = makeJAXIndexHelperType()

    nonisolated(unsafe) private static var jaxErrors: [String: TypeObject] = [:]

    /// A class of `jax.errors` (`TracerBoolConversionError`, ...): a `TypeError`.
    static func jaxError(_ name: String) -> TypeObject {
        if let t = jaxErrors[name] { return t }
        let base = exception(.TypeError)
        let t = TypeObject(name: name, moduleName: "jax.errors", base: base, slots: base.slots, construct: base.construct)
        jaxErrors[name] = t
        return t
    }
}

private func makeJAXArrayType() -> TypeObject {
    var s = tensorSlots()
    let torch = tensorSlots()
    func weak(_ v: Value) -> Bool {
        switch v {
        case .tensor(let h): return h.api == .jax(weak: true)
        case .int, .float, .bool: return true
        default: return false
        }
    }
    s.binary = { interp, op, v, other, reflected in
        guard let r = try interp.jaxShapeErrorsAsTypeErrors({ try torch.binary!(interp, op, v, other, reflected) }) else { return nil }
        return try interp.jaxValue(r, weak: weak(v) && weak(other))
    }
    s.unary = { interp, op, v in
        guard let r = try torch.unary!(interp, op, v) else { return nil }
        return try interp.jaxValue(r, weak: weak(v))
    }
    s.compare = { interp, op, a, b in
        guard let r = try torch.compare!(interp, op, a, b) else { return nil }
        return try interp.jaxValue(r)
    }
    s.getItem = { interp, v, key in
        guard case .tensor(let h) = v else { return .none }
        let clamped = interp.jaxClampedIndex(key, h.shape.dims)
        return try interp.jaxValue(.tensor(try interp.indexTensor(h.operand, clamped)), weak: weak(v))
    }
    s.setItem = { _, v, _, _ in
        throw PythonError(.TypeError, "JAX arrays are immutable and do not support in-place item assignment. Instead of x[idx] = y, use x = x.at[idx].set(y) or another .at[] method",
                          hint: "x = x.at[idx].set(y); also .add, .multiply, .min, .max")
    }
    s.inPlace = nil
    s.iterate = { interp, v in
        guard case .tensor(let h) = v else { return PyIterator([]) }
        guard h.rank > 0 else { throw PythonError(.TypeError, "iteration over a 0-d array") }
        let x = h.operand
        var i = 0
        return PyIterator {
            guard i < x.shape[0] else { return nil }
            defer { i += 1 }
            return try interp.jaxValue(.tensor(try x.subscripted([.index(i)])))
        }
    }
    s.truth = { interp, v in
        guard case .tensor(let h) = v else { return true }
        if case .tracer = h.value { throw interp.tracerBoolError() }
        let t = try h.value.requireConcrete("using an array as a condition")
        guard t.elementCount == 1 else {
            throw PythonError(.ValueError, "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
        }
        return t.scalarValue! != 0
    }
    s.repr = { interp, v in
        guard case .tensor(let h) = v else { return "" }
        guard let t = h.concrete else { return interp.tracerRepr(h) }
        return NumPyFormatter.jaxRepr(t, weakType: h.api == .jax(weak: true))
    }
    s.str = { interp, v in
        guard case .tensor(let h) = v else { return "" }
        guard let t = h.concrete else { return interp.tracerRepr(h) }
        return NumPyFormatter.str(t)
    }
    s.format = { interp, v, spec in
        guard case .tensor(let h) = v else { return "" }
        if h.rank == 0, let t = h.concrete, !spec.isEmpty {
            if t.dtype.isFloatingPoint { return try interp.format(.float(t.scalarValue!), spec) }
            if t.dtype == .bool { return try interp.format(.bool(t.scalarValue! != 0), spec) }
            guard case .int64(let exact) = t.storage.widened() else { return "" }
            return try interp.format(.int(Int(exact[0])), spec)
        }
        guard spec.isEmpty else { throw PythonError(.TypeError, "unsupported format string passed to ArrayImpl.__format__") }
        return try interp.strOf(v)
    }
    s.getAttribute = { interp, v, name in
        guard case .tensor(let h) = v else { return nil }
        return try interp.jaxArrayAttribute(h, name)
    }
    s.setAttribute = { _, _, name, _ in
        throw PythonError(.AttributeError, "'ArrayImpl' object attribute '\(name)' is read-only")
    }
    s.attributeNames = { interp, _ in
        ["shape", "dtype", "ndim", "size", "T", "at", "itemsize", "nbytes", "block_until_ready", "item", "tolist"] + Interpreter.jaxArrayMethods
    }
    return TypeObject(name: "ArrayImpl", moduleName: "jaxlib._jax", base: BuiltinTypes.object, slots: s)
}

private func makeJAXIndexHelperType() -> TypeObject {
    var s = Slots()
    // `x.at` holds the array; `x.at[idx]` holds the array and the index.
    s.getItem = { _, v, key in
        guard case .instance(let i) = v, let h = i.payload as? TensorHandle else { return .none }
        return .instance(Instance(cls: BuiltinTypes.jaxIndexHelper, payload: JAXIndexedArray(array: h, index: key)))
    }
    s.getAttribute = { interp, v, name in
        guard case .instance(let i) = v, let p = i.payload as? JAXIndexedArray else { return nil }
        return try interp.jaxIndexUpdate(p, name)
    }
    s.repr = { _, v in
        if case .instance(let i) = v, i.payload is JAXIndexedArray { return "_IndexUpdateRef" }
        return "_IndexUpdateHelper"
    }
    return TypeObject(name: "_IndexUpdateHelper", moduleName: "jax._src.numpy.array_methods", base: BuiltinTypes.object, slots: s)
}

/// `x.at[idx]`: the array and the index an update method applies to.
struct JAXIndexedArray {
    let array: TensorHandle
    let index: Value
}

extension Interpreter {
    /// A tensor operation's result as a JAX array (a new object; the value is shared): 64-bit
    /// types become 32-bit unless `jax_enable_x64` is on; `weak` marks a weakly typed value.
    func jaxArray(_ o: Operand, weak: Bool = false) throws -> Value {
        var o = o.untracked
        if !jaxX64 {
            if o.dtype == .int64 { o = try o.converted(to: .int32) }
            if o.dtype == .float64 { o = try o.converted(to: .float32) }
        }
        let h = TensorHandle(o)
        h.api = .jax(weak: weak)
        return .tensor(h)
    }

    /// Every tensor in a pytree (tuples, lists, dicts) as a JAX array.
    func jaxValue(_ v: Value, weak: Bool = false) throws -> Value {
        switch v {
        case .tensor(let h):
            // A JAX array keeps its own weak type; a tensor becomes a JAX array, weak if told.
            if case .jax(let w) = h.api {
                if jaxX64 || (h.dtype != .int64 && h.dtype != .float64) { return v }
                return try jaxArray(h.value, weak: w)
            }
            return try jaxArray(h.value, weak: weak)
        case .tuple(let items): return .tuple(try items.map { try jaxValue($0, weak: weak) })
        case .list(let l): return .list(try l.items.map { try jaxValue($0, weak: weak) })
        case .dict(let d):
            let out = DictObject(flavor: d.flavor)
            for (k, x) in d.pairs { out[try HashKey(k)] = try jaxValue(x, weak: weak) }
            return .dict(out)
        default: return v
        }
    }

    /// JAX's text for a value being traced (`print` inside `jit`/`grad`/`vmap`): `JitTracer(float32[3])`.
    func tracerRepr(_ h: TensorHandle) -> String {
        let o = h.value
        return "JitTracer(\(NumPyFormatter.numpyName(o.dtype))[\(o.shape.dims.map(String.init).joined(separator: ","))])"
    }

    /// JAX's error for Python control flow on a traced value (`jax.errors.TracerBoolConversionError`,
    /// a `TypeError`).
    func tracerBoolError() -> PythonError {
        var e = PythonError(exception: Instance(cls: BuiltinTypes.jaxError("TracerBoolConversionError"),
                                                attributes: ["args": .tuple([.string("Attempted boolean conversion of traced array: Python control flow (if, while, and, or, not) needs a concrete value, and inside jit, grad or vmap the value is abstract")])]))
        e.hint = "use jax.lax.cond(pred, true_fun, false_fun, x) or jnp.where(pred, a, b); or make the argument static: jit(f, static_argnums=...)"
        return e
    }

    /// `body`, with errors about shapes raised as `TypeError`s, as JAX raises them.
    func jaxShapeErrorsAsTypeErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            let e = pythonError(from: error)
            let m = e.message
            if e.isInstance(of: .RuntimeError), m.contains("needs a concrete value") {
                var c = PythonError(.TypeError, "Shapes and sizes must be concrete values, not traced ones: " + m, at: e.range,
                                    hint: "pass the size as a static argument: jit(f, static_argnums=...)")
                c.source = e.source
                throw c
            }
            guard e.isInstance(of: .RuntimeError),
                  m.contains("shape") || m.contains("size") || m.contains("broadcast") || m.contains("dimension") else { throw e }
            var t = PythonError(.TypeError, m, at: e.range, hint: e.hint)
            t.source = e.source
            throw t
        }
    }

    /// A tensor's concrete value for a Python conversion (`float(x)`, `int(x)`); a JAX array being
    /// traced raises JAX's `ConcretizationTypeError`.
    func jaxConcrete(_ h: TensorHandle, _ what: String) throws -> Tensor {
        if h.api != .torch, case .tracer = h.value {
            var e = PythonError(exception: Instance(cls: BuiltinTypes.jaxError("ConcretizationTypeError"),
                                                    attributes: ["args": .tuple([.string("Abstract tracer value encountered where concrete value is expected: \(what) of a traced array inside jit, grad or vmap")])]))
            e.hint = "keep the value an array (jnp functions work on traced values), or make the argument static: jit(f, static_argnums=...)"
            throw e
        }
        return try h.value.requireConcrete(what)
    }

    /// `x.name` for JAX arrays.
    func jaxArrayAttribute(_ h: TensorHandle, _ name: String) throws -> Value? {
        let o = h.value
        switch name {
        case "shape": return .tuple(o.shape.dims.map { .int($0) })
        case "dtype": return .instance(Instance(cls: BuiltinTypes.numpyDType, payload: o.dtype))
        case "ndim": return .int(o.rank)
        case "size": return .int(o.shape.elementCount)
        case "itemsize": return .int(o.dtype.byteSize)
        case "nbytes": return .int(o.dtype.byteSize * o.shape.elementCount)
        case "weak_type": return .bool(h.api == .jax(weak: true))
        case "T", "mT":
            var perm = Array((0..<o.rank).reversed())
            if name == "mT" {
                guard o.rank >= 2 else { throw PythonError(.ValueError, "Matrix transpose requires an array of at least 2 dimensions, got \(o.rank)") }
                perm = Array(0..<o.rank); perm.swapAt(o.rank - 2, o.rank - 1)
            }
            return try jaxArray(try o.permuted(perm), weak: h.api == .jax(weak: true))
        case "at": return .instance(Instance(cls: BuiltinTypes.jaxIndexHelper, payload: h))
        case "block_until_ready", "copy", "item", "tolist", "__array__":
            return native(name, ["*args"]) { [unowned self] a in
                switch name {
                case "item":
                    let t = try h.value.requireConcrete("item()")
                    guard t.elementCount == 1 else { throw PythonError(.ValueError, "can only convert an array of size 1 to a Python scalar") }
                    return try self.call(try self.getAttribute(.tensor(TensorHandle(.tensor(t))), "item", range: a.range), CallArguments([]), range: a.range)
                case "tolist":
                    return try self.call(try self.getAttribute(.tensor(TensorHandle(h.value)), "tolist", range: a.range), CallArguments([]), range: a.range)
                case "copy": return try self.jaxArray(h.value, weak: h.api == .jax(weak: true))
                default: return .tensor(h)
                }
            }
        default: break
        }
        if let method = jaxArrayMethod(h, name) { return method }
        return nil
    }

    /// `x.at[idx].set(v)` and the other functional updates: a new array. Updates at indices out
    /// of bounds are dropped and `get` clamps them (or gives `fill_value` with `mode="fill"`), as
    /// in JAX; `add` at repeated indices accumulates (a scatter-add).
    func jaxIndexUpdate(_ p: JAXIndexedArray, _ name: String) throws -> Value? {
        let updates = ["set", "add", "multiply", "mul", "divide", "power", "min", "max", "get", "apply"]
        guard updates.contains(name) else { return nil }
        return native(name, ["values=None", "|indices_are_sorted=False", "|unique_indices=False", "|mode=None", "|fill_value=None"]) { [unowned self] a in
            let x = p.array.value
            let weak = p.array.api == .jax(weak: true)
            let inBounds = self.jaxIntegerIndexInBounds(p.index, x.shape.dims)
            if name == "get" {
                if !inBounds, case .string("fill")? = a.value("mode"), a.has("fill_value") {
                    let shape = try self.indexTensor(x, self.jaxClampedIndex(p.index, x.shape.dims)).shape
                    return try self.jaxArray(try self.jnpOperand(a.value("fill_value")!, range: a.range).converted(to: x.dtype).broadcast(to: shape))
                }
                return try self.jaxValue(.tensor(try self.indexTensor(x, self.jaxClampedIndex(p.index, x.shape.dims))))
            }
            guard inBounds else { return try self.jaxArray(x, weak: weak) }
            let given = a.value("values")!
            if let i = self.jaxTracedIndex(p.index), x.rank > 0 {
                // A traced index (inside jit): the update applied where a one-hot mask is set.
                let v = try self.toOperand(given, what: "values", range: a.range).converted(to: x.dtype)
                let positions = Operand.tensor(Tensor(shape: [x.shape[0]], doubles: (0..<x.shape[0]).map(Double.init), dtype: .int64))
                var mask = try Operand.compare(.eq, positions, i.converted(to: .int64))
                for _ in 1..<max(x.rank, 1) { mask = try mask.unsqueeze(mask.rank) }
                let full: Operand
                switch name {
                case "set": full = try v.broadcast(to: x.shape)
                case "add": full = try x + v
                case "multiply", "mul": full = try x * v
                case "divide": full = try x / v
                case "power": full = try Operand.binary(.pow, x, v)
                case "min": full = try Operand.binary(.min, x, v)
                case "max": full = try Operand.binary(.max, x, v)
                default: throw a.fail("x.at[i].\(name) with an index traced inside jit is not supported in Jacobi", kind: .NotImplementedError)
                }
                return try self.jaxArray(try Operand.select(mask, full.converted(to: x.dtype), x), weak: weak)
            }
            if name == "add", let idx = try self.jaxScatterIndex(p.index) {
                let v = try self.toOperand(given, what: "values", range: a.range).converted(to: x.dtype)
                // index_add is the transpose of a gather, so it is computed in floating point;
                // integers go through float64, exact for counts and sums below 2^53.
                let wide: DType = x.dtype.isFloatingPoint ? x.dtype : .float64
                let source = try v.converted(to: wide).broadcast(to: Shape([idx.shape.elementCount] + Array(x.shape.dims.dropFirst())))
                let r = try self.call(self.registryValue("index_add")!, CallArguments([.tensor(TensorHandle(try x.converted(to: wide))), .int(0), .tensor(TensorHandle(idx.flatten())), .tensor(TensorHandle(source))]), range: a.range)
                return try self.jaxArray(try r.operand!.converted(to: x.dtype), weak: weak)
            }
            let current = try self.indexTensor(x, p.index)
            var update: Operand
            if name == "apply" {
                update = try self.toOperand(try self.call(given, CallArguments([.tensor(TensorHandle(current))]), range: a.range), what: "apply", range: a.range)
            } else {
                let v = try self.toOperand(given, what: "values", range: a.range)
                switch name {
                case "set": update = v
                case "add": update = try current + v
                case "multiply", "mul": update = try current * v
                case "divide": update = try current / v
                case "power": update = try Operand.binary(.pow, current, v)
                case "min": update = try Operand.binary(.min, current, v)
                default: update = try Operand.binary(.max, current, v)
                }
            }
            update = try update.converted(to: x.dtype)
            let copy = TensorHandle(x)
            try self.writeItem(copy, p.index, .tensor(TensorHandle(update)))
            return try self.jaxArray(copy.value, weak: weak)
        }
    }

    /// A 0-d integer index whose value is being traced (`x.at[i]` inside `jit`).
    func jaxTracedIndex(_ index: Value) -> Operand? {
        guard case .tensor(let h) = index, h.rank == 0, !h.dtype.isFloatingPoint, h.dtype != .bool, h.concrete == nil else { return nil }
        return h.operand
    }

    /// Whether the integer parts of an index are within the shape (slices always are).
    func jaxIntegerIndexInBounds(_ index: Value, _ dims: [Int]) -> Bool {
        let items: [Value]
        if case .tuple(let t) = index { items = t } else { items = [index] }
        for (d, item) in items.enumerated() where d < dims.count {
            if case .int(let i) = item, i >= dims[d] || i < -dims[d] { return false }
        }
        return true
    }

    /// An index with its integers clamped into the shape (JAX's reads never fail).
    func jaxClampedIndex(_ index: Value, _ dims: [Int]) -> Value {
        func clamp(_ v: Value, _ d: Int) -> Value {
            guard d < dims.count, case .int(let i) = v, dims[d] > 0 else { return v }
            return .int(Swift.min(Swift.max(i, -dims[d]), dims[d] - 1))
        }
        if case .tuple(let t) = index { return .tuple(t.enumerated().map { clamp($0.element, $0.offset) }) }
        return clamp(index, 0)
    }

    /// The integer array of an index that selects rows by a list or array of integers.
    func jaxScatterIndex(_ index: Value) throws -> Operand? {
        switch index {
        case .tensor(let h) where !h.dtype.isFloatingPoint && h.dtype != .bool && h.rank >= 1: return try h.operand.converted(to: .int64)
        case .list: let o = try toOperand(index, what: "index", range: nil); return o.dtype == .int64 ? o : nil
        default: return nil
        }
    }
}
