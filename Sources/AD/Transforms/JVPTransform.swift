import Tensor

extension Program {
    /// Forward mode: a program taking `(inputs..., tangents of the inputs marked in wrt...)` and
    /// returning `(outputs..., output tangents...)`. Tangents that are known to be zero are never
    /// computed; output tangents that are zero are materialised at the end.
    public func jvp(wrt: [Bool]) throws -> Program {
        let primalTypes = inputTypes
        let tangentTypes = zip(primalTypes, wrt).filter { $0.1 }.map { $0.0 }
        return try trace(inputTypes: primalTypes + tangentTypes) { args in
            var env = [Operand?](repeating: nil, count: types.count)
            var tan = [Operand?](repeating: nil, count: types.count)
            var k = primalTypes.count
            for (i, v) in inputs.enumerated() {
                env[v.id] = args[i]
                if wrt[i] { tan[v.id] = args[k]; k += 1 }
            }
            for (v, t) in constants { env[v.id] = .tensor(t) }
            for eq in equations {
                let (outs, touts) = try JVP.apply(eq.primitive, eq.inputs.map { env[$0.id]! }, eq.inputs.map { tan[$0.id] })
                for (j, v) in eq.outputs.enumerated() { env[v.id] = outs[j]; tan[v.id] = touts[j] }
            }
            let outs = outputs.map { env[$0.id]! }
            let touts = try outputs.map { try tan[$0.id] ?? Operand.zeros(types[$0.id]) }
            return outs + touts
        }.program
    }
}
