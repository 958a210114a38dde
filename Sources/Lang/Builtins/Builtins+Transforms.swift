import Tensor
import AD

/// What a traced user function returned: the structure of its outputs and of its aux value.
final class OutputStructure {
    var tree: Pytree = .leaf
    var auxTree: Pytree? = nil
    var mainLeaves = 0
    var auxLeaves = 0
}

/// The arguments of a call, flattened to tensor leaves with the structure of each argument.
struct FlatArguments {
    var leaves: [Operand] = []
    var trees: [Pytree] = []
    var starts: [Int] = []

    init(_ values: [Value]) {
        for v in values {
            let (l, t) = Pytree.flatten(v)
            starts.append(leaves.count)
            leaves += l
            trees.append(t)
        }
    }

    /// The leaf indices of argument `i`.
    func leafRange(_ i: Int) -> Range<Int> { starts[i]..<(starts[i] + trees[i].leafCount) }

    /// Rebuilds the argument values from (possibly traced) leaves.
    func values(_ leaves: [Operand]) -> [Value] {
        trees.indices.map { i in Pytree.unflatten(trees[i], Array(leaves[leafRange(i)])) }
    }
}

extension Interpreter {
    /// A `TensorFunction` over flat leaves that calls the user's function `f` with the
    /// arguments rebuilt, and records the structure of what it returns in `box`.
    func tensorFunction(_ f: Value, _ flat: FlatArguments, hasAux: Bool, box: OutputStructure,
                        name: String, range: SourceRange?) -> TensorFunction {
        return { leaves in
            let out = try self.call(f, CallArguments(flat.values(leaves), range: range), range: range)
            var main = out
            var aux: Value? = nil
            if hasAux {
                guard case .tuple(let pair) = out, pair.count == 2 else {
                    throw PythonError(.ValueError, "\(name): with has_aux=True the function must return a tuple (output, aux), but it returned \(out.pyType.name)",
                                     at: range)
                }
                main = pair[0]; aux = pair[1]
            }
            let (m, mt) = Pytree.flatten(main)
            guard !m.isEmpty else {
                throw PythonError(.ValueError, "\(name): the function must return a tensor (or a tuple, list or dict of tensors), but it returned \(main.pyType.name)",
                                 at: range, hint: "make it return a tensor, e.g. lambda x: (x * 2).sum() rather than a Python number")
            }
            box.tree = mt
            box.mainLeaves = m.count
            var all = m
            if let aux {
                let (a, at) = Pytree.flatten(aux)
                box.auxTree = at
                box.auxLeaves = a.count
                all += a
            }
            return all
        }
    }

    /// What every differentiating call starts with: the arguments flattened, the argnums
    /// resolved to arguments and leaves, a box for the output structure, and the user's
    /// function over flat leaves.
    func prepareDifferentiation(_ f: Value, _ args: CallArguments, argnums: [Int], hasAux: Bool, name: String) throws
        -> (FlatArguments, [Int], [Int], OutputStructure, TensorFunction) {
        let flat = FlatArguments(args.positional)
        let (resolved, leaves) = try diffLeaves(argnums, flat, name: name, range: args.range)
        let box = OutputStructure()
        let g = tensorFunction(f, flat, hasAux: hasAux, box: box, name: name, range: args.range)
        return (flat, resolved, leaves, box, g)
    }

    /// `argnums` as a list plus whether it was a single int.
    func parseArgnums(_ v: Value?, name: String, range: SourceRange?) throws -> ([Int], Bool) {
        if let v, case .list(let l) = v { return try parseArgnums(.tuple(l.items), name: name, range: range) }
        switch v {
        case nil: return ([0], true)
        case .some(.int(let i)): return ([i], true)
        case .some(.tuple(let a)):
            guard !a.isEmpty else { throw PythonError(.ValueError, "\(name): argnums must not be empty", at: range) }
            return (try a.map { x in
                guard case .int(let i) = x else { throw PythonError(.ValueError, "\(name): argnums must be ints", at: range) }
                return i
            }, false)
        case .some(let x):
            throw PythonError(.ValueError, "\(name): argnums must be an int or a tuple of ints, not \(x.pyType.name)", at: range)
        }
    }

