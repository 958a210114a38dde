import Tensor
import AD
import NN

// The one place where the interpreter acts on values: every operation asks the value's class
// (its slots), with Python's fallbacks (reflected operators, `__len__` for truth, identity for
// `==`, iteration for `in`).

extension Interpreter {
    // MARK: - Attributes

    /// `obj.name`: the object's own attributes (slot), then its class dictionary (methods bound),
    /// then a user class's `__getattr__`.
    public func getAttribute(_ v: Value, _ name: String, range: SourceRange?) throws -> Value {
        if let r = try getAttributeIfPresent(v, name) { return r }
        let cls = v.pyType
        if definesDunder(cls, "__getattr__"), let r = try callDunder(v, "__getattr__", [.string(name)], range: range) { return r }
        var known = attributeNames(of: v)
        if case .type = v {} else { known += cls.mro.flatMap(\.attributeOrder) }
        let guess = closestName(name, among: known.filter { !$0.hasPrefix("_") || name.hasPrefix("_") })
        let what: String
        switch v {
        case .namespace(let n): what = "module '\(n.name)' has no attribute '\(name)'"
        case .type(let t): what = "type object '\(t.name)' has no attribute '\(name)'"
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .instance,
             .module, .slice, .shape, .dtype, .ellipsis:
            what = "'\(cls.name)' object has no attribute '\(name)'"
        }
        throw PythonError(.AttributeError, what, at: range, hint: guess.map { "did you mean '\($0)'?" })
    }

    /// `getattr(obj, name, None)`: the attribute, or nil when there is none.
    public func getAttributeIfPresent(_ v: Value, _ name: String) throws -> Value? {
        let cls = v.pyType
        // A property of a user class takes precedence over the instance's own attributes.
        if cls.isUserDefined, let attr = cls.lookup(name), case .instance(let i) = attr, i.payload is PropertyPayload {
            return try bindAttribute(attr, to: v, cls: cls, name: name)
        }
        if let r = try cls.slots.getAttribute?(self, v, name) { return r }
        if case .type = v { return nil }   // a class's own lookup is its slot
        if let attr = cls.lookup(name) { return try bindAttribute(attr, to: v, cls: cls, name: name) }
        return nil
    }

    /// `obj.name = value` (`del obj.name` when nil).
    public func setAttribute(_ v: Value, _ name: String, _ value: Value?, range: SourceRange?) throws {
        let cls = v.pyType
        if cls.isUserDefined, let attr = cls.lookup(name), case .instance(let i) = attr, let p = i.payload as? PropertyPayload {
            guard let f = value == nil ? p.deleter : p.setter else {
                throw PythonError(.AttributeError, "property '\(name)' of '\(cls.name)' object has no \(value == nil ? "deleter" : "setter")", at: range)
            }
            _ = try call(f, CallArguments(value.map { [v, $0] } ?? [v], range: range), range: range)
            return
        }
        guard let slot = cls.slots.setAttribute else {
            throw PythonError(.AttributeError, "'\(cls.name)' object has no attribute '\(name)' that can be \(value == nil ? "deleted" : "set")",
                              at: range)
        }
        try slot(self, v, name, value)
        globalsChanged()
    }

    /// Names for `dir(obj)` and completion: the object's own attributes and its class's.
    public func attributeNames(of v: Value) -> [String] {
        var names = v.pyType.slots.attributeNames?(self, v) ?? []
        if case .type(let t) = v { names += t.mro.flatMap(\.attributeOrder) }
        return names
    }

    // MARK: - Calls of slots with Python's fallbacks

    /// `a op b`: the left operand's slot, then the right operand's reflected slot.
    public func binaryOperation(_ op: BinaryOperator, _ a: Value, _ b: Value, range: SourceRange?) throws -> Value {
        let ta = a.pyType, tb = b.pyType
        // A subclass on the right gets the first chance, as in Python.
        if tb !== ta, tb.isSubtype(of: ta), let r = try tb.slots.binary?(self, op, b, a, true) { return r }
        if let r = try ta.slots.binary?(self, op, a, b, false) { return r }
        if tb !== ta, let r = try tb.slots.binary?(self, op, b, a, true) { return r }
        throw PythonError(.TypeError, "unsupported operand type(s) for \(op.rawValue): '\(ta.name)' and '\(tb.name)'", at: range,
                          hint: op == .matmul ? "@ multiplies tensors; convert lists with tensor(...)" : nil)
    }

