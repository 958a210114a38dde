import Tensor

/// The closed set of operations that Jacobi's IR is made of. Every differentiable tensor
/// operation of the language is a composition of these; every transformation
/// (`Eval`, `ShapeRules`, `JVP`, `VJP`, `Batch`, `Cost`) is an exhaustive switch over them.
///
/// Elementwise binary operations, comparisons and `select` broadcast their operands
/// NumPy-style; everything else takes exact shapes.
///
/// ```swift
/// let p = Primitive.dotGeneral(DotDimensions(lhsContracting: [1], rhsContracting: [0]))
/// ```
public enum Primitive: Hashable, Sendable {
    /// An elementwise function of one tensor.
    case unary(UnaryOp)
    /// An elementwise function of two tensors of the same dtype, broadcasting.
    case binary(BinaryOp)
    /// An elementwise comparison producing a bool tensor, broadcasting.
    case compare(CompareOp)
    /// `where(condition, x, y)`, broadcasting.
    case select
    /// Element type conversion.
    case convert(DType)
    /// Blocks differentiation: the identity on values, zero derivative (`x.detach()`).
    case stopGradient
    /// `broadcast_in_dim`: operand dimension `i` becomes result dimension `dims[i]`.
    case broadcast(shape: Shape, dims: [Int])
    /// Same elements, new shape.
    case reshape(Shape)
    /// Permutation of dimensions: result dimension `i` is operand dimension `perm[i]`.
    case transpose([Int])
    /// Strided slice along every dimension.
    case slice(start: [Int], limit: [Int], stride: [Int])
    /// Zero padding before, after and between elements (the transpose of `slice`).
    case pad(low: [Int], high: [Int], interior: [Int])
    /// Joins operands along an axis.
    case concatenate(axis: Int)
    /// Sum, max or min over axes (removed from the shape).
    case reduce(ReduceOp, axes: [Int])
    /// Index of the max (or min) along an axis, as int64.
    case argReduce(max: Bool, axis: Int)
    /// General dot product (matrix products of any layout and batch).
    case dotGeneral(DotDimensions)
    /// The `n x n` identity matrix. Kept symbolic so that the optimizer can drop
    /// products with it (the standard basis of `jacrev` and `jacfwd`).
    case identity(n: Int, dtype: DType)
    /// A LAPACK operation on the last two dimensions (inverse, solve, determinants,
    /// pseudo-inverse, one factor of the SVD); leading dimensions are a batch.
    case linalg(LinalgOp)

    /// A short lowercase name, as shown by `:trace`.
    public var name: String {
        switch self {
        case .unary(let op): return op.rawValue
        case .binary(let op): return op.rawValue
        case .compare(let op): return op.rawValue
        case .select: return "select"
        case .convert: return "convert"
        case .stopGradient: return "stop_gradient"
        case .broadcast: return "broadcast"
        case .reshape: return "reshape"
        case .transpose: return "transpose"
        case .slice: return "slice"
        case .pad: return "pad"
        case .concatenate: return "concatenate"
        case .reduce(let op, _): return "reduce_" + op.rawValue
        case .argReduce(let isMax, _): return isMax ? "argmax" : "argmin"
        case .dotGeneral: return "dot_general"
        case .identity: return "eye"
        case .linalg(let op): return op.name
        }
    }

    /// The parameters, printed as `key=value` pairs in `:trace` output.
    public var parameterText: String {
        func list(_ a: [Int]) -> String { "(" + a.map(String.init).joined(separator: ",") + (a.count == 1 ? ",)" : ")") }
        switch self {
        case .unary, .binary, .compare, .select, .stopGradient: return ""
        case .convert(let t): return "dtype=\(t.rawValue)"
        case .broadcast(let s, let d): return "shape=\(list(s.dims)) dims=\(list(d))"
        case .reshape(let s): return "shape=\(list(s.dims))"
        case .transpose(let p): return "perm=\(list(p))"
        case .slice(let a, let b, let c):
            return "start=\(list(a)) limit=\(list(b))" + (c.allSatisfy { $0 == 1 } ? "" : " stride=\(list(c))")
        case .pad(let l, let h, let i):
            return "low=\(list(l)) high=\(list(h))" + (i.allSatisfy { $0 == 0 } ? "" : " interior=\(list(i))")
        case .concatenate(let a): return "axis=\(a)"
        case .reduce(_, let axes): return "axes=\(list(axes))"
        case .argReduce(_, let a): return "axis=\(a)"
        case .dotGeneral(let d):
            var s = "contract=(\(list(d.lhsContracting)),\(list(d.rhsContracting)))"
            if !d.lhsBatch.isEmpty { s += " batch=(\(list(d.lhsBatch)),\(list(d.rhsBatch)))" }
            return s
        case .identity(let n, let t): return "n=\(n) dtype=\(t.rawValue)"
        case .linalg(.pinv(let rtol, let atol)): return "rtol=\(rtol) atol=\(atol)"
        case .linalg(.svd(_, let full)): return full ? "full_matrices=True" : ""
        case .linalg: return ""
        }
    }
}
