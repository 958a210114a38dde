import Tensor
import AD

// `dict` and its flavours (`OrderedDict`, `defaultdict`, `Counter`), `set` and `frozenset`.

private func dictObject(_ a: BoundArguments) -> DictObject {
    if case .dict(let d)? = a.value("self") { return d }
    return DictObject()
}

extension Interpreter {
    /// Adds pairs from a mapping or an iterable of pairs, then keywords (`dict(...)`, `update`).
    func update(_ d: DictObject, from source: Value?, keywords: [(String, Value)]) throws {
        if let source, !source.isNone {
            if case .dict(let other) = source {
                for (k, v) in other.entriesInOrder { d[k] = v }
            } else if try getAttributeIfPresent(source, "keys") != nil {
                for (k, v) in try mappingPairs(source, range: nil) { d[try HashKey(k)] = v }
            } else {
                for (i, pair) in try collect(source, range: nil).enumerated() {
                    let kv = try collect(pair, range: nil)
                    guard kv.count == 2 else {
                        throw PythonError(.ValueError, "dictionary update sequence element #\(i) has length \(kv.count); 2 is required")
                    }
                    d[try HashKey(kv[0])] = kv[1]
                }
            }
        }
        for (k, v) in keywords { d[.string(k)] = v }
    }

    /// `d[key]`: `KeyError`, or a `defaultdict`'s new value, or a `Counter`'s 0.
    func dictItem(_ d: DictObject, _ key: Value) throws -> Value {
        let k = try HashKey(key)
        if let v = d[k] { return v }
        switch d.flavor {
        case .defaultDict(let factory):
            guard !factory.isNone else { throw PythonError(.KeyError, arguments: [key]) }
            let v = try call(factory, CallArguments([]), range: nil)
            d[k] = v
            return v
        case .counter:
            return .int(0)
        case .plain, .ordered:
            throw PythonError(.KeyError, arguments: [key])
        }
    }

    func dictRepr(_ d: DictObject) throws -> String {
        guard reprInProgress.insert(ObjectIdentifier(d)).inserted else { return "{...}" }
        defer { reprInProgress.remove(ObjectIdentifier(d)) }
        let items = try d.pairs.map { "\(try reprOf($0.0)): \(try reprOf($0.1))" }.joined(separator: ", ")
        switch d.flavor {
        case .plain: return "{" + items + "}"
        case .ordered:
            if d.count == 0 { return "OrderedDict()" }
            return "OrderedDict([" + (try d.pairs.map { "(\(try reprOf($0.0)), \(try reprOf($0.1)))" }.joined(separator: ", ")) + "])"
        case .defaultDict(let factory):
            return "defaultdict(\(try reprOf(factory)), {" + items + "})"
        case .counter:
            if d.count == 0 { return "Counter()" }
            let sorted = try counterOrder(d)
            return "Counter({" + (try sorted.map { "\(try reprOf($0.0)): \(try reprOf($0.1))" }.joined(separator: ", ")) + "})"
        }
    }

    /// A Counter's items by decreasing count (ties in insertion order), as `most_common`.
    func counterOrder(_ d: DictObject) throws -> [(Value, Value)] {
        let pairs = d.pairs
        var order = Array(pairs.indices)
        var failure: Error?
        order.sort { i, j in
            do {
                if try less(pairs[j].1, pairs[i].1) { return true }
                if try less(pairs[i].1, pairs[j].1) { return false }
                return i < j
            } catch { failure = error; return false }
        }
        if let failure { throw failure }
        return order.map { pairs[$0] }
    }
}

