import Tensor
import AD
import NN
import BigInt

// `object`, `type`, `NoneType`, `NotImplemented`, `Ellipsis`, `slice`, `module`, iterators,
// `property`/`staticmethod`/`classmethod`/`super`, and the slots of user classes.

// MARK: - object

func makeObjectType() -> TypeObject {
    var s = Slots()
    s.getAttribute = { interp, v, name in
        guard case .instance(let i) = v else { return nil }
        switch name {
        case "__class__": return .type(i.cls)
        case "__dict__":
            return .dict(DictObject(strings: i.attributeOrder.map { ($0, i.attributes[$0]!) }))
        default: return i.attributes[name]
        }
    }
    s.setAttribute = { _, v, name, value in
        guard case .instance(let i) = v, i.cls.isUserDefined else {
            throw PythonError(.AttributeError, "'\(v.pyType.name)' object has no attribute '\(name)'")
        }
        if value == nil && i.attributes[name] == nil {
            throw PythonError(.AttributeError, "'\(i.cls.name)' object has no attribute '\(name)'")
        }
        i.setAttribute(name, value)
    }
    s.repr = { interp, v in interp.defaultRepr(v) }
    s.attributeNames = { _, v in
        if case .instance(let i) = v { return i.attributeOrder }
        return []
    }
    let t = TypeObject(name: "object", base: nil, slots: s, doc: "The base class of the class hierarchy.") { _, cls, args in
        guard args.positional.isEmpty && args.keywords.isEmpty else {
            throw PythonError(.TypeError, "object() takes no arguments")
        }
        return .instance(Instance(cls: cls))
    }
    t.method("__init__", []) { _ in .none }
    t.method("__repr__", []) { a in .string(a.interpreter.defaultRepr(a.value("self")!)) }
    t.method("__str__", []) { a in .string(try a.interpreter.reprOf(a.value("self")!)) }
    t.method("__eq__", ["other"]) { a in
        a.interpreter.isSame(a.value("self")!, a.value("other")!) ? .bool(true) : BuiltinTypes.notImplemented
    }
    t.method("__setattr__", ["name", "value"]) { a in
        guard case .instance(let i) = a.value("self")! else { return .none }
        i.setAttribute(try a.string("name"), a.value("value")!)
        return .none
    }
    t.method("__getattribute__", ["name"]) { a in
        let name = try a.string("name")
        guard let v = try a.interpreter.getAttributeIfPresent(a.value("self")!, name) else {
            throw PythonError(.AttributeError, "'\(a.value("self")!.pyType.name)' object has no attribute '\(name)'")
        }
        return v
    }
    return t
}

// MARK: - type

func makeTypeType() -> TypeObject {
    var s = Slots()
    s.call = { interp, v, args in
        guard case .type(let t) = v else { return .none }
        return try interp.instantiate(t, args)
    }
    s.getAttribute = { interp, v, name in
        guard case .type(let t) = v else { return nil }
        switch name {
        case "__name__": return .string(t.name)
        case "__qualname__": return .string(t.name)
        case "__module__": return .string(t.moduleName)
        case "__doc__": return t.doc.map { .string($0) } ?? Value.none
        case "__base__": return t.base.map { .type($0) } ?? Value.none
        case "__bases__": return .tuple(t.base.map { [.type($0)] } ?? [])
        case "__mro__": return .tuple(t.mro.map { .type($0) })
        case "__dict__": return .dict(DictObject(strings: t.attributeOrder.map { ($0, t.attributes[$0]!) }))
        default: break
        }
        guard let attr = t.lookup(name) else {
            if t === BuiltinTypes.tensor || t === BuiltinTypes.parameter, let f = interp.registry.method(name) {
                return .function(f)
            }
            return nil
        }
        if case .instance(let i) = attr {
            switch i.payload {
            case let sm as StaticMethodPayload: return sm.function
            case let cm as ClassMethodPayload: return .function(Function.bound(cm.function, to: v, name: name))
            default: return attr
            }
        }
        return attr
    }
    s.setAttribute = { _, v, name, value in
        guard case .type(let t) = v, t.isUserDefined else {
            throw PythonError(.TypeError, "cannot set '\(name)' attribute of immutable type '\(v.pyType.name)'")
        }
        t.setAttribute(name, value)
    }
    s.repr = { _, v in
        guard case .type(let t) = v else { return "" }
        return "<class '\(t.qualifiedName)'>"
    }
    s.getItem = { _, v, _ in v }   // list[int], Dict[str, Tensor] in annotations
    s.binary = { _, op, v, other, _ in op == .bitOr ? v : nil }   // int | None in annotations
    s.attributeNames = { _, v in
        guard case .type(let t) = v else { return [] }
        return t.mro.flatMap(\.attributeOrder)
    }
    return TypeObject(name: "type", base: BuiltinTypes.object, slots: s) { interp, _, args in
        guard args.positional.count == 1, args.keywords.isEmpty else {
            throw PythonError(.TypeError, "type() takes 1 argument (making classes with type(name, bases, dict) is not supported)")
        }
        return .type(args.positional[0].pyType)
    }
}

