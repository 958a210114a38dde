import Tensor
import AD
import Printer
#if canImport(Glibc)
import Glibc
#endif

// `torch.optim`: SGD (momentum, dampening, Nesterov, weight decay, maximize), Adam and AdamW
// (amsgrad, weight decay, maximize), with PyTorch's single-tensor update formulas in the same
// order of operations, so a training loop gives PyTorch's numbers. Parameter groups are live
// dicts: a schedule that sets `group['lr']` takes effect at the next `step()`.

/// An optimizer's parameters, settings and per-parameter state.
final class OptimizerPayload {
    let kind: String
    /// `param_groups`: dicts with "params" (a list of tensors) and the settings.
    let groups: [DictObject]
    /// Per parameter: named state tensors (`momentum_buffer`, `exp_avg`, ...) and the step count.
    var state: [ObjectIdentifier: (handle: TensorHandle, values: [(String, TensorHandle)], step: Int)] = [:]

    init(kind: String, groups: [DictObject]) {
        self.kind = kind
        self.groups = groups
    }
}

extension Interpreter {
    func makeOptimModule() -> Namespace {
        Namespace(name: "torch.optim", attributes: [
            ("SGD", .type(BuiltinTypes.optimizer("SGD"))), ("Adam", .type(BuiltinTypes.optimizer("Adam"))),
            ("AdamW", .type(BuiltinTypes.optimizer("AdamW"))),
            ("Optimizer", .type(BuiltinTypes.optimizerBase)),
        ])
    }

    /// The settings of each kind, in PyTorch's order, with their defaults.
    static func optimizerDefaults(_ kind: String) -> [(String, Value)] {
        switch kind {
        case "SGD":
            return [("lr", .float(0.001)), ("momentum", .int(0)), ("dampening", .int(0)), ("weight_decay", .int(0)),
                    ("nesterov", .bool(false)), ("maximize", .bool(false)), ("foreach", Value.none),
                    ("differentiable", .bool(false)), ("fused", Value.none)]
        default:
            let decoupled = kind == "AdamW"
            return [("lr", .float(0.001)), ("betas", .tuple([.float(0.9), .float(0.999)])), ("eps", .float(1e-08)),
                    ("weight_decay", decoupled ? .float(0.01) : .int(0)), ("amsgrad", .bool(false)), ("maximize", .bool(false)),
                    ("foreach", Value.none), ("capturable", .bool(false)), ("differentiable", .bool(false)), ("fused", Value.none),
                    ("decoupled_weight_decay", .bool(decoupled))]
        }
    }

    /// `torch.optim.X(params, **settings)`.
    func makeOptimizer(_ kind: String, _ cls: TypeObject, _ args: CallArguments) throws -> Value {
        let defaults = Self.optimizerDefaults(kind)
        let spec = ["params"] + defaults.filter { $0.0 != "decoupled_weight_decay" }.map { "\($0.0)=\(repr($0.1))" }
        let bound = try Signature(name: kind, spec: spec).bind(args)
        var settings: [(String, Value)] = []
        for (i, (name, _)) in defaults.enumerated() where name != "decoupled_weight_decay" { settings.append((name, bound[i + 1])) }
        if let d = defaults.first(where: { $0.0 == "decoupled_weight_decay" }) { settings.append(d) }
        if let lr = Number(settings[0].1), try lr.double() < 0 { throw PythonError(.ValueError, "Invalid learning rate: \(repr(settings[0].1))") }
        let items = try collect(bound[0], range: args.range)
        guard !items.isEmpty else { throw PythonError(.ValueError, "optimizer got an empty parameter list") }
        // A list of tensors is one group; a list of dicts gives one group each.
        var groupSpecs: [[(String, Value)]] = []
        if case .dict = items[0] {
            for item in items {
                guard case .dict(let d) = item else { throw PythonError(.TypeError, "param groups must all be dicts") }
                groupSpecs.append(d.pairs.compactMap { k, v in if case .string(let s) = k { return (s, v) }; return nil })
            }
        } else {
            groupSpecs = [[("params", .list(items))]]
        }
        var groups: [DictObject] = []
        for spec in groupSpecs {
            let g = DictObject()
            guard let params = spec.first(where: { $0.0 == "params" })?.1 else { throw PythonError(.KeyError, arguments: [.string("params")]) }
            let tensors = try (params.operand != nil ? [params] : collect(params, range: args.range)).map { v -> Value in
                guard case .tensor(let h) = v else {
                    throw PythonError(.TypeError, "optimizer can only optimize Tensors, but one of the params is \(v.pyType.name)")
                }
                guard h.isLeaf else { throw PythonError(.ValueError, "can't optimize a non-leaf Tensor") }
                return v
            }
            g[string: "params"] = .list(tensors)
            for (name, value) in settings { g[string: name] = spec.first(where: { $0.0 == name })?.1 ?? value }
            groups.append(g)
        }
        return .instance(Instance(cls: cls, payload: OptimizerPayload(kind: kind, groups: groups)))
    }

