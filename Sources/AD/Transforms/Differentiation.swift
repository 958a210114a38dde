import Tensor

// The public transformations, torch.func style, on flat lists of operands. The language
// layer maps Python-like trees of tensors (tuples, lists, dicts) onto these flat lists.
// Each is a composition of three program transforms: `jvp`, `vjp`, `batched`.

/// Checks that argnums name floating-point arguments and returns them sorted.
func checkedArgnums(_ argnums: [Int], _ args: [Operand], _ name: String) throws -> [Int] {
    for a in argnums {
        guard a >= 0 && a < args.count else {
            throw TensorError("\(name): argnums \(a) is out of range for a function called with \(args.count) argument(s)")
        }
        guard args[a].dtype.isFloatingPoint else {
            throw TensorError("\(name): argument \(a) has dtype \(args[a].dtype.torchName); only floating point inputs can be differentiated",
                              hint: "convert it first, e.g. x.float() or x.double()")
        }
    }
    guard Set(argnums).count == argnums.count else { throw TensorError("\(name): argnums \(argnums) has duplicates") }
    return argnums.sorted()
}

/// The differentiated outputs must be floating point.
func checkFloatOutputs(_ p: Program, _ count: Int, _ name: String) throws {
    for (k, t) in p.outputTypes.prefix(count).enumerated() where !t.dtype.isFloatingPoint {
        throw TensorError("\(name): output \(k) has dtype \(t.dtype.torchName); only floating point outputs can be differentiated")
    }
}

/// Traces `f` at the arguments' types; returns the program and all its operands (arguments then captured).
func traceAt(_ f: TensorFunction, _ args: [Operand]) throws -> (Program, [Operand]) {
    let closed = try trace(inputTypes: args.map(\.type), f)
    return (closed.program, args + closed.captured)
}

/// Evaluates the auxiliary outputs (the last `aux` ones).
func auxiliary(_ p: Program, _ all: [Operand], aux: Int) throws -> [Operand] {
    if aux == 0 { return [] }
    let n = p.outputs.count
    return try apply(p.selectingOutputs(Array((n - aux)..<n)), all)
}

// MARK: - jvp, vjp, linearize

/// Forward mode: `(f(primals), J t)`. `aux` trailing outputs of `f` are returned undifferentiated.
///
/// ```swift
/// let (out, tangentOut, _) = try jvp({ [try $0[0].unary(.sin)] }, primals: [x], tangents: [t])
/// ```
public func jvp(_ f: TensorFunction, primals: [Operand], tangents: [Operand], aux: @escaping () -> Int = { 0 }) throws
    -> (outputs: [Operand], tangents: [Operand], aux: [Operand]) {
    guard primals.count == tangents.count else {
        throw TensorError("jvp: \(primals.count) primals but \(tangents.count) tangents; pass one tangent per primal")
    }
    for (i, (p, t)) in zip(primals, tangents).enumerated() where p.type != t.type {
        throw TensorError("jvp: tangent \(i) is \(t.type) but its primal is \(p.type); they must match in shape and dtype")
    }
    _ = try checkedArgnums(Array(0..<primals.count), primals, "jvp")
    let (p, all) = try traceAt(f, primals)
    let n = p.outputs.count - aux()
    try checkFloatOutputs(p, n, "jvp")
    let wrt = all.indices.map { $0 < primals.count }
    let q = try p.selectingOutputs(Array(0..<n)).jvp(wrt: wrt)
    let outs = try apply(q, all + tangents)
    return (Array(outs[..<n]), Array(outs[n...]), try auxiliary(p, all, aux: aux()))
}

