import CStack
import Tensor
import AD
import NN

extension Interpreter {
    /// Whether a value can be called.
    public func isCallable(_ v: Value) -> Bool {
        if case .instance(let i) = v, i.cls.isUserDefined { return i.cls.lookup("__call__") != nil }
        return v.pyType.slots.call != nil
    }

    /// Calls a callable value: the slot `call` of its class.
    public func call(_ f: Value, _ args: CallArguments, range: SourceRange?) throws -> Value {
        if shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: [], at: range) }
        guard let slot = f.pyType.slots.call else {
            throw PythonError(.TypeError, "'\(f.pyType.name)' object is not callable", at: range,
                              hint: callHint(f))
        }
        var a = args
        if a.range == nil { a.range = range }
        return try slot(self, f, a)
    }

    private func callHint(_ f: Value) -> String? {
        switch f {
        case .dtype(let t): return "\(t.torchName) is a dtype; convert with x.to(\(t.torchName))"
        case .shape: return "x.shape is a torch.Size; x.size() is the method"
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type,
             .instance, .module, .namespace, .slice, .ellipsis:
            return nil
        }
    }

    /// Calls a function object (the `call` slot of functions, builtins and methods).
    func callFunction(_ fn: Function, _ args: CallArguments) throws -> Value {
        switch fn.body {
        case .builtin(let b):
            let traits: BuiltinTraits
            if let known = fn.builtinTraits { traits = known } else { traits = BuiltinTraits(b); fn.builtinTraits = traits }
            let bound = try registry.bind(b, args, interpreter: self)
            let before = Autograd.newestSerial
            var result = try b.run(bound)
            if traits.isView {
                result = try makeViews(b.name, bound, result) { base in
                    var again = bound
                    let slot = b.signature.index(of: "input") ?? b.signature.index(of: "tensor")!
                    again.slots[slot] = Value.tensor(base)
                    return try b.run(again)
                }
            }
            if Autograd.newestSerial > before, traits.namesItsNode,
               let name = traits.gradFnName ?? argumentGradFnName(b.name, bound) {
                rename(result, madeAfter: before, to: name)
            }
            if traits.takesRequiresGrad, try bound.bool("requires_grad"), case .tensor(let h) = result {
                try setRequiresGrad(h, true, factory: true)
            }
            return result
        case .native(let body):
            return try body(args, self)
        case .bound(let callee, let receiver):
            return try call(callee, args.prepending(receiver), range: args.range)
        case .user(let code):
            return try callUser(fn, code, args)
        }
    }

    /// Runs a `def` or `lambda`: binds the arguments in a new scope over the closure and runs the
    /// body in the function's own source text.
    func callUser(_ fn: Function, _ code: UserFunction, _ args: CallArguments) throws -> Value {
        let values = try code.signature.bind(args)
        let scope = Scope(parent: code.closure, kind: .function)
        for (p, v) in zip(code.signature.parameters, values) { scope.variables[p.name] = v }
        if let owner = code.ownerClass {
            scope.ownerClass = owner
            scope.firstArgument = values.first
        }
        callDepth += 1
        let savedSource = currentSource, savedScope = currentScope
        currentSource = code.source
        currentScope = scope
        defer { callDepth -= 1; currentSource = savedSource; currentScope = savedScope }
        if callDepth > recursionLimit {
            throw PythonError(.RecursionError, "maximum recursion depth exceeded", at: args.range,
                              hint: "sys.setrecursionlimit(n) raises the limit of \(recursionLimit)")
        }
        if jc_stack_remaining() < Self.nativeStackReserve {
            throw PythonError(.RecursionError, "maximum recursion depth exceeded (the native stack is used up at depth \(callDepth))",
                              at: args.range, hint: "recurse less deeply, or turn the recursion into a loop")
        }
        switch code.code {
        case .expression(let e):
            return try evaluate(e, in: scope)
        case .statements(let body):
            switch try execute(body, in: scope) {
            case .returned(let v): return v
            case .normal, .breakLoop, .continueLoop: return .none
            }
        }
    }

    /// Native stack kept free below the deepest Python call: enough for the builtins, printing
    /// and error handling that run beneath it.
    static let nativeStackReserve = 1 << 20

    /// A function object for a `def`, with its defaults evaluated now.
    func makeFunction(_ d: FunctionDefinition, in scope: Scope) throws -> Function {
        let qualname = scope.kind == .classBody ? "\(scope.variables["__qualname__"].flatMap { if case .string(let s) = $0 { return s }; return nil } ?? "").\(d.name)" : d.name
        let sig = try signature(qualname, d.parameters, in: scope)
        let code = UserFunction(parameters: d.parameters, signature: sig, code: .statements(d.body),
                                closure: scope.closureForDefinitions, source: currentSource, range: d.headerRange,
                                docstring: d.docstring)
        let f = Function(name: d.name, qualname: qualname, body: .user(code))
        f.attributes["__doc__"] = d.docstring.map { .string($0) } ?? Value.none
        return f
    }

    /// The binder's signature for user parameters, defaults evaluated in `scope`.
    func signature(_ name: String, _ params: [Parameter], in scope: Scope) throws -> Signature {
        try Signature(name: name, parameters: params.map { p in
            let kind: Signature.Kind
            switch p.kind {
            case .normal: kind = .positionalOrKeyword
            case .positionalOnly: kind = .positionalOnly
            case .keywordOnly: kind = .keywordOnly
            case .star: kind = .varPositional
            case .doubleStar: kind = .varKeyword
            }
            return Signature.Parameter(name: p.name, kind: kind, defaultValue: try p.defaultValue.map { try evaluate($0, in: scope) },
                                       defaultText: p.defaultValue?.description)
        })
    }

    /// A native function taking bound arguments, for methods of builtin objects.
    func native(_ name: String, _ params: [String], _ body: @escaping (BoundArguments) throws -> Value) -> Value {
        .function(Function(name: name, signature: Signature(name: name, spec: params), body: body))
    }

    // MARK: - Attribute binding

    /// An attribute found in a class dictionary, as seen through an object: functions become
    /// bound methods, `staticmethod`s their function, `classmethod`s bound to the class,
    /// `property`s their getter's result.
    func bindAttribute(_ attr: Value, to object: Value, cls: TypeObject, name: String) throws -> Value {
        switch attr {
        case .function(let f):
            if case .bound = f.body { return attr }
            return .function(Function.bound(attr, to: object, name: f.name))
        case .instance(let i):
            switch i.payload {
            case let p as PropertyPayload:
                guard let getter = p.getter else {
                    throw PythonError(.AttributeError, "property '\(name)' of '\(cls.name)' object has no getter")
                }
                return try call(getter, CallArguments([object]), range: nil)
            case let s as StaticMethodPayload:
                return s.function
            case let c as ClassMethodPayload:
                return .function(Function.bound(c.function, to: .type(cls), name: name))
            default:
                return attr
            }
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .type, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            return attr
        }
    }

    /// `super()` inside a method: the defining class and the method's first argument.
    func makeSuper(in scope: Scope, range: SourceRange?) throws -> Value {
        var s: Scope? = scope
        while let c = s, c.ownerClass == nil { s = c.parent }
        guard let owner = s?.ownerClass, let object = s?.firstArgument else {
            throw PythonError(.RuntimeError, "super(): no arguments", at: range,
                              hint: "super() works inside a method of a class; elsewhere write super(Class, obj)")
        }
        return superObject(after: owner, object)
    }

    /// The `super` object that finds attributes in the classes after `cls` in `object`'s MRO.
    func superObject(after cls: TypeObject, _ object: Value) -> Value {
        .instance(Instance(cls: BuiltinTypes.superType, payload: SuperPayload(after: cls, object: object)))
    }
}

/// `staticmethod(f)`.
struct StaticMethodPayload { let function: Value }
/// `classmethod(f)`.
struct ClassMethodPayload { let function: Value }
