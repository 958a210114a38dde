import Tensor
import AD
import Printer

// The `jax` module: JAX's transforms with JAX's argument names and conventions, on the shared
// transform machinery (`Builtins+Transforms.swift`): `grad(f, argnums, has_aux)`,
// `value_and_grad` (value first), `vmap(f, in_axes, out_axes)`, `jacfwd`/`jacrev`/`jacobian`,
// `hessian`, `jvp`, `vjp`, `linearize`, `jit(f, static_argnums, static_argnames)` (traced once per
// shape and dtype and cached, so Python side effects run while tracing, as in JAX), `make_jaxpr`;
// pytrees (`jax.tree_util`, `jax.tree`), `jax.config.update("jax_enable_x64", True)`. Results are
// JAX arrays; dicts come back with their keys sorted, as JAX flattens them.

extension Interpreter {
    var jaxModuleBuilders: [String: (Interpreter) -> Namespace] {
        [
            "jax": { $0.makeJAXModule() },
            "jax.numpy": { $0.makeJAXNumPyModule() },
            "jax.numpy.linalg": { $0.makeJAXLinalgModule() },
            "jax.random": { $0.makeJAXRandomModule() },
            "jax.lax": { $0.makeJAXLaxModule() },
            "jax.nn": { $0.makeJAXNNModule() },
            "jax.scipy": { _ in Namespace(name: "jax.scipy") { interp, n in interp.module(named: "jax.scipy." + n).map { .namespace($0) } } },
            "jax.scipy.special": { $0.makeJAXSpecialModule() },
            "jax.tree_util": { $0.makeJAXTreeModule("jax.tree_util", prefix: "tree_") },
            "jax.tree": { $0.makeJAXTreeModule("jax.tree", prefix: "") },
            "jax.errors": { _ in
                Namespace(name: "jax.errors", attributes: ["TracerBoolConversionError", "ConcretizationTypeError",
                                                           "TracerIntegerConversionError", "TracerArrayConversionError"]
                    .map { ($0, .type(BuiltinTypes.jaxError($0))) })
            },
        ]
    }

