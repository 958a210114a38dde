import Tensor

extension Operand {
    /// `torch.diagonal(x, offset=0, dim1=0, dim2=1)`: the diagonal of the `(dim1, dim2)` planes,
    /// as a new last dimension. Built from primitives (transpose, strided slice, reshape), so it
    /// is differentiable and batches like everything else.
    ///
    /// ```swift
    /// try J.diagonal(dim1: 0, dim2: 2)   // [B, m, B, n] -> [m, n, B]
    /// ```
    public func diagonal(offset: Int = 0, dim1: Int = 0, dim2: Int = 1) throws -> Operand {
        guard rank >= 2 else { throw TensorError("diagonal dimensions requires at least two dimensions", kind: .runtime) }
        let a = try shape.axis(dim1, op: "diagonal"), b = try shape.axis(dim2, op: "diagonal")
        guard a != b else { throw TensorError("diagonal: dim1 and dim2 must differ, both are \(a)") }
        let rest = (0..<rank).filter { $0 != a && $0 != b }
        let moved = try permuted(rest + [a, b])
        let (r, c) = (shape[a], shape[b])
        // Entries (i, i + offset) for offset >= 0, (i - offset, i) otherwise.
        let start = offset >= 0 ? offset : -offset * c
        let length = offset >= 0 ? max(0, min(r, c - offset)) : max(0, min(r + offset, c))
        let lead = rest.map { shape[$0] }
        let flat = try moved.reshaped(Shape(lead + [r * c]))
        if length == 0 { return try Operand.zeros(TensorType(shape: Shape(lead + [0]), dtype: dtype)) }
        let limit = start + (length - 1) * (c + 1) + 1
        return try bind1(.slice(start: lead.map { _ in 0 } + [start], limit: lead + [limit],
                                 stride: lead.map { _ in 1 } + [c + 1]), flat)
    }

    /// `torch.diag_embed(x)`: square matrices with the last dimension of `x` on their diagonal
    /// (zero padding between the entries, then a reshape).
    public func diagEmbed() throws -> Operand {
        guard rank >= 1 else { throw TensorError("diag_embed: expects at least one dimension, got a 0-d tensor") }
        let n = shape[rank - 1]
        let lead = Array(shape.dims.dropLast())
        let zeros = lead.map { _ in 0 }
        let padded = try bind1(.pad(low: zeros + [0], high: zeros + [0], interior: zeros + [n]), self)   // n + (n-1)n = n^2
        return try padded.reshaped(Shape(lead + [n, n]))
    }
}