/// Reverse mode: `f(primals)` and a function from output cotangents to the cotangents of every primal.
///
/// ```swift
/// let (out, pullback, _) = try vjp(f, primals: [x])
/// let (gx) = try pullback([ones])
/// ```
public func vjp(_ f: TensorFunction, primals: [Operand], aux: @escaping () -> Int = { 0 }) throws
    -> (outputs: [Operand], pullback: TensorFunction, aux: [Operand]) {
    _ = try checkedArgnums(Array(0..<primals.count), primals, "vjp")
    let (p, all) = try traceAt(f, primals)
    let n = p.outputs.count - aux()
    try checkFloatOutputs(p, n, "vjp")
    let main = p.selectingOutputs(Array(0..<n))
    let outs = try apply(main, all)
    let q = try main.vjp(wrt: all.indices.map { $0 < primals.count })
    let pullback: TensorFunction = { cts in
        guard cts.count == n else {
            throw TensorError("vjp_fn: expected \(n) cotangent(s), one per output, got \(cts.count)")
        }
        for (k, (c, o)) in zip(cts, outs).enumerated() where c.shape != o.shape {
            throw TensorError("vjp_fn: cotangent \(k) has shape \(c.shape) but the output has shape \(o.shape)")
        }
        let cs = try zip(cts, outs).map { c, o in try c.converted(to: o.dtype) }
        return Array(try apply(q, all + cs)[n...])
    }
    return (outs, pullback, try auxiliary(p, all, aux: aux()))
}

// MARK: - grad

/// The gradient of a scalar-valued `f` with respect to the arguments in `argnums`,
/// optionally with the value (`grad_and_value`).
public func grad(_ f: @escaping TensorFunction, argnums: [Int], aux: @escaping () -> Int = { 0 }, withValue: Bool = false) -> TensorFunction {
    return { args in
        let sorted = try checkedArgnums(argnums, args, withValue ? "grad_and_value" : "grad")
        let (p, all) = try traceAt(f, args)
        let n = p.outputs.count - aux()
        guard n == 1, p.outputTypes[0].shape.elementCount == 1 else {
            let what = n == 1 ? "a tensor of shape \(p.outputTypes[0].shape)" : "\(n) outputs"
            throw TensorError("grad: the function must return one scalar (a tensor with one element), but it returned \(what)",
                              hint: "use jacrev(f) for a non-scalar output, or reduce it first, e.g. lambda x: f(x).sum()")
        }
        try checkFloatOutputs(p, 1, "grad")
        let wrt = all.indices.map { sorted.contains($0) }
        let q = try p.selectingOutputs([0]).vjp(wrt: wrt)
        let one = try Operand.scalar(1, p.outputTypes[0].dtype).broadcast(to: p.outputTypes[0].shape, dims: [])
        let outs = try apply(q, all + [one])
        let grads = argnums.map { outs[1 + sorted.firstIndex(of: $0)!] }
        return grads + (withValue ? [outs[0]] : []) + (try auxiliary(p, all, aux: aux()))
    }
}

// MARK: - Jacobians

/// The Jacobian by reverse mode: a VJP batched over the standard basis of each output's
/// cotangents. For every output and every argnum: a tensor of shape `out.shape + arg.shape`
/// (outputs outer, argnums inner, flattened), then the aux outputs.
public func jacrev(_ f: @escaping TensorFunction, argnums: [Int], aux: @escaping () -> Int = { 0 }, chunkSize: Int? = nil) -> TensorFunction {
    return { args in
        let sorted = try checkedArgnums(argnums, args, "jacrev")
        let (p, all) = try traceAt(f, args)
        let n = p.outputs.count - aux()
        try checkFloatOutputs(p, n, "jacrev")
        let wrt = all.indices.map { sorted.contains($0) }
        var results: [Operand] = []
        for k in 0..<n {
            let pk = p.selectingOutputs([k])
            let y = pk.outputTypes[0]
            let m = y.shape.elementCount
            let q = try pk.vjp(wrt: wrt).selectingOutputs(Array(1...sorted.count))
            let basis = try standardBasis(m, y, in: innermostBuilder(all))
            let cts = try batchedOverBasis(q, all, basis: basis, size: m, chunkSize: chunkSize)
            for a in argnums {
                let c = cts[sorted.firstIndex(of: a)!]
                results.append(try c.reshaped(Shape(y.shape.dims + args[a].shape.dims)))
            }
        }
        return results + (try auxiliary(p, all, aux: aux()))
    }
}

