import Tensor

/// How NumPy formats the elements of one array (`FloatingFormat`, `IntegerFormat`, `BoolFormat`
/// in `arrayprint.py`), measured once over the (kept) elements so that all share one width:
///
/// - floats, `maxprec` mode: each value's shortest round-trip digits, cut at 8 fractional digits
///   (the cut rounds the exact value, ties to even); positional, padded left to the widest integer
///   part and right to the longest fraction (`[ 1.5    -0.25  ]`); scientific when a non-zero
///   magnitude is below 1e-4 or at least 1e8 or the largest is over 1000 times the smallest, with
///   every mantissa given the longest fraction and the exponents one width (`1.5e-05`);
///   `nan`/`inf` right-aligned in the same width;
/// - integers right-aligned to the widest; bools `True`/`False`, with ` True` in arrays.
struct ElementFormat {
    private enum Kind {
        case bool
        case integer(width: Int)
        case positional(padLeft: Int, padRight: Int)
        case scientific(padLeft: Int, fractionDigits: Int, expDigits: Int)
    }

    private let kind: Kind
    private let dtype: DType
    private let isScalar: Bool
    private static let precision = 8

    /// Measures the elements; integer types give their exact texts in `integerTexts`.
    init(values: [Double], dtype: DType, isScalar: Bool, integerTexts: [String]? = nil) {
        self.dtype = dtype
        self.isScalar = isScalar
        switch dtype {
        case .bool: kind = .bool
        case .uint8, .int8, .int16, .int32, .uint32, .int64:
            let widths = (integerTexts ?? values.map { String(Int64($0)) }).map(\.count)
            kind = .integer(width: widths.max() ?? 0)
        case .float16, .bfloat16, .float32, .float64:
            kind = Self.floatKind(values, dtype: dtype)
        }
    }

    private static func floatKind(_ values: [Double], dtype: DType) -> Kind {
        let finite = values.filter(\.isFinite)
        let nonZero = finite.filter { $0 != 0 }.map(Swift.abs)
        var exponential = false
        if let maxV = nonZero.max(), let minV = nonZero.min() {
            // The tests are made in the array's own type, as NumPy does; the upper limit is
            // 10^min(8, decimal precision of the type): 1e6 for float32.
            let wide = dtype == .float64
            let ratio = wide ? maxV / minV : Double(Float(maxV) / Float(minV))
            let upper: Double = wide ? 1e8 : dtype == .float16 ? 1e3 : dtype == .bfloat16 ? 1e2 : 1e6
            exponential = maxV >= upper || (wide ? minV < 0.0001 : Float(minV) < Float(0.0001)) || ratio > 1000
        }
        var padLeft = 0, padRight = 0
        var result: Kind
        if finite.isEmpty {
            result = .positional(padLeft: 0, padRight: 0)
        } else if exponential {
            let parts = finite.map { ShortestDigits($0, dtype: dtype).scientific(fractionDigits: precision, minFractionDigits: 0, expDigits: 2, pythonStyle: false) }
            let split = parts.map { p -> (String, String, String) in
                let e = p.firstIndex(of: "e")!
                let mantissa = p[..<e], exp = String(p[p.index(after: e)...])
                let dot = mantissa.firstIndex(of: ".")!
                return (String(mantissa[..<dot]), String(mantissa[mantissa.index(after: dot)...]), exp)
            }
            let fraction = split.map(\.1.count).max()!
            padLeft = split.map(\.0.count).max()!
            let expDigits = split.map(\.2.count).max()! - 1
            padRight = expDigits + 2 + fraction
            result = .scientific(padLeft: padLeft, fractionDigits: fraction, expDigits: expDigits)
        } else {
            let parts = finite.map { ShortestDigits($0, dtype: dtype).positional(fractionDigits: precision, keepPoint: true) }
            padLeft = parts.map { $0.prefix { $0 != "." }.count }.max()!
            padRight = parts.map { $0.count - $0.prefix { $0 != "." }.count - 1 }.max()!
            result = .positional(padLeft: padLeft, padRight: padRight)
        }
        if finite.count != values.count {
            let negativeInf = values.contains { $0.isInfinite && $0 < 0 }
            let offset = padRight + 1
            padLeft = max(padLeft, 3 - offset, 3 + (negativeInf ? 1 : 0) - offset)
            switch result {
            case .positional: result = .positional(padLeft: padLeft, padRight: padRight)
            case .scientific(_, let f, let e): result = .scientific(padLeft: padLeft, fractionDigits: f, expDigits: e)
            case .bool, .integer: break
            }
        }
        return result
    }

    /// An integer's exact text padded to the common width; other kinds format as `format`.
    func pad(_ text: String) -> String {
        if case .integer(let width) = kind { return Self.leftPad(text, width) }
        return text
    }

