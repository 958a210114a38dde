import Tensor
import AD
import BigInt

// `int`, `bool` and `float`: exact integers, Python's division and modulo, exact mixed
// comparisons, the format mini-language. A tensor on the other side of an operator takes over
// (the tensor's slots handle `2 * x`).

private func numberSlots() -> Slots {
    var s = Slots()
    s.binary = { _, op, a, b, reflected in
        reflected ? try numberBinary(op, b, a) : try numberBinary(op, a, b)
    }
    s.compare = { _, op, a, b in numberCompare(op, a, b).map { .bool($0) } }
    s.unary = { _, op, v in
        switch (op, v) {
        case (.negate, .int(let i)): return i == Int.min ? .bigInt(-BigInt(i)) : .int(-i)
        case (.negate, .bigInt(let b)): return .integer(-b)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .float(let d)): return .float(-d)
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.plus, _): return v
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bigInt(let b)): return .integer(-b - 1)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.invert, _), (.negate, _), (.not, _): return nil
        }
    }
    s.truth = { _, v in
        switch Number(v) {
        case .int(let i)?: return i != 0
        case .big(let b)?: return b != 0
        case .float(let d)?: return d != 0
        case nil: return true
        }
    }
    return s
}

func makeIntType() -> TypeObject {
    var s = numberSlots()
    s.repr = { _, v in
        switch v {
        case .int(let i): return String(i)
        case .bigInt(let b): return String(b)
        case .bool(let b): return b ? "1" : "0"
        case .none, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            return ""
        }
    }
    s.format = { _, v, spec in try formatInteger(Number(v)?.bigInt ?? 0, spec) }
    s.getAttribute = { _, v, name in
        switch name {
        case "real", "numerator": return v
        case "imag": return .int(0)
        case "denominator": return .int(1)
        default: return nil
        }
    }
    let t = TypeObject(name: "int", base: BuiltinTypes.object, slots: s) { interp, _, args in
        let v = try Signature(name: "int", spec: ["x=0", "/", "base=None"]).bind(args)
        if case .int(let b) = v[1] {
            guard case .string(let text) = v[0] else { throw PythonError(.TypeError, "int() can't convert non-string with explicit base") }
            guard b == 0 || (2...36).contains(b) else { throw PythonError(.ValueError, "int() base must be >= 2 and <= 36, or 0") }
            guard let n = parsePythonInt(text, base: b) else {
                throw PythonError(.ValueError, "invalid literal for int() with base \(b): \(pythonQuoted(text))")
            }
            return .integer(n)
        }
        return try interp.toInt(v[0])
    }
    t.method("bit_length", []) { a in
        let n = Number(a.value("self")!)?.bigInt ?? 0
        return .int(n == 0 ? 0 : n.magnitude.bitWidth)
    }
    t.method("conjugate", []) { a in a.value("self")! }
    t.method("is_integer", []) { _ in .bool(true) }
    t.method("as_integer_ratio", []) { a in .tuple([a.value("self")!, .int(1)]) }
    t.method("__index__", []) { a in a.value("self")! }
    t.method("__int__", []) { a in a.value("self")! }
    return t
}

func makeBoolType() -> TypeObject {
    var s = numberSlots()
    s.repr = { _, v in
        if case .bool(let b) = v { return b ? "True" : "False" }
        return ""
    }
    s.format = { interp, v, spec in
        if spec.isEmpty { return try interp.reprOf(v) }
        return try formatInteger(Number(v)?.bigInt ?? 0, spec)
    }
    return TypeObject(name: "bool", base: BuiltinTypes.int, slots: s) { interp, _, args in
        let v = try Signature(name: "bool", spec: ["x=False", "/"]).bind(args)
        return .bool(try interp.truthy(v[0], range: args.range))
    }
}