func makeDictType(name: String, moduleName: String, base: TypeObject) -> TypeObject {
    var s = Slots()
    s.repr = { interp, v in
        guard case .dict(let d) = v else { return "" }
        return try interp.dictRepr(d)
    }
    s.length = { _, v in
        if case .dict(let d) = v { return d.count }
        return 0
    }
    s.iterate = { _, v in
        guard case .dict(let d) = v else { return PyIterator([]) }
        return PyIterator(d.keys)
    }
    s.contains = { _, v, item in
        guard case .dict(let d) = v else { return false }
        return d[try HashKey(item)] != nil
    }
    s.getItem = { interp, v, key in
        guard case .dict(let d) = v else { return .none }
        return try interp.dictItem(d, key)
    }
    s.setItem = { _, v, key, value in
        guard case .dict(let d) = v else { return }
        let k = try HashKey(key)
        if let value { d[k] = value; return }
        guard d.removeValue(forKey: k) != nil else { throw PythonError(.KeyError, arguments: [key]) }
    }
    s.compare = { interp, op, a, b in
        guard op == .eq || op == .ne, case .dict(let x) = a, case .dict(let y) = b else { return nil }
        var same = x.count == y.count
        if same {
            for (k, v) in x.entriesInOrder {
                guard let w = y[k], try interp.equal(v, w) else { same = false; break }
            }
            // Two OrderedDicts are equal only in the same order.
            if same, case .ordered = x.flavor, case .ordered = y.flavor {
                same = zip(x.keys, y.keys).allSatisfy { HashKey.keysEqual($0, $1) }
            }
        }
        return .bool(op == .eq ? same : !same)
    }
    s.binary = { _, op, v, other, reflected in
        guard op == .bitOr, !reflected, case .dict(let d) = v, case .dict(let o) = other else { return nil }
        let merged = d.copy()
        for (k, x) in o.entriesInOrder { merged[k] = x }
        return .dict(merged)
    }
    let flavor: (BoundArguments) throws -> DictObject.Flavor = { a in
        switch name {
        case "OrderedDict": return .ordered
        case "Counter": return .counter
        case "defaultdict": return .defaultDict(a.value("default_factory") ?? .none)
        default: return .plain
        }
    }
    let spec = name == "defaultdict" ? ["default_factory=None", "mapping=None", "/", "**kwargs"] : ["mapping=None", "/", "**kwargs"]
    let t = TypeObject(name: name, moduleName: moduleName, base: base, slots: s) { interp, cls, args in
        let sig = Signature(name: name, spec: spec)
        let b = Builtin(name: name, signature: sig, summary: "", doc: "", topic: "", isMethod: false) { _ in .none }
        let a = BoundArguments(builtin: b, slots: try sig.bind(args), interpreter: interp, range: args.range)
        if name == "defaultdict", let f = a.value("default_factory"), !f.isNone, !interp.isCallable(f) {
            throw PythonError(.TypeError, "first argument must be callable or None")
        }
        let d = DictObject(flavor: try flavor(a))
        if name == "Counter", let m = a.value("mapping"), !m.isNone, !(m.pyType.isSubtype(of: BuiltinTypes.dict)) {
            for x in try interp.collect(m, range: args.range) {
                let k = try HashKey(x)
                d[k] = try numberBinary(.add, d[k] ?? .int(0), .int(1)) ?? .int(1)
            }
            return .dict(d)
        }
        try interp.update(d, from: a.value("mapping"), keywords: a.keywordExtras)
        return .dict(d)
    }
    if base !== BuiltinTypes.object {
        // The flavours inherit dict's methods and add their own.
    if name == "OrderedDict" { t.method("move_to_end", ["key", "last=True"]) { a in
        guard dictObject(a).moveToEnd(try HashKey(a.value("key")!), last: try a.bool("last")) else {
            throw PythonError(.KeyError, arguments: [a.value("key")!])
        }
        return .none
    } }
    if name == "Counter" {
    t.method("most_common", ["n=None"]) { a in
        let order = try a.interpreter.counterOrder(dictObject(a))
        let n = a.has("n") ? try a.int("n") : order.count
        return .list(order.prefix(max(0, n)).map { .tuple([$0.0, $0.1]) })
    }
    t.method("elements", []) { a in
        var out: [Value] = []
        for (k, v) in dictObject(a).pairs {
            if case .int(let n) = v, n > 0 { out += [Value](repeating: k, count: n) }
        }
        return a.interpreter.makeIterator(PyIterator(out), typeName: "itertools.chain")
    }
    t.method("total", []) { a in
        try dictObject(a).values.reduce(Value.int(0)) { try a.interpreter.binaryOperation(.add, $0, $1, range: a.range) }
    }
    }
        return t
    }
    t.method("keys", []) { a in a.interpreter.makeView(dictObject(a), kind: "dict_keys") }
    t.method("values", []) { a in a.interpreter.makeView(dictObject(a), kind: "dict_values") }
    t.method("items", []) { a in a.interpreter.makeView(dictObject(a), kind: "dict_items") }
    t.method("get", ["key", "default=None", "/"]) { a in
        dictObject(a)[try HashKey(a.value("key")!)] ?? a.value("default")!
    }
    t.method("pop", ["key", "*default"]) { a in
        let d = dictObject(a)
        if let v = d.removeValue(forKey: try HashKey(a.value("key")!)) { return v }
        guard let fallback = a.rest.first else { throw PythonError(.KeyError, arguments: [a.value("key")!]) }
        return fallback
    }
    t.method("popitem", ["last=True"]) { a in
        let d = dictObject(a)
        let pairs = d.entriesInOrder
        guard let (k, v) = try a.bool("last") ? pairs.last : pairs.first else {
            throw PythonError(.KeyError, "popitem(): dictionary is empty")
        }
        d.removeValue(forKey: k)
        return .tuple([k.value, v])
    }
    t.method("setdefault", ["key", "default=None", "/"]) { a in
        let d = dictObject(a)
        let k = try HashKey(a.value("key")!)
        if let v = d[k] { return v }
        d[k] = a.value("default")!
        return a.value("default")!
    }
    t.method("update", ["mapping=None", "/", "**kwargs"]) { a in
        let d = dictObject(a)
        if case .counter = d.flavor {
            if let m = a.value("mapping"), !m.isNone {
                let pairs: [(Value, Value)] = m.pyType.isSubtype(of: BuiltinTypes.dict) ? try a.interpreter.mappingPairs(m, range: a.range)
                    : try a.interpreter.collect(m, range: a.range).map { ($0, .int(1)) }
                for (k, v) in pairs {
                    let key = try HashKey(k)
                    d[key] = try a.interpreter.binaryOperation(.add, d[key] ?? .int(0), v, range: a.range)
                }
            }
            return .none
        }
        try a.interpreter.update(d, from: a.value("mapping"), keywords: a.keywordExtras)
        return .none
    }
    t.method("copy", []) { a in .dict(dictObject(a).copy()) }
    t.method("clear", []) { a in dictObject(a).removeAll(); return .none }
    t.setAttribute("fromkeys", .instance(Instance(cls: BuiltinTypes.classMethod, payload: ClassMethodPayload(function:
        .function(Function(name: "fromkeys", signature: Signature(name: "dict.fromkeys", spec: ["cls", "iterable", "value=None", "/"])) { a in
            let d = DictObject()
            for k in try a.interpreter.collect(a.value("iterable")!, range: a.range) { d[try HashKey(k)] = a.value("value")! }
            return .dict(d)
        })))))
    return t
}

