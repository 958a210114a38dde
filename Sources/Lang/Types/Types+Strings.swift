import Tensor
import AD
import BigInt

// `str`: immutable text indexed by code points, with Python's methods, `%` formatting and
// `str.format`.

private func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }
/// The scalars as a string, appended one at a time (`String.UnicodeScalarView(xs)` is generic over
/// its argument and looks its types up at run time, scanning the binary's conformance records the
/// first time).
private func string(_ xs: ArraySlice<Unicode.Scalar>) -> String {
    var view = String.UnicodeScalarView()
    for c in xs { view.append(c) }
    return String(view)
}

private func selfString(_ a: BoundArguments) -> String {
    if case .string(let s)? = a.value("self") { return s }
    return ""
}

/// Python's `str.split(sep=None, maxsplit=-1)`.
func pythonSplit(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
    if let sep {
        var out: [String] = []
        var rest = Substring(s)
        while maxsplit < 0 || out.count < maxsplit, let r = rest.range(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
    var out: [String] = []
    var current = ""
    var inWord = false
    var chars = s.unicodeScalars[...]
    while let c = chars.first {
        if c.properties.isWhitespace {
            if inWord { out.append(current); current = ""; inWord = false }
            chars = chars.dropFirst()
            if maxsplit >= 0 && out.count == maxsplit {
                let remainder = String(chars).drop { $0.isWhitespace }
                if !remainder.isEmpty { out.append(String(remainder)) }
                return out
            }
        } else {
            current.unicodeScalars.append(c); inWord = true
            chars = chars.dropFirst()
        }
    }
    if inWord { out.append(current) }
    return out
}

private func strip(_ s: String, _ chars: String?, left: Bool, right: Bool) -> String {
    let set = chars.map { Set($0.unicodeScalars) }
    func removable(_ c: Unicode.Scalar) -> Bool { set?.contains(c) ?? c.properties.isWhitespace }
    var xs = scalars(s)[...]
    if left { while let c = xs.first, removable(c) { xs = xs.dropFirst() } }
    if right { while let c = xs.last, removable(c) { xs = xs.dropLast() } }
    return string(xs)
}

func makeStrType() -> TypeObject {
    var s = Slots()
    s.repr = { _, v in
        if case .string(let text) = v { return pythonQuoted(text) }
        return ""
    }
    s.str = { _, v in
        if case .string(let text) = v { return text }
        return ""
    }
    s.format = { _, v, spec in
        guard case .string(let text) = v else { return "" }
        return try formatString(text, spec)
    }
    s.length = { _, v in
        if case .string(let text) = v { return text.unicodeScalars.count }
        return 0
    }
    s.iterate = { _, v in
        guard case .string(let text) = v else { return PyIterator([]) }
        return PyIterator(text.unicodeScalars.map { .string(String($0)) })
    }
    s.contains = { _, v, item in
        guard case .string(let text) = v else { return false }
        guard case .string(let sub) = item else {
            throw PythonError(.TypeError, "'in <string>' requires string as left operand, not \(item.pyType.name)")
        }
        return sub.isEmpty || text.contains(sub)
    }
    s.getItem = { interp, v, key in
        guard case .string(let text) = v else { return .none }
        let xs = scalars(text)
        if case .slice(let a, let b, let c) = key {
            return .string(string(try sliceIndices(xs.count, a, b, c).map { xs[$0] }[...]))
        }
        guard let i = try interp.indexValue(key) else {
            throw PythonError(.TypeError, "string indices must be integers, not '\(key.pyType.name)'")
        }
        return .string(String(xs[try sequenceIndex(i, count: xs.count, what: "string")]))
    }
    s.compare = { _, op, a, b in
        guard case .string(let x) = a, case .string(let y) = b else { return nil }
        let p = Array(x.unicodeScalars.map(\.value)), q = Array(y.unicodeScalars.map(\.value))
        switch op {
        case .lt: return .bool(p.lexicographicallyPrecedes(q))
        case .le: return .bool(!q.lexicographicallyPrecedes(p))
        case .gt: return .bool(q.lexicographicallyPrecedes(p))
        case .ge: return .bool(!p.lexicographicallyPrecedes(q))
        case .eq: return .bool(x == y)
        case .ne: return .bool(x != y)
        }
    }
    s.binary = { interp, op, v, other, reflected in
        guard case .string(let text) = v else { return nil }
        switch op {
        case .add:
            guard case .string(let o) = other else { return nil }
            return .string(reflected ? o + text : text + o)
        case .multiply:
            guard Number(other) != nil, let n = try interp.indexValue(other) else {
                if case .bigInt = other { try interp.checkAllocation(bytes: -1, what: "a repeated string", bare: true) }
                return nil
            }
            guard n > 0 else { return .string("") }
            let (bytes, overflow) = text.utf8.count.multipliedReportingOverflow(by: n)
            try interp.checkAllocation(bytes: overflow ? -1 : bytes, what: "a string of \(text.unicodeScalars.count) x \(n) characters", bare: true)
            return .string(String(repeating: text, count: n))
        case .modulo:
            return reflected ? nil : .string(try interp.percentFormat(text, other))
        case .subtract, .divide, .floorDivide, .power, .matmul, .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
            return nil
        }
    }
    let t = TypeObject(name: "str", base: BuiltinTypes.object, slots: s) { interp, _, args in
        let v = try Signature(name: "str", spec: ["object=''"]).bind(args)
        return .string(try interp.strOf(v[0]))
    }
    func method(_ name: String, _ params: [String], _ body: @escaping (String, BoundArguments) throws -> Value) {
        t.method(name, params) { a in try body(selfString(a), a) }
    }
    method("upper", []) { s, _ in .string(s.uppercased()) }
    method("lower", []) { s, _ in .string(s.lowercased()) }
    method("casefold", []) { s, _ in .string(s.lowercased()) }
    method("capitalize", []) { s, _ in .string(s.prefix(1).uppercased() + s.dropFirst().lowercased()) }
    method("title", []) { s, _ in
        var out = "", previousIsLetter = false
        for c in s { out += previousIsLetter ? c.lowercased() : c.uppercased(); previousIsLetter = c.isLetter }
        return .string(out)
    }
    method("swapcase", []) { s, _ in .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })) }
    method("strip", ["chars=None", "/"]) { s, a in .string(strip(s, a.has("chars") ? try a.string("chars") : nil, left: true, right: true)) }
    method("lstrip", ["chars=None", "/"]) { s, a in .string(strip(s, a.has("chars") ? try a.string("chars") : nil, left: true, right: false)) }
    method("rstrip", ["chars=None", "/"]) { s, a in .string(strip(s, a.has("chars") ? try a.string("chars") : nil, left: false, right: true)) }
    method("split", ["sep=None", "maxsplit=-1"]) { s, a in
        let sep = a.has("sep") ? try a.string("sep") : nil
        if sep == "" { throw PythonError(.ValueError, "empty separator") }
        return .list(pythonSplit(s, sep, try a.int("maxsplit")).map { .string($0) })
    }
    method("rsplit", ["sep=None", "maxsplit=-1"]) { s, a in
        let sep = a.has("sep") ? try a.string("sep") : nil
        let maxsplit = try a.int("maxsplit")
        guard maxsplit >= 0 else { return .list(pythonSplit(s, sep, -1).map { .string($0) }) }
        let reversed = pythonSplit(String(s.reversed()), sep.map { String($0.reversed()) }, maxsplit)
        return .list(reversed.reversed().map { .string(String($0.reversed())) })
    }
    method("splitlines", ["keepends=False"]) { s, a in
        let keep = try a.bool("keepends")
        var out: [Value] = [], current = ""
        for c in s {
            if c.isNewline { out.append(.string(keep ? current + String(c) : current)); current = "" } else { current.append(c) }
        }
        if !current.isEmpty { out.append(.string(current)) }
        return .list(out)
    }
    method("join", ["iterable", "/"]) { s, a in
        let items = try a.interpreter.collect(a.value("iterable")!, range: a.range)
        return .string(try items.enumerated().map { i, v -> String in
            guard case .string(let x) = v else {
                throw PythonError(.TypeError, "sequence item \(i): expected str instance, \(v.pyType.name) found")
            }
            return x
        }.joined(separator: s))
    }
    method("replace", ["old", "new", "count=-1", "/"]) { s, a in
        let old = try a.string("old"), new = try a.string("new"), count = try a.int("count")
        guard count >= 0 else { return .string(s.replacingOccurrences(of: old, with: new)) }
        var out = "", rest = Substring(s), n = 0
        while n < count, let r = rest.range(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            n += 1
        }
        return .string(out + rest)
    }
    method("startswith", ["prefix", "start=None", "end=None"]) { s, a in
        let prefixes = try a.interpreter.stringOrTuple(a.value("prefix")!, "startswith")
        let (w, _) = try window(s, a)
        return .bool(prefixes.contains { w.hasPrefix($0) })
    }
    method("endswith", ["suffix", "start=None", "end=None"]) { s, a in
        let suffixes = try a.interpreter.stringOrTuple(a.value("suffix")!, "endswith")
        let (w, _) = try window(s, a)
        return .bool(suffixes.contains { w.hasSuffix($0) })
    }
    func position(_ s: String, _ sub: String, reverse: Bool) -> Int {
        let xs = scalars(s), ys = scalars(sub)
        guard ys.count <= xs.count else { return -1 }
        let candidates = Array(0...(xs.count - ys.count))
        for i in reverse ? candidates.reversed() : candidates where Array(xs[i..<(i + ys.count)]) == ys { return i }
        return -1
    }
    /// The part of `s` that `start` and `end` (Python slice bounds) select, and its offset.
    func window(_ s: String, _ a: BoundArguments) throws -> (String, Int) {
        let xs = scalars(s)
        let start = a.has("start") ? try a.int("start") : nil, end = a.has("end") ? try a.int("end") : nil
        let (lo, hi, _) = try sliceBounds(xs.count, start, end, 1)
        return (string(xs[lo..<max(lo, hi)]), lo)
    }
    func find(_ s: String, _ a: BoundArguments, reverse: Bool) throws -> Int {
        let (w, offset) = try window(s, a)
        let i = position(w, try a.string("sub"), reverse: reverse)
        return i < 0 ? -1 : i + offset
    }
    method("find", ["sub", "start=None", "end=None", "/"]) { s, a in .int(try find(s, a, reverse: false)) }
    method("rfind", ["sub", "start=None", "end=None", "/"]) { s, a in .int(try find(s, a, reverse: true)) }
    method("index", ["sub", "start=None", "end=None", "/"]) { s, a in
        let i = try find(s, a, reverse: false)
        guard i >= 0 else { throw PythonError(.ValueError, "substring not found") }
        return .int(i)
    }
    method("rindex", ["sub", "start=None", "end=None", "/"]) { s, a in
        let i = try find(s, a, reverse: true)
        guard i >= 0 else { throw PythonError(.ValueError, "substring not found") }
        return .int(i)
    }
    method("count", ["sub", "start=None", "end=None", "/"]) { s, a in
        let (w, _) = try window(s, a)
        let sub = try a.string("sub")
        if sub.isEmpty { return .int(w.unicodeScalars.count + 1) }
        return .int(w.components(separatedBy: sub).count - 1)
    }
    func justify(_ name: String, _ body: @escaping (String, Int, Character) -> String) {
        method(name, ["width", "fillchar=' '", "/"]) { s, a in
            let fill = try a.string("fillchar")
            guard fill.count == 1 else { throw PythonError(.TypeError, "The fill character must be exactly one character long") }
            let width = try a.int("width")
            return .string(s.count >= width ? s : body(s, width - s.count, fill.first!))
        }
    }
    justify("ljust") { s, n, c in s + String(repeating: c, count: n) }
    justify("rjust") { s, n, c in String(repeating: c, count: n) + s }
    justify("center") { s, n, c in
        let left = n / 2 + (n % 2 == 1 && s.count % 2 == 1 ? 1 : 0)
        return String(repeating: c, count: left) + s + String(repeating: c, count: n - left)
    }
    method("zfill", ["width", "/"]) { s, a in
        let width = try a.int("width")
        guard s.count < width else { return .string(s) }
        let signed = s.first == "-" || s.first == "+"
        let zeros = String(repeating: "0", count: width - s.count)
        return .string(signed ? String(s.first!) + zeros + s.dropFirst() : zeros + s)
    }
    method("partition", ["sep", "/"]) { s, a in
        let sep = try a.string("sep")
        guard let r = s.range(of: sep) else { return .tuple([.string(s), .string(""), .string("")]) }
        return .tuple([.string(String(s[..<r.lowerBound])), .string(sep), .string(String(s[r.upperBound...]))])
    }
    method("rpartition", ["sep", "/"]) { s, a in
        let sep = try a.string("sep")
        guard let r = s.range(of: sep, options: .backwards) else { return .tuple([.string(""), .string(""), .string(s)]) }
        return .tuple([.string(String(s[..<r.lowerBound])), .string(sep), .string(String(s[r.upperBound...]))])
    }
    method("removeprefix", ["prefix", "/"]) { s, a in
        let p = try a.string("prefix")
        return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
    }
    method("removesuffix", ["suffix", "/"]) { s, a in
        let p = try a.string("suffix")
        return .string(s.hasSuffix(p) && !p.isEmpty ? String(s.dropLast(p.count)) : s)
    }
    func predicate(_ name: String, _ test: @escaping (String) -> Bool) {
        method(name, []) { s, _ in .bool(!s.isEmpty && test(s)) }
    }
    predicate("isdigit") { $0.unicodeScalars.allSatisfy { $0.properties.numericType != nil } }
    predicate("isdecimal") { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    predicate("isnumeric") { $0.unicodeScalars.allSatisfy { $0.properties.numericType != nil } }
    predicate("isalpha") { $0.allSatisfy(\.isLetter) }
    predicate("isalnum") { $0.allSatisfy { $0.isLetter || $0.isNumber } }
    predicate("isspace") { $0.allSatisfy(\.isWhitespace) }
    predicate("islower") { s in s.contains(where: \.isLowercase) && !s.contains(where: \.isUppercase) }
    predicate("isupper") { s in s.contains(where: \.isUppercase) && !s.contains(where: \.isLowercase) }
    predicate("isidentifier") { s in
        guard let f = s.unicodeScalars.first, f == "_" || f.properties.isXIDStart else { return false }
        return s.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }
    method("istitle", []) { s, _ in .bool(s == s.capitalized && s.contains(where: \.isLetter)) }
    method("expandtabs", ["tabsize=8"]) { s, a in
        let n = try a.int("tabsize")
        var out = "", column = 0
        for c in s {
            if c == "\t" { let k = n - column % n; out += String(repeating: " ", count: k); column += k }
            else { out.append(c); column = c.isNewline ? 0 : column + 1 }
        }
        return .string(out)
    }
    method("format", ["*args", "**kwargs"]) { s, a in .string(try a.interpreter.strFormat(s, a.rest, a.keywordExtras)) }
    method("format_map", ["mapping", "/"]) { s, a in
        let pairs = try a.interpreter.mappingPairs(a.value("mapping")!, range: a.range).compactMap { k, v -> (String, Value)? in
            if case .string(let key) = k { return (key, v) }
            return nil
        }
        return .string(try a.interpreter.strFormat(s, [], pairs))
    }
    method("encode", ["encoding='utf-8'", "errors='strict'"]) { _, _ in
        throw PythonError(.NotImplementedError, "bytes are not supported in Jacobi")
    }
    method("__len__", []) { s, _ in .int(s.unicodeScalars.count) }
    t.setAttribute("maketrans", .function(Function(name: "maketrans", summary: "") { _, _ in
        throw PythonError(.NotImplementedError, "str.maketrans is not supported in Jacobi")
    }))
    return t
}

extension Interpreter {
    /// A string or a tuple of strings (`startswith(("a", "b"))`).
    func stringOrTuple(_ v: Value, _ what: String) throws -> [String] {
        if case .string(let s) = v { return [s] }
        if case .tuple(let items) = v {
            return try items.map { x in
                guard case .string(let s) = x else { throw PythonError(.TypeError, "tuple for \(what) must only contain str, not \(x.pyType.name)") }
                return s
            }
        }
        throw PythonError(.TypeError, "\(what) first arg must be str or a tuple of str, not \(v.pyType.name)")
    }
}
