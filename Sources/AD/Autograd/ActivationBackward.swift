import Tensor

/// The backward of `tanh` and `sigmoid` as one operation, as PyTorch has it (`tanh_backward`,
/// `sigmoid_backward`): `ct * (1 - y*y)` (or `ct * (y * (1 - y))`) in one pass over the tensors
/// (`Tensor.activationBackward`, the bits of the three operations one by one) instead of three
/// operations each with its own pass and result. Under `create_graph=True` it is recorded as one
/// node, `TanhBackwardBackward0` / `SigmoidBackwardBackward0` as PyTorch names it, instead of two
/// products and a difference; the node's program is `VJP.apply`'s rule traced once per type, for
/// the node's own backward (`AutogradTests` checks that the one pass gives the rule's bits).
///
/// ```swift
/// let g = try ActivationBackward.apply(.unary(.tanh), y: [y], ct: ct)   // ct * (1 - y*y), one node if recorded
/// ```
enum ActivationBackward {
    private struct Key: Hashable {
        let op: UnaryOp
        let type: TensorType
    }

    /// The traced rule, per operation and type: the recorded node's program, whose own backward
    /// (`RecordedProgram.vjp`) a third derivative walks.
    nonisolated(unsafe) private static var cache: [Key: RecordedProgram] = [:]
    /// At most this many entries (the cache starts afresh when full).
    private static let capacity = 256

    /// PyTorch's name for the node of the operation's backward, nil for the operations whose
    /// backward is not one operation.
    static func nodeName(_ op: UnaryOp) -> String? {
        switch op {
        case .tanh: return "TanhBackwardBackward0"
        case .logistic: return "SigmoidBackwardBackward0"
        case .neg, .exp, .log, .sin, .cos, .sqrt, .rsqrt, .abs, .log1p, .expm1, .erf, .asin, .acos, .atan,
             .sign, .floor, .ceil, .round, .not:
            return nil
        }
    }

    /// `ct` times the derivative of unary `p` at its output `y`, in one pass (`Tensor.activationBackward`),
    /// recorded as one node when grad mode is on and `y` or `ct` requires grad; nil for other
    /// primitives and for operands that do not share a float32 or float64 type (the caller then
    /// applies `VJP.apply`).
    static func apply(_ p: Primitive, y outputs: [Operand], ct: Operand) throws -> Operand? {
        guard case .unary(let op) = p, let name = nodeName(op), let y = outputs.first, let yValue = y.concrete, let ctValue = ct.concrete,
              let value = Tensor.activationBackward(op, grad: ctValue, output: yValue) else { return nil }
        guard Autograd.willRecord([ct, y]) else { return .tensor(value) }
        let key = Key(op: op, type: TensorType(of: yValue))
        let recorded: RecordedProgram
        if let cached = cache[key] {
            recorded = cached
        } else {
            // Inputs in PyTorch's order, tanh_backward(grad_output, output); the rules of both
            // operations read only the output (so it stands for the input too).
            let closed = try trace(inputTypes: [key.type, key.type]) { args in
                try VJP.apply(.unary(op), x: [args[1]], y: [args[1]], ct: args[0], need: [true]).map { $0! }
            }
            recorded = RecordedProgram(try closed.program.optimized())
            if cache.count >= capacity { cache.removeAll() }
            cache[key] = recorded
        }
        return try Autograd.record(program: recorded, inputs: [ct, y], values: [ctValue, yValue], outputs: [value], name: name)[0]
    }
}