// MARK: - None, NotImplemented, Ellipsis

func makeNoneType() -> TypeObject {
    var s = Slots()
    s.repr = { _, _ in "None" }
    s.truth = { _, _ in false }
    s.compare = { _, op, a, b in
        guard op == .eq || op == .ne else { return nil }
        let same: Bool = { if case .none = b { return true }; return false }()
        return .bool(op == .eq ? same : !same)
    }
    return TypeObject(name: "NoneType", base: BuiltinTypes.object, slots: s) { _, _, _ in .none }
}

func makeNotImplementedType() -> TypeObject {
    var s = Slots()
    s.repr = { _, _ in "NotImplemented" }
    return TypeObject(name: "NotImplementedType", base: BuiltinTypes.object, slots: s)
}

func makeEllipsisType() -> TypeObject {
    var s = Slots()
    s.repr = { _, _ in "Ellipsis" }
    return TypeObject(name: "ellipsis", base: BuiltinTypes.object, slots: s)
}

// MARK: - slice

func makeSliceType() -> TypeObject {
    var s = Slots()
    func part(_ x: Int?) -> Value { x.map { .int($0) } ?? .none }
    s.repr = { _, v in
        guard case .slice(let a, let b, let c) = v else { return "" }
        func t(_ x: Int?) -> String { x.map(String.init) ?? "None" }
        return "slice(\(t(a)), \(t(b)), \(t(c)))"
    }
    s.getAttribute = { _, v, name in
        guard case .slice(let a, let b, let c) = v else { return nil }
        switch name {
        case "start": return part(a)
        case "stop": return part(b)
        case "step": return part(c)
        default: return nil
        }
    }
    s.compare = { _, op, a, b in
        guard op == .eq || op == .ne, case .slice(let x1, let y1, let z1) = a, case .slice(let x2, let y2, let z2) = b else { return nil }
        let same = x1 == x2 && y1 == y2 && z1 == z2
        return .bool(op == .eq ? same : !same)
    }
    let t = TypeObject(name: "slice", base: BuiltinTypes.object, slots: s) { interp, _, args in
        let sig = Signature(name: "slice", spec: ["start", "stop=None", "step=None"])
        let v = try sig.bind(args)
        func bound(_ x: Value) throws -> Int? {
            if case .none = x { return nil }
            guard let i = try interp.indexValue(x) else { throw PythonError(.TypeError, "slice indices must be integers or None") }
            return i
        }
        if args.positional.count == 1 { return .slice(nil, try bound(v[0]), nil) }
        return .slice(try bound(v[0]), try bound(v[1]), try bound(v[2]))
    }
    t.method("indices", ["length"]) { a in
        guard case .slice(let x, let y, let z) = a.value("self")! else { return .none }
        let n = try a.int("length")
        let (start, stop, step) = try sliceBounds(n, x, y, z)
        return .tuple([.int(start), .int(stop), .int(step)])
    }
    return t
}

/// Python's `slice.indices(n)`: start, stop and step clamped to a sequence of length `n`.
func sliceBounds(_ n: Int, _ s: Int?, _ e: Int?, _ st: Int?) throws -> (Int, Int, Int) {
    let step = st ?? 1
    guard step != 0 else { throw PythonError(.ValueError, "slice step cannot be zero") }
    func clamp(_ v: Int?, _ def: Int, lo: Int, hi: Int) -> Int {
        guard let v else { return def }
        let w = v < 0 ? v + n : v
        return min(max(w, lo), hi)
    }
    if step > 0 { return (clamp(s, 0, lo: 0, hi: n), clamp(e, n, lo: 0, hi: n), step) }
    return (clamp(s, n - 1, lo: -1, hi: n - 1), clamp(e, -1, lo: -1, hi: n - 1), step)
}

