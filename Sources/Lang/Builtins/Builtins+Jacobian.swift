import Tensor
import AD
import Printer

extension Interpreter {
    // MARK: - torch.autograd.functional.jacobian and batch_jacobian

    func registerJacobianBuiltins() {
        let t = "transforms"
        registry.add("jacobian", ["func", "inputs", "create_graph=False", "strict=False", "vectorize=False", "strategy='reverse-mode'"], topic: t,
                     summary: "torch.autograd.functional.jacobian: [B, m, B, n] for a batch; looped unless vectorize=True",
                     doc: """
                     jacobian(func, inputs, vectorize=False, strategy='reverse-mode') is torch.autograd.functional.jacobian.
                     For inputs [B, n] and outputs [B, m] the result is [B, m, B, n]: every output row against every
                     input row, mostly zeros when samples do not interact. vectorize=False computes one row per
                     output element (the forum thread's loop over autograd.grad); vectorize=True computes all rows in
                     one batched pass (jacrev); strategy='forward-mode' uses forward mode (one column per input
                     element, or jacfwd when vectorized). inputs may be a tuple: the result is then a tuple.

                       >>> jacobian(net, x).shape              # [B, m, B, n]
                       >>> vmap(jacrev(net))(x).shape          # [B, m, n]: the same diagonal blocks, B times cheaper
                     """) { a in
            try self.runJacobian(a)
        }
        registry.add("batch_jacobian", ["func", "x"], topic: t,
                     summary: "per-sample Jacobians [B, m, n] by the sum-over-batch trick (TensorFlow's batch_jacobian)",
                     doc: """
                     batch_jacobian(f, x) is tf.GradientTape.batch_jacobian: for x [B, n] and f(x) [B, m] it returns
                     [B, m, n], computed as jacrev(lambda x: f(x).sum(0))(x).permute(1, 0, 2): summing over the batch
                     before differentiating is exact when samples do not interact.
                     """) { a in
            let f = try a.function("func")
            let x = try a.tensor("x")
            guard x.rank >= 1 else { throw a.fail("x must have a batch dimension, got shape \(x.shape)") }
            let flat = FlatArguments([.tensor(x)])
            let box = OutputStructure()
            let g = self.tensorFunction(f, flat, hasAux: false, box: box, name: "batch_jacobian", range: a.range)
            let summed: TensorFunction = { xs in
                let ys = try g(xs)
                guard ys.count == 1, ys[0].rank >= 1, ys[0].shape[0] == x.shape[0] else {
                    throw PythonError(.ValueError, "batch_jacobian: f must return one tensor with the batch dimension \(x.shape[0]) first, got \(ys.map { formatShapeText($0.shape) }.joined(separator: ", "))", at: a.range)
                }
                return [try ys[0].sum([0])]
            }
            let key = self.functionKey(f, "batch_jacobian")
            let out = try self.stager.run(key: key, [x]) { xs in
                let j = try AD.jacrev(summed, argnums: [0])(xs)[0]   // [m..., B, n...]
                let m = j.rank - x.rank
                var perm = [m]
                perm += Array(0..<m)
                perm += Array((m + 1)..<j.rank)
                return [try j.permuted(perm)]
            }
            return .tensor(out[0])
        }
    }

    /// A cache key for a builtin applied to a function value, or nil for other callables.
    func functionKey(_ f: Value, _ what: String) -> AnyHashable? {
        transformKey(what, f)
    }

