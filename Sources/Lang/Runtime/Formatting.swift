import BigInt

// Python's format specification mini-language (`format(x, spec)`, f-strings, `str.format`) and
// printf-style `%` formatting, for ints, floats and strings.

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var coerceNegativeZero = false
    var alternate = false
    var zeroPad = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    /// Parses a spec, or raises Python's `ValueError`.
    init(_ spec: String) throws {
        var chars = Array(spec)[...]
        func peek(_ i: Int = 0) -> Character? { chars.count > i ? chars[chars.startIndex + i] : nil }
        if let c1 = peek(1), "<>=^".contains(c1), let c0 = peek() {
            fill = c0; align = c1; chars = chars.dropFirst(2)
        } else if let c0 = peek(), "<>=^".contains(c0) {
            align = c0; chars = chars.dropFirst()
        }
        if let c = peek(), "+- ".contains(c) { sign = c; chars = chars.dropFirst() }
        if peek() == "z" { coerceNegativeZero = true; chars = chars.dropFirst() }
        if peek() == "#" { alternate = true; chars = chars.dropFirst() }
        if peek() == "0" { zeroPad = true; chars = chars.dropFirst() }
        var digits = ""
        while let c = peek(), c.isASCII, c.isNumber { digits.append(c); chars = chars.dropFirst() }
        width = Int(digits) ?? 0
        if let c = peek(), c == "," || c == "_" { grouping = c; chars = chars.dropFirst() }
        if peek() == "." {
            chars = chars.dropFirst()
            var p = ""
            while let c = peek(), c.isASCII, c.isNumber { p.append(c); chars = chars.dropFirst() }
            guard !p.isEmpty else { throw PythonError(.ValueError, "Format specifier missing precision") }
            precision = Int(p)
        }
        if let c = peek() { type = c; chars = chars.dropFirst() }
        guard chars.isEmpty else { throw PythonError(.ValueError, "Invalid format specifier '\(spec)'") }
    }

    /// Pads `body` (with `prefix` = sign and base prefix, kept before zero padding) to the width.
    func pad(_ body: String, prefix: String = "", numeric: Bool) -> String {
        let alignment = align ?? (zeroPad && numeric ? "=" : (numeric ? ">" : "<"))
        let fillChar = (zeroPad && align == nil && numeric) ? "0" : fill
        let length = prefix.count + body.count
        guard width > length else { return prefix + body }
        let n = width - length
        let padding = String(repeating: fillChar, count: n)
        switch alignment {
        case "<": return prefix + body + padding
        case "^":
            let left = n / 2
            return String(repeating: fillChar, count: left) + prefix + body + String(repeating: fillChar, count: n - left)
        case "=": return prefix + padding + body
        default: return padding + prefix + body
        }
    }
}

/// Inserts a separator every three digits of an integer's digit string (`4` for `_` with
/// binary/hex types).
private func group(_ digits: String, _ sep: Character, every n: Int = 3) -> String {
    var out: [Character] = []
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % n == 0 { out.append(sep) }
        out.append(c)
    }
    return String(out.reversed())
}

/// `format(int, spec)`.
func formatInteger(_ v: BigInt, _ spec: String) throws -> String {
    let s = try FormatSpec(spec)
    if let t = s.type, "eEfFgG%".contains(t) {
        return try formatFloat(Double(v), spec)
    }
    if s.precision != nil { throw PythonError(.ValueError, "Precision not allowed in integer format specifier") }
    var digits: String
    var prefix = ""
    let magnitude = v.magnitude
    switch s.type {
    case nil, "d", "n": digits = String(magnitude)
    case "b": digits = String(magnitude, radix: 2); if s.alternate { prefix = "0b" }
    case "o": digits = String(magnitude, radix: 8); if s.alternate { prefix = "0o" }
    case "x": digits = String(magnitude, radix: 16); if s.alternate { prefix = "0x" }
    case "X": digits = String(magnitude, radix: 16).uppercased(); if s.alternate { prefix = "0X" }
    case "c":
        guard let scalar = Unicode.Scalar(UInt32(magnitude)) else { throw PythonError(.OverflowError, "%c arg not in range(0x110000)") }
        return s.pad(String(Character(scalar)), numeric: false)
    case let t?:
        throw PythonError(.ValueError, "Unknown format code '\(t)' for object of type 'int'")
    }
    if let g = s.grouping {
        let every = (s.type == "b" || s.type == "o" || s.type == "x" || s.type == "X") ? 4 : 3
        if s.zeroPad && s.align == nil && s.width > 0 {
            // Zero padding counts the separators, as Python does.
            let signWidth = (v < 0 || s.sign != "-") ? 1 : 0
            let target = s.width - signWidth - prefix.count
            while group(digits, g, every: every).count < target { digits = "0" + digits }
            digits = group(digits, g, every: every)
            if digits.count > target, digits.first == g { digits.removeFirst() }
        } else {
            digits = group(digits, g, every: every)
        }
    }
    let sign = v < 0 ? "-" : (s.sign == "+" ? "+" : (s.sign == " " ? " " : ""))
    return s.pad(digits, prefix: sign + prefix, numeric: true)
}