    private func makeJAXModule() -> Namespace {
        let config = Namespace(name: "jax.config", attributes: [
            ("update", function("update", ["name", "val"]) { a in
                let name = try a.string("name")
                guard name == "jax_enable_x64" else { return .none }   // other flags change nothing in Jacobi
                a.interpreter.jaxX64 = try a.interpreter.truthy(a.value("val")!, range: a.range)
                return .none
            }),
        ])
        let attrs: [(String, Value)] = [
            ("__version__", .string("0.10.2 (Jacobi)")),
            ("Array", .type(BuiltinTypes.jaxArray)),
            ("config", .namespace(config)),
            ("grad", function("grad", ["fun", "argnums=0", "has_aux=False", "holomorphic=False", "allow_int=False", "reduce_axes=()"]) { a in
                try a.interpreter.jaxDifferentiation(a, torchName: "grad")
            }),
            ("value_and_grad", function("value_and_grad", ["fun", "argnums=0", "has_aux=False", "holomorphic=False", "allow_int=False", "reduce_axes=()"]) { a in
                try a.interpreter.jaxDifferentiation(a, torchName: "grad_and_value")
            }),
            ("jacfwd", function("jacfwd", ["fun", "argnums=0", "has_aux=False", "holomorphic=False"]) { a in
                try a.interpreter.jaxDifferentiation(a, torchName: "jacfwd")
            }),
            ("jacrev", function("jacrev", ["fun", "argnums=0", "has_aux=False", "holomorphic=False", "allow_int=False"]) { a in
                try a.interpreter.jaxDifferentiation(a, torchName: "jacrev")
            }),
            ("jacobian", function("jacobian", ["fun", "argnums=0", "has_aux=False", "holomorphic=False", "allow_int=False"]) { a in
                try a.interpreter.jaxDifferentiation(a, torchName: "jacrev")
            }),
            ("hessian", function("hessian", ["fun", "argnums=0", "has_aux=False", "holomorphic=False"]) { a in
                try a.interpreter.jaxDifferentiation(a, torchName: "hessian")
            }),
            ("vmap", function("vmap", ["fun", "in_axes=0", "out_axes=0", "axis_name=None", "axis_size=None", "spmd_axis_name=None"]) { a in
                try a.interpreter.jaxVmap(a)
            }),
            ("jit", function("jit", ["fun=None", "|in_shardings=None", "|out_shardings=None", "|static_argnums=None",
                                     "|static_argnames=None", "|donate_argnums=None", "|donate_argnames=None", "|keep_unused=False",
                                     "|device=None", "|backend=None", "|inline=False"]) { a in
                try a.interpreter.jaxJit(a)
            }),
            ("jvp", function("jvp", ["fun", "primals", "tangents", "has_aux=False"]) { a in
                let i = a.interpreter
                let primals = try i.collect(a.value("primals")!, range: a.range).map { try i.jaxArgument($0) }
                let tangents = try i.collect(a.value("tangents")!, range: a.range).map { try i.jaxArgument($0) }
                let r = try i.call(i.registryValue("jvp")!, CallArguments([i.jaxCallable(a.value("fun")!), .tuple(primals), .tuple(tangents)],
                                                                       keywords: [("has_aux", a.value("has_aux")!)], range: a.range), range: a.range)
                return try i.jaxTree(r)
            }),
            ("vjp", function("vjp", ["fun", "*primals", "has_aux=False"]) { a in
                let i = a.interpreter
                let primals = try a.rest.map { try i.jaxArgument($0) }
                let r = try i.call(i.registryValue("vjp")!, CallArguments([i.jaxCallable(a.value("fun")!)] + primals,
                                                                       keywords: [("has_aux", a.value("has_aux")!)], range: a.range), range: a.range)
                return try i.jaxTree(r, wrapFunctions: true)
            }),
            ("linearize", function("linearize", ["fun", "*primals"]) { a in
                let i = a.interpreter
                let primals = try a.rest.map { try i.jaxArgument($0) }
                let r = try i.call(i.registryValue("linearize")!, CallArguments([i.jaxCallable(a.value("fun")!)] + primals, range: a.range), range: a.range)
                return try i.jaxTree(r, wrapFunctions: true)
            }),
            ("make_jaxpr", function("make_jaxpr", ["fun", "static_argnums=()"]) { a in
                let f = a.value("fun")!
                return .function(Function(name: "make_jaxpr") { args, interp in try interp.jaxprText(f, args) })
            }),
            ("block_until_ready", function("block_until_ready", ["x"]) { a in a.value("x")! }),
            ("device_get", function("device_get", ["x"]) { a in a.value("x")! }),
            ("device_put", function("device_put", ["x", "device=None"]) { a in try a.interpreter.jaxTree(try a.interpreter.jaxArgument(a.value("x")!)) }),
            ("devices", function("devices", ["backend=None"]) { _ in .list([.string("CpuDevice(id=0)")]) }),
            ("default_backend", function("default_backend", []) { _ in .string("cpu") }),
            ("typeof", function("typeof", ["x"]) { a in
                guard case .tensor(let h) = a.value("x")! else { return .string(a.value("x")!.pyType.name) }
                return .string("\(NumPyFormatter.numpyName(h.dtype))[\(h.shape.dims.map(String.init).joined(separator: ","))]")
            }),
        ]
        return Namespace(name: "jax", attributes: attrs, resolve: { interp, n in
            interp.module(named: "jax." + n).map { .namespace($0) }
        }, resolvableNames: { _ in ["numpy", "random", "lax", "nn", "scipy", "tree_util", "tree", "errors"] })
    }

    // MARK: - Conventions

