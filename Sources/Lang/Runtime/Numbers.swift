import CFormat
import BigInt
#if canImport(Glibc)
import Glibc
#endif

/// A Python number: an exact integer (64-bit fast path, `BigInt` beyond) or a float. `bool` is
/// an integer, as in Python.
enum Number {
    case int(Int)
    case big(BigInt)
    case float(Double)

    /// The number in a value (`int`, `bool`, `float`), or nil.
    init?(_ v: Value) {
        switch v {
        case .int(let i): self = .int(i)
        case .bool(let b): self = .int(b ? 1 : 0)
        case .bigInt(let b): self = .big(b)
        case .float(let d): self = .float(d)
        case .none, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace,
             .slice, .shape, .dtype, .ellipsis:
            return nil
        }
    }

    /// The exact integer (nil for floats).
    var bigInt: BigInt? {
        switch self {
        case .int(let i): return BigInt(i)
        case .big(let b): return b
        case .float: return nil
        }
    }

    /// The number as a double (`OverflowError` for an integer too large).
    func double() throws -> Double {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .big(let b):
            let d = Double(b)
            guard d.isFinite else { throw PythonError(.OverflowError, "int too large to convert to float") }
            return d
        }
    }
}

/// Python's arithmetic on numbers; nil when an operand is not a number.
func numberBinary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value? {
    guard let x = Number(a), let y = Number(b) else { return nil }
    let bothBool: Bool = { if case .bool = a, case .bool = b { return true }; return false }()
    switch (x, y) {
    case (.int(let i), .int(let j)):
        let r = try intBinary(op, i, j)
        if bothBool, case .int(let k) = r, op == .bitAnd || op == .bitOr || op == .bitXor { return .bool(k != 0) }
        return r
    case (.float, _), (_, .float):
        return try floatBinary(op, try x.double(), try y.double())
    case (.int, .big), (.big, .int), (.big, .big):
        return try bigBinary(op, x.bigInt!, y.bigInt!)
    }
}

private func intBinary(_ op: BinaryOperator, _ x: Int, _ y: Int) throws -> Value {
    switch op {
    case .add:
        let (r, o) = x.addingReportingOverflow(y)
        return o ? .integer(BigInt(x) + BigInt(y)) : .int(r)
    case .subtract:
        let (r, o) = x.subtractingReportingOverflow(y)
        return o ? .integer(BigInt(x) - BigInt(y)) : .int(r)
    case .multiply:
        let (r, o) = x.multipliedReportingOverflow(by: y)
        return o ? .integer(BigInt(x) * BigInt(y)) : .int(r)
    case .divide:
        guard y != 0 else { throw PythonError(.ZeroDivisionError, "division by zero") }
        if abs(x) < (1 << 53) && abs(y) < (1 << 53) { return .float(Double(x) / Double(y)) }
        return try bigBinary(op, BigInt(x), BigInt(y))
    case .floorDivide, .modulo:
        guard y != 0 else {
            throw PythonError(.ZeroDivisionError, op == .modulo ? "integer modulo by zero" : "integer division or modulo by zero")
        }
        if x == Int.min && y == -1 { return try bigBinary(op, BigInt(x), BigInt(y)) }
        var q = x / y, m = x % y
        if m != 0 && ((m < 0) != (y < 0)) { q -= 1; m += y }
        return .int(op == .modulo ? m : q)
    case .power:
        if y < 0 {
            guard x != 0 else { throw PythonError(.ZeroDivisionError, "0.0 cannot be raised to a negative power") }
            return .float(pow(Double(x), Double(y)))
        }
        return try .integer(bigPower(BigInt(x), y))
    case .matmul:
        throw PythonError(.TypeError, "unsupported operand type(s) for @: 'int' and 'int'")
    case .bitAnd: return .int(x & y)
    case .bitOr: return .int(x | y)
    case .bitXor: return .int(x ^ y)
    case .leftShift:
        guard y >= 0 else { throw PythonError(.ValueError, "negative shift count") }
        if y < 62 && abs(x) < (1 << (62 - y)) { return .int(x << y) }
        return try bigBinary(op, BigInt(x), BigInt(y))
    case .rightShift:
        guard y >= 0 else { throw PythonError(.ValueError, "negative shift count") }
        return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
    }
}

