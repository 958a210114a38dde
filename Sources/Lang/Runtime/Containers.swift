import Tensor
import AD
import NN
import BigInt

// Python's mutable containers: list, dict (and its flavours OrderedDict, defaultdict, Counter)
// and set. They are classes: two names bound to one list see each other's appends.

// MARK: - list

/// A Python `list`: a shared, mutable sequence.
///
/// ```swift
/// let xs = ListObject([.int(1)]); xs.items.append(.int(2))
/// ```
public final class ListObject {
    /// The items.
    public var items: [Value]
    /// Creates a list.
    public init(_ items: [Value] = []) { self.items = items }
}

// MARK: - Hashing

/// A dict key or set member: a hashable value, hashed and compared as Python does (`1`, `1.0`
/// and `True` are the same key; tuples by their items; objects by identity). Lists, dicts and sets
/// are not hashable.
public struct HashKey: Hashable {
    /// The value.
    public let value: Value

    /// A key for `value`, or `TypeError: unhashable type: 'list'`.
    public init(_ value: Value) throws {
        switch value {
        case .list, .dict, .set, .slice:
            throw PythonError(.TypeError, "unhashable type: '\(value.pyType.name)'")
        case .tuple(let items):
            for item in items { _ = try HashKey(item) }
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .function, .type, .instance, .module, .namespace,
             .shape, .dtype, .ellipsis:
            break
        }
        self.value = value
    }

    /// A key known to be hashable (strings, ints).
    public init(unchecked value: Value) { self.value = value }

    /// A string key.
    public static func string(_ s: String) -> HashKey { HashKey(unchecked: .string(s)) }

    public func hash(into hasher: inout Hasher) { HashKey.feed(value, &hasher) }

    private static func feed(_ v: Value, _ hasher: inout Hasher) {
        switch v {
        case .none: hasher.combine(0x4e6f6e65)
        case .bool(let b): hasher.combine(b ? 1 : 0)
        case .int(let i): hasher.combine(i)
        case .bigInt(let b): hasher.combine(b)
        case .float(let d):
            if d.rounded() == d, let i = Int(exactly: d) { hasher.combine(i) } else { hasher.combine(d) }
        case .string(let s): hasher.combine(s)
        case .tuple(let items):
            hasher.combine(items.count)
            for item in items { feed(item, &hasher) }
        case .shape(let s):
            hasher.combine(s.rank)
            for d in s.dims { hasher.combine(d) }
        case .dtype(let d): hasher.combine(d.rawValue)
        case .ellipsis: hasher.combine(0x2e2e2e)
        case .tensor(let h): hasher.combine(ObjectIdentifier(h))
        case .function(let f): hasher.combine(ObjectIdentifier(f))
        case .type(let t): hasher.combine(ObjectIdentifier(t))
        case .instance(let i): hasher.combine(ObjectIdentifier(i))
        case .module(let m): hasher.combine(ObjectIdentifier(m))
        case .namespace(let n): hasher.combine(ObjectIdentifier(n))
        case .list(let l): hasher.combine(ObjectIdentifier(l))
        case .dict(let d): hasher.combine(ObjectIdentifier(d))
        case .set(let s): hasher.combine(ObjectIdentifier(s))
        case .slice(let a, let b, let c): hasher.combine(a); hasher.combine(b); hasher.combine(c)
        }
    }

    public static func == (a: HashKey, b: HashKey) -> Bool { keysEqual(a.value, b.value) }

    /// Python `==` between hashable values.
    static func keysEqual(_ a: Value, _ b: Value) -> Bool {
        if let x = numericValue(a), let y = numericValue(b) { return x == y }
        switch a {
        case .none: if case .none = b { return true }
        case .ellipsis: if case .ellipsis = b { return true }
        case .string(let x): if case .string(let y) = b { return x == y }
        case .tuple(let x):
            if case .tuple(let y) = b { return x.count == y.count && zip(x, y).allSatisfy { keysEqual($0, $1) } }
            if case .shape(let s) = b { return keysEqual(a, .tuple(s.dims.map { .int($0) })) }
        case .shape(let x):
            if case .shape(let y) = b { return x == y }
            if case .tuple = b { return keysEqual(.tuple(x.dims.map { .int($0) }), b) }
        case .dtype(let x): if case .dtype(let y) = b { return x == y }
        case .tensor(let x): if case .tensor(let y) = b { return x === y }
        case .function(let x): if case .function(let y) = b { return x === y }
        case .type(let x): if case .type(let y) = b { return x === y }
        case .instance(let x): if case .instance(let y) = b { return x === y }
        case .module(let x): if case .module(let y) = b { return x === y }
        case .namespace(let x): if case .namespace(let y) = b { return x === y }
        case .slice(let a1, let b1, let c1): if case .slice(let a2, let b2, let c2) = b { return a1 == a2 && b1 == b2 && c1 == c2 }
        case .bool, .int, .bigInt, .float, .list, .dict, .set:
            return false
        }
        return false
    }

    /// A number as an exact comparable value (ints exactly, floats as doubles).
    private static func numericValue(_ v: Value) -> ExactNumber? {
        switch v {
        case .bool(let b): return .int(BigInt(b ? 1 : 0))
        case .int(let i): return .int(BigInt(i))
        case .bigInt(let b): return .int(b)
        case .float(let d): return .float(d)
        case .none, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            return nil
        }
    }