    /// A value passed to a JAX transform: numbers become weakly typed arrays (float32, int32),
    /// tensors JAX arrays, containers element by element.
    func jaxArgument(_ v: Value) throws -> Value {
        switch v {
        case .float(let d): return try jaxArray(.scalar(d, jaxFloat), weak: true)
        case .int(let i): return try jaxArray(.scalar(Double(i), jaxX64 ? .int64 : .int32), weak: true)
        case .tensor(let h): return h.api == .torch ? try jaxArray(h.operand) : v
        case .tuple(let items): return .tuple(try items.map(jaxArgument))
        case .list(let l): return .list(try l.items.map(jaxArgument))
        case .dict(let d):
            let out = DictObject(flavor: d.flavor)
            for (k, x) in d.pairs { out[try HashKey(k)] = try jaxArgument(x) }
            return .dict(out)
        default: return v
        }
    }

    /// A transform's result as JAX gives it: arrays as JAX arrays, dicts with sorted keys, and
    /// (with `wrapFunctions`) returned functions such as `vjp_fn` giving JAX results too.
    func jaxTree(_ v: Value, weak: Bool = false, wrapFunctions: Bool = false) throws -> Value {
        switch v {
        case .tensor: return try jaxValue(v, weak: weak)
        case .tuple(let items): return .tuple(try items.map { try jaxTree($0, weak: weak, wrapFunctions: wrapFunctions) })
        case .list(let l): return .list(try l.items.map { try jaxTree($0, weak: weak, wrapFunctions: wrapFunctions) })
        case .dict(let d): return .dict(try jaxSortedDict(d) { try self.jaxTree($0, weak: weak, wrapFunctions: wrapFunctions) })
        case .function where wrapFunctions:
            return .function(Function(name: functionName(v)) { args, interp in
                let inputs = try args.positional.map { try interp.jaxArgument($0) }
                return try interp.jaxTree(try interp.call(v, CallArguments(inputs, keywords: args.keywords, range: args.range), range: args.range))
            })
        default: return v
        }
    }

    /// `v` (a JAX pytree) with each array weakly typed where the array at the same place in
    /// `like` is.
    func jaxWeakLike(_ v: Value, _ like: Value) throws -> Value {
        switch (v, like) {
        case (.tensor(let h), .tensor(let l)):
            let weak = l.api == .jax(weak: true)
            if h.api == .jax(weak: weak) { return v }
            return try jaxArray(h.value, weak: weak)
        case (.tuple(let a), .tuple(let b)) where a.count == b.count: return .tuple(try zip(a, b).map { try jaxWeakLike($0, $1) })
        case (.list(let a), .list(let b)) where a.items.count == b.items.count: return .list(try zip(a.items, b.items).map { try jaxWeakLike($0, $1) })
        case (.dict(let a), .dict(let b)):
            let out = DictObject(flavor: a.flavor)
            for (k, x) in a.pairs { out[try HashKey(k)] = try b[try HashKey(k)].map { try jaxWeakLike(x, $0) } ?? x }
            return .dict(out)
        default: return try jaxValue(v)
        }
    }

    /// A dict with its keys in sorted order (JAX's pytree order), values mapped by `f`.
    func jaxSortedDict(_ d: DictObject, _ f: (Value) throws -> Value) throws -> DictObject {
        try jaxSortedDict(d) { _, value in try f(value) }
    }

    /// A dict with its keys in sorted order (an `OrderedDict` keeps its order, as in JAX), each
    /// value mapped by `f(key, value)`.
    func jaxSortedDict(_ d: DictObject, _ f: (Value, Value) throws -> Value) throws -> DictObject {
        let pairs = d.pairs
        var ordered = false
        if case .ordered = d.flavor { ordered = true }
        let order = ordered ? Array(pairs.indices) : try pairs.indices.sorted { i, j in try self.lessThan(pairs[i].0, pairs[j].0) }
        let out = DictObject(flavor: d.flavor)
        for i in order { out[try HashKey(pairs[i].0)] = try f(pairs[i].0, pairs[i].1) }
        return out
    }

    private func lessThan(_ a: Value, _ b: Value) throws -> Bool {
        try truthy(try richCompare(.lt, a, b, range: nil), range: nil)
    }

