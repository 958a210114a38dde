import Tensor

extension Program {
    /// Reverse mode: a program taking `(inputs..., one cotangent per output...)` and returning
    /// `(outputs..., cotangents of the inputs marked in wrt...)`. Only equations on a path from a
    /// `wrt` input to an output get backward rules; zero cotangents are never computed.
    public func vjp(wrt: [Bool]) throws -> Program {
        // Which variables depend on a wrt input (and so need cotangents).
        var active = [Bool](repeating: false, count: types.count)
        for (i, v) in inputs.enumerated() where wrt[i] { active[v.id] = true }
        for eq in equations where eq.inputs.contains(where: { active[$0.id] }) {
            for v in eq.outputs where types[v.id].dtype.isFloatingPoint { active[v.id] = true }
        }
        let cotangentTypes = outputs.map { types[$0.id] }
        return try trace(inputTypes: inputTypes + cotangentTypes) { args in
            var env = [Operand?](repeating: nil, count: types.count)
            for (i, v) in inputs.enumerated() { env[v.id] = args[i] }
            for (v, t) in constants { env[v.id] = .tensor(t) }
            for eq in equations {
                let outs = try bind(eq.primitive, eq.inputs.map { env[$0.id]! })
                for (j, v) in eq.outputs.enumerated() { env[v.id] = outs[j] }
            }
            var ct = [Operand?](repeating: nil, count: types.count)
            func accumulate(_ v: Var, _ c: Operand) throws {
                ct[v.id] = try ct[v.id].map { try $0 + c } ?? c
            }
            for (k, v) in outputs.enumerated() where active[v.id] { try accumulate(v, args[inputs.count + k]) }
            for eq in equations.reversed() {
                guard let c = ct[eq.outputs[0].id] else { continue }
                let need = eq.inputs.map { active[$0.id] }
                if !need.contains(true) { continue }
                let ins = eq.inputs.map { env[$0.id]! }
                let cts = try VJP.apply(eq.primitive, x: ins, y: eq.outputs.map { env[$0.id]! }, ct: c, need: need)
                for (j, v) in eq.inputs.enumerated() where need[j] {
                    if let cj = cts[j] { try accumulate(v, cj) }
                }
            }
            let outs = outputs.map { env[$0.id]! }
            let grads = try inputs.enumerated().filter { wrt[$0.offset] }.map { _, v in
                try ct[v.id] ?? Operand.zeros(types[v.id])
            }
            return outs + grads
        }.program
    }
}
