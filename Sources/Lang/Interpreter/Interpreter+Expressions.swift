import Tensor
import AD
import NN

extension Interpreter {
    /// Evaluates an expression in a scope. An error raised inside is given the place of the
    /// innermost expression that was being evaluated.
    public func evaluate(_ e: Expr, in scope: Scope) throws -> Value {
        do {
            return try evaluateUnplaced(e, in: scope)
        } catch let error as PythonError {
            throw error.placed(e.range, currentSource)
        } catch {
            throw pythonError(from: error).placed(e.range, currentSource)
        }
    }

    private func evaluateUnplaced(_ e: Expr, in scope: Scope) throws -> Value {
        switch e {
        case .int(let i, _): return .int(i)
        case .bigInt(let b, _): return .bigInt(b)
        case .float(let d, _): return .float(d)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .none: return .none
        case .ellipsis: return .ellipsis
        case .fstring(let parts, _): return .string(try formatFString(parts, in: scope))
        case .name(let n, let r): return try lookup(n, in: scope, range: r)
        case .attribute(let base, let name, let r):
            return try getAttribute(try evaluate(base, in: scope), name, range: r)
        case .call(let callee, let args, let r):
            if case .name("super", _) = callee, args.isEmpty, scope.lookup("super") == nil {
                return try makeSuper(in: scope, range: r)
            }
            let f = try evaluate(callee, in: scope)
            return try call(f, try evaluateArguments(args, in: scope, range: r), range: r)
        case .subscript(let base, let items, let r):
            let b = try evaluate(base, in: scope)
            return try getItem(b, try subscriptKey(items, in: scope), range: r)
        case .unary(let op, let x, let r):
            let v = try evaluate(x, in: scope)
            if op == .not { return .bool(!(try truthy(v, range: r))) }
            return try unaryOperation(op, v, range: r)
        case .binary(let op, let a, let b, let r):
            let x = try evaluate(a, in: scope), y = try evaluate(b, in: scope)
            return try binaryOperation(op, x, y, range: r)
        case .compare(let first, let rest, let r):
            var left = try evaluate(first, in: scope)
            var result: Value = .bool(true)
            for (op, rhs) in rest {
                let right = try evaluate(rhs, in: scope)
                let c = try comparison(op, left, right, range: r)
                if rest.count == 1 { return c }
                guard try truthy(c, range: r) else { return c }
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
        case .lambda(let params, let body, let r):
            let sig = try signature("<lambda>", params, in: scope)
            let code = UserFunction(parameters: params, signature: sig, code: .expression(body), closure: scope.closureForDefinitions,
                                    source: currentSource, range: r, docstring: nil)
            return .function(Function(name: "<lambda>", qualname: "<lambda>", body: .user(code)))
        case .list(let items, _):
            return .list(try displayItems(items, in: scope))
        case .tuple(let items, _):
            return .tuple(try displayItems(items, in: scope))
        case .set(let items, _):
            let s = SetObject()
            for v in try displayItems(items, in: scope) { s.insert(try HashKey(v)) }
            return .set(s)
        case .starred(_, let r):
            throw PythonError(.SyntaxError, "can't use starred expression here", at: r)
        case .dict(let items, _):
            let d = DictObject()
            for item in items {
                switch item {
                case .pair(let k, let v):
                    let key = try evaluate(k, in: scope)
                    d[try HashKey(key)] = try evaluate(v, in: scope)
                case .unpack(let m):
                    let mapping = try evaluate(m, in: scope)
                    for (k, v) in try mappingPairs(mapping, range: m.range) { d[try HashKey(k)] = v }
                }
            }
            return .dict(d)
        case .listComprehension(let element, let clauses, _):
            var results: [Value] = []
            try comprehension(clauses, in: scope) { inner in results.append(try self.evaluate(element, in: inner)) }
            return .list(results)
        case .setComprehension(let element, let clauses, _):
            let s = SetObject()
            try comprehension(clauses, in: scope) { inner in s.insert(try HashKey(try self.evaluate(element, in: inner))) }
            return .set(s)
        case .dictComprehension(let key, let value, let clauses, _):
            let d = DictObject()
            try comprehension(clauses, in: scope) { inner in
                let k = try self.evaluate(key, in: inner)
                d[try HashKey(k)] = try self.evaluate(value, in: inner)
            }
            return .dict(d)
        case .generator(let element, let clauses, _):
            return makeIterator(try generator(element, clauses, in: scope), typeName: "generator")
        }
    }

    // MARK: - Names

    /// A name: local and enclosing scopes, globals, Python's builtins, then Jacobi's torch
    /// builtins, namespaces and constants.
    func lookup(_ n: String, in scope: Scope, range: SourceRange?) throws -> Value {
        noteTracedRead(n)
        if let v = scope.lookup(n) { return v }
        if let v = pythonBuiltins[n] { return v }
        if let v = resolveGlobalName(n) { return v }
        if namesDeletedByReset.contains(n) {
            throw PythonError(.NameError, "name '\(n)' is not defined", at: range,
                              hint: "'\(n)' was deleted by :reset; define it again")
        }
        let guess = closestName(n, among: Array(allVisibleNames(scope)))
        throw PythonError(.NameError, "name '\(n)' is not defined", at: range,
                          hint: guess.map { "did you mean '\($0)'?" } ?? "define it first, e.g. \(n) = ...; :vars lists your variables")
    }

    /// A name that is not a variable or a Python builtin: a torch builtin, a namespace (`torch`,
    /// `F`), a dtype or a constant.
    func resolveGlobalName(_ n: String) -> Value? {
        if let f = registry.function(n) { return .function(f) }
        if let m = shorthandNamespace(n) { return .namespace(m) }
        switch n {
        case "float32": return .dtype(.float32)
        case "float64", "double": return .dtype(.float64)
        case "int64", "long": return .dtype(.int64)
        case "float16", "half", "bfloat16", "int32", "int16", "int8", "uint8": return parseDType(n).map(Value.dtype)
        case "pi": return .float(Double.pi)
        case "e": return .float(2.718281828459045)
        case "inf": return .float(.infinity)
        case "nan": return .float(.nan)
        default: return nil
        }
    }

    func allVisibleNames(_ scope: Scope) -> Set<String> {
        var names = Set(registry.names)
        names.formUnion(pythonBuiltins.keys)
        var s: Scope? = scope
        while let c = s { names.formUnion(c.variables.keys); s = c.parent }
        return names
    }

    // MARK: - Calls

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
                for v in try collect(try evaluate(e, in: scope), range: e.range) {
                    out.positional.append(v); out.positionalRanges.append(e.range)
                }
            case .doubleStar(let e):
                for (k, v) in try mappingPairs(try evaluate(e, in: scope), range: e.range) {
                    guard case .string(let s) = k else {
                        throw PythonError(.TypeError, "keywords must be strings", at: e.range)
                    }
                    out.keywords.append((s, v))
                }
            }
        }
        return out
    }

    /// The key/value pairs of a mapping (`**m`, `dict(m)`): a dict, or an object with `keys()`.
    func mappingPairs(_ v: Value, range: SourceRange?) throws -> [(Value, Value)] {
        if case .dict(let d) = v { return d.pairs }
        guard let keys = try getAttributeIfPresent(v, "keys") else {
            throw PythonError(.TypeError, "'\(v.pyType.name)' object is not a mapping", at: range)
        }
        return try collect(try call(keys, CallArguments([], range: range), range: range), range: range).map {
            ($0, try getItem(v, $0, range: range))
        }
    }

    /// Pairs from a mapping, or from an iterable of `(key, value)` pairs (`ModuleDict`, `dict`).
    func mappingPairsOrList(_ v: Value, range: SourceRange?) throws -> [(Value, Value)] {
        if case .dict(let d) = v { return d.pairs }
        return try collect(v, range: range).map { pair in
            let kv = try collect(pair, range: range)
            guard kv.count == 2 else { throw PythonError(.ValueError, "expected (key, value) pairs", at: range) }
            return (kv[0], kv[1])
        }
    }

    // MARK: - Displays and comprehensions

    /// Items of a list, tuple or set display, with `*xs` unpacked.
    private func displayItems(_ items: [Expr], in scope: Scope) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items {
            if case .starred(let inner, let r) = item {
                out += try collect(try evaluate(inner, in: scope), range: r)
            } else {
                out.append(try evaluate(item, in: scope))
            }
        }
        return out
    }

    /// Runs `body` for every binding of a comprehension's clauses, in a scope of its own.
    private func comprehension(_ clauses: [ComprehensionClause], in scope: Scope, _ body: (Scope) throws -> Void) throws {
        let inner = Scope(parent: scope, kind: .comprehension)
        func loop(_ i: Int) throws {
            if i == clauses.count { try body(inner); return }
            let clause = clauses[i]
            let it = try iterator(try evaluate(clause.iterable, in: i == 0 ? scope : inner), range: clause.iterable.range)
            while let item = try it.next() {
                if shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: []) }
                try assign(clause.target, item, in: inner)
                var keep = true
                for c in clause.conditions where !(try truthy(try evaluate(c, in: inner), range: c.range)) { keep = false; break }
                if keep { try loop(i + 1) }
            }
        }
        try loop(0)
    }

    /// A generator expression: a lazy iterator over the comprehension's bindings. The first
    /// iterable is evaluated at once, as in Python.
    private func generator(_ element: Expr, _ clauses: [ComprehensionClause], in scope: Scope) throws -> PyIterator {
        let inner = Scope(parent: scope, kind: .comprehension)
        var iterators: [PyIterator] = [try iterator(try evaluate(clauses[0].iterable, in: scope), range: clauses[0].iterable.range)]
        return PyIterator { [unowned self] in
            while !iterators.isEmpty {
                let level = iterators.count - 1
                guard let item = try iterators[level].next() else { iterators.removeLast(); continue }
                let clause = clauses[level]
                try self.assign(clause.target, item, in: inner)
                var keep = true
                for c in clause.conditions where !(try self.truthy(try self.evaluate(c, in: inner), range: c.range)) { keep = false; break }
                if !keep { continue }
                if level + 1 < clauses.count {
                    let next = clauses[level + 1]
                    iterators.append(try self.iterator(try self.evaluate(next.iterable, in: inner), range: next.iterable.range))
                    continue
                }
                return try self.evaluate(element, in: inner)
            }
            return nil
        }
    }

    // MARK: - Subscripts

    /// The key of `base[items]`: one item as itself, several as a tuple; slices as slice objects.
    func subscriptKey(_ items: [SubscriptItem], in scope: Scope) throws -> Value {
        let values = try items.map { item -> Value in
            switch item {
            case .index(let e): return try evaluate(e, in: scope)
            case .slice(let a, let b, let c, let r):
                func bound(_ e: Expr?) throws -> Int? {
                    guard let e else { return nil }
                    let v = try evaluate(e, in: scope)
                    if case .none = v { return nil }
                    guard let i = try indexValue(v) else {
                        throw PythonError(.TypeError, "slice indices must be integers or None or have an __index__ method", at: r)
                    }
                    return i
                }
                return .slice(try bound(a), try bound(b), try bound(c))
            }
        }
        return values.count == 1 ? values[0] : .tuple(values)
    }

    /// An integer from an index-like value (`int`, `bool`, an integer tensor with one element),
    /// or nil when it is not one.
    func indexValue(_ v: Value) throws -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigInt:
            throw PythonError(.IndexError, "cannot fit 'int' into an index-sized integer")
        case .tensor(let h) where !h.dtype.isFloatingPoint && h.shape.elementCount == 1:
            return Int(try h.value.requireConcrete("an index").scalarValue!)
        case .none, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            return nil
        }
    }
}

extension Interpreter {
    /// Names available without a definition: Python's builtins, the torch builtins, and the
    /// short module names (`torch`, `nn`, `F`, ...), for completion.
    public var globalNames: [String] {
        Array(pythonBuiltins.keys) + registry.names + ["torch", "functorch", "jax", "jnp", "np", "numpy", "F", "nn", "linalg", "func"]
    }

    /// A global name's value when no variable has it (a builtin or a module), or nil.
    public func resolveName(_ n: String) -> Value? {
        pythonBuiltins[n] ?? resolveGlobalName(n)
    }
}