    /// `f` called with JAX arrays (what a transform traces): its arguments become JAX arrays.
    func jaxCallable(_ f: Value, scalarOutputFor name: String? = nil, hasAux: Bool = false, weakOutput: JAXWeakOutputs? = nil,
                     inputsLike: JAXCallInputs? = nil) -> Value {
        .function(Function(name: functionName(f)) { args, interp in
            // The traced arguments keep the weak types of the arguments the call was given.
            let like = inputsLike?.values ?? []
            let inputs = try args.positional.enumerated().map { i, v in
                i < like.count ? try interp.jaxWeakLike(v, like[i]) : try interp.jaxValue(v)
            }
            let out = try interp.call(f, CallArguments(inputs, keywords: args.keywords, range: args.range), range: args.range)
            if let weakOutput {
                var main = out
                if hasAux, case .tuple(let pair) = out, pair.count == 2 { main = pair[0] }
                if case .tensor(let h) = main { weakOutput.flags["value"] = [h.api == .jax(weak: true)] }
            }
            if let name {
                var main = out
                if hasAux, case .tuple(let pair) = out, pair.count == 2 { main = pair[0] }
                if case .tensor(let h) = main, h.rank != 0 {
                    throw PythonError(.TypeError, "Gradient only defined for scalar-output functions. Output had shape: \(NumPyFormatter.shapeTuple(h.shape.dims)).",
                                      hint: "\(name) differentiates a function that returns one number: reduce the output (.sum(), .mean()), or use jax.jacrev/jax.jacfwd for a Jacobian")
                }
                guard main.operand != nil else {
                    throw PythonError(.TypeError, "Gradient only defined for scalar-output functions. Output was \(main.pyType.name).")
                }
            }
            return out
        })
    }

    // MARK: - Transforms

    /// `grad`, `value_and_grad`, `jacfwd`, `jacrev`, `hessian`: the torch.func transform of the
    /// function called with JAX arrays; the differentiated arguments must be floating point.
    func jaxDifferentiation(_ a: BoundArguments, torchName: String) throws -> Value {
        let f = try a.function("fun")
        if a.has("holomorphic"), try a.bool("holomorphic") {
            throw a.fail("holomorphic=True differentiates complex functions, and Jacobi has no complex dtype", kind: .NotImplementedError)
        }
        let argnums = a.value("argnums")!
        let hasAux = a.value("has_aux").map { (try? a.interpreter.truthy($0, range: a.range)) ?? false } ?? false
        let scalarCheck = ["grad", "grad_and_value"].contains(torchName) ? (torchName == "grad" ? "grad" : "value_and_grad") : nil
        var keywords: [(String, Value)] = [("argnums", argnums)]
        if torchName != "hessian" { keywords.append(("has_aux", .bool(hasAux))) }
        let valueWeak = JAXWeakOutputs()
        let callInputs = JAXCallInputs()
        let transformed = try call(registryValue(torchName)!, CallArguments([jaxCallable(f, scalarOutputFor: scalarCheck, hasAux: hasAux, weakOutput: valueWeak,
                                                                                         inputsLike: callInputs)],
                                                                             keywords: keywords, range: a.range), range: a.range)
        let (nums, single) = try parseArgnums(argnums, name: torchName, range: a.range)
        let valueFirst = torchName == "grad_and_value"
        return .function(Function(name: torchName == "grad_and_value" ? "value_and_grad" : torchName, summary: "jax.\(torchName)(\(functionName(f)))") { args, interp in
            var inputs = args.positional
            var weak = true
            for n in nums {
                let k = n < 0 ? n + inputs.count : n
                guard k >= 0 && k < inputs.count else { continue }
                inputs[k] = try interp.jaxArgument(inputs[k])
                try interp.jaxCheckDifferentiable(inputs[k], name: torchName == "grad_and_value" ? "value_and_grad" : torchName)
                if !interp.jaxAllWeak(inputs[k]) { weak = false }
            }
            callInputs.values = inputs
            let r = try interp.call(transformed, CallArguments(inputs, keywords: args.keywords, range: args.range), range: args.range)
            // A gradient is weakly typed where its input is (grad(f)(3.0)).
            func gradients(_ g: Value) throws -> Value {
                let tree = try interp.jaxTree(g)
                if single, let k = nums.first.map({ $0 < 0 ? $0 + inputs.count : $0 }), k < inputs.count { return try interp.jaxWeakLike(tree, inputs[k]) }
                guard case .tuple(let parts) = tree, parts.count == nums.count else { return tree }
                return .tuple(try zip(parts, nums).map { part, n in try interp.jaxWeakLike(part, inputs[n < 0 ? n + inputs.count : n]) })
            }
            let isGrad = torchName == "grad" || torchName == "grad_and_value"
            guard isGrad else { return try interp.jaxTree(r, weak: weak) }
            if valueFirst, case .tuple(let pair) = r, pair.count == 2 {
                // torch.func.grad_and_value gives (grad, value); JAX's value_and_grad (value, grad),
                // the value weakly typed when the function's output was.
                var value = try interp.jaxTree(pair[1])
                if valueWeak.flags["value"] == [true], case .tensor(let h) = value { value = try interp.jaxArray(h.value, weak: true) }
                return .tuple([value, try gradients(pair[0])])
            }
            if hasAux, case .tuple(let pair) = r, pair.count == 2 { return .tuple([try gradients(pair[0]), try interp.jaxTree(pair[1])]) }
            return try gradients(r)
        })
    }

