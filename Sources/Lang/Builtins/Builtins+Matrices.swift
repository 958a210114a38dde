import Tensor
import AD

extension Interpreter {
    // MARK: - LAPACK-backed linear algebra (torch.linalg)

    func registerMatrixBuiltins() {
        let t = "linalg"
        registry.add("pinverse", ["input", "rcond=1e-15"], topic: t, method: true,
                     summary: "torch.pinverse: the pseudo-inverse, singular values <= rcond * largest dropped",
                     doc: """
                     pinverse(A, rcond=1e-15) as torch.pinverse: the Moore-Penrose pseudo-inverse of each matrix in
                     the batch, through an SVD: LAPACK's, or for float32 batches of matrices up to 64 x 256, eight
                     at a time by one-sided Jacobi rotations (a quarter of torch.linalg.pinv's time on 64 matrices of
                     64 x 64, and closer to a float64 result). Singular values at or below rcond times the largest
                     count as zero. Differentiable where the rank does not change. Afterwards, a warning names the
                     batch elements that hold NaN or Inf, are rank-deficient or ill-conditioned.

                       >>> P = pinverse(J)                    # J is [m, n] or [..., m, n]; P is [..., n, m]
                       >>> isnan(P).any()                     # the thread's NaN check
                     """) { a in
            .tensor(try a.tensor("input").floating().pinverse(rcond: try a.double("rcond")))
        }
        registry.add("pinv", ["A", "|atol=None", "|rtol=None", "|hermitian=False"], topic: t,
                     summary: "torch.linalg.pinv: pseudo-inverse with cut-off max(atol, rtol * largest singular value)",
                     doc: """
                     linalg.pinv(A, *, atol=None, rtol=None, hermitian=False) with PyTorch's defaults: with neither
                     tolerance given, rtol = eps * max(m, n); with only atol given, rtol = 0. hermitian=True gives
                     the same result (computed through the SVD in Jacobi).
                     """) { a in
            .tensor(try a.tensor("A").floating().pinv(atol: a.has("atol") ? try a.double("atol") : nil,
                                                      rtol: a.has("rtol") ? try a.double("rtol") : nil))
        }
        registry.add("inv", ["A"], topic: t, method: true,
                     summary: "torch.linalg.inv: the inverse of each square matrix (LU through LAPACK)",
                     aliases: ["inverse"]) { a in
            .tensor(try a.tensor("A").floating().inverse())
        }
        registry.add("solve", ["A", "B", "|left=True"], topic: t,
                     summary: "torch.linalg.solve: X with A X = B (B a vector or [..., n, k]; batches broadcast)") { a in
            guard try a.bool("left") else {
                throw a.fail("left=False (X A = B) is not supported", hint: "solve(A.mT, B.mT).mT gives X with X A = B")
            }
            return .tensor(try a.tensor("A").floating().solve(try a.tensor("B").floating()))
        }
        registry.add("det", ["A"], topic: t, method: true,
                     summary: "torch.linalg.det: determinant of each square matrix") { a in
            .tensor(try a.tensor("A").floating().det())
        }
        registry.add("slogdet", ["A"], topic: t, method: true,
                     summary: "torch.linalg.slogdet: (sign, logabsdet) of each square matrix") { a in
            let (sign, logabs) = try a.tensor("A").floating().slogdet()
            return .tuple([.tensor(sign), .tensor(logabs)])
        }
        registry.add("svd", ["A", "full_matrices=True"], topic: t,
                     summary: "torch.linalg.svd: (U, S, Vh) with A = U diag(S) Vh, S descending") { a in
            let (u, s, vh) = try a.tensor("A").floating().svd(fullMatrices: try a.bool("full_matrices"))
            return .tuple([.tensor(u), .tensor(s), .tensor(vh)])
        }
        registry.add("svdvals", ["A"], topic: t,
                     summary: "torch.linalg.svdvals: singular values, descending (differentiable)") { a in
            .tensor(try a.tensor("A").floating().svdvals())
        }
        registry.add("matrix_rank", ["A", "|atol=None", "|rtol=None", "|hermitian=False"], topic: t,
                     summary: "torch.linalg.matrix_rank: singular values above max(atol, rtol * largest)") { a in
            .tensor(try a.tensor("A").floating().matrixRank(atol: a.has("atol") ? try a.double("atol") : nil,
                                                            rtol: a.has("rtol") ? try a.double("rtol") : nil))
        }
        registry.add("cond", ["A", "p=None"], topic: t,
                     summary: "torch.linalg.cond: condition number (p None/2: largest / smallest singular value)") { a in
            let p = try a.value("p").flatMap { $0.isNone ? nil : try self.matrixNormOrder($0, a) }
            return .tensor(try a.tensor("A").floating().cond(p))
        }
        registry.add("matrix_norm", ["A", "ord='fro'", "dim=None", "keepdim=False"], topic: t,
                     summary: "torch.linalg.matrix_norm: 'fro', 'nuc', 2, -2, 1, -1, inf, -inf over the last two dims") { a in
            let ord = try a.value("ord").map { try self.matrixNormOrder($0, a) } ?? .frobenius
            return .tensor(try self.matrixNorm(try a.tensor("A").floating(), a, ord: ord))
        }
    }

    /// A matrix norm of `x` over the call's `dim` (two dimensions, the last two by default).
    func matrixNorm(_ x: Operand, _ a: BoundArguments, ord: MatrixNormOrder) throws -> Operand {
        var x = x
        let keep = try a.bool("keepdim")
        if let dims = try a.intList("dim") {
            guard dims.count == 2 else { throw a.fail("a matrix norm needs dim to be two dimensions, got \(dims)") }
            let d0 = try x.shape.axis(dims[0], op: "matrix_norm"), d1 = try x.shape.axis(dims[1], op: "matrix_norm")
            guard d0 != d1 else { throw a.fail("dim must name two different dimensions, got \(dims)") }
            let rest = (0..<x.rank).filter { $0 != d0 && $0 != d1 }
            x = try x.permuted(rest + [d0, d1])
            guard keep else { return try x.matrixNorm(ord) }
            // Put the kept size-1 dimensions back where they were.
            var r = try x.matrixNorm(ord)
            for d in [d0, d1].sorted() { r = try r.unsqueeze(d) }
            return r
        }
        return try x.matrixNorm(ord, keepdim: keep)
    }

    /// `ord` of `matrix_norm`, `norm` on matrices and `cond`.
    func matrixNormOrder(_ v: Value, _ a: BoundArguments) throws -> MatrixNormOrder {
        if case .string("fro") = v { return .frobenius }
        if case .string("nuc") = v { return .nuclear }
        if let p = Number(v).flatMap({ try? $0.double() }) {
            if abs(p) == 2 { return .spectral(largest: p > 0) }
            if abs(p) == 1 { return .columnSum(largest: p > 0) }
            if p.isInfinite { return .rowSum(largest: p > 0) }
        }
        throw a.fail("ord=\(repr(v)) is not a matrix norm", hint: "use 'fro', 'nuc', 2, -2, 1, -1, inf or -inf")
    }
}