    /// Leaf indices for argnums (negative allowed), checked against the call.
    func diffLeaves(_ argnums: [Int], _ flat: FlatArguments, name: String, range: SourceRange?) throws -> ([Int], [Int]) {
        let n = flat.trees.count
        let resolved = try argnums.map { a -> Int in
            let r = a < 0 ? a + n : a
            guard r >= 0 && r < n else {
                throw PythonError(.ValueError, "\(name): argnums \(a) is out of range: the function was called with \(n) positional argument(s)",
                                 at: range)
            }
            guard flat.trees[r].leafCount > 0 else {
                throw PythonError(.ValueError, "\(name): argument \(r) holds no tensor to differentiate", at: range)
            }
            return r
        }
        return (resolved, resolved.flatMap { Array(flat.leafRange($0)) })
    }

    /// The per-(output leaf, argument) result value: for an int argnums the argument's own
    /// structure, for a tuple a tuple over the argnums.
    func perArgumentValue(_ results: ArraySlice<Operand>, _ argnums: [Int], single: Bool, _ flat: FlatArguments) -> Value {
        var i = results.startIndex
        let parts = argnums.map { a -> Value in
            let n = flat.trees[a].leafCount
            let v = Pytree.unflatten(flat.trees[a], Array(results[i..<(i + n)]))
            i += n
            return v
        }
        return single ? parts[0] : .tuple(parts)
    }

    /// Stages a transformed call: traced, optimised and cached at top level; inline inside a trace.
    func staged(_ functionKey: AnyHashable, _ flat: FlatArguments, box: OutputStructure,
                _ body: @escaping TensorFunction) throws -> [Operand] {
        let key = StructureKey(function: functionKey, generation: generation, types: flat.leaves.map(\.type))
        if let known = structures[key] {
            box.tree = known.tree; box.auxTree = known.auxTree; box.mainLeaves = known.mainLeaves; box.auxLeaves = known.auxLeaves
        }
        let outs = try stager.run(key: functionKey, flat.leaves, body)
        if stager.last?.cacheHit != true || structures[key] == nil {
            if structures.count >= Stager.cacheCapacity { structures.removeAll() }
            structures[key] = box
        }
        return outs
    }

    /// The cache key of `transform(f)`: the transform with its settings and `f`'s own key (a
    /// transformed function's structure, or the identity of a `def`, lambda or module).
    /// `0,2` for a cache key. (Not `"\(argnums)"`: an array's description goes through dynamic
    /// casts whose first use scans the binary's conformance records, 0.3 ms of the first Jacobian.)
    func keyText(_ xs: [Int]) -> String { xs.map(String.init).joined(separator: ",") }
    /// `4` or `None` for a cache key.
    func keyText(_ x: Int?) -> String { x.map(String.init) ?? "None" }

    func transformKey(_ description: String, _ f: Value) -> AnyHashable {
        let inner: AnyHashable
        switch f {
        case .function(let fn): inner = fn.cacheKey ?? AnyHashable(IdentityKey(fn))
        case .module(let m): inner = AnyHashable(IdentityKey(m))
        case .instance(let i): inner = AnyHashable(IdentityKey(i))
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .type, .namespace, .slice,
             .shape, .dtype, .ellipsis:
            inner = AnyHashable(IdentityKey(UniqueKeyObject()))  // not cached across calls of transform
        }
        return AnyHashable(TransformKey(description: description, inner: inner))
    }

