import Tensor

/// Derivatives and costs of the `linalg` primitive, written in primitives (so that they can be
/// differentiated and batched again). Matrices are the last two dimensions; `ᵀ` swaps them.
///
/// - inverse `Y = A⁻¹`: `dY = -Y dA Y`; `Ā = -Yᵀ Ȳ Yᵀ`.
/// - solve `X = A⁻¹ B`: `dX = A⁻¹ (dB - dA X)`; `B̄ = A⁻ᵀ X̄`, `Ā = -B̄ Xᵀ`.
/// - `det`: `d det = det · tr(A⁻¹ dA)`; `log|det|`: `tr(A⁻¹ dA)`; the sign: zero.
/// - pseudo-inverse `P = A⁺` at constant rank (Golub and Pereyra, 1973):
///   `dP = -P dA P + P Pᵀ dAᵀ (I - A P) + (I - P A) dAᵀ Pᵀ P`.
/// - singular values: `dSᵢ = uᵢᵀ dA vᵢ`; `Ā = U diag(S̄) Vh`. The singular vectors are not
///   differentiated (their derivative exists only for distinct singular values, up to sign).
enum LinalgDerivatives {
    static func jvp(_ op: LinalgOp, x: [Operand], y: Operand, t: [Operand?]) throws -> Operand? {
        switch op {
        case .inverse:
            return try -(y.matmul(t[0]!).matmul(y))
        case .solve:
            var r: Operand? = t[1]
            if let ta = t[0] {
                let dax = try ta.matmul(y)
                r = try r.map { try $0 - dax } ?? -dax
            }
            return try bind1(.linalg(.solve), x[0], r!)
        case .determinant:
            return try y * traceOfInverseTimes(x[0], t[0]!)
        case .logAbsDeterminant:
            return try traceOfInverseTimes(x[0], t[0]!)
        case .signDeterminant:
            return nil
        case .pinv:
            let a = x[0], p = y, da = t[0]!, daT = try da.mT()
            let first = try -(p.matmul(da).matmul(p))
            let second = try p.matmul(p.mT()).matmul(daT - daT.matmul(a).matmul(p))
            let third = try (daT - p.matmul(a.matmul(daT))).matmul(p.mT().matmul(p))
            return try first + second + third
        case .svd(.s, _):
            let (u, vh) = try thinVectors(x[0])
            return try (u.mT().matmul(t[0]!) * vh).reduceSum([vh.rank - 1])
        case .svd(let part, _):
            throw notDifferentiable(part)
        }
    }

    static func vjp(_ op: LinalgOp, x: [Operand], y: Operand, ct: Operand, need: [Bool]) throws -> [Operand?] {
        switch op {
        case .inverse:
            let yT = try y.mT()
            return [try -(yT.matmul(ct).matmul(yT))]
        case .solve:
            let gb = try bind1(.linalg(.solve), x[0].mT(), ct)
            return [need[0] ? try -(gb.matmul(y.mT())) : nil, need[1] ? gb : nil]
        case .determinant:
            return [try matrixScaled(ct * y, try x[0].inverse().mT())]
        case .logAbsDeterminant:
            return [try matrixScaled(ct, try x[0].inverse().mT())]
        case .signDeterminant:
            return [nil]
        case .pinv:
            let a = x[0], p = y, ctT = try ct.mT()
            let first = try -(p.mT().matmul(ct).matmul(p.mT()))
            let second = try (ctT - a.matmul(p.matmul(ctT))).matmul(p.matmul(p.mT()))
            let third = try p.mT().matmul(p).matmul(ctT - ctT.matmul(p).matmul(a))
            return [try first + second + third]
        case .svd(.s, _):
            let (u, vh) = try thinVectors(x[0])
            // U diag(S̄) Vh: scale U's columns by the cotangent.
            let scaled = try u * ct.unsqueeze(ct.rank - 1)
            return [try scaled.matmul(vh)]
        case .svd(let part, _):
            throw notDifferentiable(part)
        }
    }

    /// Floating point operations of one `linalg` equation (the usual LAPACK operation counts).
    static func flops(_ op: LinalgOp, _ input: Shape, _ output: Shape) -> Int {
        let m = input[input.rank - 2], n = input[input.rank - 1]
        let batch = Shape(Array(input.dims.dropLast(2))).elementCount
        let k = Swift.min(m, n), big = Swift.max(m, n)
        let per: Int
        switch op {
        case .inverse: per = 2 * n * n * n
        case .solve: per = 2 * n * n * n / 3 + 2 * n * n * output[output.rank - 1]
        case .determinant, .logAbsDeterminant, .signDeterminant: per = 2 * n * n * n / 3
        case .svd(.s, _): per = 4 * big * k * k
        case .svd: per = 4 * big * k * k + 8 * k * k * k
        case .pinv: per = 4 * big * k * k + 8 * k * k * k + 2 * m * n * k
        }
        return batch * per
    }

    /// `tr(A⁻¹ dA)` for each matrix of the batch, as `sum(A⁻ᵀ ⊙ dA)`.
    static func traceOfInverseTimes(_ a: Operand, _ da: Operand) throws -> Operand {
        try (a.inverse().mT() * da).reduceSum([a.rank - 2, a.rank - 1])
    }

    /// `s[..., None, None] * m`: one scalar per matrix of the batch.
    static func matrixScaled(_ s: Operand, _ m: Operand) throws -> Operand {
        try s.broadcast(to: m.shape, dims: Array(0..<s.rank)) * m
    }

    /// The thin U and Vh of `a` (the primal), for the singular values' derivative.
    static func thinVectors(_ a: Operand) throws -> (Operand, Operand) {
        (try bind1(.linalg(.svd(.u, fullMatrices: false)), a), try bind1(.linalg(.svd(.vh, fullMatrices: false)), a))
    }

    static func notDifferentiable(_ part: SVDPart) -> TensorError {
        TensorError("linalg.svd: the derivative of \(part == .u ? "U" : "Vh") is not implemented in Jacobi "
                    + "(singular vectors are differentiable only for distinct singular values, and only up to sign)",
                    hint: "differentiate svdvals(A), pinverse(A), det(A) or a norm instead")
    }
}
