import Tensor
import AD
import NN

/// One evaluated subscript item.
enum EvaluatedItem {
    case value(Value)
    case slice(Int?, Int?, Int?)
}

extension Interpreter {
    func evaluateSubscriptItems(_ items: [SubscriptItem], in scope: Scope) throws -> [EvaluatedItem] {
        try items.map { item in
            switch item {
            case .index(let e): return .value(try evaluate(e, in: scope))
            case .slice(let a, let b, let c, let r):
                func bound(_ e: Expr?) throws -> Int? {
                    guard let e else { return nil }
                    let v = try evaluate(e, in: scope)
                    switch v {
                    case .none: return nil
                    case .int(let i): return i
                    default: throw Diagnostic(.error, "slice indices must be integers or None, not \(v.typeName)", range: r)
                    }
                }
                return .slice(try bound(a), try bound(b), try bound(c))
            }
        }
    }

    /// `base[items]` for tensors, lists, tuples, strings, dicts and shapes.
    func subscriptValue(_ base: Value, _ items: [EvaluatedItem], range: SourceRange) throws -> Value {
        switch base {
        case .tensor(let o):
            let converted = try items.map { item -> IndexItem in
                switch item {
                case .slice(let a, let b, let c): return .slice(start: a, stop: b, step: c)
                case .value(.none): return .newAxis
                case .value(.namespace("Ellipsis")): return .ellipsis
                case .value(.int(let i)): return .index(i)
                case .value(.bool(let b)): return .index(b ? 1 : 0)
                case .value(.slice(let a, let b, let c)): return .slice(start: a, stop: b, step: c)
                case .value(let v):
                    throw Diagnostic(.error, "indexing a tensor with a \(v.typeName) is not supported; use ints, slices, None and ...",
                                     range: range, hint: "for boolean masks use where(mask, x, 0); to pick rows use index_select")
                }
            }
            return .tensor(try wrap(range) { try o.subscripted(converted) })
        case .list(let a), .tuple(let a):
            let isTuple: Bool = { if case .tuple = base { return true }; return false }()
            guard items.count == 1 else { throw Diagnostic(.error, "\(base.typeName) indices must be integers or slices, not tuple", range: range) }
            switch items[0] {
            case .value(.int(let i)):
                let j = i < 0 ? i + a.count : i
                guard j >= 0 && j < a.count else {
                    throw Diagnostic(.error, "\(base.typeName) index \(i) out of range (length \(a.count))", range: range)
                }
                return a[j]
            case .slice(let s, let e, let st), .value(.slice(let s, let e, let st)):
                let picked = try sliceIndices(a.count, s, e, st, range: range).map { a[$0] }
                return isTuple ? .tuple(picked) : .list(picked)
            case .value(let v):
                throw Diagnostic(.error, "\(base.typeName) indices must be integers or slices, not \(v.typeName)", range: range)
            }
        case .shape(let s):
            let r = try subscriptValue(.tuple(s.dims.map { .int($0) }), items, range: range)
            if case .tuple(let xs) = r { return .shape(Shape(xs.map { intValue($0) })) }
            return r
        case .string(let str):
            let chars = str.map { Value.string(String($0)) }
            let r = try subscriptValue(.list(chars), items, range: range)
            if case .list(let xs) = r { return .string(xs.map { self.str($0) }.joined()) }
            return r
        case .dict(let d):
            guard items.count == 1, case .value(let k) = items[0] else {
                throw Diagnostic(.error, "dict lookup takes one key", range: range)
            }
            let key = try dictKey(k, range: range)
            guard let v = d[key] else {
                let names = d.keys.map { "\($0)" }.joined(separator: ", ")
                throw Diagnostic(.error, "key \(key) not found", range: range, hint: "the keys are: \(names)")
            }
            return v
        case .module(let m):
            guard items.count == 1, case .value(.int(let i)) = items[0], m is Sequential else {
                throw Diagnostic(.error, "\(m.typeName) can only be indexed by an integer when it is a Sequential", range: range)
            }
            let j = i < 0 ? i + m.children.count : i
            guard j >= 0 && j < m.children.count else {
                throw Diagnostic(.error, "index \(i) is out of range for a Sequential of \(m.children.count) layers", range: range)
            }
            return .module(m.children[j].1)
        case .object(let obj):
            if let getter = obj.attributes[.string("__getitem__")], case .function = getter {
                guard items.count == 1, case .value(let k) = items[0] else {
                    throw Diagnostic(.error, "\(obj.typeName) takes one index", range: range)
                }
                return try call(getter, CallArguments([k], range: range), range: range)
            }
            throw Diagnostic(.error, "'\(obj.typeName)' object is not subscriptable", range: range)
        default:
            throw Diagnostic(.error, "'\(base.typeName)' object is not subscriptable", range: range)
        }
    }