/// The positions a slice selects from a sequence of length `n`.
func sliceIndices(_ n: Int, _ s: Int?, _ e: Int?, _ st: Int?) throws -> [Int] {
    let (a, b, step) = try sliceBounds(n, s, e, st)
    return Array(stride(from: a, to: b, by: step))
}

/// A sequence index checked against a length (negative counts from the end).
func sequenceIndex(_ i: Int, count: Int, what: String) throws -> Int {
    let j = i < 0 ? i + count : i
    guard j >= 0 && j < count else { throw PythonError(.IndexError, "\(what) index out of range") }
    return j
}

// MARK: - module objects

func makeNamespaceType() -> TypeObject {
    var s = Slots()
    s.getAttribute = { interp, v, name in
        guard case .namespace(let n) = v else { return nil }
        if name == "__name__" { return .string(n.name) }
        return n.attribute(name, interp)
    }
    s.setAttribute = { _, v, name, value in
        guard case .namespace(let n) = v else { return }
        n.setAttribute(name, value)
    }
    s.repr = { _, v in
        guard case .namespace(let n) = v else { return "" }
        return "<module '\(n.name)'>"
    }
    s.attributeNames = { interp, v in
        guard case .namespace(let n) = v else { return [] }
        return n.attributeOrder + (n.resolvableNames?(interp) ?? [])
    }
    return TypeObject(name: "module", base: BuiltinTypes.object, slots: s)
}

// MARK: - iterators

func makeIteratorType(_ name: String) -> TypeObject {
    var s = Slots()
    s.iterate = { _, v in
        guard case .instance(let i) = v, let it = i.payload as? PyIterator else {
            throw PythonError(.TypeError, "'\(v.pyType.name)' object is not an iterator")
        }
        return it
    }
    s.repr = { interp, v in
        name == "generator" ? "<generator object <genexpr> at \(interp.address(of: v))>"
                            : "<\(name) object at \(interp.address(of: v))>"
    }
    let t = TypeObject(name: name, moduleName: name.hasPrefix("itertools.") ? "itertools" : "builtins",
                       base: BuiltinTypes.object, slots: s)
    t.method("__next__", []) { a in
        guard case .instance(let i) = a.value("self")!, let it = i.payload as? PyIterator else { return .none }
        guard let v = try it.next() else { throw PythonError(.StopIteration, arguments: []) }
        return v
    }
    t.method("__iter__", []) { a in a.value("self")! }
    return t
}

// MARK: - property, staticmethod, classmethod, super

func makePropertyType() -> TypeObject {
    var s = Slots()
    s.repr = { interp, v in "<property object at \(interp.address(of: v))>" }
    let t = TypeObject(name: "property", base: BuiltinTypes.object, slots: s) { _, cls, args in
        let v = try Signature(name: "property", spec: ["fget=None", "fset=None", "fdel=None", "doc=None"]).bind(args)
        func f(_ x: Value) -> Value? { x.isNone ? nil : x }
        return .instance(Instance(cls: cls, payload: PropertyPayload(getter: f(v[0]), setter: f(v[1]), deleter: f(v[2]))))
    }
    func with(_ name: String, _ update: @escaping (inout PropertyPayload, Value) -> Void) {
        t.method(name, ["func"]) { a in
            guard case .instance(let i) = a.value("self")!, var p = i.payload as? PropertyPayload else { return .none }
            update(&p, a.value("func")!)
            return .instance(Instance(cls: i.cls, payload: p))
        }
    }
    with("getter") { $0.getter = $1 }
    with("setter") { $0.setter = $1 }
    with("deleter") { $0.deleter = $1 }
    return t
}

