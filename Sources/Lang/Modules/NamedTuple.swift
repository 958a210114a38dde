import Tensor
import AD

// Named tuples: `collections.namedtuple` classes, PyTorch's `torch.return_types.max` (a
// "structseq" that prints one field per line), `sys.version_info`, `functools`' `CacheInfo`.

/// The values of a named tuple.
final class NamedTuplePayload {
    let values: [Value]
    init(_ values: [Value]) { self.values = values }
}

extension Interpreter {
    /// A named tuple class with `fields`; `structseq` prints it as PyTorch's return types.
    func makeNamedTupleType(name: String, moduleName: String, fields: [String], defaults: [Value] = [], structseq: Bool = false) -> TypeObject {
        func values(_ v: Value) -> [Value] {
            if case .instance(let i) = v, let p = i.payload as? NamedTuplePayload { return p.values }
            if case .tuple(let t) = v { return t }
            return []
        }
        var s = Slots()
        s.repr = { interp, v in
            let parts = try zip(fields, values(v)).map { "\($0)=\(try interp.reprOf($1))" }
            if structseq { return "\(moduleName).\(name)(\n" + parts.joined(separator: ",\n") + ")" }
            return "\(name)(" + parts.joined(separator: ", ") + ")"
        }
        s.length = { _, v in values(v).count }
        s.iterate = { _, v in PyIterator(values(v)) }
        s.getItem = { interp, v, key in
            let (one, many) = try interp.sequenceItem(values(v), key, what: "tuple")
            return one ?? .tuple(many!)
        }
        s.contains = { interp, v, item in try values(v).contains { try interp.equal($0, item) } }
        s.compare = { interp, op, a, b in
            switch b {
            case .tuple(let t): return try interp.compareSequences(op, values(a), t)
            case .instance(let i) where i.payload is NamedTuplePayload: return try interp.compareSequences(op, values(a), values(b))
            case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .dict, .set, .function, .type, .instance,
                 .module, .namespace, .slice, .shape, .dtype, .ellipsis:
                return nil
            }
        }
        s.binary = { _, op, v, other, reflected in
            guard op == .add, case .tuple(let o) = other else { return nil }
            return .tuple(reflected ? o + values(v) : values(v) + o)
        }
        s.getAttribute = { _, v, attr in
            guard let i = fields.firstIndex(of: attr) else { return nil }
            let vs = values(v)
            return i < vs.count ? vs[i] : nil
        }
        let required = fields.count - defaults.count
        let t = TypeObject(name: name, moduleName: moduleName, base: BuiltinTypes.tuple, slots: s) { interp, cls, args in
            let sig = Signature(name: "\(name).__new__", parameters: fields.enumerated().map { i, f in
                Signature.Parameter(name: f, kind: .positionalOrKeyword, defaultValue: i >= required ? defaults[i - required] : nil)
            })
            _ = interp
            return .instance(Instance(cls: cls, payload: NamedTuplePayload(try sig.bind(args))))
        }
        t.setAttribute("_fields", .tuple(fields.map { .string($0) }))
        t.setAttribute("_field_defaults", .dict(DictObject(strings: Array(zip(fields.suffix(defaults.count), defaults)))))
        t.method("_asdict", []) { a in .dict(DictObject(strings: Array(zip(fields, values(a.value("self")!))))) }
        t.method("_replace", ["**kwargs"]) { a in
            var vs = values(a.value("self")!)
            for (k, v) in a.keywordExtras {
                guard let i = fields.firstIndex(of: k) else { throw PythonError(.ValueError, "Got unexpected field names: ['\(k)']") }
                vs[i] = v
            }
            guard case .instance(let me)? = a.value("self") else { return .none }
            return .instance(Instance(cls: me.cls, payload: NamedTuplePayload(vs)))
        }
        t.method("count", ["value", "/"]) { a in
            .int(try values(a.value("self")!).filter { try a.interpreter.equal($0, a.value("value")!) }.count)
        }
        t.method("index", ["value", "/"]) { a in
            for (i, x) in values(a.value("self")!).enumerated() where try a.interpreter.equal(x, a.value("value")!) { return .int(i) }
            throw PythonError(.ValueError, "tuple.index(x): x not in tuple")
        }
        t.setAttribute("_make", .instance(Instance(cls: BuiltinTypes.classMethod, payload: ClassMethodPayload(function:
            function("_make", ["cls", "iterable"]) { a in
                guard case .type(let cls)? = a.value("cls") else { return .none }
                return try a.interpreter.instantiate(cls, CallArguments(try a.interpreter.collect(a.value("iterable")!, range: a.range)))
            }))))
        return t
    }

    /// A value of a named tuple class.
    func namedTuple(_ cls: TypeObject, _ values: [Value]) -> Value {
        .instance(Instance(cls: cls, payload: NamedTuplePayload(values)))
    }

    /// PyTorch's `torch.return_types.NAME` class (cached).
    func returnType(_ name: String, fields: [String]) -> TypeObject {
        let key = "torch.return_types." + name
        if case .type(let t)? = modules["torch.return_types"]?.attributes[name] { return t }
        let t = makeNamedTupleType(name: name, moduleName: "torch.return_types", fields: fields, structseq: true)
        if let m = module(named: "torch.return_types") { m.setAttribute(name, .type(t)) }
        _ = key
        return t
    }
}
