import Tensor
import AD
import Printer

// In-place writes with PyTorch's semantics: `x[i, :] = v`, `x[mask] = v`, `x += y`, and the
// methods with a trailing underscore (`add_`, `mul_`, `zero_`, `fill_`, `copy_`, `clamp_`,
// `normal_`, `uniform_`, `masked_fill_`, `index_add_`, ...). Every name bound to the tensor sees
// the write, and so do its views and its base (`TensorHandle.write`). A write into a tensor that
// requires grad is recorded (`CopySlices` for item assignment), and writing a value that requires
// grad into a tensor makes it require grad. Writes into tensors that do not require grad make
// cached programs that read them be traced again, so no transform uses an old value.

extension Interpreter {
    /// Makes `result` (a fresh tensor) a view of `h` with `function`, and returns it.
    func viewOf(_ h: TensorHandle, _ result: Value, layout: StridedLayout, tracksHistory: Bool = true,
                _ function: @escaping (Operand) throws -> Operand) -> Value {
        if case .tensor(let r) = result, r !== h {
            r.becomeView(of: h, function: function, tracksHistory: tracksHistory, layout: layout)
        }
        return result
    }

    /// `x[key] = value`: the indexed region of `x` takes `value` (broadcast to the region).
    func writeItem(_ h: TensorHandle, _ key: Value, _ value: Value) throws {
        let region = try indexTensor(h.operand, key)
        var v = try toOperand(value, what: "the assigned value", range: nil).converted(to: h.dtype)
        // As copy_ does, leading dimensions of size 1 beyond the region's rank are dropped.
        while v.rank > region.rank, v.shape[0] == 1 { v = try v.reshaped(Shape(Array(v.shape.dims.dropFirst()))) }
        let broadcast = try? Shape.broadcast(v.shape, region.shape, op: "setitem")
        guard broadcast == region.shape else {
            throw PythonError(.RuntimeError, "shape mismatch: value tensor of shape \(formatShapeList(v.shape)) cannot be broadcast to indexing result of shape \(formatShapeList(region.shape))")
        }
        let target = TensorHandle(region)
        target.becomeView(of: h, function: { [unowned self] in try self.indexTensor($0, key) }, tracksHistory: true,
                          layout: StridedLayout(contiguous: region.shape), key: { [unowned self] in self.indexKey(key) })
        try written(h) {
            try target.write(v.shape == region.shape ? v : try v.broadcast(to: region.shape))
        }
    }

    /// A name for an index made of ints, slices, None and `...` (nil when it holds tensors or
    /// lists, whose values the name would have to include).
    func indexKey(_ key: Value) -> String? {
        let items: [Value]
        if case .tuple(let t) = key { items = t } else { items = [key] }
        for item in items {
            switch item {
            case .int, .bool, .slice, .none, .ellipsis: continue
            case .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
                 .namespace, .shape, .dtype:
                return nil
            }
        }
        return "index " + repr(key)
    }

    /// Runs a write into `h` with PyTorch's messages, and drops cached programs that may have
    /// read the old value as a constant.
    func written(_ h: TensorHandle, _ body: () throws -> Void) throws {
        let base = h.view?.base ?? h
        do { try body() } catch let e as TensorError { throw PythonError(.RuntimeError, e.message, hint: e.hint) }
        // (Writes inside a transform change only the trace's own tensors: no cache to drop.)
        if !base.requiresGrad, base.concrete != nil { stager.invalidate() }
    }

    /// `x op= y` on a tensor: in place, as PyTorch does (the result keeps `x`'s shape and dtype).
    func inPlaceOperator(_ h: TensorHandle, _ op: BinaryOperator, _ other: Value) throws -> Value? {
        let o: Operand
        if case .tensor(let g) = other { o = g.operand } else if let s = try scalarOperand(other, like: h.value) { o = s } else { return nil }
        let r = try named(operatorGradFnName(op, reflected: false, h.operand, o)) { .tensor(try tensorBinary(op, h.operand, o)) }
        guard let result = r.operand else { return nil }
        try assignInPlace(h, result)
        return .tensor(h)
    }

