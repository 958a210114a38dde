import Tensor
import AD
import NN

extension Interpreter {
    /// Evaluates an expression in a scope.
    public func evaluate(_ e: Expr, in scope: Scope) throws -> Value {
        switch e {
        case .int(let i, _): return .int(i)
        case .float(let d, _): return .float(d)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .none: return .none
        case .ellipsis: return .namespace("Ellipsis")
        case .name(let n, let r):
            if let v = scope.lookup(n) { return v }
            if let v = resolveGlobalName(n) { return v }
            let candidates = Array(allVisibleNames(scope))
            let guess = closestName(n, among: candidates)
            throw Diagnostic(.error, "name '\(n)' is not defined", range: r,
                             hint: guess.map { "did you mean '\($0)'?" } ?? "define it first, e.g. \(n) = ...; :vars lists your variables")
        case .attribute(let base, let name, let r):
            let b = try evaluate(base, in: scope)
            return try attribute(of: b, name, range: r)
        case .call(let callee, let args, let r):
            let f = try evaluate(callee, in: scope)
            let a = try evaluateArguments(args, in: scope, range: r)
            return try call(f, a, range: r)
        case .subscript(let base, let items, let r):
            let b = try evaluate(base, in: scope)
            return try subscriptValue(b, try evaluateSubscriptItems(items, in: scope), range: r)
        case .unary(let op, let x, let r):
            return try wrap(r) { try self.unaryOperation(op, try self.evaluate(x, in: scope), range: r) }
        case .binary(let op, let a, let b, let r):
            let x = try evaluate(a, in: scope), y = try evaluate(b, in: scope)
            return try wrap(r) { try self.binaryOperation(op, x, y, range: r) }
        case .compare(let first, let rest, let r):
            var left = try evaluate(first, in: scope)
            var result: Value = .bool(true)
            for (op, rhs) in rest {
                let right = try evaluate(rhs, in: scope)
                let c = try wrap(r) { try self.comparison(op, left, right, range: r) }
                if rest.count == 1 { return c }
                guard try truthy(c, range: r) else { return .bool(false) }
                result = c
                left = right
            }
            return result
        case .logical(let op, let a, let b, let r):
            let x = try evaluate(a, in: scope)
            switch op {
            case .and: return try truthy(x, range: r) ? try evaluate(b, in: scope) : x
            case .or: return try truthy(x, range: r) ? x : try evaluate(b, in: scope)
            }
        case .conditional(let then, let condition, let otherwise, let r):
            return try truthy(try evaluate(condition, in: scope), range: r)
                ? try evaluate(then, in: scope) : try evaluate(otherwise, in: scope)
        case .lambda(let params, let body, _):
            return .function(Function(name: "<lambda>", body: .user(parameters: params, body: .expression(body), closure: scope)))
        case .list(let items, _):
            return .list(try items.map { try evaluate($0, in: scope) })
        case .tuple(let items, _):
            return .tuple(try items.map { try evaluate($0, in: scope) })
        case .dict(let pairs, _):
            var d = OrderedDict()
            for (k, v) in pairs {
                let kv = try evaluate(k, in: scope)
                d[try dictKey(kv, range: k.range)] = try evaluate(v, in: scope)
            }
            return .dict(d)
        case .listComprehension(let element, let clauses, _):
            var results: [Value] = []
            let inner = Scope(parent: scope)
            func loop(_ i: Int) throws {
                if i == clauses.count { results.append(try evaluate(element, in: inner)); return }
                let clause = clauses[i]
                for item in try iterate(try evaluate(clause.iterable, in: inner), range: clause.iterable.range) {
                    try assign(clause.target, item, in: inner)
                    var keep = true
                    for c in clause.conditions where !(try truthy(try evaluate(c, in: inner), range: c.range)) { keep = false; break }
                    if keep { try loop(i + 1) }
                }
            }
            try loop(0)
            return .list(results)
        }
    }

    /// Runs `body`, turning tensor-library errors into diagnostics at `range`.
    func wrap<T>(_ range: SourceRange?, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as TensorError {
            throw Diagnostic(.error, e.message, range: range, hint: e.hint)
        }
    }