    /// One `step()`: PyTorch's single-tensor update for every parameter that has a gradient.
    func optimizerStep(_ o: OptimizerPayload) throws {
        try Autograd.withMode(false) {
            for g in o.groups {
                func number(_ key: String) throws -> Double {
                    guard let v = g[string: key], let n = Number(v) else { throw PythonError(.TypeError, "param group '\(key)' must be a number") }
                    return try n.double()
                }
                func flag(_ key: String) throws -> Bool { try truthy(g[string: key] ?? .bool(false), range: nil) }
                guard case .list(let params)? = g[string: "params"] else { continue }
                for case .tensor(let p) in params.items {
                    guard let gradHandle = p.grad else { continue }
                    let key = ObjectIdentifier(p)
                    var entry = o.state[key] ?? (p, [], 0)
                    let lr = try number("lr"), weightDecay = try number("weight_decay")
                    func scalar(_ v: Double) -> Operand { .scalar(v, p.dtype) }
                    var grad = try flag("maximize") ? -gradHandle.value : gradHandle.value
                    func buffer(_ name: String) -> TensorHandle? { entry.values.first { $0.0 == name }?.1 }
                    func setBuffer(_ name: String, _ v: Operand) throws {
                        if let b = buffer(name) { try b.write(v) } else { entry.values.append((name, TensorHandle(v))) }
                    }
                    var param = p.value
                    switch o.kind {
                    case "SGD":
                        let momentum = try number("momentum"), dampening = try number("dampening")
                        if weightDecay != 0 { grad = try grad + param * scalar(weightDecay) }
                        if momentum != 0 {
                            var buf: Operand
                            if let b = buffer("momentum_buffer") {
                                buf = try b.value * scalar(momentum) + grad * scalar(1 - dampening)
                            } else {
                                buf = grad
                            }
                            try setBuffer("momentum_buffer", buf)
                            if try flag("nesterov") { grad = try grad + buf * scalar(momentum) } else { grad = buf }
                        }
                        param = try param + grad * scalar(-lr)
                    default:
                        guard case .tuple(let betas)? = g[string: "betas"], betas.count == 2,
                              let b1 = Number(betas[0]), let b2 = Number(betas[1]) else {
                            throw PythonError(.ValueError, "betas must be a tuple of two numbers")
                        }
                        let beta1 = try b1.double(), beta2 = try b2.double(), eps = try number("eps")
                        entry.step += 1
                        if try flag("decoupled_weight_decay") {
                            param = try param * scalar(1 - lr * weightDecay)
                        } else if weightDecay != 0 {
                            grad = try grad + param * scalar(weightDecay)
                        }
                        let zeros = Operand.tensor(Tensor.full(p.shape, 0, dtype: p.dtype))
                        let expAvg = buffer("exp_avg")?.value ?? zeros, expAvgSq = buffer("exp_avg_sq")?.value ?? zeros
                        // lerp with weight 1 - beta1 (< 0.5): self + weight * (end - self)
                        let newAvg = try expAvg + scalar(1 - beta1) * (grad - expAvg)
                        let newSq = try expAvgSq * scalar(beta2) + scalar(1 - beta2) * grad * grad
                        try setBuffer("exp_avg", newAvg)
                        try setBuffer("exp_avg_sq", newSq)
                        let step = Double(Float(entry.step))
                        let correction1 = 1 - pow(beta1, step), correction2 = 1 - pow(beta2, step)
                        let stepSize = lr / correction1
                        var second = newSq
                        if try flag("amsgrad") {
                            let m = try Operand.binary(.max, buffer("max_exp_avg_sq")?.value ?? zeros, newSq)
                            try setBuffer("max_exp_avg_sq", m)
                            second = m
                        }
                        let denom = try second.unary(.sqrt) / scalar(correction2.squareRoot()) + scalar(eps)
                        param = try param + scalar(-stepSize) * (newAvg / denom)
                    }
                    try p.write(param)
                    o.state[key] = entry
                }
            }
        }
    }