    /// JAX's refusal to differentiate integer inputs.
    func jaxCheckDifferentiable(_ v: Value, name: String) throws {
        switch v {
        case .tensor(let h):
            guard h.dtype.isFloatingPoint else {
                throw PythonError(.TypeError, "\(name) requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got \(NumPyFormatter.numpyName(h.dtype)). If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True.")
            }
        case .tuple(let items): for x in items { try jaxCheckDifferentiable(x, name: name) }
        case .list(let l): for x in l.items { try jaxCheckDifferentiable(x, name: name) }
        case .dict(let d): for (_, x) in d.pairs { try jaxCheckDifferentiable(x, name: name) }
        default: break
        }
    }

    private func jaxAllWeak(_ v: Value) -> Bool {
        switch v {
        case .tensor(let h): return h.api == .jax(weak: true)
        case .tuple(let items): return items.allSatisfy(jaxAllWeak)
        case .list(let l): return l.items.allSatisfy(jaxAllWeak)
        case .dict(let d): return d.pairs.allSatisfy { jaxAllWeak($0.1) }
        default: return true
        }
    }

    /// `jax.vmap(f, in_axes, out_axes)`: torch.func.vmap with JAX's names; sizes that do not
    /// agree are JAX's `ValueError`.
    func jaxVmap(_ a: BoundArguments) throws -> Value {
        let f = try a.function("fun")
        var inAxes = a.value("in_axes")!
        if case .list(let l) = inAxes { inAxes = .tuple(l.items) }
        let transformed = try call(registryValue("vmap")!, CallArguments([jaxCallable(f)], keywords: [("in_dims", inAxes), ("out_dims", a.value("out_axes")!)],
                                                                          range: a.range), range: a.range)
        return .function(Function(name: "vmap", summary: "jax.vmap(\(functionName(f)))") { args, interp in
            let inputs = try args.positional.map { v -> Value in
                if case .tensor(let h) = v, h.api == .torch { return try interp.jaxValue(v) }
                return v
            }
            do {
                return try interp.jaxTree(try interp.call(transformed, CallArguments(inputs, keywords: args.keywords, range: args.range), range: args.range))
            } catch let e as PythonError where e.message.contains("size") && (e.message.contains("mapped") || e.message.contains("in_dims") || e.message.contains("batch")) && !e.isInstance(of: .ValueError) {
                var v = PythonError(.ValueError, "vmap got inconsistent sizes for array axes to be mapped: " + e.message, at: e.range, hint: e.hint)
                v.source = e.source
                throw v
            }
        })
    }

