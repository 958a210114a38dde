import Tensor
import AD
import NN

// `collections` (OrderedDict, defaultdict, Counter, namedtuple) and `copy`.

extension Interpreter {
    func makeCollectionsModule() -> Namespace {
        Namespace(name: "collections", attributes: [
            ("OrderedDict", .type(BuiltinTypes.orderedDict)),
            ("defaultdict", .type(BuiltinTypes.defaultDict)),
            ("Counter", .type(BuiltinTypes.counter)),
            ("namedtuple", function("namedtuple", ["typename", "field_names", "|rename=False", "|defaults=None", "|module=None"]) { a in
                let name = try a.string("typename")
                let fields: [String]
                switch a.value("field_names")! {
                case .string(let s): fields = s.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
                case let v:
                    fields = try a.interpreter.collect(v, range: a.range).map { f in
                        guard case .string(let s) = f else { throw PythonError(.TypeError, "Type names and field names must be strings") }
                        return s
                    }
                }
                for f in fields where !f.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isXIDContinue }) || f.first?.isNumber == true {
                    throw PythonError(.ValueError, "Type names and field names must be valid identifiers: \(pythonQuoted(f))")
                }
                let defaults = a.has("defaults") ? try a.interpreter.collect(a.value("defaults")!, range: a.range) : []
                return .type(a.interpreter.makeNamedTupleType(name: name, moduleName: "__main__", fields: fields, defaults: defaults))
            }),
        ], resolve: { interp, n in n == "abc" ? interp.module(named: "collections.abc").map { .namespace($0) } : nil })
    }

    func makeCopyModule() -> Namespace {
        Namespace(name: "copy", attributes: [
            ("copy", function("copy", ["x"]) { a in try a.interpreter.shallowCopy(a.value("x")!) }),
            ("deepcopy", function("deepcopy", ["x", "memo=None"]) { a in
                var memo: [ObjectIdentifier: Value] = [:]
                return try a.interpreter.deepCopy(a.value("x")!, memo: &memo)
            }),
        ])
    }

    /// `copy.copy(x)`: a new container with the same items; a new object with the same attributes.
    func shallowCopy(_ v: Value) throws -> Value {
        if definesDunder(v.pyType, "__copy__"), let r = try callDunder(v, "__copy__", []) { return r }
        switch v {
        case .list(let l): return .list(l.items)
        case .dict(let d): return .dict(d.copy())
        case .set(let s): return .set(s.copy())
        case .tensor(let h): return .tensor(TensorHandle(h.value, isParameter: h.isParameter))
        case .instance(let i) where i.cls.isUserDefined:
            let c = Instance(cls: i.cls, payload: i.payload)
            for n in i.attributeOrder { c.setAttribute(n, i.attributes[n]) }
            return .instance(c)
        case .module(let m):
            // A new module object sharing the parameters and children, as copy.copy does.
            let c = m.deepCopy()
            for (n, h) in m.parameters { c.setParameter(n, h) }
            for (n, child) in m.children { c.setChild(n, child) }
            return .module(c)
        case .none, .bool, .int, .bigInt, .float, .string, .tuple, .function, .type, .instance, .namespace, .slice,
             .shape, .dtype, .ellipsis:
            return v
        }
    }

    /// `copy.deepcopy(x)`: containers, objects and modules copied all the way down (each object
    /// once: shared references stay shared in the copy).
    func deepCopy(_ v: Value, memo: inout [ObjectIdentifier: Value]) throws -> Value {
        func remembered(_ o: AnyObject, _ make: (inout [ObjectIdentifier: Value]) throws -> Value) rethrows -> Value {
            if let done = memo[ObjectIdentifier(o)] { return done }
            return try make(&memo)
        }
        switch v {
        case .list(let l):
            return try remembered(l) { memo in
                let copy = ListObject()
                memo[ObjectIdentifier(l)] = .list(copy)
                copy.items = try l.items.map { try deepCopy($0, memo: &memo) }
                return .list(copy)
            }
        case .dict(let d):
            return try remembered(d) { memo in
                let copy = DictObject(flavor: d.flavor)
                memo[ObjectIdentifier(d)] = .dict(copy)
                for (k, x) in d.entriesInOrder { copy[k] = try deepCopy(x, memo: &memo) }
                return .dict(copy)
            }
        case .set(let s): return .set(s.copy())
        case .tuple(let items): return .tuple(try items.map { try deepCopy($0, memo: &memo) })
        case .tensor(let h):
            return remembered(h) { memo in
                let copy = Value.tensor(TensorHandle(h.value, isParameter: h.isParameter))
                memo[ObjectIdentifier(h)] = copy
                return copy
            }
        case .module(let m):
            return remembered(m) { memo in
                let copy = Value.module(m.deepCopy())
                memo[ObjectIdentifier(m)] = copy
                return copy
            }
        case .instance(let i) where i.cls.isUserDefined:
            if definesDunder(i.cls, "__deepcopy__"), let r = try callDunder(v, "__deepcopy__", [.dict(DictObject())]) { return r }
            return try remembered(i) { memo in
                let copy = Instance(cls: i.cls, payload: i.payload)
                memo[ObjectIdentifier(i)] = .instance(copy)
                for n in i.attributeOrder { copy.setAttribute(n, try deepCopy(i.attributes[n]!, memo: &memo)) }
                return .instance(copy)
            }
        case .none, .bool, .int, .bigInt, .float, .string, .function, .type, .instance, .namespace, .slice, .shape,
             .dtype, .ellipsis:
            return v
        }
    }
}