/// `format(float, spec)`.
func formatFloat(_ x: Double, _ spec: String) throws -> String {
    let s = try FormatSpec(spec)
    var value = x
    if s.coerceNegativeZero && value == 0 { value = 0 }
    let negative = value.sign == .minus && !value.isNaN
    let magnitude = abs(value)
    var body: String
    switch s.type {
    case nil:
        if let p = s.precision {
            // Like 'g', but a fixed-point result keeps at least one decimal.
            body = formatG(magnitude, max(p, 1), alternate: s.alternate, upper: false)
            if magnitude.isFinite, !body.contains("e"), !body.contains(".") { body += ".0" }
        } else {
            body = pythonFloat(magnitude)
        }
    case "f", "F":
        body = magnitude.isFinite ? cFormat("%" + (s.alternate ? "#" : "") + ".\(s.precision ?? 6)f", magnitude)
                                  : (magnitude.isNaN ? "nan" : "inf")
        if s.type == "F" { body = body.uppercased() }
    case "e", "E":
        body = magnitude.isFinite ? cFormat("%" + (s.alternate ? "#" : "") + ".\(s.precision ?? 6)e", magnitude)
                                  : (magnitude.isNaN ? "nan" : "inf")
        if s.type == "E" { body = body.uppercased() }
    case "g", "G", "n":
        body = formatG(magnitude, s.precision ?? 6, alternate: s.alternate, upper: s.type == "G")
    case "%":
        body = magnitude.isFinite ? cFormat("%" + (s.alternate ? "#" : "") + ".\(s.precision ?? 6)f", magnitude * 100) + "%"
                                  : (magnitude.isNaN ? "nan%" : "inf%")
    case let t?:
        throw PythonError(.ValueError, "Unknown format code '\(t)' for object of type 'float'")
    }
    if let g = s.grouping, magnitude.isFinite {
        let end = body.firstIndex { $0 == "." || $0 == "e" || $0 == "E" || $0 == "%" } ?? body.endIndex
        body = group(String(body[..<end]), g) + body[end...]
    }
    let sign = negative ? "-" : (s.sign == "+" ? "+" : (s.sign == " " ? " " : ""))
    return s.pad(body, prefix: sign, numeric: true)
}