private func bigBinary(_ op: BinaryOperator, _ x: BigInt, _ y: BigInt) throws -> Value {
    switch op {
    case .add: return .integer(x + y)
    case .subtract: return .integer(x - y)
    case .multiply:
        guard x.bitWidth + y.bitWidth < maximumIntegerBits else { throw tooLargeInteger() }
        return .integer(x * y)
    case .divide:
        guard y != 0 else { throw PythonError(.ZeroDivisionError, "division by zero") }
        // Scale so the quotient keeps 64 significant bits, then divide exactly.
        let shift = max(0, 64 - (x.magnitude.bitWidth - y.magnitude.bitWidth))
        let q = (x << shift) / y
        let d = Double(q) / pow(2, Double(shift))
        guard d.isFinite else { throw PythonError(.OverflowError, "integer division result too large for a float") }
        return .float(d)
    case .floorDivide, .modulo:
        guard y != 0 else {
            throw PythonError(.ZeroDivisionError, op == .modulo ? "integer modulo by zero" : "integer division or modulo by zero")
        }
        var (q, m) = x.quotientAndRemainder(dividingBy: y)
        if m != 0 && ((m < 0) != (y < 0)) { q -= 1; m += y }
        return .integer(op == .modulo ? m : q)
    case .power:
        if y < 0 { return .float(pow(try Number.big(x).double(), try Number.big(y).double())) }
        guard let e = Int(exactly: y) else { throw tooLargeInteger() }
        return try .integer(bigPower(x, e))
    case .matmul:
        throw PythonError(.TypeError, "unsupported operand type(s) for @: 'int' and 'int'")
    case .bitAnd: return .integer(x & y)
    case .bitOr: return .integer(x | y)
    case .bitXor: return .integer(x ^ y)
    case .leftShift:
        guard y >= 0 else { throw PythonError(.ValueError, "negative shift count") }
        guard let s = Int(exactly: y), x.bitWidth + s < maximumIntegerBits else { throw tooLargeInteger() }
        return .integer(x << s)
    case .rightShift:
        guard y >= 0 else { throw PythonError(.ValueError, "negative shift count") }
        guard let s = Int(exactly: y) else { return .int(x < 0 ? -1 : 0) }
        return .integer(x >> s)
    }
}

/// Integers larger than this many bits are refused (`MemoryError`) rather than computed.
let maximumIntegerBits = 1 << 26

private func tooLargeInteger() -> PythonError {
    PythonError(.MemoryError, "the integer result would have more than \(maximumIntegerBits) bits")
}

private func bigPower(_ base: BigInt, _ e: Int) throws -> BigInt {
    if base == 0 || base == 1 { return e == 0 ? 1 : base }
    if base == -1 { return e % 2 == 0 ? 1 : -1 }
    guard base.magnitude.bitWidth.multipliedReportingOverflow(by: e).partialValue < maximumIntegerBits, e < maximumIntegerBits else {
        throw tooLargeInteger()
    }
    return base.power(e)
}