    /// One element's text, padded to the common width.
    func format(_ v: Double) -> String {
        switch kind {
        case .bool: return v != 0 ? (isScalar ? "True" : " True") : "False"
        case .integer(let width): return Self.leftPad(String(Int64(v)), width)
        case .positional(let padLeft, let padRight):
            if !v.isFinite { return Self.leftPad(Self.nonFinite(v), padLeft + padRight + 1) }
            let s = ShortestDigits(v, dtype: dtype).positional(fractionDigits: Self.precision, keepPoint: true)
            let intPart = s.prefix { $0 != "." }.count
            let frac = s.count - intPart - 1
            return String(repeating: " ", count: max(0, padLeft - intPart)) + s + String(repeating: " ", count: max(0, padRight - frac))
        case .scientific(let padLeft, let fraction, let expDigits):
            if !v.isFinite { return Self.leftPad(Self.nonFinite(v), padLeft + expDigits + 2 + fraction + 1) }
            // Every element gets exactly `fraction` digits: the exact value's, rounded.
            let s = ShortestDigits(v, dtype: dtype).exactScientific(fractionDigits: fraction, expDigits: expDigits)
            let intPart = s.prefix { $0 != "." }.count
            return String(repeating: " ", count: max(0, padLeft - intPart)) + s
        }
    }

    private static func nonFinite(_ v: Double) -> String { v.isNaN ? "nan" : (v < 0 ? "-inf" : "inf") }

    private static func leftPad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}

/// A float's shortest round-trip decimal digits in its own type (what NumPy's Dragon4 in unique
/// mode and Python's `repr` produce): `digits` without leading or trailing zeros and the decimal
/// exponent of the first digit, so 0.015625 is ("15625", -2).
struct ShortestDigits {
    let negative: Bool
    let digits: String
    let exponent: Int
    private let value: Double

    init(_ v: Double, dtype: DType) {
        value = v
        negative = v.sign == .minus
        let text: String
        switch dtype {
        case .float16: text = "\(Swift.abs(Float16(v)))"
        case .float32, .bfloat16: text = "\(Swift.abs(Float(v)))"
        default: text = "\(Swift.abs(v))"
        }
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exp10 = parts.count > 1 ? Int(parts[1])! : 0
        let dot = mantissa.firstIndex(of: ".")
        let intDigits = dot.map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var all = Array(mantissa.filter { $0 != "." })
        var point = intDigits
        while all.first == "0" && all.count > 1 { all.removeFirst(); point -= 1 }
        while all.last == "0" && all.count > 1 { all.removeLast() }
        if all == ["0"] { digits = "0"; exponent = 0 } else { digits = String(all); exponent = point - 1 + exp10 }
    }

    /// Positional text with at most `fractionDigits` fractional digits (nil: as many as the
    /// digits need); when the digits need more, the exact value is rounded to that many and
    /// trailing zeros dropped. `keepPoint` ends whole numbers with `.` (NumPy); else `.0` (Python).
    func positional(fractionDigits: Int?, keepPoint: Bool) -> String {
        let needed = max(0, digits.count - 1 - exponent)
        var body: String
        if let limit = fractionDigits, needed > limit {
            body = PythonFloatFormat.fixed(Swift.abs(value), precision: limit)
            while body.last == "0" { body.removeLast() }
        } else if digits == "0" {
            body = "0."
        } else if exponent < 0 {
            body = "0." + String(repeating: "0", count: -exponent - 1) + digits
        } else if digits.count <= exponent + 1 {
            body = digits + String(repeating: "0", count: exponent + 1 - digits.count) + "."
        } else {
            let i = digits.index(digits.startIndex, offsetBy: exponent + 1)
            body = digits[..<i] + "." + digits[i...]
        }
        if body.last == "." && !keepPoint { body += "0" }
        return (negative ? "-" : "") + body
    }

    /// Scientific text with exactly `fractionDigits` digits of the exact value (rounded half to
    /// even), the exponent padded to `expDigits`.
    func exactScientific(fractionDigits: Int, expDigits: Int) -> String {
        let text = PythonFloatFormat.scientific(Swift.abs(value), precision: fractionDigits)
        let e = text.firstIndex(of: "e")!
        var mantissa = String(text[..<e])
        if !mantissa.contains(".") { mantissa += "." }
        let exp = Int(text[text.index(after: e)...])!
        let expText = String(Swift.abs(exp))
        return (negative ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+")
            + String(repeating: "0", count: max(0, expDigits - expText.count)) + expText
    }

    /// Scientific text `d.ddd e±XX`: at most `fractionDigits` fractional digits (rounding the exact
    /// value when the digits need more), zero-padded to `minFractionDigits`, the exponent to
    /// `expDigits` digits. `pythonStyle` drops a bare point (`1e-05`, as Python's repr).
    func scientific(fractionDigits: Int?, minFractionDigits: Int, expDigits: Int, pythonStyle: Bool) -> String {
        var mantissa: String, exp = exponent
        if let limit = fractionDigits, digits.count - 1 > limit {
            let text = PythonFloatFormat.scientific(Swift.abs(value), precision: limit)
            let e = text.firstIndex(of: "e")!
            mantissa = String(text[..<e])
            exp = Int(text[text.index(after: e)...])!
            while mantissa.last == "0" { mantissa.removeLast() }
        } else {
            mantissa = String(digits.first!) + "." + digits.dropFirst()
        }
        let fraction = mantissa.count - 2
        if fraction < minFractionDigits { mantissa += String(repeating: "0", count: minFractionDigits - fraction) }
        if pythonStyle && mantissa.hasSuffix(".") { mantissa.removeLast() }
        let expText = String(Swift.abs(exp))
        return (negative ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+")
            + String(repeating: "0", count: max(0, expDigits - expText.count)) + expText
    }
}