/// The Jacobian by forward mode: a JVP batched over the standard basis of each argument's
/// tangents. Same result layout as `jacrev`.
public func jacfwd(_ f: @escaping TensorFunction, argnums: [Int], aux: @escaping () -> Int = { 0 }) -> TensorFunction {
    return { args in
        _ = try checkedArgnums(argnums, args, "jacfwd")
        let (p, all) = try traceAt(f, args)
        let n = p.outputs.count - aux()
        try checkFloatOutputs(p, n, "jacfwd")
        let main = p.selectingOutputs(Array(0..<n))
        var perArg: [[Operand]] = []   // [argnum][output]
        for a in argnums {
            let x = args[a].type
            let count = x.shape.elementCount
            let q = try main.jvp(wrt: all.indices.map { $0 == a }).selectingOutputs(Array(n..<(2 * n)))
            let basis = try standardBasis(count, x, in: innermostBuilder(all))
            let tangents = try batchedOverBasis(q, all, basis: basis, size: count, chunkSize: nil)
            perArg.append(try zip(tangents, main.outputTypes).map { t, y in
                // [count, *y] -> [*y, *x]
                let m = y.shape.elementCount
                return try t.reshaped([count, m]).permuted([1, 0]).reshaped(Shape(y.shape.dims + x.shape.dims))
            })
        }
        var results: [Operand] = []
        for k in 0..<n { for j in argnums.indices { results.append(perArg[j][k]) } }
        return results + (try auxiliary(p, all, aux: aux()))
    }
}

/// The Hessian: `jacfwd(jacrev(f))`, forward over reverse.
public func hessian(_ f: @escaping TensorFunction, argnums: [Int]) -> TensorFunction {
    jacfwd(jacrev(f, argnums: argnums), argnums: argnums)
}

/// The rows of the `n x n` identity, shaped `[n, *like.shape]`, kept symbolic inside traces.
func standardBasis(_ n: Int, _ like: TensorType, in builder: Builder?) throws -> Operand {
    try bindNullary(.identity(n: n, dtype: like.dtype), in: builder).reshaped(Shape([n] + like.shape.dims))
}

/// Applies `q` to `all + [basis row]` for every row of `basis` at once (vmap over the basis),
/// optionally in chunks of rows. Every output gets the basis dimension first.
func batchedOverBasis(_ q: Program, _ all: [Operand], basis: Operand, size: Int, chunkSize: Int?) throws -> [Operand] {
    let inDims: [Int?] = all.map { _ in nil } + [0]
    func run(_ b: Operand, _ count: Int) throws -> [Operand] {
        let (qb, batched) = try q.batched(inDims: inDims, size: count)
        let outs = try apply(qb, all + [b])
        return try zip(outs, batched).map { o, isBatched in
            isBatched ? o : try o.broadcast(to: Shape([count] + o.shape.dims))
        }
    }
    guard let chunk = chunkSize, chunk > 0, chunk < size else { return try run(basis, size) }
    var pieces: [[Operand]] = []
    var start = 0
    while start < size {
        let end = min(size, start + chunk)
        var lo = [Int](repeating: 0, count: basis.rank), hi = basis.shape.dims
        lo[0] = start; hi[0] = end
        let rows = try bind1(.slice(start: lo, limit: hi, stride: [Int](repeating: 1, count: basis.rank)), basis)
        pieces.append(try run(rows, end - start))
        start = end
    }
    return try pieces[0].indices.map { j in try bind(.concatenate(axis: 0), pieces.map { $0[j] })[0] }.map { $0 }
}

// MARK: - vmap

