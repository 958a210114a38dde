import Tensor
import AD

// `torch.no_grad()`, `enable_grad()`, `set_grad_enabled(mode)` and `inference_mode(mode)`: context
// managers and decorators that scope the grad mode to a `with` block or a decorated call, as in
// PyTorch. Jacobi's transforms (`grad`, `jacrev`, ...) differentiate what they are asked to
// whatever the mode; the mode is what `torch.is_grad_enabled()` reports and what imperative
// autograd will consult.

/// One grad-mode object: the mode it sets and the modes it replaced (one per active `with`).
final class GradModeState {
    let kind: String
    let mode: Bool
    var saved: [(grad: Bool, inference: Bool)] = []

    init(kind: String, mode: Bool) { self.kind = kind; self.mode = mode }

    func enter(_ interp: Interpreter) {
        saved.append((interp.gradEnabled, interp.inferenceMode))
        switch kind {
        case "no_grad": interp.gradEnabled = false
        case "enable_grad": interp.gradEnabled = true
        case "inference_mode":
            interp.inferenceMode = mode
            if mode { interp.gradEnabled = false }
        default: interp.gradEnabled = mode
        }
    }

    func exit(_ interp: Interpreter) {
        guard let (grad, inference) = saved.popLast() else { return }
        interp.gradEnabled = grad
        interp.inferenceMode = inference
    }
}

extension BuiltinTypes {
    nonisolated(unsafe) private static var gradModes: [String: TypeObject] = [:]

    /// The class of a grad-mode context manager (`no_grad`, ...).
    static func gradMode(_ name: String) -> TypeObject {
        if let t = gradModes[name] { return t }
        func state(_ v: Value) -> GradModeState? {
            if case .instance(let i) = v { return i.payload as? GradModeState }
            return nil
        }
        var s = Slots()
        s.enter = { interp, v in
            // set_grad_enabled took effect when it was made; its `with` only restores.
            if let st = state(v), st.kind != "set_grad_enabled" { st.enter(interp) }
            return .none
        }
        s.exit = { interp, v, _ in
            state(v)?.exit(interp)
            return false
        }
        s.call = { interp, v, args in
            guard let st = state(v), args.positional.count == 1, interp.isCallable(args.positional[0]) else {
                throw PythonError(.TypeError, "'\(name)' object used as a decorator takes one function")
            }
            return interp.decorated(args.positional[0], with: st)
        }
        s.repr = { interp, v in "<torch.autograd.grad_mode.\(name) object at \(interp.address(of: v))>" }
        let t = TypeObject(name: name, moduleName: "torch.autograd.grad_mode", base: object, slots: s) { interp, cls, args in
            let mode: Bool
            switch name {
            case "set_grad_enabled":
                let v = try Signature(name: name, spec: ["mode"]).bind(args)
                mode = try interp.truthy(v[0], range: args.range)
            case "inference_mode":
                if args.positional.count == 1, interp.isCallable(args.positional[0]) {
                    return interp.decorated(args.positional[0], with: GradModeState(kind: name, mode: true))
                }
                let v = try Signature(name: name, spec: ["mode=True"]).bind(args)
                mode = try interp.truthy(v[0], range: args.range)
            default:
                // `@torch.no_grad` without parentheses decorates the function directly.
                if args.positional.count == 1, interp.isCallable(args.positional[0]) {
                    return interp.decorated(args.positional[0], with: GradModeState(kind: name, mode: name == "enable_grad"))
                }
                _ = try Signature(name: name, spec: []).bind(args)
                mode = name == "enable_grad"
            }
            let st = GradModeState(kind: name, mode: mode)
            // set_grad_enabled(mode) takes effect at once, as a plain call; `with` restores it.
            if name == "set_grad_enabled" { st.enter(interp) }
            return .instance(Instance(cls: cls, payload: st))
        }
        gradModes[name] = t
        return t
    }
}

extension Interpreter {
    /// The class of a grad-mode context manager.
    func gradModeType(_ name: String) -> TypeObject { BuiltinTypes.gradMode(name) }

    /// `f` wrapped so that each call runs in the grad mode of `state`.
    func decorated(_ f: Value, with state: GradModeState) -> Value {
        let fresh = GradModeState(kind: state.kind, mode: state.mode)
        let name: String
        if case .function(let fn) = f { name = fn.name } else { name = "decorated" }
        let wrapper = Function(name: name, native: { args, interp in
            fresh.enter(interp)
            defer { fresh.exit(interp) }
            return try interp.call(f, args, range: args.range)
        })
        if case .function(let fn) = f {
            wrapper.qualname = fn.qualname
            wrapper.attributes["__wrapped__"] = f
            wrapper.attributes["__doc__"] = fn.attributes["__doc__"] ?? Value.none
        }
        return .function(wrapper)
    }
}
