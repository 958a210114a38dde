import Tensor
import AD
import NN
import Printer
import BigInt

// `torch.Tensor`, `nn.Parameter`, `torch.Size`, `torch.dtype` and `torch.device`.

// MARK: - Converting values to tensors

extension Interpreter {
    /// A tensor from a value: tensors as they are; numbers and (nested) lists/tuples of numbers
    /// become tensors with PyTorch's dtype inference (ints -> int64, any float -> float32, bools
    /// -> bool). An int beyond 64 bits is PyTorch's overflow error.
    public func toOperand(_ v: Value, what: @autoclosure () -> String, range: SourceRange?, dtype: DType? = nil) throws -> Operand {
        if case .tensor(let h) = v { return try dtype.map { try h.operand.converted(to: $0) } ?? h.operand }
        if case .instance(let i) = v, let h = i.payload as? TensorHandle { return try dtype.map { try h.operand.converted(to: $0) } ?? h.operand }
        var shape: [Int] = []
        var leaves: [Value] = []
        var tensors = 0
        func walk(_ x: Value, depth: Int) throws {
            switch x {
            case .list, .tuple, .shape:
                let a = try collect(x, range: range)
                if depth == shape.count { shape.append(a.count) } else if depth > shape.count || shape[depth] != a.count {
                    throw PythonError(.ValueError, "expected sequence of length \(depth < shape.count ? shape[depth] : 0) at dim \(depth) (got \(a.count))", at: range)
                }
                for e in a { try walk(e, depth: depth + 1) }
            case .tensor:
                tensors += 1
                leaves.append(x)
            case .int, .float, .bool:
                leaves.append(x)
            case .bigInt:
                throw PythonError(.ValueError, "Overflow when unpacking long long", at: range)
            case .none, .string, .dict, .set, .function, .type, .instance, .module, .namespace, .slice, .dtype, .ellipsis:
                throw PythonError(.TypeError, "new(): invalid data type '\(x.pyType.name)'", at: range,
                                  hint: "\(what()): expected a tensor, numbers or nested lists of numbers")
            }
        }
        try walk(v, depth: 0)
        if tensors > 0 {
            // A list of tensors: stack them (torch.tensor refuses this; stack is what users mean).
            let items = try leaves.map { try toOperand($0, what: what(), range: range) }
            return try Operand.stack(items, dim: 0)
        }
        let inferred: DType
        if leaves.contains(where: { if case .float = $0 { return true }; return false }) { inferred = .float32 }
        else if leaves.allSatisfy({ if case .bool = $0 { return true }; return false }) && !leaves.isEmpty { inferred = .bool }
        else if leaves.isEmpty { inferred = .float32 }
        else { inferred = .int64 }
        let values = leaves.map { x -> Double in
            switch Number(x) {
            case .int(let i)?: return Double(i)
            case .float(let d)?: return d
            case .big(let b)?: return Double(b)
            case nil: return 0
            }
        }
        return .tensor(Tensor(shape: Shape(shape), doubles: values, dtype: dtype ?? inferred))
    }

    /// A Python number as a 0-d tensor that takes the other operand's dtype when compatible
    /// (PyTorch's "weak" scalars): `x * 2` keeps x's float32. Nil when `v` is not a number.
    func scalarOperand(_ v: Value, like other: Operand) throws -> Operand? {
        switch v {
        case .int(let i):
            if other.dtype == .float32 && abs(i) > (1 << 24) && Double(Float(i)) != Double(i) {
                return .scalar(Double(i), .float32)
            }
            return .scalar(Double(i), other.dtype == .bool ? .int64 : other.dtype)
        case .bool(let b): return .scalar(b ? 1 : 0, other.dtype)
        case .float(let d): return .scalar(d, other.dtype.isFloatingPoint ? other.dtype : .float32)
        case .bigInt(let b):
            guard other.dtype.isFloatingPoint, Double(b).isFinite, b.magnitude.bitWidth <= 64 else {
                throw PythonError(.OverflowError, "int too big to convert")
            }
            return .scalar(Double(b), other.dtype)
        case .none, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace,
             .slice, .shape, .dtype, .ellipsis:
            return nil
        }
    }

