import Tensor

extension Program {
    /// Algebraic simplification in one forward pass:
    /// - no-op reshapes, transposes, broadcasts and conversions disappear;
    /// - chains of reshapes and of transposes collapse into one;
    /// - `x * 1`, `x + 0`, `x - 0` become `x`;
    /// - `x + x` becomes `x * 2`, and `-(x * c)` for a one-element constant `c` becomes
    ///   `x * (-c)`: the same values (doubling and negation are exact; only a NaN's sign bit may
    ///   differ), one pass fewer where the derivative of `t * t` is negated (`tanh`'s second
    ///   derivative);
    /// - a product with the symbolic identity becomes a transpose of the other operand
    ///   (so the first product of `jacrev`/`jacfwd` costs nothing);
    /// - a transpose feeding a dot product folds into its dimension numbers (and so into
    ///   the GEMM's transpose flags);
    /// - a transpose that puts a dot product's rhs free dimensions before its lhs ones becomes
    ///   the dot product with its operands swapped (no copy of the result);
    /// - equations on small constants are evaluated now (constant folding).
    public func simplified() throws -> Program {
        var types = self.types
        var rename = (0..<types.count).map { Var($0) }
        var definition = [Equation?](repeating: nil, count: types.count)
        var constant = [Tensor?](repeating: nil, count: types.count)
        for (v, t) in constants { constant[v.id] = t }
        var newConstants = constants
        var eqs: [Equation] = []

        func isScalar(_ v: Var, _ value: Double) -> Bool {
            guard let t = constant[v.id], t.elementCount == 1 else { return false }
            return t.scalarValue == value
        }
        /// A new rank-0 constant.
        func scalarConstant(_ value: Double, _ dtype: DType) -> Var {
            let v = Var(types.count), t = Tensor(scalar: value, dtype: dtype)
            types.append(TensorType(of: t))
            rename.append(v); definition.append(nil); constant.append(t)
            newConstants.append((v, t))
            return v
        }
        /// `x * c` as (x, c) when `v` is defined so, `c` a one-element constant and `x` of `v`'s type.
        func scaled(_ v: Var) -> (Var, Tensor)? {
            guard let d = definition[v.id], case .binary(.mul) = d.primitive else { return nil }
            for (x, c) in [(d.inputs[0], d.inputs[1]), (d.inputs[1], d.inputs[0])] {
                if let t = constant[c.id], t.elementCount == 1, types[x.id] == types[v.id] { return (x, t) }
            }
            return nil
        }

        for original in equations {
            var eq = original
            eq.inputs = eq.inputs.map { rename[$0.id] }
            let out = eq.outputs[0]
            let outType = types[out.id]
            /// Replaces the result by an existing variable of the same type.
            func forward(_ v: Var) -> Bool {
                guard types[v.id] == outType else { return false }
                rename[out.id] = v
                return true
            }
            var done = false
            switch eq.primitive {
            case .reshape:
                let x = eq.inputs[0]
                if types[x.id].shape == outType.shape { done = forward(x) }
                else if let d = definition[x.id], case .reshape = d.primitive {
                    eq.inputs = [d.inputs[0]]
                    if types[d.inputs[0].id] == outType { done = forward(d.inputs[0]) }
                }
            case .transpose(let perm):
                let x = eq.inputs[0]
                if perm == Array(0..<perm.count) { done = forward(x) }
                else if let d = definition[x.id], case .transpose(let inner) = d.primitive {
                    let composed = perm.map { inner[$0] }
                    if composed == Array(0..<composed.count) { done = forward(d.inputs[0]) }
                    else { eq = Equation(.transpose(composed), inputs: [d.inputs[0]], outputs: eq.outputs) }
                } else if let d = definition[x.id], let swapped = swappingOperands(d, perm, types) {
                    eq = Equation(swapped.primitive, inputs: swapped.inputs, outputs: eq.outputs)
                }
            case .broadcast(let shape, let dims):
                if shape == types[eq.inputs[0].id].shape && dims == Array(0..<dims.count) { done = forward(eq.inputs[0]) }
            case .convert(let t):
                if types[eq.inputs[0].id].dtype == t { done = forward(eq.inputs[0]) }
            case .binary(.mul):
                if isScalar(eq.inputs[1], 1) { done = forward(eq.inputs[0]) }
                else if isScalar(eq.inputs[0], 1) { done = forward(eq.inputs[1]) }
            case .binary(.add):
                if isScalar(eq.inputs[1], 0) { done = forward(eq.inputs[0]) }
                else if isScalar(eq.inputs[0], 0) { done = forward(eq.inputs[1]) }
                else if eq.inputs[0] == eq.inputs[1], outType.dtype.isFloatingPoint, types[eq.inputs[0].id] == outType {
                    eq = Equation(.binary(.mul), inputs: [eq.inputs[0], scalarConstant(2, outType.dtype)], outputs: eq.outputs)
                }
            case .unary(.neg):
                if outType.dtype.isFloatingPoint, let (x, c) = scaled(eq.inputs[0]), let value = c.scalarValue {
                    eq = Equation(.binary(.mul), inputs: [x, scalarConstant(-value, c.dtype)], outputs: eq.outputs)
                }
            case .binary(.sub):
                if isScalar(eq.inputs[1], 0) { done = forward(eq.inputs[0]) }
            case .dotGeneral(let d):
                func isIdentity(_ v: Var) -> Bool {
                    if let e = definition[v.id], case .identity = e.primitive { return true }
                    return constant[v.id].map(isIdentityMatrix) ?? false
                }
                if let replaced = dotWithIdentity(eq, d, isIdentity, types) {
                    if case .transpose(let perm) = replaced.primitive, perm == Array(0..<perm.count) {
                        done = forward(replaced.inputs[0])
                    } else {
                        eq = replaced
                    }
                }
                else { eq = foldTransposes(eq, d, definition, types) }
            case .unary, .binary, .compare, .select, .stopGradient, .slice, .pad, .concatenate, .reduce,
                 .argReduce, .identity, .linalg:
                break
            }
            if done { continue }
            // Constant folding (the symbolic identity stays symbolic).
            if case .identity = eq.primitive {} else if !eq.inputs.isEmpty,
               eq.inputs.allSatisfy({ constant[$0.id] != nil }), outType.shape.elementCount <= 1 << 16 {
                let value = try Eval.apply(eq.primitive, eq.inputs.map { constant[$0.id]! })[0]
                constant[out.id] = value
                newConstants.append((out, value))
                continue
            }
            definition[out.id] = eq
            eqs.append(eq)
        }
        var p = self
        p.types = types
        p.equations = eqs
        p.constants = newConstants
        p.outputs = outputs.map { rename[$0.id] }
        return p.removingDeadCode()
    }
}

