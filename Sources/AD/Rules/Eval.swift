import Tensor

/// Evaluation rules: each primitive applied to concrete tensors by a kernel.
/// The only place in the AD core that touches numbers.
enum Eval {
    /// Applies `primitive` to concrete `inputs`.
    static func apply(_ primitive: Primitive, _ x: [Tensor]) throws -> [Tensor] {
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
}