    func runJacobian(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        let vectorize = try a.bool("vectorize")
        let strategy = try a.string("strategy")
        guard strategy == "reverse-mode" || strategy == "forward-mode" else {
            throw a.fail("strategy must be 'reverse-mode' or 'forward-mode', got '\(strategy)'")
        }
        let forward = strategy == "forward-mode"
        let inputsValue = a.value("inputs")!
        let isTuple: Bool
        let inputs: [Value]
        switch inputsValue {
        case .tuple(let xs): isTuple = true; inputs = xs
        case .list(let l): isTuple = true; inputs = l.items
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            isTuple = false; inputs = [inputsValue]
        }
        for (i, v) in inputs.enumerated() {
            guard case .tensor = v else { throw a.fail("input \(i) must be a tensor, not \(v.pyType.name)") }
        }
        let flat = FlatArguments(inputs)
        let box = OutputStructure()
        let g = tensorFunction(f, flat, hasAux: false, box: box, name: "jacobian", range: a.range)
        let argnums = Array(0..<flat.leaves.count)
        // The guard, with the per-sample alternative when the input is a batch.
        func refusal(_ needed: Int) -> PythonError {
            var hint = "raise the limit with :set memlimit"
            if flat.leaves.count == 1, let alt = perSampleJacobianPeak(g, flat.leaves[0]) {
                let batch = flat.leaves[0].shape[0]
                if alt <= memoryLimit || batch <= 1 {
                    hint = "if samples do not interact, vmap(jacrev(f))(x) gives the [B, m, n] diagonal blocks and needs \(formatByteCount(alt)); or " + hint
                } else {
                    // That too is over the limit: chunks of the batch, with their figure.
                    // A power of two, as vmap's own chunking picks (the estimate has a fixed part).
                    let fits = Swift.max(1, Int(Double(batch) * Double(memoryLimit) / Double(alt) * 0.9))
                    let chunk = 1 << (Int.bitWidth - 1 - fits.leadingZeroBitCount)
                    let perChunk = Int(Double(alt) * Double(chunk) / Double(batch))
                    hint = "if samples do not interact, vmap(jacrev(f))(x) gives the [B, m, n] diagonal blocks but needs \(formatByteCount(alt)), "
                        + "also over the limit; vmap(jacrev(f), chunk_size=\(chunk))(x) runs \(chunk) samples at a time and needs about \(formatByteCount(perChunk)); or " + hint
                }
            }
            return PythonError(.MemoryError, "jacobian: the full Jacobian would need \(formatByteCount(needed)), over the memory limit of \(formatByteCount(memoryLimit))",
                              at: a.range, hint: hint)
        }
        if flat.leaves.allSatisfy({ $0.concrete != nil }) {
            // Output size from the function's type alone (nothing runs), then the result size.
            let closed = try trace(inputTypes: flat.leaves.map(\.type), g)
            let outElements = closed.program.outputTypes.prefix(box.mainLeaves).reduce(0) { $0 + $1.shape.elementCount }
            let resultBytes = outElements * flat.leaves.reduce(0) { $0 + $1.type.byteCount }
            if resultBytes > memoryLimit { throw refusal(resultBytes) }
        }
        let outs: [Operand]
        if vectorize {
            let key = functionKey(f, "jacobian:\(forward)")
            do {
                outs = try staged(for: key, flat, box: box,
                                  forward ? AD.jacfwd(g, argnums: argnums) : AD.jacrev(g, argnums: argnums))
            } catch let e as MemoryLimitExceeded {
                throw refusal(e.needed)
            }
        } else {
            outs = try loopedJacobian(g, argnums: argnums, forward: forward, shouldStop: shouldStop,
                                      progress: progress.map { p in { done, total in p(done + 1, total) } })(flat.leaves)
        }
        // Outputs outer, inputs inner; tuples where torch gives tuples.
        let n = argnums.count
        var k = 0
        let perOutput = { () -> Value in
            let blocks = outs[(k * n)..<((k + 1) * n)].map { Value.tensor($0) }
            k += 1
            return isTuple ? .tuple(blocks) : blocks[0]
        }
        switch box.tree {
        case .leaf: return perOutput()
        case .tuple, .list, .dict, .constant: return Pytree.unflatten(box.tree, perOutput)
        }
    }

    /// `staged` for a key that may be nil (no caching).
    func staged(for key: AnyHashable?, _ flat: FlatArguments, box: OutputStructure, _ body: @escaping TensorFunction) throws -> [Operand] {
        let known = key.flatMap { k in structures[StructureKey(function: k, generation: generation, types: flat.leaves.map(\.type))] }
        if let known { box.tree = known.tree; box.mainLeaves = known.mainLeaves }
        let outs = try stager.run(key: key, flat.leaves, body)
        if let key { structures[StructureKey(function: key, generation: generation, types: flat.leaves.map(\.type))] = box }
        return outs
    }
}

/// `[2, 3]`.
/// A shape as Jacobi shows it in messages and summaries: `[2, 3]`.
func formatShapeText(_ s: Shape) -> String { formatShapeList(s) }
