import Tensor

/// The Jacobian one row (reverse mode) or one column (forward mode) at a time, as
/// `torch.autograd.functional.jacobian(..., vectorize=False)` and the forum thread's loop over
/// `autograd.grad` compute it: the VJP (or JVP) program is traced once and run once per basis
/// vector. For every output and every argnum: `out.shape + arg.shape`, outputs outer.
///
/// ```swift
/// let J = try loopedJacobian(f, argnums: [0], forward: false)([x])[0]
/// ```
public func loopedJacobian(_ f: @escaping TensorFunction, argnums: [Int], forward: Bool,
                           shouldStop: @escaping () -> Bool = { false },
                           progress: ((Int, Int) -> Void)? = nil) -> TensorFunction {
    return { args in
        let sorted = try checkedArgnums(argnums, args, "jacobian")
        let (p, all) = try traceAt(f, args)
        let concrete = all.allSatisfy { $0.concrete != nil }
        /// Runs a row (or column) program: optimised once and evaluated with kernels when
        /// everything is concrete, inlined into the enclosing trace otherwise.
        func runner(_ q: Program) throws -> ([Operand]) throws -> [Operand] {
            guard concrete else { return { try apply(q, $0) } }
            let plan = ExecutionPlan(try q.optimized())
            return { inputs in
                var evaluator = Evaluator(shouldStop: shouldStop)
                return try evaluator.run(plan, inputs.map { $0.concrete! }).map { .tensor($0) }
            }
        }
        try checkFloatOutputs(p, p.outputs.count, "jacobian")
        var results: [Operand] = []
        for k in 0..<p.outputs.count {
            let pk = p.selectingOutputs([k])
            let y = pk.outputTypes[0]
            let m = y.shape.elementCount
            var blocks: [Int: Operand] = [:]
            if forward {
                for a in argnums {
                    let x = args[a].type
                    let n = x.shape.elementCount
                    let run = try runner(try pk.jvp(wrt: all.indices.map { $0 == a }).selectingOutputs([1]))
                    var columns: [Operand] = []
                    for j in 0..<n {
                        progress?(j, n)
                        let e = try unitVector(j, n, x)
                        columns.append(try run(all + [e])[0].reshaped([m]))
                    }
                    // columns: n vectors of length m -> [m, n]
                    let stacked = try bind(.concatenate(axis: 0), try columns.map { try $0.reshaped([1, m]) })[0]
                    blocks[a] = try stacked.permuted([1, 0]).reshaped(Shape(y.shape.dims + x.shape.dims))
                }
            } else {
                let run = try runner(try pk.vjp(wrt: all.indices.map { sorted.contains($0) }).selectingOutputs(Array(1...sorted.count)))
                var rows: [[Operand]] = []
                for i in 0..<m {
                    progress?(i, m)
                    rows.append(try run(all + [try unitVector(i, m, y)]))
                }
                for (j, a) in sorted.enumerated() {
                    let x = args[a].type
                    let stacked = try bind(.concatenate(axis: 0), try rows.map { try $0[j].reshaped(Shape([1] + x.shape.dims)) })[0]
                    blocks[a] = try stacked.reshaped(Shape(y.shape.dims + x.shape.dims))
                }
            }
            for a in argnums { results.append(blocks[a]!) }
        }
        return results
    }
}

/// The `i`-th standard basis vector of a space of `n` elements, shaped like `like`.
func unitVector(_ i: Int, _ n: Int, _ like: TensorType) throws -> Operand {
    var v = [Double](repeating: 0, count: n)
    v[i] = 1
    return .tensor(Tensor(shape: like.shape, doubles: v, dtype: like.dtype))
}
