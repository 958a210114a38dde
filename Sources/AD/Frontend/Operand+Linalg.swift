import Tensor

/// `torch.linalg` on operands: everything works on the last two dimensions with any leading
/// batch dimensions, in float32 or float64, and is differentiable where PyTorch's is
/// (`inv`, `solve`, `det`, `slogdet`, `pinv` at constant rank, `svdvals` and the norms and
/// condition numbers built from them).
///
/// ```swift
/// let p = try a.pinv()                        // linalg.pinv with PyTorch's default cut-off
/// let (sign, logabsdet) = try a.slogdet()
/// ```
extension Operand {
    /// The last two dimensions swapped (`A.mT`).
    public func mT() throws -> Operand {
        guard rank >= 2 else { throw TensorError("mT: expected a matrix or a batch of matrices, got shape \(shape)") }
        return try transpose(rank - 2, rank - 1)
    }

    /// `torch.linalg.inv(A)`.
    public func inverse() throws -> Operand { try bind1(.linalg(.inverse), self) }

    /// `torch.linalg.solve(A, B)`: `B` is a vector (`[n]`, or `A`'s shape without its last
    /// dimension) or a batch of matrices `[..., n, k]`; batch dimensions broadcast.
    public func solve(_ b: Operand) throws -> Operand {
        let a = self
        guard a.rank >= 2 else { throw TensorError("linalg.solve: A must be a matrix or a batch of matrices, got \(a.shape)") }
        let (pa, pb) = try Operand.promoted(a, b)
        let isVector = b.rank == 1 || (b.rank == a.rank - 1 && b.shape.dims == Array(a.shape.dims.dropLast()))
        let bm = isVector ? try pb.unsqueeze(-1) : pb
        guard bm.rank >= 2 else { throw TensorError("linalg.solve: B must be a vector or a batch of matrices, got \(b.shape)") }
        let batch = try Shape.broadcast(Shape(Array(a.shape.dims.dropLast(2))), Shape(Array(bm.shape.dims.dropLast(2))),
                                        op: "linalg.solve")
        let aa = try pa.broadcast(to: Shape(batch.dims + a.shape.dims.suffix(2)))
        let bb = try bm.broadcast(to: Shape(batch.dims + bm.shape.dims.suffix(2)))
        let x = try bind1(.linalg(.solve), aa, bb)
        return isVector ? try x.squeeze(-1) : x
    }

    /// `torch.linalg.det(A)`.
    public func det() throws -> Operand { try bind1(.linalg(.determinant), self) }

    /// `torch.linalg.slogdet(A)`: the sign (-1, 0 or 1) and `log|det A|`.
    public func slogdet() throws -> (sign: Operand, logabsdet: Operand) {
        (try bind1(.linalg(.signDeterminant), self), try bind1(.linalg(.logAbsDeterminant), self))
    }

    /// `torch.linalg.pinv(A, atol=None, rtol=None)`: singular values at or below
    /// `max(atol, rtol * σ_max)` count as zero. PyTorch's defaults: with neither given,
    /// `rtol = eps * max(m, n)`; with only `atol` given, `rtol = 0`.
    public func pinv(atol: Double? = nil, rtol: Double? = nil) throws -> Operand {
        guard rank >= 2 else { throw TensorError("linalg.pinv: expected a matrix or a batch of matrices, got shape \(shape)") }
        let (a, r) = Operand.tolerances(atol: atol, rtol: rtol, dtype: dtype, shape: shape)
        return try bind1(.linalg(.pinv(rtol: r, atol: a)), self)
    }

    /// `torch.pinverse(A, rcond=1e-15)`: singular values at or below `rcond * σ_max` count as zero.
    public func pinverse(rcond: Double = 1e-15) throws -> Operand {
        guard rank >= 2 else { throw TensorError("pinverse: expected a matrix or a batch of matrices, got shape \(shape)") }
        return try bind1(.linalg(.pinv(rtol: rcond, atol: 0)), self)
    }

    /// `torch.linalg.svd(A, full_matrices=True)`: `U`, `S` (descending) and `Vh` with `A = U diag(S) Vh`.
    public func svd(fullMatrices: Bool = true) throws -> (u: Operand, s: Operand, vh: Operand) {
        (try bind1(.linalg(.svd(.u, fullMatrices: fullMatrices)), self),
         try svdvals(),
         try bind1(.linalg(.svd(.vh, fullMatrices: fullMatrices)), self))
    }

