import Tensor
import AD
import NN

/// How a statement ended: normally, or by `return`, `break` or `continue`, which the enclosing
/// function or loop acts on. Exceptions are thrown (`PythonError`); control flow is not.
public enum Completion {
    case normal
    case returned(Value)
    case breakLoop
    case continueLoop
}

extension Interpreter {
    /// Executes statements in order until one does not complete normally.
    func execute(_ body: [Statement], in scope: Scope) throws -> Completion {
        for s in body {
            let c = try execute(s, in: scope)
            if case .normal = c { continue }
            return c
        }
        return .normal
    }

    /// Executes one statement in a scope.
    public func execute(_ s: Statement, in scope: Scope) throws -> Completion {
        if shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: []) }
        do {
            return try executeUnplaced(s, in: scope)
        } catch let e as PythonError {
            throw e.placed(s.range, currentSource)
        } catch {
            throw pythonError(from: error).placed(s.range, currentSource)
        }
    }

    private func executeUnplaced(_ s: Statement, in scope: Scope) throws -> Completion {
        switch s {
        case .expression(let e):
            echoInBlock(try evaluate(e, in: scope), in: scope)
        case .assign(let targets, let e, _):
            let v = try evaluate(e, in: scope)
            for t in targets { try assign(t, v, in: scope) }
        case .augmentedAssign(let target, let op, let e, let r):
            try augmentedAssign(target, op, e, range: r, in: scope)
        case .annotatedAssign(let target, let annotation, let value, _):
            if scope.kind != .function { _ = try? evaluate(annotation, in: scope) }
            if let value { try assign(target, try evaluate(value, in: scope), in: scope) }
        case .functionDef(let d):
            var f = Value.function(try makeFunction(d, in: scope))
            for dec in d.decorators.reversed() {
                f = try call(try evaluate(dec, in: scope), CallArguments([f], range: d.range), range: dec.range)
            }
            try bind(d.name, f, in: scope)
        case .classDef(let d):
            var c = Value.type(try makeClass(d, in: scope))
            for dec in d.decorators.reversed() {
                c = try call(try evaluate(dec, in: scope), CallArguments([c], range: d.range), range: dec.range)
            }
            try bind(d.name, c, in: scope)
        case .return(let e, _):
            return .returned(try e.map { try evaluate($0, in: scope) } ?? .none)
        case .for(let target, let iterable, let body, let otherwise, let r):
            let it = try iterator(try evaluate(iterable, in: scope), range: iterable.range)
            while let item = try it.next() {
                if shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: [], at: r) }
                try assign(target, item, in: scope)
                switch try execute(body, in: scope) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                }
            }
            if let otherwise { return try execute(otherwise, in: scope) }
        case .while(let condition, let body, let otherwise, let r):
            while try truthy(try evaluate(condition, in: scope), range: condition.range) {
                if shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: [], at: r) }
                switch try execute(body, in: scope) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned(let v): return .returned(v)
                }
            }
            if let otherwise { return try execute(otherwise, in: scope) }
        case .break:
            return .breakLoop
        case .continue:
            return .continueLoop
        case .if(let branches, let otherwise, _):
            for (cond, body) in branches where try truthy(try evaluate(cond, in: scope), range: cond.range) {
                return try execute(body, in: scope)
            }
            if let otherwise { return try execute(otherwise, in: scope) }
        case .try(let body, let handlers, let otherwise, let finally, _):
            return try executeTry(body, handlers, otherwise, finally, in: scope)
        case .raise(let e, let cause, let r):
            throw try raised(e, cause: cause, range: r, in: scope)
        case .with(let items, let body, _):
            return try executeWith(items[...], body, in: scope)
        case .assert(let condition, let message, let r):
            if try !truthy(try evaluate(condition, in: scope), range: condition.range) {
                let args = try message.map { [try evaluate($0, in: scope)] } ?? []
                throw PythonError(.AssertionError, arguments: args, at: r)
            }
        case .global(let names, let r):
            guard scope.kind != .module else { return .normal }
            for n in names {
                if scope.variables[n] != nil {
                    throw PythonError(.SyntaxError, "name '\(n)' is assigned to before global declaration", at: r)
                }
                scope.declaredGlobal.insert(n)
            }
        case .nonlocal(let names, let r):
            for n in names {
                guard scope.nonlocalOwner(of: n) != nil else {
                    throw PythonError(.SyntaxError, "no binding for nonlocal '\(n)' found", at: r)
                }
                scope.declaredNonlocal.insert(n)
            }
        case .import(let module, let alias, let names, let r):
            try executeImport(module, alias: alias, names: names, range: r, in: scope)
        case .del(let targets, _):
            for t in targets { try delete(t, in: scope) }
        case .pass:
            break
        }
        return .normal
    }

    // MARK: - Assignment

    /// Binds a name in the scope that owns it (`global` and `nonlocal` declarations honoured).
    func bind(_ name: String, _ v: Value, in scope: Scope) throws {
        if scope.declaredGlobal.contains(name) {
            globals.variables[name] = v
            globalRebound(name)
            return
        }
        if scope.declaredNonlocal.contains(name), let owner = scope.nonlocalOwner(of: name) {
            owner.variables[name] = v
            return
        }
        scope.variables[name] = v
        if scope === globals { globalRebound(name) }
    }

    /// Binds a value to a target: names, tuple unpacking (with `*rest`), attributes, items.
    public func assign(_ t: Target, _ v: Value, in scope: Scope) throws {
        switch t {
        case .name(let n, _):
            try bind(n, v, in: scope)
        case .tuple(let targets, let r):
            let items = try collect(v, range: r)
            if let star = targets.firstIndex(where: { if case .starred = $0 { return true }; return false }) {
                let after = targets.count - star - 1
                guard items.count >= targets.count - 1 else {
                    throw PythonError(.ValueError, "not enough values to unpack (expected at least \(targets.count - 1), got \(items.count))", at: r)
                }
                for i in 0..<star { try assign(targets[i], items[i], in: scope) }
                if case .starred(let inner, _) = targets[star] {
                    try assign(inner, .list(Array(items[star..<(items.count - after)])), in: scope)
                }
                for j in 0..<after { try assign(targets[star + 1 + j], items[items.count - after + j], in: scope) }
                return
            }
            guard items.count == targets.count else {
                throw PythonError(.ValueError, items.count > targets.count
                                  ? "too many values to unpack (expected \(targets.count))"
                                  : "not enough values to unpack (expected \(targets.count), got \(items.count))", at: r)
            }
            for (ti, vi) in zip(targets, items) { try assign(ti, vi, in: scope) }
        case .starred(_, let r):
            throw PythonError(.SyntaxError, "starred assignment target must be in a list or tuple", at: r)
        case .attribute(let base, let name, let r):
            try setAttribute(try evaluate(base, in: scope), name, v, range: r)
        case .subscript(let base, let items, let r):
            let b = try evaluate(base, in: scope)
            try setItem(b, try subscriptKey(items, in: scope), v, range: r)
        }
    }

    /// `target op= value`: in place when the object supports it (`xs += ys` extends the list),
    /// otherwise `target = target op value`. The target's parts are evaluated once.
    func augmentedAssign(_ target: Target, _ op: BinaryOperator, _ e: Expr, range r: SourceRange, in scope: Scope) throws {
        switch target {
        case .name(let n, let nr):
            let current = try evaluate(.name(n, nr), in: scope)
            let rhs = try evaluate(e, in: scope)
            try bind(n, try inPlaceOperation(op, current, rhs, range: r), in: scope)
        case .attribute(let base, let name, let ar):
            let b = try evaluate(base, in: scope)
            let current = try getAttribute(b, name, range: ar)
            let rhs = try evaluate(e, in: scope)
            try setAttribute(b, name, try inPlaceOperation(op, current, rhs, range: r), range: ar)
        case .subscript(let base, let items, let sr):
            let b = try evaluate(base, in: scope)
            let key = try subscriptKey(items, in: scope)
            let current = try getItem(b, key, range: sr)
            let rhs = try evaluate(e, in: scope)
            try setItem(b, key, try inPlaceOperation(op, current, rhs, range: r), range: sr)
        case .tuple(_, let tr), .starred(_, let tr):
            throw PythonError(.SyntaxError, "invalid target for augmented assignment", at: tr)
        }
    }

    /// `del target`.
    func delete(_ t: Target, in scope: Scope) throws {
        switch t {
        case .name(let n, let r):
            let owner = scope.declaredGlobal.contains(n) ? globals : scope
            guard owner.variables.removeValue(forKey: n) != nil else {
                throw PythonError(.NameError, "name '\(n)' is not defined", at: r)
            }
            if owner === globals { globalRebound(n) }
        case .attribute(let base, let name, let r):
            try setAttribute(try evaluate(base, in: scope), name, nil, range: r)
        case .subscript(let base, let items, let r):
            try setItem(try evaluate(base, in: scope), try subscriptKey(items, in: scope), nil, range: r)
        case .tuple(let targets, _):
            for inner in targets { try delete(inner, in: scope) }
        case .starred(_, let r):
            throw PythonError(.SyntaxError, "cannot delete starred", at: r)
        }
    }

    // MARK: - try, raise, with

    private func executeTry(_ body: [Statement], _ handlers: [ExceptHandler], _ otherwise: [Statement]?,
                            _ finally: [Statement]?, in scope: Scope) throws -> Completion {
        var completion = Completion.normal
        var pending: PythonError?
        do {
            completion = try execute(body, in: scope)
            if case .normal = completion, let otherwise {
                do {
                    completion = try execute(otherwise, in: scope)
                } catch {
                    pending = pythonError(from: error)
                }
            }
        } catch {
            let e = pythonError(from: error)
            pending = e
            for h in handlers where try matches(e, h.type, in: scope) {
                pending = nil
                if let name = h.name { try bind(name, .instance(e.exception), in: scope) }
                handledExceptions.append(e)
                defer {
                    handledExceptions.removeLast()
                    if let name = h.name { scope.variables.removeValue(forKey: name) }
                }
                do {
                    completion = try execute(h.body, in: scope)
                } catch {
                    let inner = pythonError(from: error)
                    if inner.exception !== e.exception, inner.exception.attributes["__context__"] == nil {
                        inner.exception.setAttribute("__context__", .instance(e.exception))
                    }
                    pending = inner
                }
                break
            }
        }
        if let finally {
            let f = try execute(finally, in: scope)
            if case .normal = f {} else { return f }   // return/break in finally wins, as in Python
        }
        if let pending { throw pending }
        return completion
    }

    /// Whether an `except` clause's class (or tuple of classes; nil for a bare `except:`)
    /// matches the exception.
    private func matches(_ e: PythonError, _ typeExpr: Expr?, in scope: Scope) throws -> Bool {
        guard let typeExpr else { return true }
        let spec = try evaluate(typeExpr, in: scope)
        func match(_ v: Value) throws -> Bool {
            switch v {
            case .type(let t):
                guard t.isSubtype(of: BuiltinTypes.exception(.BaseException)) else {
                    throw PythonError(.TypeError, "catching classes that do not inherit from BaseException is not allowed", at: typeExpr.range)
                }
                return e.exception.cls.isSubtype(of: t)
            case .tuple(let items):
                return try items.contains { try match($0) }
            case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .dict, .set, .function, .instance, .module,
                 .namespace, .slice, .shape, .dtype, .ellipsis:
                throw PythonError(.TypeError, "catching classes that do not inherit from BaseException is not allowed", at: typeExpr.range)
            }
        }
        return try match(spec)
    }

    /// The exception `raise [e [from cause]]` raises.
    private func raised(_ e: Expr?, cause: Expr?, range r: SourceRange, in scope: Scope) throws -> PythonError {
        guard let e else {
            guard let current = handledExceptions.last else {
                return PythonError(.RuntimeError, "No active exception to reraise", at: r)
            }
            return current
        }
        var error = PythonError(exception: try exceptionInstance(try evaluate(e, in: scope), range: e.range), at: r)
        error.source = currentSource
        if let cause {
            let c = try evaluate(cause, in: scope)
            let value: Value = c.isNone ? .none : .instance(try exceptionInstance(c, range: cause.range))
            error.exception.setAttribute("__cause__", value)
            error.exception.setAttribute("__suppress_context__", .bool(true))
        }
        if let context = handledExceptions.last, context.exception !== error.exception,
           error.exception.attributes["__context__"] == nil {
            error.exception.setAttribute("__context__", .instance(context.exception))
        }
        return error
    }

    /// An exception object from what follows `raise`: an instance, or a class to instantiate.
    func exceptionInstance(_ v: Value, range: SourceRange?) throws -> Instance {
        let base = BuiltinTypes.exception(.BaseException)
        switch v {
        case .instance(let i) where i.cls.isSubtype(of: base):
            return i
        case .type(let t) where t.isSubtype(of: base):
            if case .instance(let i) = try call(v, CallArguments([], range: range), range: range) { return i }
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type,
             .instance, .module, .namespace, .slice, .shape, .dtype, .ellipsis:
            break
        }
        throw PythonError(.TypeError, "exceptions must derive from BaseException", at: range)
    }

    /// `with a as x, b as y: body`: each manager entered in order and exited in reverse, with the
    /// exception (if any) that ended the block; a manager returning true suppresses it.
    private func executeWith(_ items: ArraySlice<WithItem>, _ body: [Statement], in scope: Scope) throws -> Completion {
        guard let item = items.first else { return try execute(body, in: scope) }
        let manager = try evaluate(item.context, in: scope)
        let entered = try enterContext(manager, range: item.context.range)
        if let target = item.target { try assign(target, entered, in: scope) }
        let completion: Completion
        do {
            completion = try executeWith(items.dropFirst(), body, in: scope)
        } catch {
            let e = pythonError(from: error)
            if try exitContext(manager, e, range: item.context.range) { return .normal }
            throw e
        }
        _ = try exitContext(manager, nil, range: item.context.range)
        return completion
    }
}