func makeStaticMethodType() -> TypeObject {
    var s = Slots()
    s.call = { interp, v, args in
        guard case .instance(let i) = v, let p = i.payload as? StaticMethodPayload else { return .none }
        return try interp.call(p.function, args, range: args.range)
    }
    return TypeObject(name: "staticmethod", base: BuiltinTypes.object, slots: s) { _, cls, args in
        guard args.positional.count == 1 else { throw PythonError(.TypeError, "staticmethod expected 1 argument, got \(args.positional.count)") }
        return .instance(Instance(cls: cls, payload: StaticMethodPayload(function: args.positional[0])))
    }
}

func makeClassMethodType() -> TypeObject {
    TypeObject(name: "classmethod", base: BuiltinTypes.object) { _, cls, args in
        guard args.positional.count == 1 else { throw PythonError(.TypeError, "classmethod expected 1 argument, got \(args.positional.count)") }
        return .instance(Instance(cls: cls, payload: ClassMethodPayload(function: args.positional[0])))
    }
}

func makeSuperType() -> TypeObject {
    var s = Slots()
    s.getAttribute = { interp, v, name in
        guard case .instance(let i) = v, let p = i.payload as? SuperPayload else { return nil }
        var t = p.after.base
        let objectType = p.object.pyType
        while let c = t {
            if let attr = c.attributes[name] {
                return try interp.bindAttribute(attr, to: p.object, cls: objectType, name: name)
            }
            t = c.base
        }
        return nil
    }
    s.repr = { interp, v in
        guard case .instance(let i) = v, let p = i.payload as? SuperPayload else { return "" }
        return "<super: <class '\(p.after.name)'>, <\(p.object.pyType.name) object>>"
    }
    return TypeObject(name: "super", base: BuiltinTypes.object, slots: s) { interp, _, args in
        guard args.positional.count == 2, case .type(let t) = args.positional[0] else {
            throw PythonError(.RuntimeError, "super(): no arguments", hint: "inside a method write super(); elsewhere super(Class, obj)")
        }
        return interp.superObject(after: t, args.positional[1])
    }
}

// MARK: - Swift-made context managers (torch.no_grad() and friends)

func makeContextManagerType() -> TypeObject {
    var s = Slots()
    s.enter = { interp, v in
        guard case .instance(let i) = v, let p = i.payload as? ContextPayload else { return .none }
        return try p.enter(interp)
    }
    s.exit = { interp, v, e in
        guard case .instance(let i) = v, let p = i.payload as? ContextPayload else { return false }
        return try p.exit(interp, e)
    }
    return TypeObject(name: "_GeneratorContextManager", moduleName: "contextlib", base: BuiltinTypes.object, slots: s)
}

// MARK: - functools.partial

func makePartialType() -> TypeObject {
    var s = Slots()
    s.call = { interp, v, args in
        guard case .instance(let i) = v, let p = i.payload as? PartialPayload else { return .none }
        var a = args
        a.positional = p.arguments + args.positional
        a.keywords = p.keywords.filter { k in !args.keywords.contains { $0.0 == k.0 } } + args.keywords
        return try interp.call(p.function, a, range: args.range)
    }
    s.repr = { interp, v in
        guard case .instance(let i) = v, let p = i.payload as? PartialPayload else { return "" }
        let parts = [try interp.reprOf(p.function)] + (try p.arguments.map { try interp.reprOf($0) })
            + (try p.keywords.map { "\($0.0)=\(try interp.reprOf($0.1))" })
        return "functools.partial(" + parts.joined(separator: ", ") + ")"
    }
    s.getAttribute = { _, v, name in
        guard case .instance(let i) = v, let p = i.payload as? PartialPayload else { return nil }
        switch name {
        case "func": return p.function
        case "args": return .tuple(p.arguments)
        case "keywords": return .dict(DictObject(strings: p.keywords))
        default: return nil
        }
    }
    return TypeObject(name: "partial", moduleName: "functools", base: BuiltinTypes.object, slots: s) { interp, cls, args in
        guard let f = args.positional.first else { throw PythonError(.TypeError, "type 'partial' takes at least one argument") }
        guard interp.isCallable(f) else { throw PythonError(.TypeError, "the first argument must be callable") }
        return .instance(Instance(cls: cls, payload: PartialPayload(function: f, arguments: Array(args.positional.dropFirst()),
                                                                    keywords: args.keywords)))
    }
}

// MARK: - User classes

