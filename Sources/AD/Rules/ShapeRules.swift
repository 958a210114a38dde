import Tensor

/// Shape inference: the result types of a primitive from its operand types, with the same
/// checks (and messages) as the kernels, so tracing reports shape errors before anything runs.
enum ShapeRules {
    /// The result types of `primitive` applied to operands of types `x`.
    static func infer(_ primitive: Primitive, _ x: [TensorType]) throws -> [TensorType] {
        func sameDType(_ op: String) throws {
            for t in x.dropFirst() where t.dtype != x[0].dtype {
                throw TensorError("\(op): dtypes differ (\(x[0].dtype.torchName) and \(t.dtype.torchName))")
            }
        }
        switch primitive {
        case .unary(let op):
            let ok: Bool
            switch op {
            case .not: ok = x[0].dtype == .bool
            case .neg, .abs, .sign, .floor, .ceil, .round: ok = x[0].dtype != .bool
            case .exp, .log, .tanh, .sin, .cos, .sqrt, .rsqrt, .logistic, .log1p, .expm1, .erf, .asin, .acos, .atan:
                ok = x[0].dtype.isFloatingPoint
            }
            guard ok else { throw TensorError("\(op.rawValue): not supported for \(x[0].dtype.torchName) tensors") }
            return [x[0]]
        case .binary(let op):
            try sameDType(op.rawValue)
            return [TensorType(shape: try Shape.broadcast(x[0].shape, x[1].shape, op: op.rawValue), dtype: x[0].dtype)]
        case .compare(let op):
            try sameDType(op.rawValue)
            return [TensorType(shape: try Shape.broadcast(x[0].shape, x[1].shape, op: op.rawValue), dtype: .bool)]
        case .select:
            guard x[0].dtype == .bool else {
                throw TensorError("where: condition must be a bool tensor, got \(x[0].dtype.torchName)")
            }
            guard x[1].dtype == x[2].dtype else {
                throw TensorError("where: dtypes differ (\(x[1].dtype.torchName) and \(x[2].dtype.torchName))")
            }
            let s = try Shape.broadcast(x[0].shape, try Shape.broadcast(x[1].shape, x[2].shape, op: "where"), op: "where")
            return [TensorType(shape: s, dtype: x[1].dtype)]
        case .convert(let t): return [TensorType(shape: x[0].shape, dtype: t)]
        case .stopGradient: return [x[0]]
        case .broadcast(let shape, let dims):
            let s = x[0].shape
            guard dims.count == s.rank, dims.enumerated().allSatisfy({ i, d in
                d >= 0 && d < shape.rank && (s[i] == shape[d] || s[i] == 1) }), Set(dims).count == dims.count else {
                throw TensorError("broadcast: cannot broadcast \(s) to \(shape) with dims \(dims)")
            }
            return [TensorType(shape: shape, dtype: x[0].dtype)]
        case .reshape(let shape):
            guard shape.elementCount == x[0].shape.elementCount else {
                throw TensorError("reshape: cannot reshape \(x[0].shape) (\(x[0].shape.elementCount) elements) to \(shape)")
            }
            return [TensorType(shape: shape, dtype: x[0].dtype)]
        case .transpose(let perm):
            guard perm.count == x[0].shape.rank, Set(perm) == Set(0..<perm.count) else {
                throw TensorError("permute: \(perm) is not a permutation of the dimensions of \(x[0].shape)")
            }
            return [TensorType(shape: Shape(perm.map { x[0].shape[$0] }), dtype: x[0].dtype)]
        case .slice(let start, let limit, let stride):
            let s = x[0].shape
            guard start.count == s.rank, limit.count == s.rank, stride.count == s.rank else {
                throw TensorError("slice: expected \(s.rank) bounds for a tensor of shape \(s)")
            }
            var dims = [Int]()
            for d in 0..<s.rank {
                guard stride[d] > 0, start[d] >= 0, limit[d] <= s[d], start[d] <= limit[d] else {
                    throw TensorError("slice: bounds \(start[d]):\(limit[d]):\(stride[d]) out of range for dimension \(d) of size \(s[d])")
                }
                dims.append((limit[d] - start[d] + stride[d] - 1) / stride[d])
            }
            return [TensorType(shape: Shape(dims), dtype: x[0].dtype)]
        case .pad(let low, let high, let interior):
            let s = x[0].shape
            guard low.count == s.rank, high.count == s.rank, interior.count == s.rank else {
                throw TensorError("pad: expected \(s.rank) amounts for a tensor of shape \(s)")
            }
            let dims = (0..<s.rank).map { (d: Int) -> Int in
                let gaps: Int = Swift.max(0, s[d] - 1) * interior[d]
                return low[d] + high[d] + s[d] + gaps
            }
            return [TensorType(shape: Shape(dims), dtype: x[0].dtype)]
        case .concatenate(let axis):
            guard !x.isEmpty else { throw TensorError("torch.cat(): expected a non-empty list of Tensors") }
            try sameDType("cat")
            let first = x[0].shape
            guard axis >= 0 && axis < first.rank else {
                throw TensorError("cat: dimension \(axis) out of range for tensors of shape \(first)")
            }
            var total = 0
            for (k, t) in x.enumerated() {
                guard t.shape.rank == first.rank else {
                    throw TensorError("Tensors must have same number of dimensions: got \(first.rank) and \(t.shape.rank)")
                }
                if let d = (0..<first.rank).first(where: { $0 != axis && first[$0] != t.shape[$0] }) {
                    throw TensorError("Sizes of tensors must match except in dimension \(axis). Expected size \(first[d]) but got size \(t.shape[d]) for tensor number \(k) in the list.",
                                      hint: "cat: shapes \(first) and \(t.shape) differ outside dimension \(axis)")
                }
                total += t.shape[axis]
            }
            var s = first
            s[axis] = total
            return [TensorType(shape: s, dtype: x[0].dtype)]
        case .reduce(let op, let axes):
            let s = x[0].shape
            for a in axes where a < 0 || a >= s.rank {
                throw TensorError("\(op.rawValue): dimension \(a) out of range for a tensor of shape \(s)")
            }
            let dtype = op == .sum && x[0].dtype == .bool ? DType.int64 : x[0].dtype
            return [TensorType(shape: Shape((0..<s.rank).filter { !axes.contains($0) }.map { s[$0] }), dtype: dtype)]
        case .argReduce(let isMax, let axis):
            let s = x[0].shape
            guard axis >= 0 && axis < s.rank else {
                throw TensorError("\(isMax ? "argmax" : "argmin"): dimension \(axis) out of range for a tensor of shape \(s)")
            }
            return [TensorType(shape: Shape((0..<s.rank).filter { $0 != axis }.map { s[$0] }), dtype: .int64)]
        case .dotGeneral(let dims):
            try sameDType("matmul")
            return [TensorType(shape: try dims.resultShape(x[0].shape, x[1].shape), dtype: x[0].dtype)]
        case .identity(let n, let t):
            return [TensorType(shape: [n, n], dtype: t)]
        case .linalg(let op):
            try sameDType("linalg." + op.name)
            return [TensorType(shape: try op.resultShape(x.map(\.shape), dtype: x[0].dtype), dtype: x[0].dtype)]
        }
    }
}
