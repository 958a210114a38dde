import Tensor

extension Program {
    /// Checks that every variable is defined once before it is used and that every equation's
    /// recorded result types are what shape inference gives. Throws a description of the first
    /// problem. Run after every optimisation pass in tests and debug builds.
    public func verify() throws {
        var defined = [Bool](repeating: false, count: types.count)
        for v in inputs { defined[v.id] = true }
        for (v, t) in constants {
            guard TensorType(of: t) == types[v.id] else {
                throw TensorError("verify: constant \(v.id) has type \(TensorType(of: t)), recorded \(types[v.id])")
            }
            defined[v.id] = true
        }
        for (i, eq) in equations.enumerated() {
            for v in eq.inputs where !defined[v.id] {
                throw TensorError("verify: equation \(i) (\(eq.primitive.name)) uses undefined variable \(v.id)")
            }
            let inferred = try ShapeRules.infer(eq.primitive, eq.inputs.map { types[$0.id] })
            for (v, t) in zip(eq.outputs, inferred) {
                guard types[v.id] == t else {
                    throw TensorError("verify: equation \(i) (\(eq.primitive.name)) gives \(t), recorded \(types[v.id])")
                }
                guard !defined[v.id] else { throw TensorError("verify: variable \(v.id) defined twice") }
                defined[v.id] = true
            }
        }
        for v in outputs where !defined[v.id] {
            throw TensorError("verify: output variable \(v.id) is never defined")
        }
    }
}
