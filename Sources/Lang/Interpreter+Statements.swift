import Tensor
import AD

extension Interpreter {
    /// Executes one statement in a scope.
    public func execute(_ s: Statement, in scope: Scope) throws {
        switch s {
        case .expression(let e):
            _ = try evaluate(e, in: scope)
        case .assign(let targets, let e, _):
            let v = try evaluate(e, in: scope)
            for t in targets { try assign(t, v, in: scope) }
        case .augmentedAssign(let target, let op, let e, let r):
            let current = try evaluate(targetExpression(target), in: scope)
            let rhs = try evaluate(e, in: scope)
            let v = try wrap(r) { try self.binaryOperation(op, current, rhs, range: r) }
            try assign(target, v, in: scope)
        case .functionDef(let name, let params, let body, _):
            let f = Function(name: name, body: .user(parameters: params, body: .statements(body), closure: scope))
            scope.variables[name] = .function(f)
            if scope === globals { globalsChanged() }
        case .return(let e, _):
            throw ControlFlow(message: "'return' outside function", value: try e.map { try evaluate($0, in: scope) } ?? .none)
        case .for(let target, let iterable, let body, _):
            for item in try iterate(try evaluate(iterable, in: scope), range: iterable.range) {
                if shouldStop() { throw Interrupted() }
                try assign(target, item, in: scope)
                for st in body { try execute(st, in: scope) }
            }
        case .if(let branches, let otherwise, _):
            for (cond, body) in branches where try truthy(try evaluate(cond, in: scope), range: cond.range) {
                for st in body { try execute(st, in: scope) }
                return
            }
            for st in otherwise ?? [] { try execute(st, in: scope) }
        case .import(let module, let alias, let names, let r):
            // Pasted imports bind names to the shared builtins and namespaces.
            if names.isEmpty {
                let root = String(module.split(separator: ".").first ?? "")
                let bound = alias ?? root
                let known = Interpreter.namespaces.contains(root) || root == "math"
                guard known else {
                    throw Diagnostic(.error, "no module named '\(module)' in Jacobi", range: r,
                                     hint: "torch, torch.func, functorch, torch.nn, torch.linalg, jax and jax.numpy are understood")
                }
                scope.variables[bound] = .namespace(alias == nil ? root : module)
            } else {
                for (n, a) in names {
                    if n == "*" { continue }
                    guard let v = resolveGlobalName(n) ?? (Interpreter.namespacePaths.contains(module + "." + n) ? .namespace(module + "." + n) : nil) else {
                        throw Diagnostic(.error, "cannot import name '\(n)' from '\(module)'", range: r,
                                         hint: closestName(n, among: registry.names).map { "did you mean '\($0)'?" })
                    }
                    scope.variables[a ?? n] = v
                }
            }
            if scope === globals { globalsChanged() }
        case .del(let targets, let r):
            for t in targets {
                guard case .name(let n, _) = t else { throw Diagnostic(.error, "only names can be deleted", range: r) }
                guard scope.variables.removeValue(forKey: n) != nil else {
                    throw Diagnostic(.error, "name '\(n)' is not defined", range: t.range)
                }
            }
            if scope === globals { globalsChanged() }
        case .pass:
            break
        }
    }

    /// The expression that reads a target's current value (for `x += 1`).
    func targetExpression(_ t: Target) -> Expr {
        switch t {
        case .name(let n, let r): return .name(n, r)
        case .attribute(let b, let n, let r): return .attribute(b, n, r)
        case .subscript(let b, let items, let r): return .subscript(b, items, r)
        case .tuple(let ts, let r): return .tuple(ts.map(targetExpression), r)
        case .starred(let inner, _): return targetExpression(inner)
        }
    }

    /// Binds a value to a target: names, tuple unpacking (with `*rest`), attributes of objects.
    public func assign(_ t: Target, _ v: Value, in scope: Scope) throws {
        switch t {
        case .name(let n, _):
            scope.variables[n] = v
            if scope === globals { globalsChanged() }
        case .tuple(let targets, let r):
            let items = try iterate(v, range: r)
            if let star = targets.firstIndex(where: { if case .starred = $0 { return true }; return false }) {
                let after = targets.count - star - 1
                guard items.count >= targets.count - 1 else {
                    throw Diagnostic(.error, "not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))", range: r)
                }
                for i in 0..<star { try assign(targets[i], items[i], in: scope) }
                if case .starred(let inner, _) = targets[star] {
                    try assign(inner, .list(Array(items[star..<(items.count - after)])), in: scope)
                }
                for j in 0..<after { try assign(targets[star + 1 + j], items[items.count - after + j], in: scope) }
                return
            }
            guard items.count == targets.count else {
                throw Diagnostic(.error, items.count > targets.count
                                 ? "too many values to unpack (expected \(targets.count), got \(items.count))"
                                 : "not enough values to unpack (expected \(targets.count), got \(items.count))", range: r)
            }
            for (ti, vi) in zip(targets, items) { try assign(ti, vi, in: scope) }
        case .starred(_, let r):
            throw Diagnostic(.error, "starred assignment target must be in a list or tuple", range: r)
        case .attribute(let base, let name, let r):
            guard case .object(let obj) = try evaluate(base, in: scope) else {
                throw Diagnostic(.error, "cannot set attribute '\(name)' here: only objects such as modules have settable attributes", range: r)
            }
            obj.attributes[.string(name)] = v
            globalsChanged()
        case .subscript(let base, _, let r):
            _ = base
            throw Diagnostic(.error, "item assignment is not supported (tensors are immutable values in Jacobi)", range: r,
                             hint: "build a new tensor instead, e.g. with where(mask, new, x) or cat")
        }
    }
}