    func registerTransformBuiltins() {
        let t = "transforms"
        registry.add("grad", ["func", "argnums=0", "has_aux=False"], topic: t,
                     summary: "gradient of a scalar function: grad(f)(x) has x's shape",
                     doc: "grad(f, argnums=0, has_aux=False) returns a function computing the gradient of f, which must return one\nscalar, with respect to the arguments in argnums (torch.func.grad).\n\n  >>> g = grad(lambda x: (x ** 2).sum())\n  >>> g(tensor([1., 2.]))\n  tensor([2., 4.])") { a in
            try self.makeGrad(a, withValue: false)
        }
        registry.add("grad_and_value", ["func", "argnums=0", "has_aux=False"], topic: t,
                     summary: "(gradient, value) of a scalar function",
                     doc: "grad_and_value(f, argnums=0, has_aux=False)(*args) returns (grad, value), or (grad, (value, aux)).") { a in
            try self.makeGrad(a, withValue: true)
        }
        registry.add("jacrev", ["func", "argnums=0", "has_aux=False", "chunk_size=None"], topic: t,
                     summary: "Jacobian by reverse mode: out.shape + in.shape",
                     doc: "jacrev(f, argnums=0, has_aux=False, chunk_size=None) returns a function computing the Jacobian of f by\nreverse mode: a vjp batched over the standard basis of the output (torch.func.jacrev). The basis stays\nsymbolic, so its first product is free.\n\n  >>> vmap(jacrev(net))(x)     # per-sample Jacobians [B, m, n]") { a in
            try self.makeJacobian(a, forward: false)
        }
        registry.add("jacfwd", ["func", "argnums=0", "has_aux=False", "randomness='error'"], topic: t,
                     summary: "Jacobian by forward mode: out.shape + in.shape",
                     doc: "jacfwd(f, argnums=0, has_aux=False) computes the Jacobian by forward mode: a jvp batched over the\nstandard basis of the input (torch.func.jacfwd). Cheaper than jacrev when inputs are fewer than outputs.") { a in
            try self.makeJacobian(a, forward: true)
        }
        registry.add("hessian", ["func", "argnums=0"], topic: t,
                     summary: "Hessian: jacfwd(jacrev(f))",
                     doc: "hessian(f, argnums=0) is jacfwd(jacrev(f, argnums), argnums) (torch.func.hessian).\n\n  >>> hessian(lambda x: (x ** 3).sum())(tensor([1., 2.]))\n  tensor([[ 6.,  0.],\n          [ 0., 12.]])") { a in
            try self.makeHessian(a)
        }
        registry.add("vmap", ["func", "in_dims=0", "out_dims=0", "randomness='error'", "|chunk_size=None"], topic: t,
                     summary: "vectorising map over a batch dimension",
                     doc: "vmap(f, in_dims=0, out_dims=0, chunk_size=None) maps f over dimension in_dims of its arguments and\nstacks the results along out_dims (torch.func.vmap). in_dims may be None (shared argument) or a tuple\nwith one entry per argument.\n\n  >>> vmap(jacrev(f))(x)       # [B, m, n]: one Jacobian per sample") { a in
            try self.makeVmap(a)
        }
        registry.add("jvp", ["func", "primals", "tangents", "|has_aux=False"], topic: t,
                     summary: "forward mode: (f(primals), J tangents)",
                     doc: "jvp(f, primals, tangents, has_aux=False) returns (output, jvp_out) where jvp_out = J(primals) @ tangents\n(torch.func.jvp). primals and tangents are tuples with one entry per argument.\n\n  >>> jvp(torch.sin, (x,), (ones_like(x),))") { a in
            try self.runJVP(a)
        }
        registry.add("vjp", ["func", "*primals", "|has_aux=False"], topic: t,
                     summary: "reverse mode: (f(primals), vjp_fn)",
                     doc: "vjp(f, *primals, has_aux=False) returns (output, vjp_fn); vjp_fn(cotangent) returns a tuple with the\ncotangent of every primal (torch.func.vjp).\n\n  >>> out, vjp_fn = vjp(f, x)\n  >>> vjp_fn(ones_like(out))") { a in
            try self.runVJP(a)
        }
        registry.add("linearize", ["func", "*primals"], topic: t,
                     summary: "(f(primals), jvp_fn) for repeated Jacobian-vector products",
                     doc: "linearize(f, *primals) returns (output, jvp_fn) with jvp_fn(*tangents) = J tangents (torch.func.linearize).") { a in
            try self.runLinearize(a)
        }
    }

    // MARK: - grad

    func makeGrad(_ a: BoundArguments, withValue: Bool) throws -> Value {
        let f = try a.function("func")
        let name = withValue ? "grad_and_value" : "grad"
        let (argnums, single) = try parseArgnums(a.value("argnums"), name: name, range: a.range)
        let hasAux = try a.bool("has_aux")
        let summary = "\(name)(\(functionName(f)), argnums=\(repr(a.value("argnums") ?? .int(0))))"
        let key = transformKey("\(name) argnums=\(keyText(argnums)) aux=\(hasAux)", f)
        let fn = Function(name: name, summary: summary) { args, interp in
            let (flat, resolved, leaves, box, g) = try interp.prepareDifferentiation(f, args, argnums: argnums, hasAux: hasAux, name: name)
            let outs = try interp.staged(key, flat, box: box,
                                         AD.grad(g, argnums: leaves, aux: { box.auxLeaves }, withValue: withValue))
            let gradients = interp.perArgumentValue(outs[0..<leaves.count], resolved, single: single, flat)
            var rest = outs.count > leaves.count ? Array(outs[leaves.count...]) : []
            var value: Value = .none
            if withValue { value = Pytree.unflatten(box.tree, [rest.removeFirst()]) }
            let aux = box.auxTree.map { Pytree.unflatten($0, rest) }
            if withValue { return .tuple([gradients, aux.map { .tuple([value, $0]) } ?? value]) }
            return aux.map { .tuple([gradients, $0]) } ?? gradients
        }
        fn.cacheKey = key
        return .function(fn)
    }