/// Whether a constant is a square identity matrix (the identity of `jacrev`/`jacfwd` after
/// batching evaluated it).
func isIdentityMatrix(_ t: Tensor) -> Bool {
    guard t.rank == 2, t.shape[0] == t.shape[1], t.dtype.isFloatingPoint, t.shape[0] <= 4096 else { return false }
    let n = t.shape[0]
    for (i, v) in t.doubles.enumerated() where v != (i / n == i % n ? 1 : 0) { return false }
    return true
}

/// `I @ R` or `L @ I` with the identity `I` (symbolic, or a constant identity matrix): the other
/// operand, transposed so that the identity's free dimension takes the place of the contracted one.
private func dotWithIdentity(_ eq: Equation, _ d: DotDimensions, _ isIdentity: (Var) -> Bool,
                             _ types: [TensorType]) -> Equation? {
    guard d.lhsBatch.isEmpty, d.lhsContracting.count == 1 else { return nil }
    let lhs = eq.inputs[0], rhs = eq.inputs[1]
    if isIdentity(lhs), types[eq.outputs[0].id].dtype == types[rhs.id].dtype {
        // result = [identity's free dim] + rhs free dims = rhs with its contracted dim moved first.
        let k = d.rhsContracting[0]
        let rf = d.rhsFree(rank: types[rhs.id].shape.rank)
        return Equation(.transpose([k] + rf), inputs: [rhs], outputs: eq.outputs)
    }
    if isIdentity(rhs), types[eq.outputs[0].id].dtype == types[lhs.id].dtype {
        // result = lhs free dims + [identity's free dim] = lhs with its contracted dim moved last.
        let k = d.lhsContracting[0]
        let lf = d.lhsFree(rank: types[lhs.id].shape.rank)
        return Equation(.transpose(lf + [k]), inputs: [lhs], outputs: eq.outputs)
    }
    return nil
}

/// `transpose(dot(a, b))` whose permutation keeps the batch dimensions and then puts b's free
/// dimensions before a's, as `dot(b, a)`: the same products (per-sample parameter Jacobians end
/// with such outer products).
private func swappingOperands(_ dot: Equation, _ perm: [Int], _ types: [TensorType]) -> Equation? {
    guard case .dotGeneral(let d) = dot.primitive else { return nil }
    let nb = d.lhsBatch.count
    let nl = d.lhsFree(rank: types[dot.inputs[0].id].shape.rank).count
    let nr = d.rhsFree(rank: types[dot.inputs[1].id].shape.rank).count
    guard nl > 0, nr > 0, perm == Array(0..<nb) + Array((nb + nl)..<(nb + nl + nr)) + Array(nb..<(nb + nl)) else { return nil }
    let swapped = DotDimensions(lhsContracting: d.rhsContracting, rhsContracting: d.lhsContracting,
                                lhsBatch: d.rhsBatch, rhsBatch: d.lhsBatch)
    return Equation(.dotGeneral(swapped), inputs: [dot.inputs[1], dot.inputs[0]], outputs: dot.outputs)
}

/// Folds `transpose` operands of a dot product into its dimension numbers when that keeps
/// the order of the free dimensions (and so the layout of the result).
private func foldTransposes(_ eq: Equation, _ d: DotDimensions, _ definition: [Equation?],
                            _ types: [TensorType]) -> Equation {
    var d = d
    var inputs = eq.inputs
    for side in 0..<2 {
        guard let def = definition[inputs[side].id], case .transpose(let perm) = def.primitive else { continue }
        let rank = perm.count
        let contracting = side == 0 ? d.lhsContracting : d.rhsContracting
        let batch = side == 0 ? d.lhsBatch : d.rhsBatch
        let free = (0..<rank).filter { !contracting.contains($0) && !batch.contains($0) }
        let mappedFree = free.map { perm[$0] }
        guard mappedFree == mappedFree.sorted() else { continue }
        if side == 0 {
            d.lhsContracting = contracting.map { perm[$0] }
            d.lhsBatch = batch.map { perm[$0] }
        } else {
            d.rhsContracting = contracting.map { perm[$0] }
            d.rhsBatch = batch.map { perm[$0] }
        }
        inputs[side] = def.inputs[0]
    }
    return Equation(.dotGeneral(d), inputs: inputs, outputs: eq.outputs)
}
