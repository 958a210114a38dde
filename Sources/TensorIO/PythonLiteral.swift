import Tensor
/// A Python literal as `repr` writes it: the language of `.npy` headers, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// ```swift
/// let v = try PythonLiteral.parse("{'shape': (3,), 'ok': True}")
/// // .dict([("shape", .tuple([.int(3)])), ("ok", .bool(true))])
/// ```
indirect enum PythonLiteral: Equatable, Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    /// A dict with string keys, in written order.
    case dict([(String, PythonLiteral)])

    /// Why a text is not a literal, and where (a character offset).
    struct SyntaxError: Error, Equatable {
        var message: String
        var offset: Int
    }

    /// A short name of the value's type for messages: `"a tuple"`, `"the string '<f4'"`.
    ///
    /// ```swift
    /// PythonLiteral.int(3).summary   // "the integer 3"
    /// ```
    var summary: String {
        switch self {
        case .string(let s): return "the string '\(s)'"
        case .int(let i): return "the integer \(i)"
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dict: return "a dict"
        }
    }

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.tuple(let x), .tuple(let y)), (.list(let x), .list(let y)): return x == y
        case (.dict(let x), .dict(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        case (.string, _), (.int, _), (.bool, _), (.none, _), (.tuple, _), (.list, _), (.dict, _): return false
        }
    }

    /// Parses one literal filling the whole text (surrounding whitespace allowed).
    ///
    /// ```swift
    /// try PythonLiteral.parse("(2, 3)")    // .tuple([.int(2), .int(3)])
    /// try PythonLiteral.parse("(2, 3")     // throws SyntaxError("expected ',' or ')'", offset: 5)
    /// ```
    static func parse(_ text: String) throws(SyntaxError) -> PythonLiteral {
        var parser = Parser(chars: Array(text.unicodeScalars))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.pos < parser.chars.count {
            throw SyntaxError(message: "unexpected '\(parser.chars[parser.pos])' after the literal", offset: parser.pos)
        }
        return value
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        var pos = 0

        mutating func skipSpace() {
            while pos < chars.count, chars[pos] == " " || chars[pos] == "\t" || chars[pos] == "\n" || chars[pos] == "\r" {
                pos += 1
            }
        }

        func fail(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: pos) }

        mutating func value(depth: Int) throws(SyntaxError) -> PythonLiteral {
            guard depth < 32 else { throw fail("nested too deeply") }
            skipSpace()
            guard pos < chars.count else { throw fail("unexpected end of text") }
            let c = chars[pos]
            switch c {
            case "'", "\"":
                return .string(try string())
            case "{":
                pos += 1
                var entries: [(String, PythonLiteral)] = []
                while true {
                    skipSpace()
                    if pos < chars.count, chars[pos] == "}" { pos += 1; return .dict(entries) }
                    guard pos < chars.count, chars[pos] == "'" || chars[pos] == "\"" else {
                        throw fail("expected a string key or '}'")
                    }
                    let keyStart = pos
                    let key = try string()
                    if entries.contains(where: { $0.0 == key }) {
                        throw SyntaxError(message: "duplicate key '\(key)'", offset: keyStart)
                    }
                    skipSpace()
                    guard pos < chars.count, chars[pos] == ":" else { throw fail("expected ':' after key '\(key)'") }
                    pos += 1
                    entries.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    if pos < chars.count, chars[pos] == "," { pos += 1; continue }
                    if pos < chars.count, chars[pos] == "}" { pos += 1; return .dict(entries) }
                    throw fail("expected ',' or '}'")
                }
            case "(", "[":
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                pos += 1
                var items: [PythonLiteral] = []
                var sawComma = false
                while true {
                    skipSpace()
                    if pos < chars.count, chars[pos] == close { break }
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if pos < chars.count, chars[pos] == "," { pos += 1; sawComma = true; continue }
                    if pos < chars.count, chars[pos] == close { sawComma = false; break }
                    throw fail("expected ',' or '\(close)'")
                }
                pos += 1
                if c == "[" { return .list(items) }
                // `(3)` is the integer 3 in Python; `(3,)` and `()` are tuples.
                if items.count == 1 && !sawComma { return items[0] }
                return .tuple(items)
            case "-", "0"..."9":
                let start = pos
                if c == "-" { pos += 1 }
                let digitsStart = pos
                while pos < chars.count, ("0"..."9").contains(chars[pos]) || chars[pos] == "_" { pos += 1 }
                guard pos > digitsStart else { throw fail("expected digits after '-'") }
                let text = self.text(start..<pos).replacingUnderscores()
                // Python 2's long integers: `3L`.
                if pos < chars.count, chars[pos] == "L" || chars[pos] == "l" { pos += 1 }
                guard let n = Int(text) else { throw SyntaxError(message: "integer \(text) is too large", offset: start) }
                return .int(n)
            default:
                let start = pos
                while pos < chars.count, chars[pos].properties.isAlphabetic || chars[pos] == "_" { pos += 1 }
                let word = text(start..<pos)
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                default:
                    pos = start
                    throw fail(word.isEmpty ? "unexpected '\(c)'" : "unexpected name '\(word)'")
                }
            }
        }

        /// The characters in `range`, as a string (`String(appending:)`).
        func text(_ range: Range<Int>) -> String { String(appending: Array(chars[range])) }

        mutating func string() throws(SyntaxError) -> String {
            let quote = chars[pos]
            let start = pos
            pos += 1
            var out = String.UnicodeScalarView()
            while pos < chars.count {
                let c = chars[pos]
                pos += 1
                if c == quote { return String(out) }
                if c == "\n" { break }
                if c == "\\" {
                    guard pos < chars.count else { break }
                    let e = chars[pos]
                    pos += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "0": out.append("\0")
                    case "\\", "'", "\"": out.append(e)
                    default: out.append("\\"); out.append(e)
                    }
                } else {
                    out.append(c)
                }
            }
            throw SyntaxError(message: "unterminated string", offset: start)
        }
    }
}

private extension String {
    func replacingUnderscores() -> String { String(unicodeScalars.filter { $0 != "_" }) }
}