    func evaluateArguments(_ args: [Argument], in scope: Scope, range: SourceRange) throws -> CallArguments {
        var out = CallArguments([], range: range)
        for a in args {
            switch a {
            case .positional(let e):
                out.positional.append(try evaluate(e, in: scope))
                out.positionalRanges.append(e.range)
            case .keyword(let k, let e, _):
                out.keywords.append((k, try evaluate(e, in: scope)))
            case .star(let e):
                for v in try iterate(try evaluate(e, in: scope), range: e.range) {
                    out.positional.append(v); out.positionalRanges.append(e.range)
                }
            case .doubleStar(let e):
                guard case .dict(let d) = try evaluate(e, in: scope) else {
                    throw Diagnostic(.error, "argument after ** must be a dict", range: e.range)
                }
                for (k, v) in d.pairs {
                    guard case .string(let s) = k else { throw Diagnostic(.error, "keywords must be strings", range: e.range) }
                    out.keywords.append((s, v))
                }
            }
        }
        return out
    }

    /// A name that is not a variable: a builtin, a namespace (`torch`), a dtype or a constant.
    func resolveGlobalName(_ n: String) -> Value? {
        if let b = registry.byName[n] { return .function(Function(name: n, body: .builtin(b, receiver: nil))) }
        if Interpreter.namespaces.contains(n) { return .namespace(n) }
        switch n {
        case "float32", "float": return n == "float" ? builtinValue("float") : .dtype(.float32)
        case "float64", "double": return .dtype(.float64)
        case "int64", "long": return .dtype(.int64)
        case "pi": return .float(Double.pi)
        case "e": return .float(2.718281828459045)
        case "inf": return .float(.infinity)
        case "nan": return .float(.nan)
        default: return nil
        }
    }

    func builtinValue(_ n: String) -> Value? {
        registry.byName[n].map { .function(Function(name: n, body: .builtin($0, receiver: nil))) }
    }

    /// Namespaces that pasted PyTorch/JAX code uses; all resolve to the same builtins.
    public static let namespaces: Set<String> = ["torch", "functorch", "jax", "jnp", "np", "numpy", "F", "nn", "linalg", "func"]

    func allVisibleNames(_ scope: Scope) -> Set<String> {
        var names = Set(registry.names)
        var s: Scope? = scope
        while let c = s { names.formUnion(c.variables.keys); s = c.parent }
        return names
    }

    // MARK: - Truthiness and iteration

    /// Python truthiness; a tensor must have one element and be concrete.
    public func truthy(_ v: Value, range: SourceRange?) throws -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let a), .tuple(let a): return !a.isEmpty
        case .dict(let d): return d.count > 0
        case .shape(let s): return s.rank > 0
        case .tensor(let o):
            let t = try wrap(range) { try o.requireConcrete("using a tensor as a condition (if/and/or/not)") }
            guard t.elementCount == 1 else {
                throw Diagnostic(.error, "the truth value of a tensor with \(t.elementCount) elements (shape \(t.shape)) is ambiguous",
                                 range: range, hint: "use .any() or .all(), or where(cond, a, b) for elementwise choice")
            }
            return t.scalarValue! != 0
        case .function, .dtype, .namespace, .slice, .object, .module: return true
        }
    }

    /// The items of an iterable value (lists, tuples, dicts' keys, strings, shapes, tensors along dim 0).
    public func iterate(_ v: Value, range: SourceRange?) throws -> [Value] {
        switch v {
        case .list(let a), .tuple(let a): return a
        case .dict(let d): return d.keys.map(\.value)
        case .string(let s): return s.map { .string(String($0)) }
        case .shape(let s): return s.dims.map { .int($0) }
        case .module(let m) where m is Sequential: return m.children.map { .module($0.1) }
        case .tensor(let o):
            guard o.rank > 0 else { throw Diagnostic(.error, "iteration over a 0-d tensor", range: range) }
            return try wrap(range) { try (0..<o.shape[0]).map { .tensor(try o.subscripted([.index($0)])) } }
        default:
            throw Diagnostic(.error, "'\(v.typeName)' object is not iterable", range: range)
        }
    }

    func dictKey(_ v: Value, range: SourceRange?) throws -> DictKey {
        switch v {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        default: throw Diagnostic(.error, "dict keys must be strings or ints, not \(v.typeName)", range: range)
        }
    }
}