    func sliceIndices(_ n: Int, _ s: Int?, _ e: Int?, _ st: Int?, range: SourceRange) throws -> [Int] {
        let step = st ?? 1
        guard step != 0 else { throw Diagnostic(.error, "slice step cannot be zero", range: range) }
        func clamp(_ v: Int?, _ def: Int, lo: Int, hi: Int) -> Int {
            guard let v else { return def }
            let w = v < 0 ? v + n : v
            return min(max(w, lo), hi)
        }
        if step > 0 {
            let a = clamp(s, 0, lo: 0, hi: n), b = clamp(e, n, lo: 0, hi: n)
            return Array(stride(from: a, to: b, by: step))
        }
        let a = clamp(s, n - 1, lo: -1, hi: n - 1), b = clamp(e, -1, lo: -1, hi: n - 1)
        return Array(stride(from: a, to: b, by: step))
    }

    // MARK: - Attributes

    /// `base.name`.
    public func attribute(of base: Value, _ name: String, range: SourceRange) throws -> Value {
        switch base {
        case .namespace(let ns):
            let path = ns + "." + name
            if Interpreter.namespacePaths.contains(path) { return .namespace(path) }
            if let v = resolveGlobalName(name) { return v }
            let guess = closestName(name, among: registry.names)
            throw Diagnostic(.error, "\(ns) has no attribute '\(name)' in Jacobi", range: range,
                             hint: guess.map { "did you mean '\($0)'? help() lists every function" } ?? "help() lists every function")
        case .tensor(let o):
            switch name {
            case "shape": return .shape(o.shape)
            case "dtype": return .dtype(o.dtype)
            case "ndim": return .int(o.rank)
            case "T": return .tensor(try wrap(range) { try o.permuted(Array((0..<o.rank).reversed())) })
            case "mT": return .tensor(try wrap(range) { try o.transpose(-2, -1) })
            case "device": return .string("cpu")
            case "requires_grad", "is_cuda": return .bool(false)
            case "data": return base
            default: break
            }
        case .shape(let s):
            switch name {
            case "numel": return .function(Function(name: "numel") { _, _ in .int(s.elementCount) })
            default: break
            }
        case .dtype(let t):
            switch name {
            case "is_floating_point": return .bool(t.isFloatingPoint)
            case "itemsize": return .int(t.byteSize)
            default: break
            }
        case .dict(let d):
            switch name {
            case "keys": return .function(Function(name: "keys") { _, _ in .list(d.keys.map(\.value)) })
            case "values": return .function(Function(name: "values") { _, _ in .list(d.pairs.map { $0.1 }) })
            case "items": return .function(Function(name: "items") { _, _ in .list(d.pairs.map { .tuple([$0.0.value, $0.1]) }) })
            case "get":
                return .function(Function(name: "get") { args, interp in
                    guard let k = args.positional.first else { return .none }
                    return d[try interp.dictKey(k, range: range)] ?? (args.positional.count > 1 ? args.positional[1] : .none)
                })
            default: break
            }
        case .module(let m):
            return try moduleAttribute(m, name, range: range)
        case .object(let obj):
            if let v = obj.attributes[.string(name)] { return v }
            let names = obj.attributes.keys.map { "\($0)" }
            throw Diagnostic(.error, "'\(obj.typeName)' object has no attribute '\(name)'", range: range,
                             hint: closestName(name, among: obj.attributes.keys.compactMap { if case .string(let s) = $0 { return s }; return nil }).map { "did you mean '\($0)'?" }
                                ?? (names.isEmpty ? nil : "its attributes are: \(names.joined(separator: ", "))"))
        default: break
        }
        // Methods: builtins that take the receiver first.
        if let b = registry.byName[name], b.isMethod {
            return .function(Function(name: name, body: .builtin(b, receiver: base)))
        }
        let methods = registry.names.filter { registry.byName[$0]!.isMethod }
        let guess = closestName(name, among: methods)
        throw Diagnostic(.error, "'\(base.typeName)' object has no attribute '\(name)'", range: range,
                         hint: guess.map { "did you mean '\($0)'?" })
    }

    /// Dotted prefixes that name namespaces (all share the same builtins).
    static let namespacePaths: Set<String> = [
        "torch.func", "torch.autograd", "torch.autograd.functional", "torch.linalg", "torch.nn", "torch.nn.functional",
        "jax.numpy", "jax.scipy", "numpy.linalg", "np.linalg", "jnp.linalg", "jax.nn", "torch.special", "jax.lax",
    ]
}