    /// `jax.jit(f, static_argnums=..., static_argnames=...)`, also as a decorator with arguments:
    /// the function traced once per argument types and static values, optimised, cached.
    func jaxJit(_ a: BoundArguments) throws -> Value {
        var statics = Set<Int>()
        if let v = a.value("static_argnums"), !v.isNone { statics = Set(try a.intList("static_argnums") ?? []) }
        var staticNames = Set<String>()
        if let v = a.value("static_argnames"), !v.isNone {
            if case .string(let s) = v { staticNames = [s] } else { staticNames = Set(try collect(v, range: a.range).compactMap { if case .string(let s) = $0 { return s }; return nil }) }
        }
        guard let f = a.value("fun"), !f.isNone else {
            // `@partial(jit, static_argnums=...)` or `@jit(static_argnums=...)` style: a decorator.
            var b = a
            return .function(Function(name: "jit") { args, interp in
                guard let g = args.positional.first else { throw PythonError(.TypeError, "jit() missing the function") }
                b.slots[b.builtin.signature.index(of: "fun")!] = g
                return try interp.jaxJit(b)
            })
        }
        let staticNumbers = statics
        let weakOutputs = JAXWeakOutputs()
        return .function(Function(name: functionName(f), summary: "jax.jit(\(functionName(f)))") { args, interp in
            let n = args.positional.count
            let resolvedStatics = Set(staticNumbers.map { $0 < 0 ? $0 + n : $0 })
            var dynamic: [Value] = []
            var staticText = ""
            for (i, v) in args.positional.enumerated() {
                if resolvedStatics.contains(i) { staticText += "\(i)=\(try interp.reprOf(v));" } else { dynamic.append(try interp.jaxArgument(v)) }
            }
            var keywords: [(String, Value)] = []
            for (k, v) in args.keywords {
                if staticNames.contains(k) { staticText += "\(k)=\(try interp.reprOf(v));" }
                keywords.append((k, staticNames.contains(k) ? v : try interp.jaxArgument(v)))
            }
            let flat = FlatArguments(dynamic)
            let weakKey = staticText + "|" + flat.leaves.map { "\($0.type)" }.joined(separator: ",") + "|"
                + weakLeaves(dynamic).map { $0 ? "w" : "s" }.joined()
            let rebuilt = Value.function(Function(name: interp.functionName(f)) { inner, interp in
                var all: [Value] = []
                var d = inner.positional.makeIterator()
                var j = 0
                for i in 0..<n {
                    if resolvedStatics.contains(i) { all.append(args.positional[i]); continue }
                    all.append(try interp.jaxWeakLike(d.next()!, dynamic[j]))
                    j += 1
                }
                let kws = try keywords.map { k, v in (k, staticNames.contains(k) ? v : try interp.jaxValue(v)) }
                let out = try interp.call(f, CallArguments(all, keywords: kws, range: args.range), range: args.range)
                // Which outputs are weakly typed is known only while tracing: keep it for cached calls.
                weakOutputs.flags[weakKey] = try interp.jaxTreeLeaves(out, isLeaf: .none).compactMap { v -> Bool? in
                    guard case .tensor(let h) = v else { return nil }
                    return h.api == .jax(weak: true)
                }
                return out
            })
            let box = OutputStructure()
            let g = interp.tensorFunction(rebuilt, flat, hasAux: false, box: box, name: "jit", range: args.range)
            let key = interp.transformKey("jit statics=\(staticText) keywords=\(keywords.map(\.0))", f)
            let outs = try interp.staged(key, flat, box: box, g)
            let flags = weakOutputs.flags[weakKey] ?? []
            var k = 0
            return try interp.jaxTree(Pytree.unflatten(box.tree) { () -> Value in
                defer { k += 1 }
                let h = TensorHandle(outs[k])
                h.api = .jax(weak: k < flags.count && flags[k])
                return .tensor(h)
            })
        })
    }

