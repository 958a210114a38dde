import Tensor

extension Program {
    /// Merges equations that apply the same primitive to the same variables, and equal
    /// scalar constants, so that each value is computed once.
    public func mergingCommonSubexpressions() -> Program {
        struct Key: Hashable { let primitive: Primitive; let inputs: [Var] }
        struct ScalarKey: Hashable { let value: Double; let dtype: DType; let rank: Int }
        var rename = [Var](repeating: Var(0), count: types.count)
        for i in 0..<types.count { rename[i] = Var(i) }
        var consts: [(Var, Tensor)] = []
        var scalars: [ScalarKey: Var] = [:]
        for (v, t) in constants {
            if t.elementCount == 1, let value = t.scalarValue, !value.isNaN {
                let key = ScalarKey(value: value, dtype: t.dtype, rank: t.rank)
                if let existing = scalars[key], types[existing.id] == types[v.id] {
                    rename[v.id] = existing
                    continue
                }
                scalars[key] = v
            }
            consts.append((v, t))
        }
        var seen: [Key: [Var]] = [:]
        var eqs: [Equation] = []
        for eq in equations {
            let ins = eq.inputs.map { rename[$0.id] }
            let key = Key(primitive: eq.primitive, inputs: ins)
            if let prior = seen[key] {
                for (o, p) in zip(eq.outputs, prior) { rename[o.id] = p }
                continue
            }
            seen[key] = eq.outputs
            eqs.append(Equation(eq.primitive, inputs: ins, outputs: eq.outputs))
        }
        var p = self
        p.constants = consts
        p.equations = eqs
        p.outputs = outputs.map { rename[$0.id] }
        return p
    }
}
