import Tensor
import AD
import NN

/// A key of a dict value: Python allows any hashable; Jacobi allows strings and integers.
public enum DictKey: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int)
    public var description: String {
        switch self {
        case .string(let s): return pythonQuoted(s)
        case .int(let i): return String(i)
        }
    }
    /// The key as a value.
    public var value: Value {
        switch self {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        }
    }
}

/// An insertion-ordered dictionary, as Python's `dict`.
public struct OrderedDict: Sendable {
    public private(set) var keys: [DictKey] = []
    private var storage: [DictKey: Value] = [:]
    /// An empty dict.
    public init() {}
    /// A dict from pairs in order (a repeated key keeps its first position and last value).
    public init(_ pairs: [(DictKey, Value)]) { for (k, v) in pairs { self[k] = v } }
    /// The value for a key; assigning nil removes the key.
    public subscript(key: DictKey) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage[key] == nil { keys.append(key) }
                storage[key] = newValue
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }
    /// Key-value pairs in insertion order.
    public var pairs: [(DictKey, Value)] { keys.map { ($0, storage[$0]!) } }
    /// Number of keys.
    public var count: Int { keys.count }
}

/// A value of the language: Python's numbers, strings, containers and functions,
/// plus tensors (concrete or traced), shapes, dtypes and namespaces such as `torch.func`.
///
/// ```swift
/// let v = Value.tuple([.int(1), .string("a")])
/// v.repr   // "(1, 'a')"
/// ```
public indirect enum Value: @unchecked Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case tensor(Operand)
    case list([Value])
    case tuple([Value])
    case dict(OrderedDict)
    case function(Function)
    case shape(Shape)
    case dtype(DType)
    /// A dotted prefix such as `torch` or `torch.func`, resolved on attribute access.
    case namespace(String)
    /// A `slice(start, stop, step)` object.
    case slice(Int?, Int?, Int?)
    /// An object with named attributes and a type name.
    case object(Object)
    /// A layer or network (`nn.Module`).
    case module(Module)

    /// Python's `type(x).__name__`.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .tensor: return "Tensor"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .function: return "function"
        case .shape: return "Size"
        case .dtype: return "dtype"
        case .namespace: return "module"
        case .slice: return "slice"
        case .object(let o): return o.typeName
        case .module(let m): return m.typeName
        }
    }

    /// The tensor operand, if this is a tensor.
    public var operand: Operand? {
        if case .tensor(let o) = self { return o }
        return nil
    }
}

/// A mutable object with attributes, shared by reference (as Python objects are).
public final class Object: @unchecked Sendable {
    /// Python type name, e.g. `Linear`.
    public let typeName: String
    /// Attributes in definition order.
    public var attributes: OrderedDict
    /// Custom printing, if any.
    public var reprOverride: (() -> String)?
    /// Makes the object callable.
    public var call: Function?
    /// Creates an object with a type name, attributes and an optional call.
    public init(typeName: String, attributes: OrderedDict = OrderedDict(), call: Function? = nil) {
        self.typeName = typeName; self.attributes = attributes; self.call = call
    }
}

/// Python's repr of a string: single quotes unless the string contains one and no double quote.
public func pythonQuoted(_ s: String) -> String {
    let useDouble = s.contains("'") && !s.contains("\"")
    let q: Character = useDouble ? "\"" : "'"
    var out = String(q)
    for ch in s {
        switch ch {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case q: out += "\\" + String(q)
        default: out.append(ch)
        }
    }
    return out + String(q)
}

/// Python's repr of a float: shortest round-trip digits, `1.0` for integral values, `inf`, `nan`.
public func pythonFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    var s = "\(d)"   // Swift prints the shortest round-trip representation
    if s.contains("e") {
        // Swift: 1e-05 -> "1e-05"; Python: "1e-05". Swift: 1e+20 -> "1e+20"; Python: "1e+20".
        if let range = s.range(of: ".0e") { s.replaceSubrange(range, with: "e") }
        return s
    }
    let magnitude = abs(d)
    if magnitude >= 1e16 {
        // Python switches to exponent notation at 1e16.
        let exp = Int(log10(magnitude).rounded(.down))
        let mant = d / pow(10, Double(exp))
        var m = "\(mant)"
        if m.hasSuffix(".0") { m.removeLast(2) }
        return "\(m)e+\(exp)"
    }
    return s
}

#if canImport(Glibc)
import Glibc
#endif