func makeFloatType() -> TypeObject {
    var s = numberSlots()
    s.repr = { _, v in
        if case .float(let d) = v { return pythonFloat(d) }
        return ""
    }
    s.format = { _, v, spec in try formatFloat(try Number(v)?.double() ?? .nan, spec) }
    s.getAttribute = { _, v, name in
        switch name {
        case "real": return v
        case "imag": return .float(0)
        default: return nil
        }
    }
    let t = TypeObject(name: "float", base: BuiltinTypes.object, slots: s) { interp, _, args in
        let v = try Signature(name: "float", spec: ["x=0.0", "/"]).bind(args)
        return .float(try interp.toFloat(v[0]))
    }
    t.method("is_integer", []) { a in
        guard case .float(let d) = a.value("self")! else { return .bool(false) }
        return .bool(d.isFinite && d.rounded() == d)
    }
    t.method("as_integer_ratio", []) { a in
        guard case .float(let d) = a.value("self")!, d.isFinite else {
            throw PythonError(.ValueError, "cannot convert Infinity or NaN to integer ratio")
        }
        var num = d, den = BigInt(1)
        while num.rounded() != num { num *= 2; den *= 2 }
        var n = BigInt(num)
        let g = n.greatestCommonDivisor(with: den)
        n /= g
        return .tuple([.integer(n), .integer(den / g)])
    }
    t.method("hex", []) { a in
        guard case .float(let d) = a.value("self")! else { return .string("") }
        return .string(cFormat("%a", d))
    }
    t.method("conjugate", []) { a in a.value("self")! }
    t.setAttribute("fromhex", .function(Function(name: "fromhex", signature: Signature(name: "float.fromhex", spec: ["string"])) { a in
        guard let d = Double(try a.string("string")) else { throw PythonError(.ValueError, "invalid hexadecimal floating-point string") }
        return .float(d)
    }))
    return t
}

extension Interpreter {
    /// `int(x)`: numbers truncated, strings parsed, one-element tensors read, `__int__`/`__index__`.
    func toInt(_ v: Value) throws -> Value {
        switch v {
        case .int, .bigInt: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            if d.isNaN { throw PythonError(.ValueError, "cannot convert float NaN to integer") }
            if d.isInfinite { throw PythonError(.OverflowError, "cannot convert float infinity to integer") }
            return .integer(BigInt(d.rounded(.towardZero)))
        case .string(let s):
            guard let n = parsePythonInt(s, base: 10) else {
                throw PythonError(.ValueError, "invalid literal for int() with base 10: \(pythonQuoted(s))")
            }
            return .integer(n)
        case .tensor(let h):
            let t = try jaxConcrete(h, "int()")
            guard t.elementCount == 1 else {
                throw PythonError(.ValueError, "only one element tensors can be converted to Python scalars")
            }
            let d = t.scalarValue!
            if d.isNaN { throw PythonError(.ValueError, "cannot convert float NaN to integer") }
            return .integer(BigInt(d.rounded(.towardZero)))
        case .none, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .slice, .shape,
             .dtype, .ellipsis:
            for name in ["__int__", "__index__"] where definesDunder(v.pyType, name) {
                return try callDunder(v, name, [])!
            }
            throw PythonError(.TypeError, "int() argument must be a string, a bytes-like object or a real number, not '\(v.pyType.name)'")
        }
    }

    /// `float(x)`.
    func toFloat(_ v: Value) throws -> Double {
        switch v {
        case .string(let s):
            guard let d = parsePythonFloat(s) else { throw PythonError(.ValueError, "could not convert string to float: \(pythonQuoted(s))") }
            return d
        case .tensor(let h):
            let t = try jaxConcrete(h, "float()")
            guard t.elementCount == 1 else {
                throw PythonError(.ValueError, "only one element tensors can be converted to Python scalars")
            }
            return t.scalarValue!
        case .none, .bool, .int, .bigInt, .float, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            if let n = Number(v) { return try n.double() }
            if definesDunder(v.pyType, "__float__"), case .float(let d)? = try callDunder(v, "__float__", []) { return d }
            throw PythonError(.TypeError, "float() argument must be a string or a real number, not '\(v.pyType.name)'")
        }
    }
}