    /// `a op= b`: in place when the left operand supports it, else `a op b`.
    public func inPlaceOperation(_ op: BinaryOperator, _ a: Value, _ b: Value, range: SourceRange?) throws -> Value {
        if let r = try a.pyType.slots.inPlace?(self, op, a, b) { return r }
        return try binaryOperation(op, a, b, range: range)
    }

    /// `-x`, `+x`, `~x`.
    public func unaryOperation(_ op: UnaryOperator, _ v: Value, range: SourceRange?) throws -> Value {
        if let r = try v.pyType.slots.unary?(self, op, v) { return r }
        throw PythonError(.TypeError, "bad operand type for unary \(op.rawValue): '\(v.pyType.name)'", at: range)
    }

    /// A comparison of the parser's kinds (`<`, `in`, `is not`, ...).
    func comparison(_ op: CompareOperator, _ a: Value, _ b: Value, range: SourceRange?) throws -> Value {
        switch op {
        case .less: return try richCompare(.lt, a, b, range: range)
        case .lessEqual: return try richCompare(.le, a, b, range: range)
        case .greater: return try richCompare(.gt, a, b, range: range)
        case .greaterEqual: return try richCompare(.ge, a, b, range: range)
        case .equal: return try richCompare(.eq, a, b, range: range)
        case .notEqual: return try richCompare(.ne, a, b, range: range)
        case .in: return .bool(try contains(b, a, range: range))
        case .notIn: return .bool(!(try contains(b, a, range: range)))
        case .is: return .bool(isSame(a, b))
        case .isNot: return .bool(!isSame(a, b))
        }
    }

    /// `a < b` and the other rich comparisons: the left slot, then the right's swapped slot; `==`
    /// and `!=` fall back to identity.
    public func richCompare(_ op: ComparisonOp, _ a: Value, _ b: Value, range: SourceRange?) throws -> Value {
        let ta = a.pyType, tb = b.pyType
        if tb !== ta, tb.isSubtype(of: ta), let r = try tb.slots.compare?(self, op.swapped, b, a) { return r }
        if let r = try ta.slots.compare?(self, op, a, b) { return r }
        if let r = try tb.slots.compare?(self, op.swapped, b, a) { return r }
        switch op {
        case .eq: return .bool(isSame(a, b))
        case .ne: return .bool(!isSame(a, b))
        case .lt, .le, .gt, .ge:
            throw PythonError(.TypeError, "'\(op.rawValue)' not supported between instances of '\(ta.name)' and '\(tb.name)'", at: range)
        }
    }

    /// Python `a == b` as a truth value (for `in`, `list.index`, `dict` keys...).
    public func equal(_ a: Value, _ b: Value) throws -> Bool {
        if isSame(a, b), !isNaN(a) { return true }
        return try truthy(try richCompare(.eq, a, b, range: nil), range: nil)
    }

    /// Python `a < b` as a truth value (for `sorted`, `min`, `max`).
    public func less(_ a: Value, _ b: Value) throws -> Bool {
        try truthy(try richCompare(.lt, a, b, range: nil), range: nil)
    }

    private func isNaN(_ v: Value) -> Bool {
        if case .float(let d) = v { return d.isNaN }
        return false
    }

