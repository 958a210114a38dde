import Tensor
/// A JSON value, with objects kept in written order: the `.safetensors` header language.
///
/// ```swift
/// let v = try JSON.parse(Array(#"{"a": [1, 2]}"#.utf8)[...])
/// // .object([("a", .array([.number("1"), .number("2")]))])
/// JSON.quote("a\"b")   // "\"a\\\"b\""
/// ```
indirect enum JSON: Equatable, Sendable {
    /// Members in written order (duplicate keys are a syntax error).
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    /// A number, as its literal text.
    case number(String)
    case bool(Bool)
    case null

    /// Why bytes are not JSON, and where (a byte offset).
    struct SyntaxError: Error, Equatable {
        var message: String
        var offset: Int
    }

    static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        case (.array(let x), .array(let y)): return x == y
        case (.string(let x), .string(let y)), (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.object, _), (.array, _), (.string, _), (.number, _), (.bool, _), (.null, _): return false
        }
    }

    /// The value as an `Int` when it is an integer literal that fits (`3`, not `3.0` or `3e0`).
    ///
    /// ```swift
    /// JSON.number("16").intValue    // 16
    /// JSON.number("1.5").intValue   // nil
    /// ```
    var intValue: Int? {
        guard case .number(let text) = self, !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
        return Int(text)
    }

    /// A short description for messages: `"the number 3"`, `"an object"`.
    ///
    /// ```swift
    /// JSON.array([]).summary   // "an array"
    /// ```
    var summary: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let s): return "the string \(JSON.quote(s))"
        case .number(let n): return "the number \(n)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// Parses UTF-8 bytes holding exactly one JSON value (whitespace around it allowed).
    ///
    /// ```swift
    /// try JSON.parse(Array("[1, true]".utf8)[...])   // .array([.number("1"), .bool(true)])
    /// try JSON.parse(Array("[1,]".utf8)[...])        // throws SyntaxError("expected a value", offset: 3)
    /// ```
    static func parse(_ bytes: ArraySlice<UInt8>) throws(SyntaxError) -> JSON {
        var parser = Parser(bytes: Array(bytes))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.pos < parser.bytes.count { throw parser.fail("unexpected text after the JSON value") }
        return value
    }

    /// `s` as a JSON string literal, escaped as Rust's serde_json does (and so the `safetensors`
    /// library): `"` and `\`, the short escapes `\b \f \n \r \t`, other control characters as
    /// `\u00XX`; everything else, including non-ASCII, as is.
    ///
    /// ```swift
    /// JSON.quote("tab\there")   // "\"tab\\there\""
    /// ```
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var pos = 0

        func fail(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: pos) }

        mutating func skipSpace() {
            while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0A || bytes[pos] == 0x0D {
                pos += 1
            }
        }

        mutating func expect(_ literal: String, _ value: JSON) throws(SyntaxError) -> JSON {
            let text = Array(literal.utf8)
            guard bytes.count - pos >= text.count, Array(bytes[pos..<(pos + text.count)]) == text else {
                throw fail("expected a value")
            }
            pos += text.count
            return value
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSON {
            guard depth < 64 else { throw fail("nested too deeply") }
            skipSpace()
            guard pos < bytes.count else { throw fail("unexpected end of the JSON text") }
            switch bytes[pos] {
            case UInt8(ascii: "{"):
                pos += 1
                var members: [(String, JSON)] = []
                var keys = Set<String>()
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    let keyStart = pos
                    let key = try string()
                    guard keys.insert(key).inserted else {
                        throw SyntaxError(message: "duplicate key \(JSON.quote(key))", offset: keyStart)
                    }
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                    pos += 1
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard pos < bytes.count else { throw fail("unexpected end of the JSON text") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                    throw fail("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                pos += 1
                var items: [JSON] = []
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard pos < bytes.count else { throw fail("unexpected end of the JSON text") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                    throw fail("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw fail("expected a value")
            }
        }

        mutating func digits() -> Int {
            let start = pos
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            return pos - start
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = pos
            if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            let intStart = pos
            let n = digits()
            guard n > 0 else { throw fail("expected digits") }
            if n > 1 && bytes[intStart] == UInt8(ascii: "0") { throw SyntaxError(message: "leading zero in a number", offset: intStart) }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
                pos += 1
                guard digits() > 0 else { throw fail("expected digits after '.'") }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                pos += 1
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                guard digits() > 0 else { throw fail("expected digits in the exponent") }
            }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard bytes.count - pos >= 4 else { throw fail("expected four hex digits after \\u") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let d = Character(Unicode.Scalar(bytes[pos])).hexDigitValue else { throw fail("expected four hex digits after \\u") }
                v = v * 16 + UInt32(d)
                pos += 1
            }
            return v
        }

        mutating func string() throws(SyntaxError) -> String {
            let start = pos
            pos += 1
            var out: [UInt8] = []
            while pos < bytes.count {
                let b = bytes[pos]
                switch b {
                case UInt8(ascii: "\""):
                    pos += 1
                    guard let s = String(validating: out, as: UTF8.self) else {
                        throw SyntaxError(message: "a string is not valid UTF-8", offset: start)
                    }
                    return s
                case UInt8(ascii: "\\"):
                    pos += 1
                    guard pos < bytes.count else { throw fail("unterminated string") }
                    let e = bytes[pos]
                    pos += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard bytes.count - pos >= 2, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                                throw fail("a high surrogate \\u escape must be followed by a low one")
                            }
                            pos += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid low surrogate") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                        out += Array(String(Character(scalar)).utf8)
                    default:
                        throw SyntaxError(message: "invalid escape '\\\(Character(Unicode.Scalar(e)))'", offset: pos - 2)
                    }
                case 0x00..<0x20:
                    throw fail("control character in a string")
                default:
                    out.append(b)
                    pos += 1
                }
            }
            throw SyntaxError(message: "unterminated string", offset: start)
        }
    }
}
