import Tensor
import Synchronization

/// Evaluation rules: each primitive applied to concrete tensors by a kernel.
/// The only place in the AD core that touches numbers.
public enum Eval {
    private static let applications = Atomic<Int>(0)

    /// How many primitives have been applied to concrete tensors so far (the program generator
    /// counts which of its programs reach a kernel).
    public static var kernelCalls: Int { applications.load(ordering: .relaxed) }

    /// Operands or results of at least this many elements (tens of milliseconds of an
    /// elementwise pass) are computed on a worker thread while the caller polls Ctrl-C.
    static let detachElements = 1 << 25

    /// Applies `primitive` to concrete `inputs`; `result`, when the caller knows it (a typed
    /// program), spares inferring the result's type for the memory check.
    static func apply(_ primitive: Primitive, _ x: [Tensor], result: TensorType? = nil) throws -> [Tensor] {
        applications.add(1, ordering: .relaxed)
        if try checkMemory(primitive, x, result: result) >= detachElements {
            // One long kernel loop (elementwise, reduction, copy): interruptible from outside.
            return try Cancellation.runInterruptibly { try run(primitive, x) }
        }
        return try run(primitive, x)
    }

    /// Evaluates a fused elementwise loop (`Fusion`): its outputs are checked against the memory
    /// limit first, and a loop over `detachElements` or more runs interruptibly.
    static func applyFused(_ loop: FusedLoop, _ x: [Tensor]) throws -> [Tensor] {
        applications.add(1, ordering: .relaxed)
        let n = loop.shape.elementCount
        // The results' bytes (bool results are one byte an element), as one request.
        let bytes = loop.outputs.reduce(0) { total, r in
            if case .compare = loop.instructions[r] { return total + 1 }
            if case .input(let i) = loop.instructions[r], x.indices.contains(i), x[i].dtype == .bool { return total + 1 }
            return total + loop.dtype.byteSize
        }
        try MemoryBudget.check(elements: n, bytesPerElement: bytes,
                               what: "the \(loop.outputs.count) result(s) of shape \(loop.shape) of \(loop)")
        if n >= detachElements { return try Cancellation.runInterruptibly { try Tensor.fused(loop, x) } }
        return try Tensor.fused(loop, x)
    }

    /// The result type of a call from its operands, or nil for a malformed call (the kernel's to
    /// report, with its own message).
    private static func inferred(_ primitive: Primitive, _ x: [Tensor]) -> TensorType? {
        switch primitive {
        case .binary where x.count == 2:
            // The common case without the general rule's arrays of types.
            guard x[0].dtype == x[1].dtype, let s = try? Shape.broadcast(x[0].shape, x[1].shape, op: "") else { return nil }
            return TensorType(shape: s, dtype: x[0].dtype)
        case .dotGeneral(let dims) where x.count == 2:
            guard x[0].dtype == x[1].dtype, let s = try? dims.resultShape(x[0].shape, x[1].shape) else { return nil }
            return TensorType(shape: s, dtype: x[0].dtype)
        default:
            return (try? ShapeRules.infer(primitive, x.map(TensorType.init(of:))))?.first
        }
    }

    /// The kernel of `primitive`, on the calling thread.
    private static func run(_ primitive: Primitive, _ x: [Tensor]) throws -> [Tensor] {
        switch primitive {
        case .unary(let op): return [try Tensor.unary(op, x[0])]
        case .binary(let op): return [try Tensor.binary(op, x[0], x[1])]
        case .compare(let op): return [try Tensor.compare(op, x[0], x[1])]
        case .select: return [try Tensor.select(x[0], x[1], x[2])]
        case .convert(let t): return [x[0].converted(to: t)]
        case .stopGradient: return [x[0]]
        case .broadcast(let shape, let dims): return [try x[0].broadcast(to: shape, dims: dims)]
        case .reshape(let shape):
            guard shape.elementCount == x[0].elementCount else {
                throw TensorError("reshape: cannot reshape \(x[0].shape) (\(x[0].elementCount) elements) to \(shape)")
            }
            return [x[0].reshaped(shape)]
        case .transpose(let perm): return [try x[0].transposed(perm)]
        case .slice(let s, let l, let st): return [try x[0].sliced(start: s, limit: l, stride: st)]
        case .pad(let lo, let hi, let inner): return [try x[0].padded(low: lo, high: hi, interior: inner)]
        case .concatenate(let axis): return [try Tensor.concatenate(x, axis: axis)]
        case .reduce(let op, let axes): return [try Tensor.reduce(op, x[0], axes: axes)]
        case .argReduce(let isMax, let axis): return [try Tensor.argReduce(max: isMax, x[0], axis: axis)]
        case .dotGeneral(let dims): return [try Tensor.dotGeneral(x[0], x[1], dims)]
        case .identity(let n, let t): return [Tensor.identity(n, dtype: t)]
        case .linalg(let op): return [try Tensor.linalg(op, x)]
        }
    }

    /// Refuses, before its kernel allocates, a primitive whose result would exceed the session's
    /// memory limit. Only primitives whose result can be larger than their inputs are checked.
    /// Returns the element count that decides whether the kernel, one long loop, runs
    /// interruptibly (0 when no worker is needed: O(1) views, and GEMM and LAPACK, which decide
    /// for themselves).
    private static func checkMemory(_ primitive: Primitive, _ x: [Tensor], result known: TensorType?) throws -> Int {
        let largestInput = x.reduce(0) { Swift.max($0, $1.elementCount) }
        let result: TensorType
        switch primitive {
        case .broadcast(let shape, _): result = known ?? TensorType(shape: shape, dtype: x[0].dtype)
        case .identity(let n, let dtype): result = TensorType(shape: Shape([n, n]), dtype: dtype)
        case .binary, .compare, .select:
            guard x.contains(where: { $0.shape != x[0].shape }) else { return largestInput }
            guard let r = known ?? inferred(primitive, x) else { return 0 }
            result = r
        case .pad, .concatenate, .dotGeneral:
            guard let r = known ?? inferred(primitive, x) else { return 0 }
            result = r
        case .linalg, .reshape, .stopGradient:
            return 0
        case .unary, .convert, .transpose, .slice, .reduce, .argReduce:
            return largestInput
        }
        try MemoryBudget.check(elements: result.shape.elementCount, bytesPerElement: result.dtype.byteSize,
                               what: "a result of shape \(result.shape) (\(result.dtype))")
        if case .dotGeneral = primitive { return 0 }
        return Swift.max(largestInput, result.shape.elementCount)
    }
}