    /// `a is b`: the same object (for values without identity: the same value).
    public func isSame(_ a: Value, _ b: Value) -> Bool {
        switch a {
        case .none: if case .none = b { return true }
        case .ellipsis: if case .ellipsis = b { return true }
        case .bool(let x): if case .bool(let y) = b { return x == y }
        case .int(let x): if case .int(let y) = b { return x == y && x >= -5 && x <= 256 }
        case .string(let x): if case .string(let y) = b { return x == y }
        case .tensor(let x): if case .tensor(let y) = b { return x === y }
        case .list(let x): if case .list(let y) = b { return x === y }
        case .dict(let x): if case .dict(let y) = b { return x === y }
        case .set(let x): if case .set(let y) = b { return x === y }
        case .type(let x): if case .type(let y) = b { return x === y }
        case .instance(let x): if case .instance(let y) = b { return x === y }
        case .module(let x): if case .module(let y) = b { return x === y }
        case .namespace(let x): if case .namespace(let y) = b { return x === y }
        case .dtype(let x): if case .dtype(let y) = b { return x == y }
        case .function(let x):
            guard case .function(let y) = b else { return false }
            if x === y { return true }
            if case .bound(let f, let r) = x.body, case .bound(let g, let s) = y.body { return isSame(f, g) && isSame(r, s) }
        case .bigInt, .float, .tuple, .slice, .shape:
            return false
        }
        return false
    }

    /// `item in container`: the container's slot, else a scan of its items.
    public func contains(_ container: Value, _ item: Value, range: SourceRange?) throws -> Bool {
        if let slot = container.pyType.slots.contains { return try slot(self, container, item) }
        if definesDunder(container.pyType, "__contains__"),
           let r = try callDunder(container, "__contains__", [item], range: range) {
            return try truthy(r, range: range)
        }
        guard container.pyType.slots.iterate != nil else {
            throw PythonError(.TypeError, "argument of type '\(container.pyType.name)' is not iterable", at: range)
        }
        let it = try iterator(container, range: range)
        while let x = try it.next() { if try equal(x, item) { return true } }
        return false
    }

    // MARK: - Items

    /// `obj[key]`.
    public func getItem(_ v: Value, _ key: Value, range: SourceRange?) throws -> Value {
        guard let slot = v.pyType.slots.getItem else {
            throw PythonError(.TypeError, "'\(v.pyType.name)' object is not subscriptable", at: range)
        }
        return try slot(self, v, key)
    }

    /// `obj[key] = value` (`del obj[key]` when nil).
    public func setItem(_ v: Value, _ key: Value, _ value: Value?, range: SourceRange?) throws {
        guard let slot = v.pyType.slots.setItem else {
            let what = value == nil ? "doesn't support item deletion" : "does not support item assignment"
            throw PythonError(.TypeError, "'\(v.pyType.name)' object \(what)", at: range, hint: itemAssignmentHint(v))
        }
        try slot(self, v, key, value)
        globalsChanged()
    }

    private func itemAssignmentHint(_ v: Value) -> String? {
        switch v {
        case .tensor:
            return "in-place writes to tensors come with imperative autograd; for now build a new tensor, e.g. with where(mask, new, x) or cat"
        case .tuple, .shape: return "tuples are immutable; use a list"
        case .string: return "strings are immutable; build a new one, e.g. s[:i] + c + s[i+1:]"
        case .none, .bool, .int, .bigInt, .float, .list, .dict, .set, .function, .type, .instance, .module, .namespace,
             .slice, .dtype, .ellipsis:
            return nil
        }
    }

    // MARK: - Iteration

    /// `iter(obj)`.
    public func iterator(_ v: Value, range: SourceRange?) throws -> PyIterator {
        guard let slot = v.pyType.slots.iterate else {
            throw PythonError(.TypeError, "'\(v.pyType.name)' object is not iterable", at: range)
        }
        return try slot(self, v)
    }

