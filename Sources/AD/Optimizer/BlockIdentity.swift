import Tensor

extension Program {
    /// Products with the identity basis reshaped to several dimensions become selections.
    ///
    /// The basis of a Jacobian with respect to a whole batch, `jacobian(f, x)` for `x` of shape
    /// `[B, n]`, is `identity(B n)` reshaped to `[B n, B, n]`. Its first product contracts the
    /// trailing `n` with a weight `W [n, F]`, a GEMM with `k = n` whose result
    /// `R[(a, c), b, f] = δ(a, b) W[c, f]` only places copies of `W` on a block diagonal. That is
    /// now two copies: a row holding `W` padded with zeros (small, and folded when `W` is a
    /// constant) broadcast to one per block row, then cut so that each copy lands on the diagonal
    /// (positive zeros elsewhere, as the product gives them).
    ///
    /// In general: `dot(reshape(identity(N), [N, s_1..s_r]), R)` contracting a suffix
    /// `s_{j+1}..s_r` of the reshaped dimensions (their product `K`) with dimensions of `R` (its
    /// other dimensions `F`), with `A = s_1 ... s_j`, is `[A, K, A, F]` with `R` (as `[K, F]`) in
    /// the blocks `(a, :, a, :)` and zeros elsewhere, reshaped to the product's
    /// `[N, s_1..s_j, F...]`. With `A = 1` it is `R` transposed and reshaped.
    ///
    /// ```swift
    /// let p = try program.expandingBlockIdentityProducts()
    /// ```
    public func expandingBlockIdentityProducts() -> Program {
        var p = self
        var definition = [Equation?](repeating: nil, count: types.count)
        var rewritten: [Equation] = []
        var changed = false
        for eq in equations {
            if case .dotGeneral(let d) = eq.primitive,
               let n = reshapedIdentity(eq.inputs[0], definition),
               let replacement = p.blockIdentityProduct(eq, d, n) {
                rewritten += replacement
                changed = true
            } else {
                rewritten.append(eq)
            }
            for v in eq.outputs { definition[v.id] = eq }
        }
        guard changed else { return self }
        p.equations = rewritten
        return p
    }

    /// `n` when `v` is `reshape(identity(n))` (the identity symbolic, or a constant identity matrix).
    private func reshapedIdentity(_ v: Var, _ definition: [Equation?]) -> Int? {
        guard let r = definition[v.id], case .reshape = r.primitive else { return nil }
        let source = r.inputs[0]
        if let e = definition[source.id], case .identity(let n, _) = e.primitive { return n }
        if let t = constants.first(where: { $0.0 == source })?.1, isIdentityMatrix(t) { return t.shape[0] }
        return nil
    }

    /// The equations that compute `eq` (a product whose lhs is the reshaped `identity(n)`) as a
    /// selection, or nil when its dimensions are not of the form above.
    private mutating func blockIdentityProduct(_ eq: Equation, _ d: DotDimensions, _ n: Int) -> [Equation]? {
        let lhs = types[eq.inputs[0].id], rhs = types[eq.inputs[1].id], out = types[eq.outputs[0].id]
        let r = lhs.shape.rank - 1
        guard d.lhsBatch.isEmpty, !d.lhsContracting.isEmpty, r >= 1, lhs.shape[0] == n,
              lhs.shape.elementCount == n * n, rhs.dtype == out.dtype, out.dtype.isFloatingPoint else { return nil }
        // The contracted dimensions are the last ones, in order.
        let j = r - d.lhsContracting.count
        guard j >= 0, d.lhsContracting == Array((j + 1)...r) else { return nil }
        let a = lhs.shape.dims[1..<(j + 1)].reduce(1, *)
        let k = lhs.shape.dims[(j + 1)...].reduce(1, *)
        let free = d.rhsFree(rank: rhs.shape.rank)
        let f = free.reduce(1) { $0 * rhs.shape[$1] }
        guard k > 0, f > 0 else { return nil }
        var eqs: [Equation] = []
        func emit(_ primitive: Primitive, _ inputs: [Var], _ type: TensorType) -> Var {
            types.append(type)
            let v = Var(types.count - 1)
            eqs.append(Equation(primitive, inputs: inputs, outputs: [v]))
            return v
        }
        // R with its contracted dimensions first, in the order of the identity's.
        let perm = d.rhsContracting + free
        var moved = eq.inputs[1]
        if perm != Array(0..<perm.count) {
            moved = emit(.transpose(perm), [moved], TensorType(shape: Shape(perm.map { rhs.shape[$0] }), dtype: rhs.dtype))
        }
        if a == 1 {
            eqs.append(Equation(.reshape(out.shape), inputs: [moved], outputs: eq.outputs))
            return eqs
        }
        // One row of the result per block row a, each `l + f` long: R's K rows of F, each padded
        // with (A - 1) F zeros, then F zeros more. Laid end to end, row a's copy of R starts
        // a (l + f) = a l + a F into the result, where [A, K, A, F] puts block (a, a).
        let dtype = out.dtype, l = k * a * f
        let matrix = emit(.reshape([k, f]), [moved], TensorType(shape: [k, f], dtype: dtype))
        let padded = emit(.pad(low: [0, 0], high: [0, (a - 1) * f], interior: [0, 0]), [matrix],
                          TensorType(shape: [k, a * f], dtype: dtype))
        let flat = emit(.reshape([l]), [padded], TensorType(shape: [l], dtype: dtype))
        let row = emit(.pad(low: [0], high: [f], interior: [0]), [flat], TensorType(shape: [l + f], dtype: dtype))
        let rows = emit(.broadcast(shape: [a, l + f], dims: [1]), [row], TensorType(shape: [a, l + f], dtype: dtype))
        let line = emit(.reshape([a * (l + f)]), [rows], TensorType(shape: [a * (l + f)], dtype: dtype))
        let placed = emit(.slice(start: [0], limit: [a * l], stride: [1]), [line], TensorType(shape: [a * l], dtype: dtype))
        eqs.append(Equation(.reshape(out.shape), inputs: [placed], outputs: eq.outputs))
        return eqs
    }
}