// MARK: - dict views

/// `dict.keys()`, `.values()`, `.items()`: live views printed as `dict_keys([...])`.
struct DictViewPayload {
    let dict: DictObject
    let kind: String

    var items: [Value] {
        switch kind {
        case "dict_keys": return dict.keys
        case "dict_values": return dict.values
        default: return dict.pairs.map { .tuple([$0.0, $0.1]) }
        }
    }
}

extension Interpreter {
    func makeView(_ d: DictObject, kind: String) -> Value {
        .instance(Instance(cls: BuiltinTypes.dictView(kind), payload: DictViewPayload(dict: d, kind: kind)))
    }
}

extension BuiltinTypes {
    nonisolated(unsafe) private static var views: [String: TypeObject] = [:]

    /// The class of a dict view (`dict_keys`, `dict_values`, `dict_items`).
    static func dictView(_ kind: String) -> TypeObject {
        if let t = views[kind] { return t }
        func payload(_ v: Value) -> DictViewPayload? {
            if case .instance(let i) = v { return i.payload as? DictViewPayload }
            return nil
        }
        var s = Slots()
        s.repr = { interp, v in
            guard let p = payload(v) else { return "" }
            return kind + "(" + (try interp.sequenceRepr(p.items, open: "[", close: "]", identity: nil, singleComma: false)) + ")"
        }
        s.length = { _, v in payload(v)?.dict.count ?? 0 }
        s.iterate = { _, v in PyIterator(payload(v)?.items ?? []) }
        s.contains = { interp, v, item in
            guard let p = payload(v) else { return false }
            if kind == "dict_keys" { return p.dict[try HashKey(item)] != nil }
            return try p.items.contains { try interp.equal($0, item) }
        }
        s.compare = { interp, op, a, b in
            guard op == .eq || op == .ne, let x = payload(a), let y = payload(b) else { return nil }
            let same = try interp.equal(.list(x.items), .list(y.items))
            return .bool(op == .eq ? same : !same)
        }
        let t = TypeObject(name: kind, base: object, slots: s)
        views[kind] = t
        return t
    }
}

// MARK: - set

private func setObject(_ a: BoundArguments) -> SetObject {
    if case .set(let s)? = a.value("self") { return s }
    return SetObject()
}

extension Interpreter {
    /// The members of an iterable as a set.
    func makeSet(_ v: Value, frozen: Bool = false) throws -> SetObject {
        if case .set(let s) = v { return s.copy(frozen: frozen) }
        let s = SetObject(frozen: frozen)
        for x in try collect(v, range: nil) { s.insert(try HashKey(x)) }
        return s
    }
}