    private enum ExactNumber: Equatable {
        case int(BigInt)
        case float(Double)
        static func == (a: ExactNumber, b: ExactNumber) -> Bool {
            switch (a, b) {
            case (.int(let x), .int(let y)): return x == y
            case (.float(let x), .float(let y)): return x == y
            case (.int(let x), .float(let y)), (.float(let y), .int(let x)):
                guard y.isFinite, y.rounded() == y else { return false }
                return BigInt(exactly: y) == x
            }
        }
    }
}

// MARK: - dict

/// A Python `dict` (insertion-ordered), also in the flavours `collections.OrderedDict`,
/// `defaultdict` and `Counter`, which share its storage and differ in type and behaviour.
public final class DictObject {
    /// Which dict type this is.
    public enum Flavor {
        case plain
        case ordered
        /// `defaultdict(factory)`: a missing key is created with `factory()`.
        case defaultDict(Value)
        case counter
    }
    /// The dict's type.
    public var flavor: Flavor
    private var index: [HashKey: Int] = [:]
    private var entries: [(key: HashKey, value: Value)?] = []
    /// Number of keys.
    public private(set) var count = 0

    /// An empty dict.
    public init(flavor: Flavor = .plain) { self.flavor = flavor }

    /// A dict from string keys in order.
    public convenience init(strings pairs: [(String, Value)], flavor: Flavor = .plain) {
        self.init(flavor: flavor)
        for (k, v) in pairs { self[.string(k)] = v }
    }

    /// The value for a key; assigning nil removes it. A new key goes to the end.
    public subscript(key: HashKey) -> Value? {
        get { index[key].flatMap { entries[$0]?.value } }
        set {
            if let i = index[key] {
                if let newValue { entries[i] = (key, newValue) } else { remove(at: i, key: key) }
            } else if let newValue {
                index[key] = entries.count
                entries.append((key, newValue))
                count += 1
            }
        }
    }

    /// The value for a string key.
    public subscript(string key: String) -> Value? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    private func remove(at i: Int, key: HashKey) {
        entries[i] = nil
        index[key] = nil
        count -= 1
        if entries.count > 32 && count * 2 < entries.count { compact() }
    }

    private func compact() {
        entries = entries.compactMap { $0 }
        index = [:]
        for (i, e) in entries.enumerated() { index[e!.key] = i }
    }

    /// Removes a key, returning its value.
    @discardableResult
    public func removeValue(forKey key: HashKey) -> Value? {
        guard let i = index[key], let e = entries[i] else { return nil }
        remove(at: i, key: key)
        return e.value
    }

    /// Removes every key.
    public func removeAll() { index = [:]; entries = []; count = 0 }

    /// Keys in order.
    public var keys: [Value] { entries.compactMap { $0?.key.value } }
    /// Values in order.
    public var values: [Value] { entries.compactMap { $0?.value } }
    /// Key-value pairs in order.
    public var pairs: [(Value, Value)] { entries.compactMap { $0.map { ($0.key.value, $0.value) } } }
    /// Hash keys and values in order.
    public var entriesInOrder: [(HashKey, Value)] { entries.compactMap { $0.map { ($0.key, $0.value) } } }

    /// Moves a key to the end (or the start): `OrderedDict.move_to_end`.
    public func moveToEnd(_ key: HashKey, last: Bool) -> Bool {
        guard let v = self[key] else { return false }
        removeValue(forKey: key)
        if last { self[key] = v; return true }
        let rest = entriesInOrder
        removeAll()
        self[key] = v
        for (k, x) in rest { self[k] = x }
        return true
    }

    /// A shallow copy with the same flavour.
    public func copy() -> DictObject {
        let d = DictObject(flavor: flavor)
        for (k, v) in entriesInOrder { d[k] = v }
        return d
    }
}

// MARK: - set

/// A Python `set`, iterated in insertion order (CPython's order depends on hashes; for small
/// non-negative ints it is ascending, which `orderedMembers` reproduces).
public final class SetObject {
    private var index: [HashKey: Int] = [:]
    private var entries: [HashKey?] = []
    /// Number of members.
    public private(set) var count = 0
    /// Whether it is a `frozenset`.
    public let frozen: Bool

    /// An empty set.
    public init(frozen: Bool = false) { self.frozen = frozen }

    /// Whether a member is present.
    public func contains(_ k: HashKey) -> Bool { index[k] != nil }

    /// Adds a member.
    public func insert(_ k: HashKey) {
        guard index[k] == nil else { return }
        index[k] = entries.count
        entries.append(k)
        count += 1
    }

    /// Removes a member; false if absent.
    @discardableResult
    public func remove(_ k: HashKey) -> Bool {
        guard let i = index[k] else { return false }
        entries[i] = nil
        index[k] = nil
        count -= 1
        return true
    }

    /// Removes every member.
    public func removeAll() { index = [:]; entries = []; count = 0 }

    /// Members in iteration order: ascending when all are small non-negative ints (as CPython's
    /// hash table lays them out), otherwise insertion order.
    public var orderedMembers: [HashKey] {
        let members = entries.compactMap { $0 }
        let ints = members.compactMap { k -> Int? in
            if case .int(let i) = k.value, i >= 0, i < (1 << 20) { return i }
            return nil
        }
        if ints.count == members.count && !members.isEmpty {
            return zip(ints, members).sorted { $0.0 < $1.0 }.map(\.1)
        }
        return members
    }

    /// A copy.
    public func copy(frozen: Bool? = nil) -> SetObject {
        let s = SetObject(frozen: frozen ?? self.frozen)
        for k in entries.compactMap({ $0 }) { s.insert(k) }
        return s
    }
}