/// Python's `'g'` presentation (C's `%g`, which glibc rounds correctly).
private func formatG(_ x: Double, _ precision: Int, alternate: Bool, upper: Bool) -> String {
    guard x.isFinite else { return x.isNaN ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf") }
    let p = precision == 0 ? 1 : precision
    let text = cFormat("%" + (alternate ? "#" : "") + ".\(p)g", x)
    return upper ? text.uppercased() : text
}

/// `format(str, spec)`.
func formatString(_ text: String, _ spec: String) throws -> String {
    let s = try FormatSpec(spec)
    if let t = s.type, t != "s" { throw PythonError(.ValueError, "Unknown format code '\(t)' for object of type 'str'") }
    if s.sign != "-" { throw PythonError(.ValueError, "Sign not allowed in string format specifier") }
    var body = text
    if let p = s.precision { body = String(body.prefix(p)) }
    return s.pad(body, numeric: false)
}

extension Interpreter {
    // MARK: - f-strings

    /// The text of an f-string: literal parts and formatted fields.
    func formatFString(_ parts: [FStringPart], in scope: Scope) throws -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text):
                out += text
            case .field(let e, let conversion, let specParts, let debugText):
                let v = try evaluate(e, in: scope)
                let spec = try specParts.map { try formatFString($0, in: scope) } ?? ""
                if let debugText { out += debugText }
                let conv = conversion ?? (debugText != nil && specParts == nil ? "r" : nil)
                out += try formatField(v, conversion: conv, spec: spec)
            }
        }
        return out
    }

    /// One replacement field: the conversion (`!r`, `!s`, `!a`), then `format` with the spec.
    func formatField(_ v: Value, conversion: Character?, spec: String) throws -> String {
        switch conversion {
        case "r"?, "a"?: return try formatString(try reprOf(v), spec)
        case "s"?: return try formatString(try strOf(v), spec)
        default: return try format(v, spec)
        }
    }

    // MARK: - str.format

    /// `template.format(*args, **kwargs)`.
    func strFormat(_ template: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> String {
        var out = ""
        var chars = Array(template)[...]
        var autoIndex = 0
        var usedManual = false, usedAuto = false
        func take() -> Character? { chars.popFirst() }
        while let c = take() {
            if c == "}" {
                guard chars.first == "}" else { throw PythonError(.ValueError, "Single '}' encountered in format string") }
                _ = take(); out.append("}"); continue
            }
            guard c == "{" else { out.append(c); continue }
            if chars.first == "{" { _ = take(); out.append("{"); continue }
            // Read the field up to its matching '}'.
            var field = ""
            var depth = 1
            while let d = take() {
                if d == "{" { depth += 1 } else if d == "}" { depth -= 1; if depth == 0 { break } }
                field.append(d)
            }
            guard depth == 0 else { throw PythonError(.ValueError, "expected '}' before end of string") }
            var name = field, conversion: Character?, spec = ""
            if let colon = field.firstIndex(of: ":") {
                name = String(field[..<colon]); spec = String(field[field.index(after: colon)...])
            }
            if let bang = name.firstIndex(of: "!") {
                let conv = name[name.index(after: bang)...]
                guard conv.count == 1, let ch = conv.first, "rsa".contains(ch) else {
                    throw PythonError(.ValueError, "Unknown conversion specifier \(conv)")
                }
                conversion = ch
                name = String(name[..<bang])
            }
            if spec.contains("{") { spec = try strFormat(spec, args, kwargs) }
            // The argument: index or keyword, then .attr and [key] parts.
            var first = ""
            var rest = Substring(name)
            while let ch = rest.first, ch != "." && ch != "[" { first.append(ch); rest = rest.dropFirst() }
            var value: Value
            if first.isEmpty {
                guard !usedManual else { throw PythonError(.ValueError, "cannot switch from manual field specification to automatic field numbering") }
                usedAuto = true
                guard autoIndex < args.count else { throw PythonError(.IndexError, "Replacement index \(autoIndex) out of range for positional args tuple") }
                value = args[autoIndex]; autoIndex += 1
            } else if let i = Int(first) {
                guard !usedAuto else { throw PythonError(.ValueError, "cannot switch from automatic field numbering to manual field specification") }
                usedManual = true
                guard i < args.count else { throw PythonError(.IndexError, "Replacement index \(i) out of range for positional args tuple") }
                value = args[i]
            } else {
                guard let v = kwargs.last(where: { $0.0 == first })?.1 else { throw PythonError(.KeyError, arguments: [.string(first)]) }
                value = v
            }
            while let ch = rest.first {
                rest = rest.dropFirst()
                if ch == "." {
                    var attr = ""
                    while let a = rest.first, a != "." && a != "[" { attr.append(a); rest = rest.dropFirst() }
                    value = try getAttribute(value, attr, range: nil)
                } else {
                    var key = ""
                    while let k = rest.first, k != "]" { key.append(k); rest = rest.dropFirst() }
                    rest = rest.dropFirst()
                    value = try getItem(value, Int(key).map { .int($0) } ?? .string(key), range: nil)
                }
            }
            out += try formatField(value, conversion: conversion, spec: spec)
        }
        return out
    }

    // MARK: - printf-style

    /// `"%d items" % n`, `"%.3f" % (x,)`, `"%(name)s" % {'name': ...}`.
    func percentFormat(_ template: String, _ arg: Value) throws -> String {
        var args: [Value]
        var mapping: Value?
        switch arg {
        case .tuple(let a): args = a
        case .dict: args = []; mapping = arg
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            args = [arg]
        }
        var out = ""
        var chars = Array(template)[...]
        var used = 0
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var key: String?
            if chars.first == "(" {
                chars = chars.dropFirst()
                var k = ""
                while let d = chars.popFirst(), d != ")" { k.append(d) }
                key = k
            }
            var flags = "", width = "", precision: String?
            while let d = chars.first, "-+ #0".contains(d) { flags.append(d); chars = chars.dropFirst() }
            while let d = chars.first, d.isASCII, d.isNumber || d == "*" { width.append(d); chars = chars.dropFirst() }
            if chars.first == "." {
                chars = chars.dropFirst()
                var p = ""
                while let d = chars.first, d.isASCII, d.isNumber { p.append(d); chars = chars.dropFirst() }
                precision = p
            }
            while let d = chars.first, "hlL".contains(d) { chars = chars.dropFirst() }
            guard let conv = chars.popFirst() else { throw PythonError(.ValueError, "incomplete format") }
            if conv == "%" { out.append("%"); continue }
            let value: Value
            if let key, let mapping {
                value = try getItem(mapping, .string(key), range: nil)
            } else {
                guard used < args.count else { throw PythonError(.TypeError, "not enough arguments for format string") }
                value = args[used]; used += 1
            }
            // The flags and width in the mini-language's terms (normalized below).
            let spec = flags.replacingOccurrences(of: "-", with: "<") + width
            switch conv {
            case "s", "r", "a":
                let text = conv == "s" ? try strOf(value) : try reprOf(value)
                var s = precision.map { String(text.prefix(Int($0) ?? 0)) } ?? text
                if let w = Int(width), s.count < w {
                    s = flags.contains("-") ? s + String(repeating: " ", count: w - s.count) : String(repeating: " ", count: w - s.count) + s
                }
                out += s
            case "d", "i", "u":
                let i = try integerOf(value, what: "%\(conv) format: a real number is required, not \(value.pyType.name)")
                out += try formatInteger(i, normalized(spec) + "d")
            case "x", "X", "o":
                let i = try integerOf(value, what: "%\(conv) format: an integer is required, not \(value.pyType.name)")
                out += try formatInteger(i, normalized(spec) + String(conv))
            case "e", "E", "f", "F", "g", "G":
                let d = try doubleOf(value, what: "must be real number, not \(value.pyType.name)")
                out += try formatFloat(d, normalized(spec) + (precision.map { "." + ($0.isEmpty ? "0" : $0) } ?? "") + String(conv))
            case "c":
                if case .string(let s) = value { out += s } else { out += try formatInteger(try integerOf(value, what: "%c requires int or char"), "c") }
            default:
                throw PythonError(.ValueError, "unsupported format character '\(conv)'")
            }
        }
        if mapping == nil && used < args.count {
            throw PythonError(.TypeError, "not all arguments converted during string formatting")
        }
        return out
    }

    /// A `%` spec translated to the mini-language's order: `[align][sign][#][0][width]`.
    private func normalized(_ spec: String) -> String {
        var align = "", sign = "", alt = "", zero = "", width = ""
        for c in spec {
            switch c {
            case "<": align = "<"
            case "+", " ": sign = String(c)
            case "#": alt = "#"
            case "0" where width.isEmpty && zero.isEmpty: zero = "0"
            default: width.append(c)
            }
        }
        return align + sign + alt + (align.isEmpty ? zero : "") + width
    }

    /// An exact integer from an int, bool, integral float or one-element tensor.
    func integerOf(_ v: Value, what: String) throws -> BigInt {
        switch v {
        case .int(let i): return BigInt(i)
        case .bool(let b): return b ? 1 : 0
        case .bigInt(let b): return b
        case .float(let d):
            guard d.isFinite else { throw PythonError(.OverflowError, "cannot convert float \(pythonFloat(d)) to integer") }
            return BigInt(d.rounded(.towardZero))
        case .tensor(let h):
            let t = try h.value.requireConcrete("a number")
            guard t.elementCount == 1 else { throw PythonError(.TypeError, what) }
            return BigInt(t.scalarValue!.rounded(.towardZero))
        case .none, .string, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .slice,
             .shape, .dtype, .ellipsis:
            throw PythonError(.TypeError, what)
        }
    }

    /// A double from a number or a one-element tensor.
    func doubleOf(_ v: Value, what: String) throws -> Double {
        if let n = Number(v) { return try n.double() }
        if case .tensor(let h) = v {
            let t = try h.value.requireConcrete("a number")
            if t.elementCount == 1 { return t.scalarValue! }
        }
        throw PythonError(.TypeError, what)
    }
}