func makeSetType(name: String) -> TypeObject {
    let frozen = name == "frozenset"
    var s = Slots()
    s.repr = { interp, v in
        guard case .set(let set) = v else { return "" }
        if set.count == 0 { return "\(name)()" }
        let inner = try set.orderedMembers.map { try interp.reprOf($0.value) }.joined(separator: ", ")
        return frozen ? "frozenset({\(inner)})" : "{\(inner)}"
    }
    s.length = { _, v in
        if case .set(let set) = v { return set.count }
        return 0
    }
    s.iterate = { _, v in
        guard case .set(let set) = v else { return PyIterator([]) }
        return PyIterator(set.orderedMembers.map(\.value))
    }
    s.contains = { _, v, item in
        guard case .set(let set) = v else { return false }
        return set.contains(try HashKey(item))
    }
    s.compare = { _, op, a, b in
        guard case .set(let x) = a, case .set(let y) = b else { return nil }
        let xs = x.orderedMembers, ys = y.orderedMembers
        let subset = xs.allSatisfy(y.contains), superset = ys.allSatisfy(x.contains)
        switch op {
        case .eq: return .bool(subset && superset)
        case .ne: return .bool(!(subset && superset))
        case .le: return .bool(subset)
        case .lt: return .bool(subset && x.count < y.count)
        case .ge: return .bool(superset)
        case .gt: return .bool(superset && x.count > y.count)
        }
    }
    func combine(_ op: BinaryOperator, _ x: SetObject, _ y: SetObject) -> SetObject? {
        let out = SetObject(frozen: x.frozen)
        switch op {
        case .bitOr: for k in x.orderedMembers + y.orderedMembers { out.insert(k) }
        case .bitAnd: for k in x.orderedMembers where y.contains(k) { out.insert(k) }
        case .subtract: for k in x.orderedMembers where !y.contains(k) { out.insert(k) }
        case .bitXor:
            for k in x.orderedMembers where !y.contains(k) { out.insert(k) }
            for k in y.orderedMembers where !x.contains(k) { out.insert(k) }
        case .add, .multiply, .divide, .floorDivide, .modulo, .power, .matmul, .leftShift, .rightShift:
            return nil
        }
        return out
    }
    s.binary = { _, op, v, other, reflected in
        guard case .set(let x) = v, case .set(let y) = other else { return nil }
        return (reflected ? combine(op, y, x) : combine(op, x, y)).map { .set($0) }
    }
    let t = TypeObject(name: name, base: BuiltinTypes.object, slots: s) { interp, _, args in
        let v = try Signature(name: name, spec: ["iterable=()", "/"]).bind(args)
        return .set(try interp.makeSet(v[0], frozen: frozen))
    }
    func setMethod(_ name: String, _ op: BinaryOperator) {
        t.method(name, ["*others"]) { a in
            var result = setObject(a).copy()
            for o in a.rest { result = combine(op, result, try a.interpreter.makeSet(o))! }
            return .set(result)
        }
    }
    setMethod("union", .bitOr)
    setMethod("intersection", .bitAnd)
    setMethod("difference", .subtract)
    setMethod("symmetric_difference", .bitXor)
    t.method("issubset", ["other", "/"]) { a in
        let other = try a.interpreter.makeSet(a.value("other")!)
        return .bool(setObject(a).orderedMembers.allSatisfy(other.contains))
    }
    t.method("issuperset", ["other", "/"]) { a in
        let mine = setObject(a)
        return .bool(try a.interpreter.makeSet(a.value("other")!).orderedMembers.allSatisfy(mine.contains))
    }
    t.method("isdisjoint", ["other", "/"]) { a in
        let mine = setObject(a)
        return .bool(!(try a.interpreter.makeSet(a.value("other")!).orderedMembers.contains(where: mine.contains)))
    }
    t.method("copy", []) { a in .set(setObject(a).copy()) }
    guard !frozen else { return t }
    t.method("add", ["element", "/"]) { a in setObject(a).insert(try HashKey(a.value("element")!)); return .none }
    t.method("remove", ["element", "/"]) { a in
        guard setObject(a).remove(try HashKey(a.value("element")!)) else { throw PythonError(.KeyError, arguments: [a.value("element")!]) }
        return .none
    }
    t.method("discard", ["element", "/"]) { a in setObject(a).remove(try HashKey(a.value("element")!)); return .none }
    t.method("pop", []) { a in
        let set = setObject(a)
        guard let k = set.orderedMembers.first else { throw PythonError(.KeyError, "pop from an empty set") }
        set.remove(k)
        return k.value
    }
    t.method("clear", []) { a in setObject(a).removeAll(); return .none }
    t.method("update", ["*others"]) { a in
        let set = setObject(a)
        for o in a.rest { for k in try a.interpreter.makeSet(o).orderedMembers { set.insert(k) } }
        return .none
    }
    return t
}
