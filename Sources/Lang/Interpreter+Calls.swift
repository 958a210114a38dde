import Tensor
import AD
import NN

extension Interpreter {
    /// Whether a value can be called.
    public func isCallable(_ v: Value) -> Bool {
        switch v {
        case .function: return true
        case .object(let o): return o.call != nil
        case .module: return true
        case .dtype: return false
        default: return false
        }
    }

    /// Calls a callable value with arguments.
    public func call(_ f: Value, _ args: CallArguments, range: SourceRange?) throws -> Value {
        if shouldStop() { throw Interrupted() }
        switch f {
        case .function(let fn): return try callFunction(fn, args, range: range)
        case .module(let m):
            return try callModule(m, args, range: range)
        case .object(let o):
            if let c = o.call { return try callFunction(c, args, range: range) }
            throw Diagnostic(.error, "'\(o.typeName)' object is not callable", range: range)
        case .dtype(let t):
            // torch.float32(x)-style conversion is not PyTorch; explain.
            throw Diagnostic(.error, "'\(t.torchName)' is a dtype, not a function", range: range, hint: "use x.to(\(t.torchName))")
        default:
            throw Diagnostic(.error, "'\(f.typeName)' object is not callable", range: range)
        }
    }

    func callFunction(_ fn: Function, _ args: CallArguments, range: SourceRange?) throws -> Value {
        switch fn.body {
        case .builtin(let b, let receiver):
            var a = args
            if let receiver { a.positional.insert(receiver, at: 0); a.positionalRanges.insert(nil, at: 0) }
            let bound = try registry.bind(b, a, interpreter: self)
            return try wrap(range) { try b.run(bound) }
        case .native(let body):
            var a = args
            a.range = a.range ?? range
            return try wrap(range) { try body(a, self) }
        case .user(let params, let body, let closure):
            let scope = Scope(parent: closure)
            try bindParameters(fn.name, params, args, into: scope, range: range)
            switch body {
            case .expression(let e): return try evaluate(e, in: scope)
            case .statements(let statements):
                do {
                    for s in statements { try execute(s, in: scope) }
                } catch let r as ControlFlow where r.value != nil {
                    return r.value!
                }
                return .none
            }
        }
    }

    func bindParameters(_ name: String, _ params: [Parameter], _ args: CallArguments, into scope: Scope,
                        range: SourceRange?) throws {
        var i = 0
        var given = Set<String>()
        let plain = params.filter { $0.kind == .normal }
        let signature = name + "(" + params.map { p in
            (p.kind == .star ? "*" : p.kind == .doubleStar ? "**" : "") + p.name
        }.joined(separator: ", ") + ")"
        for p in params {
            switch p.kind {
            case .normal:
                if i < args.positional.count {
                    scope.variables[p.name] = args.positional[i]
                    given.insert(p.name)
                    i += 1
                }
            case .star:
                scope.variables[p.name] = .tuple(Array(args.positional.dropFirst(i)))
                i = args.positional.count
            case .doubleStar:
                break
            }
        }
        if i < args.positional.count {
            throw Diagnostic(.error, "\(name)() takes \(plain.count) positional argument(s) but \(args.positional.count) were given",
                             range: range, hint: "signature: \(signature)")
        }
        var extra = OrderedDict()
        for (k, v) in args.keywords {
            if plain.contains(where: { $0.name == k }) {
                guard !given.contains(k) else {
                    throw Diagnostic(.error, "\(name)() got multiple values for argument '\(k)'", range: range)
                }
                scope.variables[k] = v
                given.insert(k)
            } else if params.contains(where: { $0.kind == .doubleStar }) {
                extra[.string(k)] = v
            } else {
                throw Diagnostic(.error, "\(name)() got an unexpected keyword argument '\(k)'", range: range,
                                 hint: "signature: \(signature)")
            }
        }
        if let kw = params.first(where: { $0.kind == .doubleStar }) { scope.variables[kw.name] = .dict(extra) }
        for p in plain where !given.contains(p.name) {
            guard let d = p.defaultValue else {
                throw Diagnostic(.error, "\(name)() missing required argument '\(p.name)'", range: range,
                                 hint: "signature: \(signature)")
            }
            scope.variables[p.name] = try evaluate(d, in: scope.parent ?? globals)
        }
    }
}
