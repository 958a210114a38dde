import Tensor
import AD
import NN
import BigInt

/// A value of the language. Every value has a type (`Value.pyType`, a `TypeObject`), and the
/// interpreter acts on values only through their type's slots (`Slots`), so builtin types and
/// user classes behave alike. The cases are the layouts of objects, closed:
///
/// - numbers and strings are values; an `int` that does not fit 64 bits is a `BigInt`;
/// - `list`, `dict` and `set` are shared mutable objects (Python's reference semantics);
/// - a tensor is a `TensorHandle`, shared by reference as PyTorch's tensors are;
/// - user objects, exceptions and builtin objects without a case of their own (ranges,
///   iterators, properties, files, ...) are `Instance`s of their class;
/// - layers and networks (`nn.Module`, user subclasses included) are `NN.Module`s.
///
/// ```swift
/// let v = Value.tuple([.int(1), .string("a")])
/// interpreter.repr(v)   // "(1, 'a')"
/// ```
public enum Value {
    case none
    case bool(Bool)
    /// An `int` that fits 64 bits (every result that fits is stored this way).
    case int(Int)
    /// An `int` outside 64 bits.
    case bigInt(BigInt)
    case float(Double)
    case string(String)
    case tensor(TensorHandle)
    case list(ListObject)
    case tuple([Value])
    case dict(DictObject)
    case set(SetObject)
    /// A function, builtin or method.
    case function(Function)
    /// A class (builtin or user-defined).
    case type(TypeObject)
    /// An object of a class without a layout of its own.
    case instance(Instance)
    /// A layer or network.
    case module(Module)
    /// A Python module such as `torch`, `math` or `sys`.
    case namespace(Namespace)
    /// `slice(start, stop, step)`.
    case slice(Int?, Int?, Int?)
    /// `torch.Size`.
    case shape(Shape)
    /// `torch.float32` and the other dtypes.
    case dtype(DType)
    /// `...`.
    case ellipsis

    /// The tensor object for an operation's result: a new one around a value, or the tensor
    /// itself when the result is a tracked tensor (an autograd output, or an input returned as it
    /// is, as `x.float()` on a float tensor returns `x`).
    public static func tensor(_ o: Operand) -> Value {
        if case .tracked(let h) = o { return .tensor(h) }
        return .tensor(TensorHandle(o))
    }

    /// A new list object.
    public static func list(_ items: [Value]) -> Value { .list(ListObject(items)) }

    /// An integer, stored as `.int` when it fits 64 bits.
    public static func integer(_ b: BigInt) -> Value {
        if let i = Int(exactly: b) { return .int(i) }
        return .bigInt(b)
    }

    /// What operations act on, if this is a tensor (tracked when it requires grad).
    public var operand: Operand? {
        if case .tensor(let h) = self { return h.operand }
        return nil
    }

    /// Whether this is `None`.
    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// The text of a source file, kept by functions and errors so that an error raised in code from
/// another file (or from a string given to `Timer`) is shown with its own lines.
public final class SourceText {
    /// The file name as shown in errors (`sessions/x.jac`, `<stdin>`, `<string>`).
    public let file: String
    /// The whole text.
    public let text: String
    /// Creates a source text.
    public init(file: String, text: String) { self.file = file; self.text = text }
}

/// Python's repr of a string: single quotes unless the string contains one and no double quote.
public func pythonQuoted(_ s: String) -> String {
    let useDouble = s.contains("'") && !s.contains("\"")
    let q: Character = useDouble ? "\"" : "'"
    var out = String(q)
    for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case q.unicodeScalars.first!: out += "\\" + String(q)
        default:
            if ch.value < 0x20 || ch.value == 0x7F {
                let hex = String(ch.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(ch)
            }
        }
    }
    return out + String(q)
}

/// Python's repr of a float: shortest round-trip digits, `1.0` for integral values, `inf`, `nan`,
/// exponent form below 1e-4 and from 1e16.
public func pythonFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description gives the shortest round-trip digits; re-lay them out as Python does.
    let text = "\(abs(d))"
    var digits = ""
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        let mantissa = text[..<e]
        exponent = Int(text[text.index(after: e)...])!
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        exponent += parts[0].count - 1
    } else {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
        if intPart != "0" {
            digits = intPart + frac
            exponent = intPart.count - 1
        } else {
            let zeros = frac.prefix { $0 == "0" }.count
            digits = String(frac.dropFirst(zeros))
            exponent = -zeros - 1
        }
    }
    while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
    while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); exponent -= 1 }
    let sign = d < 0 ? "-" : ""
    if exponent < -4 || exponent >= 16 {
        let mant = digits.count > 1 ? String(digits.first!) + "." + digits.dropFirst() : digits
        let e = exponent < 0 ? "-" + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
                             : "+" + (exponent < 10 ? "0" : "") + String(exponent)
        return sign + mant + "e" + e
    }
    if exponent < 0 {
        return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
    }
    if digits.count <= exponent + 1 {
        return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
    }
    let i = digits.index(digits.startIndex, offsetBy: exponent + 1)
    return sign + digits[..<i] + "." + digits[i...]
}