    /// `jax.make_jaxpr(f)(*args)`: the optimised program of `f`, in Jacobi's IR notation.
    func jaxprText(_ f: Value, _ args: CallArguments) throws -> Value {
        let inputs = try args.positional.map { try jaxArgument($0) }
        let flat = FlatArguments(inputs)
        let box = OutputStructure()
        let g = tensorFunction(jaxCallable(f), flat, hasAux: false, box: box, name: "make_jaxpr", range: args.range)
        let closed = try trace(inputTypes: flat.leaves.map(\.type), g)
        let program = try closed.program.optimized()
        return .instance(Instance(cls: BuiltinTypes.jaxprType, payload: program.description))
    }

    // MARK: - Pytrees

    private func makeJAXTreeModule(_ name: String, prefix: String) -> Namespace {
        Namespace(name: name, attributes: [
            (prefix + "map", function(prefix + "map", ["f", "tree", "*rest", "is_leaf=None"]) { a in
                let i = a.interpreter
                return try i.jaxTreeMap(a.value("f")!, [a.value("tree")!] + a.rest, isLeaf: a.value("is_leaf")!, range: a.range)
            }),
            (prefix + "leaves", function(prefix + "leaves", ["tree", "is_leaf=None"]) { a in
                .list(try a.interpreter.jaxTreeLeaves(a.value("tree")!, isLeaf: a.value("is_leaf")!))
            }),
            (prefix + "flatten", function(prefix + "flatten", ["tree", "is_leaf=None"]) { a in
                let i = a.interpreter, tree = a.value("tree")!
                let leaves = try i.jaxTreeLeaves(tree, isLeaf: a.value("is_leaf")!)
                return .tuple([.list(leaves), .instance(Instance(cls: BuiltinTypes.treeDefType, payload: JAXTreeDef(tree: tree)))])
            }),
            (prefix + "structure", function(prefix + "structure", ["tree", "is_leaf=None"]) { a in
                .instance(Instance(cls: BuiltinTypes.treeDefType, payload: JAXTreeDef(tree: a.value("tree")!)))
            }),
            (prefix + "unflatten", function(prefix + "unflatten", ["treedef", "leaves"]) { a in
                let i = a.interpreter
                guard case .instance(let inst) = a.value("treedef")!, let def = inst.payload as? JAXTreeDef else {
                    throw a.fail("treedef must be a PyTreeDef")
                }
                var leaves = try i.collect(a.value("leaves")!, range: a.range).makeIterator()
                return try i.jaxTreeMap(.function(Function(name: "leaf") { _, _ in leaves.next() ?? .none }), [def.tree], isLeaf: .none, range: a.range)
            }),
        ])
    }

    /// `tree_map(f, tree, *rest)`: `f` over the leaves (arrays, numbers, strings, anything not a
    /// tuple, list, dict or None) of `tree` and the matching leaves of `rest`.
    func jaxTreeMap(_ f: Value, _ trees: [Value], isLeaf: Value, range: SourceRange?) throws -> Value {
        let t = trees[0]
        if !isLeaf.isNone, try truthy(try call(isLeaf, CallArguments([t]), range: range), range: range) {
            return try call(f, CallArguments(trees), range: range)
        }
        func parts(_ v: Value, _ n: Int) throws -> [Value] {
            switch v {
            case .tuple(let items) where items.count == n: return items
            case .list(let l) where l.items.count == n: return l.items
            default:
                throw PythonError(.ValueError, "Custom node type mismatch: the trees given to tree_map have different structures", at: range)
            }
        }
        switch t {
        case .none: return .none
        case .tuple(let items):
            let others = try trees.dropFirst().map { try parts($0, items.count) }
            return .tuple(try items.indices.map { i in try jaxTreeMap(f, [items[i]] + others.map { $0[i] }, isLeaf: isLeaf, range: range) })
        case .list(let l):
            let others = try trees.dropFirst().map { try parts($0, l.items.count) }
            return .list(try l.items.indices.map { i in try jaxTreeMap(f, [l.items[i]] + others.map { $0[i] }, isLeaf: isLeaf, range: range) })
        case .dict(let d):
            return .dict(try jaxSortedDict(d) { key, value in
                let others = try trees.dropFirst().map { o -> Value in
                    guard case .dict(let od) = o, let x = od[try HashKey(key)] else {
                        throw PythonError(.ValueError, "Dict key mismatch: the trees given to tree_map have different keys", at: range)
                    }
                    return x
                }
                return try self.jaxTreeMap(f, [value] + others, isLeaf: isLeaf, range: range)
            })
        default:
            return try call(f, CallArguments(trees), range: range)
        }
    }