    // MARK: - jacrev / jacfwd

    func makeJacobian(_ a: BoundArguments, forward: Bool) throws -> Value {
        let f = try a.function("func")
        let name = forward ? "jacfwd" : "jacrev"
        let (argnums, single) = try parseArgnums(a.value("argnums"), name: name, range: a.range)
        let hasAux = try a.bool("has_aux")
        let chunk = forward ? nil : try a.optionalInt("chunk_size")
        if let chunk, chunk <= 0 { throw a.fail("chunk_size must be positive, got \(chunk)") }
        let summary = "\(name)(\(functionName(f))\(a.value("argnums").map { ", argnums=\(repr($0))" } ?? ""))"
        let key = transformKey("\(name) argnums=\(keyText(argnums)) aux=\(hasAux) chunk=\(keyText(chunk))", f)
        let fn = Function(name: name, summary: summary) { args, interp in
            let (flat, resolved, leaves, box, g) = try interp.prepareDifferentiation(f, args, argnums: argnums, hasAux: hasAux, name: name)
            let body = forward ? AD.jacfwd(g, argnums: leaves, aux: { box.auxLeaves })
                               : AD.jacrev(g, argnums: leaves, aux: { box.auxLeaves }, chunkSize: chunk)
            let outs = try interp.staged(key, flat, box: box, body)
            return interp.structureJacobians(outs, box: box, argnums: resolved, single: single, flat: flat, perOutput: leaves.count)
        }
        fn.cacheKey = key
        return .function(fn)
    }

    /// Flat Jacobian blocks (output leaves outer, differentiated leaves inner) arranged as
    /// torch.func arranges them, then `(jacobian, aux)` when there is an aux output.
    func structureJacobians(_ outs: [Operand], box: OutputStructure, argnums: [Int], single: Bool,
                            flat: FlatArguments, perOutput: Int) -> Value {
        var k = 0
        let jac = Pytree.unflatten(box.tree) { () -> Value in
            let slice = outs[(k * perOutput)..<((k + 1) * perOutput)]
            k += 1
            return perArgumentValue(slice, argnums, single: single, flat)
        }
        guard let at = box.auxTree else { return jac }
        return .tuple([jac, Pytree.unflatten(at, Array(outs[(box.mainLeaves * perOutput)...]))])
    }

    func makeHessian(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        // torch.autograd.functional.hessian(func, inputs): the second argument is the input itself.
        if let second = a.value("argnums"), isTensorOrTensorTuple(second) {
            var b = a
            let inputs: [Value]
            if case .tuple(let xs) = second { inputs = xs } else { inputs = [second] }
            b.slots[b.builtin.signature.index(of: "argnums")!] = inputs.count > 1 ? .tuple((0..<inputs.count).map { Value.int($0) }) : .int(0)
            let h = try makeHessian(b)
            return try call(h, CallArguments(inputs, range: a.range), range: a.range)
        }
        let (argnums, single) = try parseArgnums(a.value("argnums"), name: "hessian", range: a.range)
        let key = transformKey("hessian argnums=\(keyText(argnums))", f)
        let fn = Function(name: "hessian", summary: "hessian(\(functionName(f)))") { args, interp in
            let flat = FlatArguments(args.positional)
            let (resolved, leaves) = try interp.diffLeaves(argnums, flat, name: "hessian", range: args.range)
            let box = OutputStructure()
            let g = interp.tensorFunction(f, flat, hasAux: false, box: box, name: "hessian", range: args.range)
            let outs = try interp.staged(key, flat, box: box, AD.hessian(g, argnums: leaves))
            // outs: [output leaf][first-order leaf][second-order leaf]
            let d = leaves.count
            var k = 0
            return Pytree.unflatten(box.tree) { () -> Value in
                let base = k * d * d
                k += 1
                var j = 0
                let firsts = resolved.map { arg -> Value in
                    Pytree.unflatten(flat.trees[arg]) { () -> Value in
                        let row = outs[(base + j * d)..<(base + (j + 1) * d)]
                        j += 1
                        return interp.perArgumentValue(row, resolved, single: single, flat)
                    }
                }
                return single ? firsts[0] : .tuple(firsts)
            }
        }
        fn.cacheKey = key
        return .function(fn)
    }