/// Vectorising map: `f` applied to every slice of the arguments along `inDims` (nil: the
/// argument is shared), results stacked along `outDims`. With `chunkSize`, the batch runs in
/// pieces of that size.
public func vmap(_ f: @escaping TensorFunction, inDims: [Int?], outDims: @escaping () -> [Int?], chunkSize: Int? = nil) -> TensorFunction {
    return { args in
        guard inDims.count == args.count else {
            throw TensorError("vmap: in_dims has \(inDims.count) entries but the function was called with \(args.count) argument(s)",
                              hint: "give one in_dim per argument, e.g. in_dims=(0, None)", kind: .value)
        }
        var size: Int? = nil
        var perExample: [TensorType] = []
        var normalized: [Int?] = []
        for (i, (a, given)) in zip(args, inDims).enumerated() {
            guard let given else { perExample.append(a.type); normalized.append(nil); continue }
            let d = given < 0 ? given + a.rank : given
            guard d >= 0 && d < a.rank else {
                throw TensorError("vmap: in_dim \(given) for argument \(i) is out of range: it has shape \(a.shape)",
                                  hint: "in_dims must name an existing dimension of each batched argument", kind: .value)
            }
            normalized.append(d)
            if let s = size, s != a.shape[d] {
                throw TensorError("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [\(s), \(a.shape[d])] for the mapped dimension",
                                  kind: .value)
            }
            size = a.shape[d]
            var dims = a.shape.dims
            dims.remove(at: d)
            perExample.append(TensorType(shape: Shape(dims), dtype: a.dtype))
        }
        guard let batch = size else {
            throw TensorError("vmap: no argument is batched (every in_dim is None)",
                              hint: "set in_dims to 0 (or another dimension) for the arguments to map over", kind: .value)
        }
        let closed = try trace(inputTypes: perExample, f)
        let all = args + closed.captured
        let allDims = normalized + closed.captured.map { _ in nil }
        func run(_ operands: [Operand], _ count: Int) throws -> [Operand] {
            let (pb, batched) = try closed.program.batched(inDims: allDims, size: count)
            let outs = try apply(pb, operands)
            let outDims = outDims()
            guard outDims.count == outs.count || outDims.count == 1 else {
                throw TensorError("vmap: out_dims has \(outDims.count) entries but the function returned \(outs.count) output(s)")
            }
            return try outs.enumerated().map { k, o in
                let od = outDims.count == 1 ? outDims[0] : outDims[k]
                guard let od else {
                    if batched[k] {
                        throw TensorError("vmap: out_dims is None for output \(k), but that output depends on the batched inputs")
                    }
                    return o
                }
                let b = batched[k] ? o : try o.broadcast(to: Shape([count] + o.shape.dims))
                let axis = od < 0 ? od + b.rank : od
                guard axis >= 0 && axis < b.rank else {
                    throw TensorError("vmap: out_dim \(od) is out of range for output \(k) of shape \(b.shape)", kind: .value)
                }
                return try b.movingAxis(0, to: axis)
            }
        }
        guard let chunk = chunkSize, chunk > 0, chunk < batch else { return try run(all, batch) }
        // On concrete arguments, each chunk's batched program is optimised once and evaluated
        // on its own, so only one chunk's intermediates are alive at a time.
        let concrete = all.allSatisfy { $0.concrete != nil }
        var compiled: [Int: ExecutionPlan] = [:]
        func runChunk(_ operands: [Operand], _ count: Int) throws -> [Operand] {
            guard concrete else { return try run(operands, count) }
            if compiled[count] == nil {
                let closedChunk = try trace(inputTypes: operands.map(\.type)) { try run($0, count) }
                compiled[count] = ExecutionPlan(try closedChunk.program.optimized())
            }
            var evaluator = Evaluator()
            return try evaluator.run(compiled[count]!, operands.map { $0.concrete! }).map { .tensor($0) }
        }
        var pieces: [[Operand]] = []
        var start = 0
        while start < batch {
            let end = min(batch, start + chunk)
            let sliced = try zip(all, allDims).map { a, d -> Operand in
                guard let d else { return a }
                var lo = [Int](repeating: 0, count: a.rank), hi = a.shape.dims
                lo[d] = start; hi[d] = end
                return try bind1(.slice(start: lo, limit: hi, stride: [Int](repeating: 1, count: a.rank)), a)
            }
            pieces.append(try runChunk(sliced, end - start))
            start = end
        }
        let outDims = outDims()
        return try pieces[0].indices.map { k in
            let od = outDims.count == 1 ? outDims[0] : outDims[k]
            guard let od else { return pieces[0][k] }
            return try bind(.concatenate(axis: od), pieces.map { $0[k] })[0]
        }
    }
}