extension BuiltinTypes {
    /// The slots of a user class: each calls the dunder method the class defines, and otherwise
    /// does what the base class does.
    static func userClassSlots(inheriting base: Slots) -> Slots {
        var s = base
        s.call = { interp, v, args in
            if interp.definesDunder(v.pyType, "__call__"), let r = try interp.callDunder(v, "__call__", args.positional, range: args.range, keywords: args.keywords) {
                return r
            }
            guard let call = base.call else { throw PythonError(.TypeError, "'\(v.pyType.name)' object is not callable") }
            return try call(interp, v, args)
        }
        s.binary = { interp, op, v, other, reflected in
            let name = op.dunder(reflected: reflected)
            if interp.definesDunder(v.pyType, name) {
                let r = try interp.callDunder(v, name, [other])!
                if case .instance(let i) = r, i.cls === BuiltinTypes.notImplementedType { return nil }
                return r
            }
            return try base.binary?(interp, op, v, other, reflected)
        }
        s.inPlace = { interp, op, v, other in
            if interp.definesDunder(v.pyType, op.inPlaceDunder) {
                let r = try interp.callDunder(v, op.inPlaceDunder, [other])!
                if case .instance(let i) = r, i.cls === BuiltinTypes.notImplementedType { return nil }
                return r
            }
            return try base.inPlace?(interp, op, v, other)
        }
        s.unary = { interp, op, v in
            if let name = op.dunder, interp.definesDunder(v.pyType, name) { return try interp.callDunder(v, name, []) }
            return try base.unary?(interp, op, v)
        }
        s.compare = { interp, op, a, b in
            if interp.definesDunder(a.pyType, op.dunder) {
                let r = try interp.callDunder(a, op.dunder, [b])!
                if case .instance(let i) = r, i.cls === BuiltinTypes.notImplementedType { return nil }
                return r
            }
            if op == .ne, interp.definesDunder(a.pyType, "__eq__") {
                let r = try interp.callDunder(a, "__eq__", [b])!
                if case .instance(let i) = r, i.cls === BuiltinTypes.notImplementedType { return nil }
                return .bool(!(try interp.truthy(r, range: nil)))
            }
            return try base.compare?(interp, op, a, b)
        }
        s.getItem = { interp, v, key in
            if interp.definesDunder(v.pyType, "__getitem__") { return try interp.callDunder(v, "__getitem__", [key])! }
            guard let g = base.getItem else { throw PythonError(.TypeError, "'\(v.pyType.name)' object is not subscriptable") }
            return try g(interp, v, key)
        }
        s.setItem = { interp, v, key, value in
            let name = value == nil ? "__delitem__" : "__setitem__"
            if interp.definesDunder(v.pyType, name) {
                _ = try interp.callDunder(v, name, value.map { [key, $0] } ?? [key])
                return
            }
            guard let set = base.setItem else {
                throw PythonError(.TypeError, "'\(v.pyType.name)' object does not support item \(value == nil ? "deletion" : "assignment")")
            }
            try set(interp, v, key, value)
        }
        s.iterate = { interp, v in
            if interp.definesDunder(v.pyType, "__iter__") {
                let it = try interp.callDunder(v, "__iter__", [])!
                if case .instance(let i) = it, let native = i.payload as? PyIterator { return native }
                guard let next = try interp.getAttributeIfPresent(it, "__next__") else {
                    throw PythonError(.TypeError, "iter() returned non-iterator of type '\(it.pyType.name)'")
                }
                return PyIterator {
                    do { return try interp.call(next, CallArguments([]), range: nil) } catch {
                        let e = interp.pythonError(from: error)
                        if e.isInstance(of: .StopIteration) { return nil }
                        throw e
                    }
                }
            }
            if interp.definesDunder(v.pyType, "__getitem__") {
                var i = 0
                return PyIterator {
                    do {
                        defer { i += 1 }
                        return try interp.callDunder(v, "__getitem__", [.int(i)])
                    } catch {
                        let e = interp.pythonError(from: error)
                        if e.isInstance(of: .IndexError) || e.isInstance(of: .StopIteration) { return nil }
                        throw e
                    }
                }
            }
            guard let iterate = base.iterate else { throw PythonError(.TypeError, "'\(v.pyType.name)' object is not iterable") }
            return try iterate(interp, v)
        }
        s.length = { interp, v in
            if interp.definesDunder(v.pyType, "__len__") {
                let r = try interp.callDunder(v, "__len__", [])!
                guard let n = try interp.indexValue(r) else {
                    throw PythonError(.TypeError, "'\(r.pyType.name)' object cannot be interpreted as an integer")
                }
                guard n >= 0 else { throw PythonError(.ValueError, "__len__() should return >= 0") }
                return n
            }
            guard let length = base.length else { throw PythonError(.TypeError, "object of type '\(v.pyType.name)' has no len()") }
            return try length(interp, v)
        }
        s.truth = { interp, v in
            if interp.definesDunder(v.pyType, "__bool__") {
                let r = try interp.callDunder(v, "__bool__", [])!
                guard case .bool(let b) = r else { throw PythonError(.TypeError, "__bool__ should return bool, returned \(r.pyType.name)") }
                return b
            }
            if interp.definesDunder(v.pyType, "__len__") { return try s_length(interp, v) != 0 }
            if let truth = base.truth { return try truth(interp, v) }
            if let length = base.length { return try length(interp, v) != 0 }
            return true
        }
        s.repr = { interp, v in
            if interp.definesDunder(v.pyType, "__repr__") {
                let r = try interp.callDunder(v, "__repr__", [])!
                guard case .string(let text) = r else { throw PythonError(.TypeError, "__repr__ returned non-string (type \(r.pyType.name))") }
                return text
            }
            return try base.repr?(interp, v) ?? interp.defaultRepr(v)
        }
        s.str = { interp, v in
            if interp.definesDunder(v.pyType, "__str__") {
                let r = try interp.callDunder(v, "__str__", [])!
                guard case .string(let text) = r else { throw PythonError(.TypeError, "__str__ returned non-string (type \(r.pyType.name))") }
                return text
            }
            if interp.definesDunder(v.pyType, "__repr__") { return try interp.reprOf(v) }
            return try base.str?(interp, v) ?? interp.reprOf(v)
        }
        s.contains = base.contains.map { inherited in
            { interp, v, item in
                if interp.definesDunder(v.pyType, "__contains__") {
                    return try interp.truthy(try interp.callDunder(v, "__contains__", [item])!, range: nil)
                }
                return try inherited(interp, v, item)
            }
        }
        s.enter = { interp, v in
            if interp.definesDunder(v.pyType, "__enter__") { return try interp.callDunder(v, "__enter__", [])! }
            guard let enter = base.enter else {
                throw PythonError(.TypeError, "'\(v.pyType.name)' object does not support the context manager protocol")
            }
            return try enter(interp, v)
        }
        s.exit = { interp, v, e in
            if interp.definesDunder(v.pyType, "__exit__") {
                let args: [Value] = e.map { [.type($0.exception.cls), .instance($0.exception), .none] } ?? [.none, .none, .none]
                return try interp.truthy(try interp.callDunder(v, "__exit__", args)!, range: nil)
            }
            return try base.exit?(interp, v, e) ?? false
        }
        s.format = { interp, v, spec in
            if interp.definesDunder(v.pyType, "__format__") {
                let r = try interp.callDunder(v, "__format__", [.string(spec)])!
                guard case .string(let text) = r else { throw PythonError(.TypeError, "__format__ must return a str") }
                return text
            }
            if let format = base.format { return try format(interp, v, spec) }
            guard spec.isEmpty else { throw PythonError(.TypeError, "unsupported format string passed to \(v.pyType.name).__format__") }
            return try interp.strOf(v)
        }
        return s
    }
}

/// `len()` of a user object through its `__len__`.
private func s_length(_ interp: Interpreter, _ v: Value) throws -> Int {
    try v.pyType.slots.length!(interp, v)
}

extension Interpreter {
    /// Calls a dunder with keyword arguments too (for `__call__`).
    func callDunder(_ object: Value, _ name: String, _ args: [Value], range: SourceRange?, keywords: [(String, Value)]) throws -> Value? {
        let cls = object.pyType
        guard let owner = cls.owner(of: name), owner.isUserDefined, let method = owner.attributes[name] else { return nil }
        let bound = try bindAttribute(method, to: object, cls: cls, name: name)
        return try call(bound, CallArguments(args, keywords: keywords, range: range), range: range)
    }
}