    /// Every item of an iterable.
    public func collect(_ v: Value, range: SourceRange?) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            let it = try iterator(v, range: range)
            var out: [Value] = []
            while let x = try it.next() {
                out.append(x)
                if out.count & 0xFFFF == 0, shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: [], at: range) }
            }
            return out
        }
    }

    /// An iterator object over `it` (a generator, `zip`, `map`...), printed with `typeName`.
    func makeIterator(_ it: PyIterator, typeName: String) -> Value {
        .instance(Instance(cls: BuiltinTypes.iteratorType(typeName), payload: it))
    }

    /// `len(obj)`.
    public func length(_ v: Value, range: SourceRange?) throws -> Int {
        guard let slot = v.pyType.slots.length else {
            throw PythonError(.TypeError, "object of type '\(v.pyType.name)' has no len()", at: range)
        }
        return try slot(self, v)
    }

    /// Python truthiness: the `truth` slot, else `len() != 0`, else true. An error (a tensor
    /// with many elements, a traced one) is placed at `range`, the condition's text.
    public func truthy(_ v: Value, range: SourceRange?) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .none: return false
        case .int(let i): return i != 0
        case .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            let t = v.pyType
            if let slot = t.slots.truth { return try placed(range) { try slot(self, v) } }
            if let slot = t.slots.length { return try placed(range) { try slot(self, v) } != 0 }
            return true
        }
    }

    // MARK: - Text

    /// `repr(obj)`; errors raised by a user `__repr__` propagate.
    public func reprOf(_ v: Value) throws -> String {
        if let slot = v.pyType.slots.repr { return try slot(self, v) }
        return defaultRepr(v)
    }

    /// `repr(obj)`, with a user `__repr__`'s error shown in place of the text.
    public func repr(_ v: Value) -> String {
        do { return try reprOf(v) } catch { return "<repr failed: \(pythonError(from: error))>" }
    }

    /// `str(obj)`; errors propagate.
    public func strOf(_ v: Value) throws -> String {
        if case .string(let s) = v { return s }
        if let slot = v.pyType.slots.str { return try slot(self, v) }
        return try reprOf(v)
    }

    /// `str(obj)`, with an error shown in place of the text.
    public func str(_ v: Value) -> String {
        do { return try strOf(v) } catch { return "<str failed: \(pythonError(from: error))>" }
    }

    /// `<__main__.Net object at 0x7f...>`.
    func defaultRepr(_ v: Value) -> String {
        "<\(v.pyType.qualifiedName) object at \(address(of: v))>"
    }

    /// A stable fake address for an object (`0x7f...`), from its identity.
    func address(of v: Value) -> String {
        var id: ObjectIdentifier?
        switch v {
        case .tensor(let h): id = ObjectIdentifier(h)
        case .list(let l): id = ObjectIdentifier(l)
        case .dict(let d): id = ObjectIdentifier(d)
        case .set(let s): id = ObjectIdentifier(s)
        case .function(let f): id = ObjectIdentifier(f)
        case .type(let t): id = ObjectIdentifier(t)
        case .instance(let i): id = ObjectIdentifier(i)
        case .module(let m): id = ObjectIdentifier(m)
        case .namespace(let n): id = ObjectIdentifier(n)
        case .none, .bool, .int, .bigInt, .float, .string, .tuple, .slice, .shape, .dtype, .ellipsis: id = nil
        }
        if stableOutput { return "0x<address>" }
        let bits = id.map { UInt(bitPattern: $0.hashValue) } ?? 0
        return "0x" + String(bits & 0x7fff_ffff_ffff, radix: 16)
    }

    /// `format(obj, spec)`.
    public func format(_ v: Value, _ spec: String) throws -> String {
        if let slot = v.pyType.slots.format { return try slot(self, v, spec) }
        if definesDunder(v.pyType, "__format__"), case .string(let s)? = try callDunder(v, "__format__", [.string(spec)]) {
            return s
        }
        guard spec.isEmpty else {
            throw PythonError(.TypeError, "unsupported format string passed to \(v.pyType.name).__format__")
        }
        return try strOf(v)
    }

    // MARK: - Context managers

    /// `with obj`: the value bound by `as`.
    func enterContext(_ v: Value, range: SourceRange?) throws -> Value {
        guard let slot = v.pyType.slots.enter else {
            throw PythonError(.TypeError, "'\(v.pyType.name)' object does not support the context manager protocol", at: range)
        }
        return try slot(self, v)
    }

    /// The end of `with obj`; true when the manager suppresses the exception.
    func exitContext(_ v: Value, _ e: PythonError?, range: SourceRange?) throws -> Bool {
        guard let slot = v.pyType.slots.exit else { return false }
        return try slot(self, v, e)
    }

    // MARK: - Hashing

    /// A dict key or set member for a value (`TypeError` when unhashable).
    public func hashKey(_ v: Value) throws -> HashKey { try HashKey(v) }
}