    // MARK: - vmap

    func makeVmap(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        let inDims = a.value("in_dims") ?? .int(0)
        let outDims = a.value("out_dims") ?? .int(0)
        let chunk = try a.optionalInt("chunk_size")
        if let chunk, chunk <= 0 { throw a.fail("chunk_size must be positive, got \(chunk)") }
        let key = transformKey("vmap in=\(repr(inDims)) out=\(repr(outDims)) chunk=\(keyText(chunk))", f)
        let fn = Function(name: "vmap", summary: "vmap(\(functionName(f)))") { args, interp in
            let flat = FlatArguments(args.positional)
            let leafDims = try interp.expandDims(inDims, over: flat, range: args.range)
            let box = OutputStructure()
            let g = interp.tensorFunction(f, flat, hasAux: false, box: box, name: "vmap", range: args.range)
            let outLeafDims: () -> [Int?] = {
                (try? interp.expandOutDims(outDims, tree: box.tree)) ?? [0]
            }
            // Validate out_dims once the output structure is known (inside the call).
            func body(_ chunkSize: Int?) -> TensorFunction {
                return { leaves in
                    try AD.vmap({ xs in
                        let r = try g(xs)
                        _ = try interp.expandOutDims(outDims, tree: box.tree, range: args.range)
                        return r
                    }, inDims: leafDims, outDims: outLeafDims, chunkSize: chunkSize)(leaves)
                }
            }
            do {
                let outs = try interp.staged(key, flat, box: box, body(chunk))
                return Pytree.unflatten(box.tree, outs)
            } catch let e as MemoryLimitExceeded where chunk == nil {
                // Automatic chunking: chunks are evaluated one after the other, so the peak is about
                // one chunk's share of the whole program's plus the stacked result (twice, while it
                // is joined). Halve the chunk until that estimate fits.
                let size = zip(flat.leaves, leafDims).compactMap { x, d in d.map { x.shape[$0] } }.first ?? 1
                let closed = try trace(inputTypes: flat.leaves.map(\.type), body(nil))
                let resultBytes = closed.program.outputTypes.reduce(0) { $0 + $1.byteCount }
                let inputBytes = flat.leaves.reduce(0) { $0 + $1.type.byteCount }
                var pieces = size / 2
                while pieces >= 1 {
                    let estimate = e.needed * pieces / size + 2 * resultBytes + inputBytes
                    if estimate <= interp.memoryLimit && flat.leaves.allSatisfy({ $0.concrete != nil }) {
                        interp.warn("vmap: the batch of \(size) needs \(formatByteCount(e.needed)) at once, over the memory limit of \(formatByteCount(interp.memoryLimit)); running it in chunks of \(pieces)")
                        return Pytree.unflatten(box.tree, try body(pieces)(flat.leaves))
                    }
                    pieces /= 2
                }
                throw PythonError(.ValueError, "vmap: \(e); running the batch in chunks does not fit either (the stacked result is kept whole)",
                                 at: args.range, hint: "raise the limit with :set memlimit, or map over a smaller batch")
            }
        }
        fn.cacheKey = key
        return .function(fn)
    }