    /// Writes an operation's full result into `h`, checking shape and dtype as PyTorch does.
    func assignInPlace(_ h: TensorHandle, _ result: Operand) throws {
        guard result.shape == h.shape else {
            throw PythonError(.RuntimeError, "output with shape \(formatShapeList(h.shape)) doesn't match the broadcast shape \(formatShapeList(result.shape))")
        }
        if result.dtype.isFloatingPoint && !h.dtype.isFloatingPoint {
            throw PythonError(.RuntimeError, "result type \(Self.scalarTypeName(result.dtype)) can't be cast to the desired output type \(Self.scalarTypeName(h.dtype))")
        }
        let converted = result.dtype == h.dtype ? result : try result.converted(to: h.dtype)
        try written(h) { try h.write(converted) }
    }

    static func scalarTypeName(_ d: DType) -> String {
        switch d {
        case .float32: return "Float"
        case .float64: return "Double"
        case .float16: return "Half"
        case .bfloat16: return "BFloat16"
        case .int64: return "Long"
        case .int32: return "Int"
        case .int16: return "Short"
        case .int8: return "Char"
        case .uint8: return "Byte"
        case .uint32: return "UInt32"
        case .bool: return "Bool"
        }
    }

    /// `x.name_(...)`: the in-place form of a tensor method, or nil when there is none.
    func inPlaceMethod(_ h: TensorHandle, _ name: String) -> Value? {
        guard name.hasSuffix("_"), !name.hasPrefix("_") else { return nil }
        let base = String(name.dropLast())
        switch base {
        case "zero":
            return native(name, []) { [unowned self] _ in
                try self.assignInPlace(h, .tensor(Tensor.full(h.shape, 0, dtype: h.dtype)))
                return .tensor(h)
            }
        case "fill":
            return native(name, ["value"]) { [unowned self] a in
                let v = try self.toOperand(a.value("value")!, what: "fill_ value", range: a.range)
                guard v.rank == 0 else { throw PythonError(.RuntimeError, "fill_ only supports 0-dimension value tensor but got tensor with \(v.rank) dimensions.") }
                try self.assignInPlace(h, try v.converted(to: h.dtype).broadcast(to: h.shape))
                return .tensor(h)
            }
        case "copy":
            return native(name, ["src", "non_blocking=False"]) { [unowned self] a in
                let v = try self.toOperand(a.value("src")!, what: "copy_ source", range: a.range)
                try self.assignInPlace(h, try v.converted(to: h.dtype).broadcast(to: h.shape))
                return .tensor(h)
            }
        case "normal":
            return native(name, ["mean=0", "std=1", "|generator=None"]) { [unowned self] a in
                let sample = Tensor.randn(h.shape, dtype: h.dtype, generator: &self.generator)
                let x = try Operand.tensor(sample) * Operand.scalar(try a.double("std"), h.dtype) + Operand.scalar(try a.double("mean"), h.dtype)
                try Autograd.withMode(false) { try self.assignInPlace(h, x) }
                return .tensor(h)
            }
        case "uniform":
            return native(name, ["from=0", "to=1", "|generator=None"]) { [unowned self] a in
                let sample = Tensor.uniform(h.shape, from: try a.double("from"), to: try a.double("to"), dtype: h.dtype, generator: &self.generator)
                try Autograd.withMode(false) { try self.assignInPlace(h, .tensor(sample)) }
                return .tensor(h)
            }
        case "requires_grad", "detach", "retain_grad": return nil
        default:
            guard let f = registry.method(base) else { return nil }
            let method = Value.function(Function.bound(.function(f), to: .tensor(h), name: base))
            return native(name, ["*args", "**kwargs"]) { [unowned self] a in
                let r = try self.call(method, CallArguments(a.rest, keywords: a.keywordExtras, range: a.range), range: a.range)
                guard let result = r.operand else {
                    throw PythonError(.TypeError, "\(name): \(base) does not return a tensor, so it has no in-place form")
                }
                try self.assignInPlace(h, result)
                return .tensor(h)
            }
        }
    }
}
