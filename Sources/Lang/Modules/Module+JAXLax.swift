import Tensor
import AD
import Printer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `jax.lax` control flow, `jax.nn` and `jax.scipy.special`. The loops (`scan`, `fori_loop`,
// `while_loop`, `map`) run their body once per step, so under a transform they unroll into the
// traced program (Jacobi has no loop primitive: every primitive keeps its full set of rules);
// `cond` and `switch` call the chosen branch when the predicate is known, and otherwise (inside
// `jit` or `vmap`) evaluate every branch and select, elementwise, as `jnp.where` would.

extension Interpreter {
    func makeJAXLaxModule() -> Namespace {
        let attrs: [(String, Value)] = [
            ("scan", function("scan", ["f", "init", "xs=None", "length=None", "reverse=False", "unroll=1", "_split_transpose=False"]) { a in
                try a.interpreter.laxScan(a)
            }),
            ("fori_loop", function("fori_loop", ["lower", "upper", "body_fun", "init_val", "unroll=None"]) { a in
                let i = a.interpreter
                var value = try i.jaxArgument(a.value("init_val")!)
                let lo = try a.int("lower"), hi = try a.int("upper")
                for k in Swift.stride(from: lo, to: hi, by: 1) {
                    let index = try i.jaxArray(.scalar(Double(k), i.jaxX64 ? .int64 : .int32), weak: true)
                    value = try i.jaxTree(try i.call(a.value("body_fun")!, CallArguments([index, value]), range: a.range))
                }
                return try i.jaxTree(value)
            }),
            ("while_loop", function("while_loop", ["cond_fun", "body_fun", "init_val"]) { a in
                let i = a.interpreter
                var value = try i.jaxArgument(a.value("init_val")!)
                while try i.truthy(try i.call(a.value("cond_fun")!, CallArguments([value]), range: a.range), range: a.range) {
                    value = try i.jaxTree(try i.call(a.value("body_fun")!, CallArguments([value]), range: a.range))
                }
                return try i.jaxTree(value)
            }),
            ("cond", function("cond", ["pred", "true_fun", "false_fun", "*operands"]) { a in
                try a.interpreter.laxBranch(a.value("pred")!, [a.value("false_fun")!, a.value("true_fun")!], a.rest, isIndex: false, range: a.range)
            }),
            ("switch", function("switch", ["index", "branches", "*operands"]) { a in
                let branches = try a.interpreter.collect(a.value("branches")!, range: a.range)
                return try a.interpreter.laxBranch(a.value("index")!, branches, a.rest, isIndex: true, range: a.range)
            }),
            ("map", function("map", ["f", "xs", "batch_size=None"]) { a in
                let i = a.interpreter
                let xs = try i.jaxArgument(a.value("xs")!)
                let n = try i.laxLeadingLength(xs, range: a.range)
                var ys: [Value] = []
                for k in 0..<n { ys.append(try i.jaxTree(try i.call(a.value("f")!, CallArguments([try i.laxSlice(xs, k)]), range: a.range))) }
                return try i.laxStack(ys, range: a.range)
            }),
            ("stop_gradient", function("stop_gradient", ["x"]) { a in
                let i = a.interpreter
                return try i.jaxTreeMap(.function(Function(name: "stop_gradient") { args, interp in
                    guard let o = args.positional[0].operand else { return args.positional[0] }
                    return try interp.jaxArray(try o.detach())
                }), [try i.jaxArgument(a.value("x")!)], isLeaf: .none, range: a.range)
            }),
        ]
        return Namespace(name: "jax.lax", attributes: attrs)
    }

    /// `lax.scan(f, init, xs, length)`: `carry, y = f(carry, x)` over the leading axis of `xs`;
    /// returns the last carry and the `y`s stacked.
    func laxScan(_ a: BoundArguments) throws -> Value {
        var carry = try jaxArgument(a.value("init")!)
        let xs = try jaxArgument(a.value("xs")!)
        let n: Int
        if let length = try a.optionalInt("length") { n = length } else { n = try laxLeadingLength(xs, range: a.range) }
        guard n >= 0 else { throw PythonError(.ValueError, "scan got a negative length \(n)", at: a.range) }
        let reverse = try a.bool("reverse")
        var ys: [Value] = []
        for step in 0..<n {
            let k = reverse ? n - 1 - step : step
            let x = xs.isNone ? Value.none : try laxSlice(xs, k)
            let out = try call(a.value("f")!, CallArguments([carry, x]), range: a.range)
            guard case .tuple(let pair) = out, pair.count == 2 else {
                throw PythonError(.TypeError, "scan body function must return a pair (carry, y), got \(out.pyType.name)", at: a.range)
            }
            carry = try jaxTree(try jaxArgument(pair[0]))
            ys.append(try jaxTree(pair[1]))
        }
        if reverse { ys.reverse() }
        return .tuple([carry, try laxStack(ys, range: a.range)])
    }

    /// The common leading length of the arrays in a pytree.
    func laxLeadingLength(_ xs: Value, range: SourceRange?) throws -> Int {
        let leaves = try jaxTreeLeaves(xs, isLeaf: .none).compactMap(\.operand)
        guard let first = leaves.first, first.rank > 0 else {
            throw PythonError(.ValueError, "scan got no values to scan over and `length` was not provided", at: range)
        }
        for l in leaves where l.rank == 0 || l.shape[0] != first.shape[0] {
            throw PythonError(.ValueError, "scan got values with different leading axis sizes: \(first.shape[0]) and \(l.rank == 0 ? 0 : l.shape[0])", at: range)
        }
        return first.shape[0]
    }

    /// Entry `k` of every array in a pytree.
    func laxSlice(_ xs: Value, _ k: Int) throws -> Value {
        try jaxTreeMap(.function(Function(name: "slice") { args, interp in
            guard let o = args.positional[0].operand else { return args.positional[0] }
            return try interp.jaxArray(try o.subscripted([.index(k)]))
        }), [xs], isLeaf: .none, range: nil)
    }

    /// Pytrees of the same structure stacked leaf by leaf along a new leading axis.
    func laxStack(_ ys: [Value], range: SourceRange?) throws -> Value {
        guard let first = ys.first else { return .none }
        return try jaxTreeMap(.function(Function(name: "stack") { args, interp in
            let parts = try args.positional.map { try interp.jnpOperand($0, range: range) }
            let weak = args.positional.allSatisfy { if case .tensor(let h) = $0 { return h.api == .jax(weak: true) }; return true }
            return try interp.jaxArray(try Operand.stack(parts, dim: 0), weak: weak)
        }), [first] + ys.dropFirst(), isLeaf: .none, range: range)
    }

    /// `cond`/`switch`: the chosen branch, or every branch selected elementwise when the
    /// predicate is being traced.
    func laxBranch(_ pred: Value, _ branches: [Value], _ operands: [Value], isIndex: Bool, range: SourceRange?) throws -> Value {
        guard !branches.isEmpty else { throw PythonError(.ValueError, "switch: empty branches sequence", at: range) }
        let args = try operands.map { try jaxArgument($0) }
        let p = try jnpOperand(pred, range: range)
        if let t = p.concrete {
            guard t.elementCount == 1 else { throw PythonError(.TypeError, "Pred must be a scalar, got array of shape \(NumPyFormatter.shapeTuple(t.shape.dims))", at: range) }
            let v = t.scalarValue!
            if isIndex && !v.isFinite { throw PythonError(.TypeError, "switch: the index must be an integer, got \(v)", at: range) }
            let k = isIndex ? Int(Swift.min(Swift.max(v.rounded(.towardZero), 0), Double(branches.count - 1))) : (v != 0 ? 1 : 0)
            return try jaxTree(try call(branches[k], CallArguments(args), range: range))
        }
        let outs = try branches.map { try jaxTree(try call($0, CallArguments(args), range: range)) }
        var result = outs[0]
        for k in 1..<outs.count {
            let chosen = isIndex ? try Operand.compare(.eq, p.converted(to: .int64), .scalar(Double(k), .int64)) : try Operand.compare(.ne, p, p.constant(0))
            result = try jaxTreeMap(.function(Function(name: "select") { pair, interp in
                let (x, y) = try interp.broadcastPair(pair.positional[1], pair.positional[0], range: range)
                return try interp.jaxArray(try Operand.select(chosen, x, y))
            }), [result, outs[k]], isLeaf: .none, range: range)
        }
        return result
    }

    // MARK: - jax.nn

    func makeJAXNNModule() -> Namespace {
        var attrs: [(String, Value)] = []
        func unary(_ n: String, _ params: [String] = [], _ f: @escaping (Operand, BoundArguments) throws -> Operand) {
            attrs.append(jnp(n, ["x"] + params, weakFrom: ["x"]) { [unowned self] a in
                .tensor(TensorHandle(try f(try self.jnpFloating(try self.jnpArray(a, "x")), a)))
            })
        }
        unary("relu") { x, _ in try Operand.select(Operand.compare(.gt, x, x.constant(0)), x, x.constant(0)) }   // gradient 0 at 0, as JAX
        unary("relu6") { x, _ in try x.clamp(min: x.constant(0), max: x.constant(6)) }
        unary("sigmoid") { x, _ in try x.unary(.logistic) }
        unary("silu") { x, _ in try x.silu() }
        unary("swish") { x, _ in try x.silu() }
        unary("tanh") { x, _ in try x.unary(.tanh) }
        unary("softplus") { x, _ in
            // log1p(exp(-|x|)) + max(x, 0), as jax.nn.softplus (logaddexp(x, 0)).
            try x.unary(.abs).unary(.neg).unary(.exp).unary(.log1p) + x.relu()
        }
        unary("log_sigmoid") { x, _ in try (x.unary(.neg).unary(.abs).unary(.neg).unary(.exp).unary(.log1p) + x.unary(.neg).relu()).unary(.neg) }
        unary("hard_tanh") { x, _ in try x.clamp(min: x.constant(-1), max: x.constant(1)) }
        unary("elu", ["alpha=1.0"]) { x, a in try x.elu(alpha: try a.double("alpha")) }
        unary("leaky_relu", ["negative_slope=0.01"]) { x, a in try x.leakyRelu(try a.double("negative_slope")) }
        unary("gelu", ["approximate=True"]) { x, a in try x.gelu(approximate: try a.bool("approximate")) }
        unary("softmax", ["axis=-1", "where=None", "initial=None"]) { x, a in try x.softmax(try a.int("axis")) }
        unary("log_softmax", ["axis=-1", "where=None", "initial=None"]) { x, a in try x.logSoftmax(try a.int("axis")) }
        unary("standardize", ["axis=-1", "mean=None", "variance=None", "epsilon=1e-05", "where=None"]) { x, a in
            let axes = try a.intList("axis")
            let mean = try x.mean(axes, keepdim: true)
            let variance = try ((x * x).mean(axes, keepdim: true) - mean * mean)
            return try (x - mean) * (variance + x.constant(try a.double("epsilon"))).unary(.rsqrt)
        }
        attrs.append(jnp("one_hot", ["x", "num_classes", "dtype=None", "axis=-1"]) { [unowned self] a in
            let x = try self.jnpArray(a, "x"), n = try a.int("num_classes")
            guard n >= 0 else { throw PythonError(.ValueError, "one_hot: num_classes must be non-negative, got \(n)") }
            _ = try self.jaxShape(x.shape.dims + [n], what: "jax.nn.one_hot")
            let classes = Operand.tensor(Tensor(shape: [n], doubles: (0..<n).map(Double.init), dtype: .int64))
            let hit = try Operand.compare(.eq, x.converted(to: .int64).unsqueeze(x.rank), classes)
            var out = try hit.converted(to: try a.dtype("dtype") ?? self.jaxFloat)
            let axis = try a.int("axis")
            if axis != -1 && axis != x.rank { out = try out.movedim(x.rank, axis < 0 ? axis + x.rank + 1 : axis) }
            return .tensor(TensorHandle(out))
        })
        attrs.append(logsumexpFunction())
        return Namespace(name: "jax.nn", attributes: attrs)
    }

    /// `logsumexp(a, axis=None, b=None, keepdims=False)`: the maximum shifted out (and stopped
    /// from the gradient) for stability.
    private func logsumexpFunction() -> (String, Value) {
        jnp("logsumexp", ["a", "axis=None", "b=None", "keepdims=False", "return_sign=False", "where=None"]) { [unowned self] a in
            let x = try self.jnpFloating(try self.jnpArray(a, "a"))
            let axes = try self.jnpAxes(a), keep = try a.bool("keepdims")
            let m = try x.extremum(max: true, axes, keepdim: true).detach()
            let finite = try Operand.select(Operand.compare(.eq, m.unary(.abs), m.constant(.infinity)), m.constant(0), m)
            var e = try (x - finite).unary(.exp)
            if a.has("b") { e = try e * self.jnpArray(a, "b") }
            var r = try e.sum(axes, keepdim: true).unary(.log) + finite
            if !keep {
                let all = try (axes ?? Array(0..<x.rank)).map { try self.jnpAxis($0, rank: x.rank) }
                for d in Set(all).sorted(by: >) { r = try r.squeeze(d) }
            }
            return .tensor(TensorHandle(r))
        }
    }

    // MARK: - jax.scipy.special

    func makeJAXSpecialModule() -> Namespace {
        var attrs: [(String, Value)] = [logsumexpFunction()]
        attrs.append(jnp("erf", ["x"], weakFrom: ["x"]) { [unowned self] a in .tensor(TensorHandle(try self.jnpFloating(try self.jnpArray(a, "x")).unary(.erf))) })
        attrs.append(jnp("expit", ["x"], weakFrom: ["x"]) { [unowned self] a in .tensor(TensorHandle(try self.jnpFloating(try self.jnpArray(a, "x")).unary(.logistic))) })
        attrs.append(jnp("logit", ["x"], weakFrom: ["x"]) { [unowned self] a in
            let x = try self.jnpFloating(try self.jnpArray(a, "x"))
            return .tensor(TensorHandle(try (x / (x.constant(1) - x)).unary(.log)))
        })
        return Namespace(name: "jax.scipy.special", attributes: attrs)
    }
}