    /// `in_dims` (an int, None, or a tuple with one entry per argument, entries possibly nested)
    /// as one dim per tensor leaf.
    func expandDims(_ spec: Value, over flat: FlatArguments, range: SourceRange?) throws -> [Int?] {
        func dims(_ s: Value, _ tree: Pytree) throws -> [Int?] {
            switch (s, tree) {
            case (.int(let d), _): return [Int?](repeating: d, count: tree.leafCount)
            case (.none, _): return [Int?](repeating: nil, count: tree.leafCount)
            case (.list(let l), _):
                return try dims(.tuple(l.items), tree)
            case (.tuple(let a), .tuple(let ts)), (.tuple(let a), .list(let ts)):
                guard a.count == ts.count else {
                    throw PythonError(.ValueError, "vmap: in_dims \(repr(s)) does not match the structure of the argument (\(ts.count) entries)", at: range)
                }
                return try zip(a, ts).flatMap { try dims($0, $1) }
            case (.dict(let d), .dict(let ts, _)):
                return try ts.flatMap { k, t in
                    guard let e = d[k] else { throw PythonError(.ValueError, "vmap: in_dims has no entry for key \(self.repr(k.value))", at: range) }
                    return try dims(e, t)
                }
            case (.bool, _), (.bigInt, _), (.float, _), (.string, _), (.tensor, _), (.tuple, _), (.dict, _), (.set, _),
                 (.function, _), (.type, _), (.instance, _), (.module, _), (.namespace, _), (.slice, _), (.shape, _),
                 (.dtype, _), (.ellipsis, _):
                throw PythonError(.ValueError, "vmap: in_dims entry \(repr(s)) does not match an argument of that structure", at: range,
                                 hint: "use an int, None, or a tuple with one entry per argument")
            }
        }
        switch spec {
        case .int, .none: return try flat.trees.flatMap { try dims(spec, $0) }
        case .list(let l): return try expandDims(.tuple(l.items), over: flat, range: range)
        case .tuple(let entries):
            guard entries.count == flat.trees.count else {
                throw PythonError(.ValueError, "vmap: in_dims has \(entries.count) entries but the function was called with \(flat.trees.count) argument(s)",
                                 at: range, hint: "give one in_dim per positional argument, e.g. in_dims=(0, None)")
            }
            return try zip(entries, flat.trees).flatMap { try dims($0, $1) }
        case .bool, .bigInt, .float, .string, .tensor, .dict, .set, .function, .type, .instance, .module, .namespace,
             .slice, .shape, .dtype, .ellipsis:
            throw PythonError(.ValueError, "vmap: in_dims must be an int, None or a tuple, not \(spec.pyType.name)", at: range)
        }
    }

    func expandOutDims(_ spec: Value, tree: Pytree, range: SourceRange? = nil) throws -> [Int?] {
        switch spec {
        case .int(let d): return [Int?](repeating: d, count: max(1, tree.leafCount))
        case .none: return [Int?](repeating: nil, count: max(1, tree.leafCount))
        case .list(let l): return try expandOutDims(.tuple(l.items), tree: tree, range: range)
        case .tuple(let entries):
            guard case .tuple(let parts) = tree, parts.count == entries.count else {
                throw PythonError(.ValueError, "vmap: out_dims has \(entries.count) entries but the function's output does not have that many parts", at: range)
            }
            return try zip(entries, parts).flatMap { e, p -> [Int?] in
                if case .int(let d) = e { return [Int?](repeating: d, count: p.leafCount) }
                if case .none = e { return [Int?](repeating: nil, count: p.leafCount) }
                throw PythonError(.ValueError, "vmap: out_dims entries must be ints or None", at: range)
            }
        case .bool, .bigInt, .float, .string, .tensor, .dict, .set, .function, .type, .instance, .module, .namespace,
             .slice, .shape, .dtype, .ellipsis:
            throw PythonError(.ValueError, "vmap: out_dims must be an int, None or a tuple", at: range)
        }
    }

    // MARK: - jvp, vjp, linearize

    func runJVP(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        let hasAux = try a.bool("has_aux")
        guard case .tuple(let primals) = a.value("primals")! else {
            throw a.fail("primals must be a tuple, e.g. jvp(f, (x,), (t,))")
        }
        guard case .tuple(let tangents) = a.value("tangents")! else {
            throw a.fail("tangents must be a tuple, e.g. jvp(f, (x,), (t,))")
        }
        let flat = FlatArguments(primals), tflat = FlatArguments(tangents)
        guard flat.leaves.count == tflat.leaves.count else {
            throw a.fail("primals and tangents must have the same structure (\(flat.leaves.count) and \(tflat.leaves.count) tensors)")
        }
        let box = OutputStructure()
        let g = tensorFunction(f, flat, hasAux: hasAux, box: box, name: "jvp", range: a.range)
        let n = flat.leaves.count
        let outs = try stager.run(key: nil, flat.leaves + tflat.leaves) { xs in
            let r = try AD.jvp(g, primals: Array(xs[..<n]), tangents: Array(xs[n...]), aux: { box.auxLeaves })
            return r.outputs + r.tangents + r.aux
        }
        let m = box.mainLeaves
        var result: [Value] = [Pytree.unflatten(box.tree, Array(outs[..<m])), Pytree.unflatten(box.tree, Array(outs[m..<(2 * m)]))]
        if let at = box.auxTree { result.append(Pytree.unflatten(at, Array(outs[(2 * m)...]))) }
        return .tuple(result)
    }