    /// The leaves of a pytree in JAX's order (dict keys sorted; None has no leaves).
    func jaxTreeLeaves(_ v: Value, isLeaf: Value) throws -> [Value] {
        var out: [Value] = []
        _ = try jaxTreeMap(.function(Function(name: "leaf") { args, _ in out.append(args.positional[0]); return .none }), [v], isLeaf: isLeaf, range: nil)
        return out
    }
}

/// The arguments of the current call of a transformed function, whose weak types the traced
/// arguments take.
final class JAXCallInputs {
    var values: [Value] = []
}

/// Per traced signature of a jitted function, which of its outputs are weakly typed.
final class JAXWeakOutputs {
    var flags: [String: [Bool]] = [:]
}

/// For each tensor leaf of `values` in order (`Pytree.flatten`'s), whether it is a weakly typed
/// JAX array.
private func weakLeaves(_ values: [Value]) -> [Bool] {
    var result: [Bool] = []
    func walk(_ v: Value) {
        switch v {
        case .tensor(let h): result.append(h.api == .jax(weak: true))
        case .tuple(let items): items.forEach(walk)
        case .list(let l): l.items.forEach(walk)
        case .dict(let d): d.pairs.forEach { walk($0.1) }
        default: break
        }
    }
    values.forEach(walk)
    return result
}

/// A pytree's structure (`jax.tree_util.tree_structure`): the tree itself, printed with `*` for
/// its leaves.
struct JAXTreeDef {
    let tree: Value
}

extension BuiltinTypes {
    /// `PyTreeDef`.
    static let treeDefType: TypeObject = {
        var s = Slots()
        s.repr = { interp, v in
            guard case .instance(let i) = v, let d = i.payload as? JAXTreeDef else { return "PyTreeDef(*)" }
            func text(_ v: Value) throws -> String {
                switch v {
                case .none: return "None"
                case .tuple(let items): return "(" + (try items.map(text)).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
                case .list(let l): return "[" + (try l.items.map(text)).joined(separator: ", ") + "]"
                case .dict(let dict):
                    let pairs = try interp.jaxSortedDict(dict) { $0 }.pairs
                    return "{" + (try pairs.map { "\(try interp.reprOf($0.0)): \(try text($0.1))" }).joined(separator: ", ") + "}"
                default: return "*"
                }
            }
            return "PyTreeDef(\(try text(d.tree)))"
        }
        s.getAttribute = { _, v, name in
            guard case .instance(let i) = v, let d = i.payload as? JAXTreeDef, name == "num_leaves" else { return nil }
            func count(_ v: Value) -> Int {
                switch v {
                case .none: return 0
                case .tuple(let items): return items.map(count).reduce(0, +)
                case .list(let l): return l.items.map(count).reduce(0, +)
                case .dict(let d): return d.pairs.map { count($0.1) }.reduce(0, +)
                default: return 1
                }
            }
            return .int(count(d.tree))
        }
        return TypeObject(name: "PyTreeDef", moduleName: "jaxlib._jax.pytree", base: object, slots: s)
    }()

    /// What `jax.make_jaxpr(f)(x)` returns: the program, printed.
    static let jaxprType: TypeObject = {
        var s = Slots()
        s.repr = { _, v in
            guard case .instance(let i) = v, let text = i.payload as? String else { return "" }
            return text
        }
        return TypeObject(name: "ClosedJaxpr", moduleName: "jax.extend.core", base: object, slots: s)
    }()
}
