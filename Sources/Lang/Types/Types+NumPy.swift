import Tensor
import AD
import Printer

// `x.numpy()`: a NumPy array over the tensor's values, with NumPy's view of it (`shape` is a
// tuple, `dtype` is `dtype('float32')`, `tolist()`, `item()`); `torch.tensor(a)` and
// `torch.from_numpy(a)` turn it back into a tensor. Printing follows NumPy's layout for the
// common cases (shortest digits that identify each float32/float64 value).

extension BuiltinTypes {
    /// `numpy.ndarray`.
    static let ndarray: TypeObject = {
        func handle(_ v: Value) -> TensorHandle? {
            if case .instance(let i) = v { return i.payload as? TensorHandle }
            return nil
        }
        var s = Slots()
        s.getAttribute = { interp, v, name in
            guard let h = handle(v) else { return nil }
            switch name {
            case "shape": return .tuple(h.shape.dims.map { .int($0) })
            case "ndim": return .int(h.rank)
            case "size": return .int(h.shape.elementCount)
            case "dtype": return .instance(Instance(cls: numpyDType, payload: h.dtype))
            case "T": return interp.numpyArray(try h.value.permuted(Array((0..<h.rank).reversed())))
            case "nbytes": return .int(h.shape.elementCount * h.dtype.byteSize)
            default: return nil
            }
        }
        s.length = { _, v in
            guard let h = handle(v) else { return 0 }
            guard h.rank > 0 else { throw PythonError(.TypeError, "len() of unsized object") }
            return h.shape[0]
        }
        s.iterate = { interp, v in
            guard let h = handle(v), h.rank > 0 else { throw PythonError(.TypeError, "iteration over a 0-d array") }
            let x = h.value
            var i = 0
            return PyIterator {
                guard i < x.shape[0] else { return nil }
                defer { i += 1 }
                return interp.numpyArray(try x.subscripted([.index(i)]))
            }
        }
        s.repr = { interp, v in
            guard let h = handle(v), let t = h.concrete else { return "array(<traced>)" }
            return interp.numpyText(t, repr: true)
        }
        s.str = { interp, v in
            guard let h = handle(v), let t = h.concrete else { return "<traced>" }
            return interp.numpyText(t, repr: false)
        }
        let t = TypeObject(name: "ndarray", moduleName: "numpy", base: object, slots: s)
        t.method("tolist", []) { a in
            guard let h = handle(a.value("self")!) else { return .none }
            return try a.interpreter.call(try a.interpreter.getAttribute(.tensor(h), "tolist", range: a.range), CallArguments([]), range: a.range)
        }
        t.method("item", []) { a in
            guard let h = handle(a.value("self")!) else { return .none }
            return try a.interpreter.call(try a.interpreter.getAttribute(.tensor(h), "item", range: a.range), CallArguments([]), range: a.range)
        }
        t.method("copy", []) { a in a.interpreter.numpyArray(handle(a.value("self")!)!.value) }
        t.method("astype", ["dtype"]) { a in
            guard let h = handle(a.value("self")!), let d = try a.dtype("dtype") else { return a.value("self")! }
            return a.interpreter.numpyArray(try h.value.converted(to: d))
        }
        return t
    }()

    /// `numpy.dtype`.
    static let numpyDType: TypeObject = {
        func dtype(_ v: Value) -> DType? {
            if case .instance(let i) = v { return i.payload as? DType }
            return nil
        }
        var s = Slots()
        s.repr = { _, v in "dtype('\(dtype(v)?.rawValue ?? "?")')" }
        s.str = { _, v in dtype(v)?.rawValue ?? "?" }
        s.compare = { _, op, a, b in
            guard op == .eq || op == .ne, let x = dtype(a) else { return nil }
            let same: Bool
            if let y = dtype(b) { same = x == y } else if case .string(let s) = b { same = s == x.rawValue } else { same = false }
            return .bool(op == .eq ? same : !same)
        }
        return TypeObject(name: "dtype", moduleName: "numpy", base: object, slots: s)
    }()
}

extension Interpreter {
    /// A NumPy array over a tensor value.
    func numpyArray(_ o: Operand) -> Value {
        .instance(Instance(cls: BuiltinTypes.ndarray, payload: TensorHandle(o)))
    }

    /// NumPy's text for an array: `[1.5 2. ]` (str) or `array([1.5, 2. ], dtype=float32)` (repr).
    func numpyText(_ t: Tensor, repr: Bool) -> String {
        repr ? NumPyFormatter.numpyRepr(t) : NumPyFormatter.str(t)
    }
}