    func runVJP(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        let hasAux = try a.bool("has_aux")
        let flat = FlatArguments(a.rest)
        guard !a.rest.isEmpty else { throw a.fail("vjp needs at least one primal: vjp(f, x)") }
        let box = OutputStructure()
        let g = tensorFunction(f, flat, hasAux: hasAux, box: box, name: "vjp", range: a.range)
        let (outs, pullback, aux) = try AD.vjp(g, primals: flat.leaves, aux: { box.auxLeaves })
        let out = Pytree.unflatten(box.tree, outs)
        let vjpFn = Function(name: "vjp_fn", summary: "vjp_fn(cotangent) for \(functionName(f))") { args, interp in
            guard args.positional.count == 1 else {
                throw PythonError(.ValueError, "vjp_fn takes one cotangent with the structure of the output (\(args.positional.count) given)", at: args.range)
            }
            let (cts, _) = Pytree.flatten(args.positional[0])
            guard cts.count == outs.count else {
                throw PythonError(.ValueError, "vjp_fn: the cotangent has \(cts.count) tensor(s) but the output has \(outs.count)", at: args.range)
            }
            let grads = try interp.stager.run(key: nil, cts) { xs in try pullback(xs) }
            return .tuple(flat.values(grads))
        }
        var result: [Value] = [out, .function(vjpFn)]
        if let at = box.auxTree { result.append(Pytree.unflatten(at, aux)) }
        return .tuple(result)
    }

    func runLinearize(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        let flat = FlatArguments(a.rest)
        let box = OutputStructure()
        let g = tensorFunction(f, flat, hasAux: false, box: box, name: "linearize", range: a.range)
        let out = try stager.run(key: nil, flat.leaves) { xs in try g(xs) }
        let primals = flat.leaves
        let jvpFn = Function(name: "jvp_fn", summary: "jvp_fn(*tangents) for \(functionName(f))") { args, interp in
            let tflat = FlatArguments(args.positional)
            guard tflat.leaves.count == primals.count else {
                throw PythonError(.ValueError, "jvp_fn: expected tangents for \(primals.count) tensor(s), got \(tflat.leaves.count)", at: args.range)
            }
            let n = primals.count
            let r = try interp.stager.run(key: nil, primals + tflat.leaves) { xs in
                try AD.jvp(g, primals: Array(xs[..<n]), tangents: Array(xs[n...])).tangents
            }
            return Pytree.unflatten(box.tree, r)
        }
        return .tuple([Pytree.unflatten(box.tree, out), .function(jvpFn)])
    }

    func isTensorOrTensorTuple(_ v: Value) -> Bool {
        if case .tensor = v { return true }
        if case .tuple(let xs) = v { return !xs.isEmpty && xs.allSatisfy { if case .tensor = $0 { return true }; return false } }
        return false
    }

    /// A short name for printing a function argument.
    func functionName(_ f: Value) -> String {
        if case .function(let fn) = f { return fn.summary ?? fn.name }
        if case .module = f { return f.pyType.name }
        if case .instance = f { return f.pyType.name }
        return f.pyType.name
    }
}

/// A key that is an object's identity, holding the object (so its identity cannot be reused
/// while the key is cached).
struct IdentityKey: Hashable {
    let object: AnyObject
    init(_ object: AnyObject) { self.object = object }
    static func == (a: IdentityKey, b: IdentityKey) -> Bool { a.object === b.object }
    func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(object)) }
}

/// An object that only stands for itself.
final class UniqueKeyObject {}

/// A transform with its settings, over the key of the function it transforms.
struct TransformKey: Hashable {
    let description: String
    let inner: AnyHashable
}

/// The cache key of a transformed call's output structure.
struct StructureKey: Hashable {
    let function: AnyHashable
    let generation: Int
    let types: [TensorType]
}
