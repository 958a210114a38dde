import Tensor

extension Program {
    /// Batching (`vmap`): a program whose inputs carry an extra dimension of `size` at
    /// `inDims[i]` (nil: unbatched). Returns the program, whose batched outputs have the batch
    /// dimension first, and which outputs are batched.
    public func batched(inDims: [Int?], size: Int) throws -> (program: Program, batchedOutputs: [Bool]) {
        let argTypes = zip(inputTypes, inDims).map { t, d -> TensorType in
            guard let d else { return t }
            var dims = t.shape.dims
            dims.insert(size, at: d)
            return TensorType(shape: Shape(dims), dtype: t.dtype)
        }
        var batchedOut: [Bool] = []
        let closed = try trace(inputTypes: argTypes) { args in
            var env = [Operand?](repeating: nil, count: types.count)
            var bdim = [Int?](repeating: nil, count: types.count)
            for (i, v) in inputs.enumerated() { env[v.id] = args[i]; bdim[v.id] = inDims[i] }
            for (v, t) in constants { env[v.id] = .tensor(t) }
            for eq in equations {
                let (outs, bds) = try Batch.apply(eq.primitive, eq.inputs.map { env[$0.id]! },
                                                  eq.inputs.map { bdim[$0.id] }, size: size)
                for (j, v) in eq.outputs.enumerated() { env[v.id] = outs[j]; bdim[v.id] = bds[j] }
            }
            batchedOut = outputs.map { bdim[$0.id] != nil }
            return try outputs.map { v in try bdim[v.id].map { try env[v.id]!.movingAxis($0, to: 0) } ?? env[v.id]! }
        }
        return (closed.program, batchedOut)
    }
}