    /// `torch.linalg.svdvals(A)`: the singular values in descending order (differentiable).
    public func svdvals() throws -> Operand { try bind1(.linalg(.svd(.s, fullMatrices: false)), self) }

    /// `torch.linalg.matrix_rank(A, atol=None, rtol=None)`: the number of singular values above
    /// the cut-off (the same rule as `pinv`), as int64.
    public func matrixRank(atol: Double? = nil, rtol: Double? = nil) throws -> Operand {
        guard rank >= 2 else { throw TensorError("linalg.matrix_rank: expected a matrix or a batch of matrices, got shape \(shape)") }
        let s = try svdvals()
        let (a, r) = Operand.tolerances(atol: atol, rtol: rtol, dtype: dtype, shape: shape)
        let largest = try s.extremum(max: true, [-1], keepdim: true)
        let cutoff = try Operand.binary(.max, largest * s.constant(r), s.constant(a))
        return try Operand.compare(.gt, s, cutoff).sum([-1])
    }

    /// `torch.linalg.matrix_norm(A, ord)`: `'fro'`, `'nuc'`, 2, -2 (largest or smallest singular
    /// value), 1, -1 (max or min column sum of |A|), inf, -inf (max or min row sum).
    public func matrixNorm(_ ord: MatrixNormOrder = .frobenius, keepdim: Bool = false) throws -> Operand {
        guard rank >= 2 else { throw TensorError("linalg.matrix_norm: expected a matrix or a batch of matrices, got shape \(shape)") }
        guard dtype.isFloatingPoint else {
            throw TensorError("linalg.matrix_norm: expected a floating point tensor, got \(dtype.torchName)")
        }
        let r: Operand
        switch ord {
        case .frobenius: r = try (self * self).sum([-2, -1]).unary(.sqrt)
        case .nuclear: r = try svdvals().sum([-1])
        case .spectral(let largest): r = try svdvals().extremum(max: largest, [-1])
        case .columnSum(let largest): r = try unary(.abs).sum([-2]).extremum(max: largest, [-1])
        case .rowSum(let largest): r = try unary(.abs).sum([-1]).extremum(max: largest, [-1])
        }
        return keepdim ? try r.unsqueeze(-1).unsqueeze(-1) : r
    }

    /// `torch.linalg.cond(A, p=None)`: `σ_max / σ_min` for `p` None or 2 (`σ_min / σ_max` for -2),
    /// otherwise `norm(A, p) * norm(inv(A), p)`.
    public func cond(_ p: MatrixNormOrder? = nil) throws -> Operand {
        guard rank >= 2 else { throw TensorError("linalg.cond: expected a matrix or a batch of matrices, got shape \(shape)") }
        switch p {
        case nil, .spectral(true):
            let s = try svdvals()
            return try s.extremum(max: true, [-1]) / s.extremum(max: false, [-1])
        case .spectral(false):
            let s = try svdvals()
            return try s.extremum(max: false, [-1]) / s.extremum(max: true, [-1])
        case let p?:
            return try matrixNorm(p) * inverse().matrixNorm(p)
        }
    }

    /// The absolute and relative tolerances of `pinv` and `matrix_rank` with PyTorch's defaults.
    static func tolerances(atol: Double?, rtol: Double?, dtype: DType, shape: Shape) -> (atol: Double, rtol: Double) {
        let eps = dtype == .float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
        let big = shape.rank >= 2 ? Swift.max(shape[shape.rank - 2], shape[shape.rank - 1]) : 1
        switch (atol, rtol) {
        case (nil, nil): return (0, eps * Double(big))
        case (let a?, nil): return (a, a > 0 ? 0 : eps * Double(big))
        case (nil, let r?): return (0, r)
        case (let a?, let r?): return (a, r)
        }
    }
}

/// The `ord` of a matrix norm (`torch.linalg.matrix_norm`).
public enum MatrixNormOrder: Hashable, Sendable {
    /// `'fro'`: the square root of the sum of squares.
    case frobenius
    /// `'nuc'`: the sum of the singular values.
    case nuclear
    /// 2 (largest singular value) or -2 (smallest).
    case spectral(largest: Bool)
    /// 1 (largest column sum of |A|) or -1 (smallest).
    case columnSum(largest: Bool)
    /// inf (largest row sum of |A|) or -inf (smallest).
    case rowSum(largest: Bool)
}