    /// PyTorch's printed form of an optimizer.
    func optimizerRepr(_ o: OptimizerPayload) -> String {
        var lines = ["\(o.kind) ("]
        for (i, g) in o.groups.enumerated() {
            lines.append("Parameter Group \(i)")
            let keys = g.pairs.compactMap { k, _ -> String? in if case .string(let s) = k, s != "params" { return s }; return nil }.sorted()
            for k in keys { lines.append("    \(k): \(repr(g[string: k]!))") }
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

extension BuiltinTypes {
    /// `torch.optim.Optimizer`, the base of the optimizers.
    nonisolated(unsafe) static let optimizerBase: TypeObject = {
        func payload(_ a: BoundArguments) -> OptimizerPayload? {
            if case .instance(let i)? = a.value("self") { return i.payload as? OptimizerPayload }
            return nil
        }
        var s = BuiltinTypes.object.slots
        s.repr = { interp, v in
            guard case .instance(let i) = v, let o = i.payload as? OptimizerPayload else { return "<Optimizer>" }
            return interp.optimizerRepr(o)
        }
        let t = TypeObject(name: "Optimizer", moduleName: "torch.optim.optimizer", base: object, slots: s)
        t.method("step", ["closure=None"]) { a in
            guard let o = payload(a) else { return .none }
            var loss: Value = .none
            if let c = a.value("closure"), !c.isNone {
                loss = try Autograd.withMode(true) { try a.interpreter.call(c, CallArguments([], range: a.range), range: a.range) }
            }
            try a.interpreter.optimizerStep(o)
            return loss
        }
        t.method("zero_grad", ["set_to_none=True"]) { a in
            guard let o = payload(a) else { return .none }
            let toNone = try a.bool("set_to_none")
            for g in o.groups {
                guard case .list(let params)? = g[string: "params"] else { continue }
                for case .tensor(let p) in params.items {
                    guard let grad = p.grad else { continue }
                    if toNone { p.grad = nil } else { try Autograd.withMode(false) { try grad.write(.tensor(Tensor.full(grad.shape, 0, dtype: grad.dtype))) } }
                }
            }
            return .none
        }
        t.method("add_param_group", ["param_group"]) { _ in
            throw PythonError(.NotImplementedError, "add_param_group is not supported in Jacobi; pass every group to the constructor")
        }
        return t
    }()

    nonisolated(unsafe) private static var optimizers: [String: TypeObject] = [:]

    /// `torch.optim.SGD`, `Adam`, `AdamW`.
    static func optimizer(_ kind: String) -> TypeObject {
        if let t = optimizers[kind] { return t }
        var s = optimizerBase.slots
        s.getAttribute = { interp, v, name in
            guard case .instance(let i) = v, let o = i.payload as? OptimizerPayload else { return nil }
            switch name {
            case "param_groups": return .list(o.groups.map { .dict($0) })
            case "defaults":
                let d = DictObject()
                for (k, v) in Interpreter.optimizerDefaults(kind) { d[string: k] = v }
                return .dict(d)
            case "state":
                let d = DictObject(flavor: .defaultDict(.type(BuiltinTypes.dict)))
                for (_, entry) in o.state {
                    let e = DictObject()
                    if kind != "SGD" { e[string: "step"] = .tensor(.tensor(Tensor(scalar: Double(entry.step), dtype: .float32))) }
                    for (k, h) in entry.values { e[string: k] = .tensor(h) }
                    d[try HashKey(.tensor(entry.handle))] = .dict(e)
                }
                return .dict(d)
            default: return nil
            }
        }
        let t = TypeObject(name: kind, moduleName: "torch.optim." + kind.lowercased(), base: optimizerBase, slots: s) { interp, cls, args in
            try interp.makeOptimizer(kind, cls, args)
        }
        optimizers[kind] = t
        return t
    }
}