private func floatBinary(_ op: BinaryOperator, _ x: Double, _ y: Double) throws -> Value {
    switch op {
    case .add: return .float(x + y)
    case .subtract: return .float(x - y)
    case .multiply: return .float(x * y)
    case .divide:
        guard y != 0 else { throw PythonError(.ZeroDivisionError, "float division by zero") }
        return .float(x / y)
    case .floorDivide, .modulo:
        guard y != 0 else {
            throw PythonError(.ZeroDivisionError, op == .modulo ? "float modulo" : "float floor division by zero")
        }
        let (q, m) = pythonFloatDivmod(x, y)
        return .float(op == .modulo ? m : q)
    case .power:
        if x == 0 && y < 0 { throw PythonError(.ZeroDivisionError, "0.0 cannot be raised to a negative power") }
        if x < 0 && y.rounded() != y && y.isFinite {
            throw PythonError(.ValueError, "a negative number to a fractional power has no real result (Python gives a complex number)")
        }
        let r = pow(x, y)
        if r.isInfinite && x.isFinite && y.isFinite { throw PythonError(.OverflowError, arguments: [.int(34), .string("Numerical result out of range")]) }
        return .float(r)
    case .matmul, .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
        throw PythonError(.TypeError, "unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
    }
}

/// Python's `divmod` for floats: the remainder has the divisor's sign.
func pythonFloatDivmod(_ x: Double, _ y: Double) -> (Double, Double) {
    var mod = fmod(x, y)
    var div = (x - mod) / y
    if mod != 0 {
        if (y < 0) != (mod < 0) { mod += y; div -= 1 }
    } else {
        mod = copysign(0, y)
    }
    var floordiv: Double
    if div != 0 {
        floordiv = div.rounded(.down)
        if div - floordiv > 0.5 { floordiv += 1 }
    } else {
        floordiv = copysign(0, x / y)
    }
    return (floordiv, mod)
}

/// Python's comparison of two numbers (exact between ints and floats); nil when not numbers.
func numberCompare(_ op: ComparisonOp, _ a: Value, _ b: Value) -> Bool? {
    guard let x = Number(a), let y = Number(b) else { return nil }
    let order: Int?   // -1, 0, 1, or nil when a NaN is involved
    switch (x, y) {
    case (.int(let i), .int(let j)): order = i < j ? -1 : (i == j ? 0 : 1)
    case (.float(let d), .float(let e)): order = d.isNaN || e.isNaN ? nil : (d < e ? -1 : (d == e ? 0 : 1))
    case (.float(let d), _): order = compareFloat(d, y.bigInt!).map { -$0 }
    case (_, .float(let e)): order = compareFloat(e, x.bigInt!)
    case (.int, .big), (.big, .int), (.big, .big):
        let p = x.bigInt!, q = y.bigInt!
        order = p < q ? -1 : (p == q ? 0 : 1)
    }
    guard let order else { return op == .ne }
    switch op {
    case .lt: return order < 0
    case .le: return order <= 0
    case .eq: return order == 0
    case .ne: return order != 0
    case .gt: return order > 0
    case .ge: return order >= 0
    }
}

/// The order of an integer relative to a float (-1 when the integer is smaller), exactly.
private func compareFloat(_ d: Double, _ i: BigInt) -> Int? {
    if d.isNaN { return nil }
    if d == .infinity { return -1 }
    if d == -.infinity { return 1 }
    let f = d.rounded(.down)
    let fi = BigInt(f)
    if i < fi { return -1 }
    if i > fi { return f == d ? 1 : 1 }
    return f == d ? 0 : -1
}

/// Python's `round(x, n)` for floats: the nearest multiple of 10**-n, ties to even on the exact
/// binary value (what `'%.nf'` gives).
func pythonRound(_ x: Double, _ n: Int) -> Double {
    guard x.isFinite else { return x }
    if n >= 0 {
        if n > 323 { return x }
        return Double(cFormat("%.\(n)f", x)) ?? x
    }
    let scale = pow(10, Double(-n))
    return (x / scale).rounded(.toNearestOrEven) * scale
}

/// `snprintf` with one double (`format` has one conversion of it, such as `%.2f`; `CFormat`).
func cFormat(_ format: String, _ d: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let n = jc_format_double_plain(&buffer, 512, format, d)
    if n >= 512 {
        buffer = [CChar](repeating: 0, count: Int(n) + 1)
        _ = jc_format_double_plain(&buffer, Int(n) + 1, format, d)
    }
    return String(cString: buffer)
}

/// `int(text, base)` as Python parses it: whitespace, sign, underscores, `0x`/`0o`/`0b`
/// prefixes (with base 0 or the matching base).
func parsePythonInt(_ text: String, base: Int) -> BigInt? {
    var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
    var negative = false
    if let c = s.first, c == "+" || c == "-" { negative = c == "-"; s = s.dropFirst() }
    var radix = base
    let lower = s.lowercased()
    for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) && (base == 0 || base == r) {
        radix = r
        s = s.dropFirst(2)
        if s.first == "_" { s = s.dropFirst() }
        break
    }
    if radix == 0 {
        radix = 10
        if s.count > 1 && s.first == "0" && s.contains(where: { $0 != "0" && $0 != "_" }) { return nil }
    }
    guard !s.isEmpty, !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { return nil }
    guard let v = BigInt(String(s.filter { $0 != "_" }), radix: radix) else { return nil }
    return negative ? -v : v
}

/// `float(text)` as Python parses it.
func parsePythonFloat(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    switch t {
    case "nan", "+nan", "-nan": return .nan
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default:
        guard !t.isEmpty, !t.hasPrefix("_"), !t.hasSuffix("_"), !t.contains("__") else { return nil }
        let cleaned = t.filter { $0 != "_" }
        guard cleaned.allSatisfy({ "0123456789.e+-".contains($0) }) else { return nil }
        return Double(cleaned)
    }
}

import Foundation
