import Tensor
import AD
import NN

extension Interpreter {
    /// Runs a `class` statement: evaluates the base, runs the body in the class's namespace and
    /// makes the class, whose slots call the dunder methods the body defined.
    func makeClass(_ d: ClassDefinition, in scope: Scope) throws -> TypeObject {
        let args = try evaluateArguments(d.bases, in: scope, range: d.range)
        for (k, _) in args.keywords where k != "metaclass" {
            throw PythonError(.TypeError, "class keyword argument '\(k)' is not supported", at: d.range)
        }
        let bases = try args.positional.map { v -> TypeObject in
            guard case .type(let t) = v else {
                throw PythonError(.TypeError, "bases must be classes, not '\(v.pyType.name)'", at: d.range)
            }
            return t
        }
        let meaningful = bases.filter { $0 !== BuiltinTypes.object }
        guard meaningful.count <= 1 else {
            throw PythonError(.TypeError, "multiple inheritance is not supported in Jacobi (\(meaningful.map(\.name).joined(separator: ", ")))",
                              at: d.range, hint: "derive from one class and hold the others as attributes")
        }
        let base = meaningful.first ?? BuiltinTypes.object
        guard base.isUserDefined || BuiltinTypes.subclassable(base) else {
            throw PythonError(.TypeError, "subclassing '\(base.name)' is not supported in Jacobi", at: d.range,
                              hint: "derive from object, nn.Module or an exception class")
        }
        let cls = TypeObject(name: d.name, moduleName: "__main__", base: base, slots: BuiltinTypes.userClassSlots(inheriting: base.slots),
                             isUserDefined: true, doc: d.docstring)
        let body = Scope(parent: scope, kind: .classBody)
        body.variables["__qualname__"] = .string(d.name)
        body.variables["__module__"] = .string("__main__")
        switch try execute(d.body, in: body) {
        case .normal: break
        case .returned, .breakLoop, .continueLoop:
            throw PythonError(.SyntaxError, "'return' outside function", at: d.range)
        }
        for name in body.variables.keys.sorted() where name != "__qualname__" {
            let v = body.variables[name]!
            cls.setAttribute(name, v)
            adopt(v, by: cls)
        }
        cls.setAttribute("__doc__", d.docstring.map { .string($0) } ?? Value.none)
        return cls
    }

    /// Records the class that defined a method (what zero-argument `super()` starts from).
    private func adopt(_ v: Value, by cls: TypeObject) {
        switch v {
        case .function(let f):
            if case .user(let code) = f.body, code.ownerClass == nil { code.ownerClass = cls }
        case .instance(let i):
            switch i.payload {
            case let p as PropertyPayload:
                for g in [p.getter, p.setter, p.deleter].compactMap({ $0 }) { adopt(g, by: cls) }
            case let s as StaticMethodPayload: adopt(s.function, by: cls)
            case let c as ClassMethodPayload: adopt(c.function, by: cls)
            default: break
            }
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .type, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            break
        }
    }

    /// Calls a class: builtin classes construct their value; a user class makes an object with
    /// its base's layout (a module for `nn.Module` subclasses, an exception for exception
    /// classes, a plain object otherwise) and runs `__init__`.
    func instantiate(_ cls: TypeObject, _ args: CallArguments) throws -> Value {
        if !cls.isUserDefined {
            guard let construct = cls.construct else {
                throw PythonError(.TypeError, "cannot create '\(cls.qualifiedName)' instances", at: args.range)
            }
            return try construct(self, cls, args)
        }
        let layout = cls.layout!
        let object: Value
        if layout === BuiltinTypes.nnModule {
            object = .module(UserModule(cls: cls, interpreter: self))
        } else if layout.isSubtype(of: BuiltinTypes.exception(.BaseException)) {
            object = .instance(Instance(cls: cls, attributes: ["args": .tuple(args.positional)]))
        } else {
            object = .instance(Instance(cls: cls))
        }
        if let initializer = cls.lookup("__init__"), cls.owner(of: "__init__")!.isUserDefined || layout !== BuiltinTypes.object {
            let result = try call(try bindAttribute(initializer, to: object, cls: cls, name: "__init__"), args, range: args.range)
            guard case .none = result else {
                throw PythonError(.TypeError, "__init__() should return None, not '\(result.pyType.name)'", at: args.range)
            }
        } else if !args.positional.isEmpty || !args.keywords.isEmpty {
            throw PythonError(.TypeError, "\(cls.name)() takes no arguments", at: args.range)
        }
        return object
    }

    /// Calls a dunder method of a user class on `object`, if the class (not a builtin base) defines it.
    func callDunder(_ object: Value, _ name: String, _ args: [Value], range: SourceRange? = nil) throws -> Value? {
        let cls = object.pyType
        guard let owner = cls.owner(of: name), owner.isUserDefined, let method = owner.attributes[name] else { return nil }
        let bound = try bindAttribute(method, to: object, cls: cls, name: name)
        return try call(bound, CallArguments(args, range: range), range: range)
    }

    /// Whether a user class defines a dunder method (not counting builtin bases).
    func definesDunder(_ cls: TypeObject, _ name: String) -> Bool {
        cls.owner(of: name)?.isUserDefined ?? false
    }
}

/// An instance of a user class that derives from `nn.Module`: a real module (parameters and
/// children registered in assignment order, so printing, `named_parameters`, `state_dict`,
/// `functional_call` and every transform work on it as on `Sequential`), plus the object's
/// other attributes. Calling it runs the class's `forward`.
final class UserModule: Module {
    /// The user's class.
    let cls: TypeObject
    /// Attributes that are neither parameters nor children.
    var attributes: [String: Value] = [:]
    /// Set by `nn.Module.__init__`; registering a parameter or child before it is PyTorch's error.
    var initialized = false
    unowned let interpreter: Interpreter

    init(cls: TypeObject, interpreter: Interpreter) {
        self.cls = cls
        self.interpreter = interpreter
        super.init(typeName: cls.name)
    }

    override func forward(_ inputs: [Operand]) throws -> Operand {
        let out = try interpreter.callModule(self, CallArguments(inputs.map { Value.tensor($0) }))
        guard case .tensor(let h) = out else {
            throw PythonError(.TypeError, "\(cls.name).forward returned \(out.pyType.name) where a tensor was expected (inside a container)")
        }
        return h.value
    }

    override var extraRepr: String {
        guard let r = try? interpreter.callDunder(.module(self), "extra_repr", []), case .string(let s) = r else { return "" }
        return s
    }

    override func deepCopy() -> Module {
        let m = UserModule(cls: cls, interpreter: interpreter)
        copyState(into: m)
        m.initialized = initialized
        var memo: [ObjectIdentifier: Value] = [:]
        m.attributes = attributes.mapValues { (try? interpreter.deepCopy($0, memo: &memo)) ?? $0 }
        return m
    }
}