    /// Both operands as tensors when one is a tensor and the other a tensor or a number.
    func tensorPair(_ a: Value, _ b: Value) throws -> (Operand, Operand)? {
        switch (a, b) {
        case (.tensor(let x), .tensor(let y)): return (x.operand, y.operand)
        case (.tensor(let x), _): return try scalarOperand(b, like: x.value).map { (x.operand, $0) }
        case (_, .tensor(let y)): return try scalarOperand(a, like: y.value).map { ($0, y.operand) }
        case (.none, _), (.bool, _), (.int, _), (.bigInt, _), (.float, _), (.string, _), (.list, _), (.tuple, _),
             (.dict, _), (.set, _), (.function, _), (.type, _), (.instance, _), (.module, _), (.namespace, _),
             (.slice, _), (.shape, _), (.dtype, _), (.ellipsis, _):
            return nil
        }
    }

    /// Two values as tensors (numbers take the other's dtype; lists are converted).
    func broadcastPair(_ a: Value, _ b: Value, range: SourceRange?) throws -> (Operand, Operand) {
        if let pair = try tensorPair(a, b) { return pair }
        return (try toOperand(a, what: "input", range: range), try toOperand(b, what: "other", range: range))
    }

    /// A Python operator on two tensors, with PyTorch's semantics.
    func tensorBinary(_ op: BinaryOperator, _ x: Operand, _ y: Operand) throws -> Operand {
        switch op {
        case .add: return try x + y
        case .subtract:
            if x.dtype == .bool && y.dtype == .bool {
                throw PythonError(.RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
            }
            return try x - y
        case .multiply: return try x * y
        case .divide:
            // True division: integer tensors divide as float32 (as PyTorch).
            let (p, q) = try Operand.promoted(x, y)
            if !p.dtype.isFloatingPoint { return try p.converted(to: .float32) / q.converted(to: .float32) }
            return try p / q
        case .floorDivide:
            let (p, q) = try Operand.promoted(x, y)
            if !p.dtype.isFloatingPoint { return try Operand.binary(.div, p, q) }
            return try (p / q).unary(.floor)
        case .modulo: return try Operand.binary(.remainder, x, y)
        case .power: return try Operand.binary(.pow, x, y)
        case .matmul: return try x.matmul(y)
        case .bitAnd: return try Operand.binary(.and, x, y)
        case .bitOr: return try Operand.binary(.or, x, y)
        case .bitXor: return try Operand.binary(.xor, x, y)
        case .leftShift, .rightShift:
            guard !x.dtype.isFloatingPoint && !y.dtype.isFloatingPoint && x.dtype != .bool else {
                throw PythonError(.RuntimeError, "\"\(op == .leftShift ? "lshift" : "rshift")_cpu\" not implemented for '\(x.dtype.torchName.dropFirst(6).capitalized)'")
            }
            let factor = try Operand.binary(.pow, y.constant(2), y)
            return op == .leftShift ? try x * factor : try Operand.binary(.div, x, factor)
        }
    }

    /// The tensor of a value for a method call (`x.sum()` where x is the receiver).
    func receiverTensor(_ v: Value) -> TensorHandle? {
        if case .tensor(let h) = v { return h }
        return nil
    }
}

// MARK: - Tensor

func makeTensorType() -> TypeObject {
    TypeObject(name: "Tensor", moduleName: "torch", base: BuiltinTypes.object, slots: tensorSlots()) { interp, _, args in
        let v = try Signature(name: "Tensor", spec: ["*data"]).bind(args)
        guard case .tuple(let items) = v[0] else { return .none }
        if items.count == 1, case .list = items[0] { return .tensor(try interp.toOperand(items[0], what: "Tensor", range: args.range, dtype: .float32)) }
        let dims = try items.map { x -> Int in
            guard let i = try interp.indexValue(x) else { throw PythonError(.TypeError, "new(): argument 'size' must be tuple of ints") }
            return i
        }
        return .tensor(.tensor(Tensor.full(try interp.checkedShape(dims), 0, dtype: .float32)))
    }
}

func makeParameterType() -> TypeObject {
    var s = tensorSlots()
    s.repr = { interp, v in
        guard case .tensor(let h) = v else { return "" }
        return "Parameter containing:\n" + interp.tensorRepr(h)
    }
    return TypeObject(name: "Parameter", moduleName: "torch.nn.parameter", base: BuiltinTypes.tensor, slots: s) { interp, _, args in
        let v = try Signature(name: "Parameter", spec: ["data=None", "requires_grad=True"]).bind(args)
        // The data's value, detached from any history (a Parameter is a leaf).
        let data = v[0].isNone ? Operand.tensor(Tensor.full([0], 0, dtype: .float32))
                               : try interp.toOperand(v[0], what: "Parameter", range: args.range).untracked
        let requiresGrad = try interp.truthy(v[1], range: args.range)
        if requiresGrad && !data.dtype.isFloatingPoint {
            throw PythonError(.RuntimeError, "Only Tensors of floating point and complex dtype can require gradients")
        }
        return .tensor(TensorHandle(data, isParameter: true, requiresGrad: requiresGrad))
    }
}

func tensorSlots() -> Slots {
    var s = Slots()
    s.binary = { interp, op, v, other, reflected in
        guard case .tensor(let h) = v else { return nil }
        let o: Operand
        if case .tensor(let g) = other { o = g.operand } else if let scalar = try interp.scalarOperand(other, like: h.value) { o = scalar } else { return nil }
        return try interp.named(interp.operatorGradFnName(op, reflected: reflected, h.operand, o)) {
            .tensor(reflected ? try interp.tensorBinary(op, o, h.operand) : try interp.tensorBinary(op, h.operand, o))
        }
    }
    s.unary = { _, op, v in
        guard case .tensor(let h) = v else { return nil }
        let x = h.operand
        switch op {
        case .negate:
            if x.dtype == .bool {
                throw PythonError(.RuntimeError, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
            }
            return .tensor(try x.unary(.neg))
        case .plus: return v
        case .invert:
            guard x.dtype == .bool else {
                throw PythonError(.RuntimeError, "~ (bitwise not) on \(x.dtype.torchName) tensors is not supported in Jacobi; it works on bool tensors")
            }
            return .tensor(try x.unary(.not))
        case .not: return nil
        }
    }
    s.compare = { interp, op, a, b in
        guard case .tensor(let h) = a else { return nil }
        let o: Operand
        if case .tensor(let g) = b { o = g.operand } else if let scalar = try interp.scalarOperand(b, like: h.value) { o = scalar } else { return nil }
        let c: CompareOp
        switch op {
        case .lt: c = .lt
        case .le: c = .le
        case .gt: c = .gt
        case .ge: c = .ge
        case .eq: c = .eq
        case .ne: c = .ne
        }
        return .tensor(try Operand.compare(c, h.operand, o))
    }
    s.getItem = { interp, v, key in
        guard case .tensor(let h) = v else { return .none }
        let r = try interp.named(interp.indexGradFnName(key)) { .tensor(try interp.indexTensor(h.operand, key)) }
        // Basic indexing (ints, slices, None, ...) gives a view, as in PyTorch.
        if case .tensor(let rh) = r, rh !== h, let l = try interp.basicIndexLayout(h, key) {
            rh.becomeView(of: h, function: { try interp.indexTensor($0, key) }, tracksHistory: true, layout: l, key: { interp.indexKey(key) })
        }
        return r
    }
    s.setItem = { interp, v, key, value in
        guard case .tensor(let h) = v else { return }
        guard let value else { throw PythonError(.TypeError, "'Tensor' object does not support item deletion") }
        try interp.writeItem(h, key, value)
    }
    s.inPlace = { interp, op, v, other in
        guard case .tensor(let h) = v else { return nil }
        return try interp.inPlaceOperator(h, op, other)
    }
    s.iterate = { interp, v in
        guard case .tensor(let h) = v else { return PyIterator([]) }
        guard h.rank > 0 else { throw PythonError(.TypeError, "iteration over a 0-d tensor") }
        let x = h.operand
        var i = 0
        return PyIterator {
            guard i < x.shape[0] else { return nil }
            defer { i += 1 }
            return try interp.named("UnbindBackward0") { .tensor(try x.subscripted([.index(i)])) }
        }
    }
    s.length = { _, v in
        guard case .tensor(let h) = v else { return 0 }
        guard h.rank > 0 else { throw PythonError(.TypeError, "len() of a 0-d tensor") }
        return h.shape[0]
    }
    s.truth = { _, v in
        guard case .tensor(let h) = v else { return true }
        let t = try h.value.requireConcrete("using a tensor as a condition (if/and/or/not)")
        guard t.elementCount == 1 else {
            throw PythonError(.RuntimeError, "Boolean value of Tensor with more than one value is ambiguous",
                              hint: "use .any() or .all(), or where(cond, a, b) for elementwise choice")
        }
        return t.scalarValue! != 0
    }
    s.repr = { interp, v in
        guard case .tensor(let h) = v else { return "" }
        return interp.tensorRepr(h)
    }
    s.format = { interp, v, spec in
        guard case .tensor(let h) = v else { return "" }
        if h.rank == 0, let t = h.concrete {
            return try interp.format(t.dtype.isFloatingPoint ? .float(t.scalarValue!) : (t.dtype == .bool ? .bool(t.scalarValue! != 0) : .int(Int(t.scalarValue!))), spec)
        }
        guard spec.isEmpty else { throw PythonError(.TypeError, "unsupported format string passed to Tensor.__format__") }
        return try interp.reprOf(v)
    }
    s.contains = { interp, v, item in
        guard case .tensor(let h) = v else { return false }
        let (x, y) = try interp.broadcastPair(.tensor(h), item, range: nil)
        let eq = try Operand.compare(.eq, x, y)
        return try interp.truthy(.tensor(try eq.extremum(max: true)), range: nil)
    }
    s.getAttribute = { interp, v, name in
        guard case .tensor(let h) = v else { return nil }
        return try interp.tensorAttribute(h, name)
    }
    s.setAttribute = { interp, v, name, value in
        if case .tensor(let h) = v, try interp.setAutogradAttribute(h, name, value) { return }
        throw PythonError(.AttributeError, "attribute '\(name)' of 'torch._C.TensorBase' objects is not writable")
    }
    s.attributeNames = { interp, _ in
        ["shape", "dtype", "device", "ndim", "T", "mT", "data", "requires_grad", "is_leaf", "grad", "grad_fn", "backward",
         "requires_grad_", "retain_grad", "retains_grad", "detach_"]
            + interp.registry.names.filter { interp.registry.byName[$0]!.isMethod }
            + ["numpy", "cpu", "cuda", "type", "element_size", "nelement", "is_floating_point", "is_contiguous", "dim",
               "stride", "storage_offset"]
    }
    return s
}

extension Interpreter {
    /// PyTorch's repr of a tensor, with `requires_grad=True` for a leaf that requires grad and
    /// `grad_fn=<Name>` for the output of a recorded operation.
    func tensorRepr(_ h: TensorHandle) -> String {
        switch h.value {
        case .tensor(let t):
            var suffixes: [String] = []
            if let f = h.gradFn { suffixes.append("grad_fn=<\(f.name)>") } else if h.requiresGrad { suffixes.append("requires_grad=True") }
            return TensorFormatter.repr(t, options: printOptions, extraSuffixes: suffixes)
        case .tracer(let t): return "Traced<\(t.type)>"
        case .tracked(let inner): return tensorRepr(inner)
        }
    }

    /// `x.name` for tensors: properties, then torch methods bound to the tensor.
    func tensorAttribute(_ h: TensorHandle, _ name: String) throws -> Value? {
        if let v = try autogradAttribute(h, name) { return v }
        let o = h.operand
        switch name {
        case "shape": return .shape(o.shape)
        case "dtype": return .dtype(o.dtype)
        case "ndim": return .int(o.rank)
        case "T":
            if o.rank > 2 {
                warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will throw an error in a future release. Consider `x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.")
            }
            let perm = Array((0..<o.rank).reversed())
            return try viewOf(h, named("PermuteBackward0") { .tensor(try o.permuted(perm)) }, layout: h.layout.permuted(perm)) { try $0.permuted(perm) }
        case "mT":
            guard o.rank >= 2 else { throw PythonError(.RuntimeError, "tensor.mT is only supported on matrices or batches of matrices. Got \(o.rank)-D tensor.") }
            var perm = Array(0..<o.rank)
            perm.swapAt(o.rank - 2, o.rank - 1)
            return try viewOf(h, named("TransposeBackward0") { .tensor(try o.transpose(-2, -1)) }, layout: h.layout.permuted(perm)) { try $0.transpose(-2, -1) }
        case "device": return cpuDevice
        case "is_cuda", "is_sparse", "is_quantized", "is_meta": return .bool(false)
        case "is_cpu": return .bool(true)
        case "itemsize": return .int(o.dtype.byteSize)
        case "nbytes": return .int(o.dtype.byteSize * o.shape.elementCount)
        case "layout": return .string("torch.strided")
        case "numpy", "cpu", "cuda", "type", "element_size", "nelement", "is_floating_point", "is_contiguous", "__len__", "contiguous",
             "stride", "storage_offset":
            return tensorMethod(h, name)
        default: break
        }
        if let f = registry.method(name) {
            return .function(Function.bound(.function(f), to: .tensor(h), name: name))
        }
        return inPlaceMethod(h, name)
    }

    /// Tensor methods that are not torch functions.
    private func tensorMethod(_ h: TensorHandle, _ name: String) -> Value {
        native(name, ["*args", "**kwargs"]) { [unowned self] a in
            switch name {
            case "cpu": return .tensor(h)
            case "numpy":
                if h.requiresGrad {
                    throw PythonError(.RuntimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
                }
                return self.numpyArray(h.value)
            case "cuda":
                throw PythonError(.RuntimeError, "Jacobi runs on the CPU: there is no CUDA device", hint: "remove .cuda() / .to('cuda'); tensors are already on the CPU")
            case "type":
                if a.rest.isEmpty && a.keywordExtras.isEmpty { return .string(h.dtype.torchTypeName) }
                guard case .dtype(let d)? = a.rest.first ?? a.keywordExtras.first?.1 else {
                    throw PythonError(.TypeError, "type() expects a dtype, e.g. x.type(torch.float64)")
                }
                return .tensor(try h.operand.converted(to: d))
            case "element_size": return .int(h.dtype.byteSize)
            case "nelement": return .int(h.shape.elementCount)
            case "is_floating_point": return .bool(h.dtype.isFloatingPoint)
            case "is_contiguous": return .bool(h.layout.isContiguous)
            case "stride":
                // The strides in the storage the tensor shares (a loaded checkpoint's, a view's base).
                let strides = h.layout.strides
                guard let d = a.rest.first ?? a.keywordExtras.first(where: { $0.0 == "dim" })?.1 else { return .tuple(strides.map { .int($0) }) }
                guard case .int(let i) = d else { throw PythonError(.TypeError, "stride(): argument 'dim' must be int") }
                return .int(strides[try h.shape.axis(i, op: "stride")])
            case "storage_offset": return .int(h.layout.offset)
            case "contiguous":
                // Itself when already contiguous (as PyTorch returns self), else a copy.
                return h.layout.isContiguous ? .tensor(h) : try self.named("CloneBackward0") { .tensor(try h.operand.reshaped(h.shape)) }
            default: return .int(try self.length(.tensor(h), range: a.range))
            }
        }
    }

    /// `torch.device('cpu')`.
    var cpuDevice: Value { .instance(Instance(cls: BuiltinTypes.device, payload: "cpu")) }

    // MARK: - Indexing

    /// `x[key]`: ints, slices, None, `...`, and integer or boolean index tensors and lists.
    func indexTensor(_ x: Operand, _ key: Value) throws -> Operand {
        let items: [Value]
        if case .tuple(let t) = key { items = t } else { items = [key] }
        var basic: [IndexItem] = []
        var advanced: [(position: Int, indices: Operand)] = []
        var position = 0
        for item in items {
            switch item {
            case .slice(let a, let b, let c): basic.append(.slice(start: a, stop: b, step: c)); position += 1
            case .none: basic.append(.newAxis)
            case .ellipsis: basic.append(.ellipsis); position = -1_000_000
            case .int(let i): basic.append(.index(i)); position += 1
            case .bool(let b):
                basic.append(.newAxis)
                if !b { basic.append(.slice(start: 0, stop: 0, step: 1)) }
            case .tensor(let h) where h.rank == 0 && !h.dtype.isFloatingPoint && h.dtype != .bool:
                basic.append(.index(Int(try h.value.requireConcrete("an index").scalarValue!))); position += 1
            case .tensor, .list, .tuple:
                let idx = try toOperand(item, what: "index", range: nil)
                guard !idx.dtype.isFloatingPoint else {
                    throw PythonError(.IndexError, "tensors used as indices must be long, int, byte or bool tensors")
                }
                advanced.append((basic.count, idx))
                basic.append(.slice(start: nil, stop: nil, step: nil))
                position += idx.dtype == .bool ? idx.rank : 1
            case .bigInt:
                throw PythonError(.IndexError, "index is too large for a 64-bit integer")
            case .float, .string, .dict, .set, .function, .type, .instance, .module, .namespace, .shape, .dtype:
                throw PythonError(.IndexError, "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(item.pyType.name))")
            }
        }
        _ = position
        let result = try x.subscripted(basic)
        guard !advanced.isEmpty else { return result }
        // The dimension of the (basically indexed) result where an index tensor's slot is.
        func resultDim(_ slot: Int) -> Int {
            basic[..<slot].reduce(0) { n, item in
                switch item {
                case .index: return n
                case .slice, .newAxis: return n + 1
                case .ellipsis:
                    return n + (x.rank - basic.filter { if case .index = $0 { return true }; if case .slice = $0 { return true }; return false }.count)
                }
            }
        }
        if advanced.count == 1 {
            let (slot, indices) = advanced[0]
            let dim = resultDim(slot)
            return indices.dtype == .bool ? try result.maskedSelect(along: dim, mask: indices) : try result.indexSelect(dim, indices)
        }
        // Several index tensors side by side (x[rows, cols]): broadcast together, they pick
        // elements of the merged dimensions.
        let adjacent = advanced.enumerated().allSatisfy { $0.element.position == advanced[0].position + $0.offset }
        guard adjacent, advanced.allSatisfy({ $0.indices.dtype != .bool && $0.indices.concrete != nil }) else {
            throw PythonError(.NotImplementedError, "index tensors that are not side by side, boolean or traced are not supported together in Jacobi",
                              hint: "index one dimension at a time, e.g. x[rows][:, cols]")
        }
        let first = resultDim(advanced[0].position)
        let sizes = (0..<advanced.count).map { result.shape[first + $0] }
        var common = Shape([])
        for (_, idx) in advanced { common = try Shape.broadcast(common, idx.shape, op: "index") }
        var flat = [Double](repeating: 0, count: common.elementCount)
        var stride = 1
        for (j, (_, idx)) in advanced.enumerated().reversed() {
            let t = try idx.broadcast(to: common).requireConcrete("an index")
            for (k, v) in t.doubles.enumerated() {
                let i = Int(v), n = sizes[j]
                let w = i < 0 ? i + n : i
                guard w >= 0 && w < n else {
                    throw PythonError(.IndexError, "index \(i) is out of bounds for dimension \(first + j) with size \(n)")
                }
                flat[k] += Double(w * stride)
            }
            stride *= sizes[j]
        }
        let dims = result.shape.dims
        let merged = Array(dims[..<first]) + [stride] + Array(dims[(first + advanced.count)...])
        return try result.reshaped(Shape(merged)).indexSelect(first, .tensor(Tensor(shape: common, doubles: flat, dtype: .int64)))
    }

    /// A shape with PyTorch's checks (negative sizes, element count overflow).
    func checkedShape(_ dims: [Int]) throws -> Shape {
        for d in dims where d < 0 {
            throw PythonError(.RuntimeError, "Trying to create tensor with negative dimension \(d): [\(dims.map(String.init).joined(separator: ", "))]")
        }
        var count = 1
        for d in dims {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            if o || p > Int(Int32.max) * 1024 {
                throw PythonError(.RuntimeError, "Storage size calculation overflowed with sizes=[\(dims.map(String.init).joined(separator: ", "))]")
            }
            count = p
        }
        return Shape(dims)
    }
}

// MARK: - torch.Size

func makeSizeType() -> TypeObject {
    var s = BuiltinTypes.tuple.slots
    func dims(_ v: Value) -> [Value] {
        if case .shape(let sh) = v { return sh.dims.map { .int($0) } }
        return []
    }
    s.repr = { _, v in
        guard case .shape(let sh) = v else { return "" }
        return formatShape(sh)
    }
    s.length = { _, v in
        if case .shape(let sh) = v { return sh.rank }
        return 0
    }
    s.iterate = { interp, v in PyIterator(dims(v)) }
    s.getItem = { interp, v, key in
        let (one, many) = try interp.sequenceItem(dims(v), key, what: "tuple")
        if let one { return one }
        return .shape(Shape(many!.map { if case .int(let i) = $0 { return i }; return 0 }))
    }
    s.compare = { interp, op, a, b in
        let other: [Value]
        switch b {
        case .shape(let sh): other = sh.dims.map { .int($0) }
        case .tuple(let t): other = t
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .dict, .set, .function, .type, .instance,
             .module, .namespace, .slice, .dtype, .ellipsis:
            return nil
        }
        return try interp.compareSequences(op, dims(a), other)
    }
    s.binary = { interp, op, v, other, reflected in
        guard op == .add else { return nil }
        let o: [Value]
        switch other {
        case .shape(let sh): o = sh.dims.map { .int($0) }
        case .tuple(let t): o = t
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .dict, .set, .function, .type, .instance,
             .module, .namespace, .slice, .dtype, .ellipsis:
            return nil
        }
        let all = reflected ? o + dims(v) : dims(v) + o
        let ints = try all.map { x -> Int in
            guard let i = try interp.indexValue(x) else { return -1 }
            return i
        }
        if ints.contains(-1) { return .tuple(all) }
        return reflected ? .tuple(all) : .shape(Shape(ints))
    }
    let t = TypeObject(name: "Size", moduleName: "torch", base: BuiltinTypes.tuple, slots: s) { interp, _, args in
        let v = try Signature(name: "Size", spec: ["sizes=()", "/"]).bind(args)
        let items = try interp.collect(v[0], range: args.range)
        return .shape(Shape(try items.map { x in
            guard let i = try interp.indexValue(x) else {
                throw PythonError(.TypeError, "torch.Size() takes an iterable of 'int' (item 0 is '\(x.pyType.name)')")
            }
            return i
        }))
    }
    t.method("numel", []) { a in
        guard case .shape(let sh)? = a.value("self") else { return .int(0) }
        return .int(sh.elementCount)
    }
    return t
}

// MARK: - torch.dtype and torch.device

func makeDTypeType() -> TypeObject {
    var s = Slots()
    s.repr = { _, v in
        if case .dtype(let d) = v { return d.torchName }
        return ""
    }
    s.compare = { _, op, a, b in
        guard op == .eq || op == .ne, case .dtype(let x) = a else { return nil }
        guard case .dtype(let y) = b else { return .bool(op == .ne) }
        return .bool(op == .eq ? x == y : x != y)
    }
    s.getAttribute = { _, v, name in
        guard case .dtype(let d) = v else { return nil }
        switch name {
        case "is_floating_point": return .bool(d.isFloatingPoint)
        case "is_complex": return .bool(false)
        case "is_signed": return .bool(d != .bool)
        case "itemsize": return .int(d.byteSize)
        default: return nil
        }
    }
    return TypeObject(name: "dtype", moduleName: "torch", base: BuiltinTypes.object, slots: s)
}

func makeDeviceType() -> TypeObject {
    var s = Slots()
    func name(_ v: Value) -> String {
        if case .instance(let i) = v, let n = i.payload as? String { return n }
        return "cpu"
    }
    s.repr = { _, v in "device(type='\(name(v))')" }
    s.str = { _, v in name(v) }
    s.compare = { _, op, a, b in
        guard op == .eq || op == .ne else { return nil }
        let same: Bool
        switch b {
        case .instance(let i) where i.cls === BuiltinTypes.device: same = name(b) == name(a)
        case .string(let text): same = text == name(a)
        case .none, .bool, .int, .bigInt, .float, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance,
             .module, .namespace, .slice, .shape, .dtype, .ellipsis:
            same = false
        }
        return .bool(op == .eq ? same : !same)
    }
    s.getAttribute = { _, v, attr in
        switch attr {
        case "type": return .string(name(v))
        case "index": return Value.none
        default: return nil
        }
    }
    return TypeObject(name: "device", moduleName: "torch", base: BuiltinTypes.object, slots: s) { interp, cls, args in
        let v = try Signature(name: "device", spec: ["type", "index=None"]).bind(args)
        guard case .string(let text) = v[0] else { throw PythonError(.TypeError, "device() expects a string such as 'cpu'") }
        let kind = String(text.split(separator: ":").first ?? "")
        guard kind == "cpu" else {
            throw PythonError(.RuntimeError, "Jacobi runs on the CPU: there is no '\(text)' device", hint: "use torch.device('cpu')")
        }
        _ = interp
        return .instance(Instance(cls: cls, payload: "cpu"))
    }
}
