import Tensor

/// NumPy's printing of arrays (`numpy/_core/arrayprint.py` with its default options: precision 8,
/// `floatmode='maxprec'`, threshold 1000, edge items 3, line width 75), which JAX's arrays use:
/// `str` is `[ 1.6226422   2.0252647  -0.43359444]`, JAX's `repr` is
/// `Array([ 1.6226422 ,  2.0252647 , -0.43359444], dtype=float32)`.
///
/// ```swift
/// NumPyFormatter.str(Tensor([1.5, 2], shape: [2]))                 // "[1.5 2. ]"
/// NumPyFormatter.jaxRepr(Tensor([1.5, 2], shape: [2]), weakType: false)   // "Array([1.5, 2. ], dtype=float32)"
/// ```
public enum NumPyFormatter {
    /// NumPy's default line width.
    public static let lineWidth = 75

    /// `str(array)`: a 0-d array prints as its scalar (`1.0`, `3`, `True`), others as
    /// `array2string` with spaces between elements.
    public static func str(_ t: Tensor) -> String {
        if t.rank == 0 { return scalarString(t) }
        if t.elementCount == 0 { return "[]" }
        return arrayString(t, separator: " ", prefix: "", suffix: "")
    }

    /// JAX's `repr`: `Array(` + the elements (`[], shape=(0,)` when empty) + `,` + `dtype=...`
    /// (and `weak_type=True`); the dtype never goes to a line of its own: when the last line
    /// would pass the width, six spaces join it instead of one, as JAX does.
    public static func jaxRepr(_ t: Tensor, weakType: Bool) -> String {
        let body = t.elementCount == 0 ? "[], shape=" + shapeTuple(t.shape.dims)
                                       : arrayString(t, separator: ", ", prefix: "Array(", suffix: ",")
        let dtype = "dtype=" + numpyName(t.dtype) + (weakType ? ", weak_type=True" : "")
        let last = body.split(separator: "\n", omittingEmptySubsequences: false).last.map(\.count) ?? 0
        return "Array(" + body + "," + (last + dtype.count > 71 ? "      " : " ") + dtype + ")"
    }

    /// NumPy's `repr`: `array(` + the elements + `shape=`/`dtype=` when the elements do not imply
    /// them, on the last line when it fits, else on the next one.
    public static func numpyRepr(_ t: Tensor) -> String {
        let prefix = "array("
        var extras: [String] = []
        if t.elementCount == 0 && t.shape.dims != [0] { extras.append("shape=" + shapeTuple(t.shape.dims)) }
        if !impliesDType(t.dtype) || t.elementCount == 0 { extras.append("dtype=" + numpyName(t.dtype)) }
        let body = t.elementCount == 0 ? "[]" : arrayString(t, separator: ", ", prefix: prefix, suffix: extras.isEmpty ? ")" : ",")
        guard !extras.isEmpty else { return prefix + body + ")" }
        let head = prefix + body + ","
        let extra = extras.joined(separator: ", ") + ")"
        let lastLine = head.split(separator: "\n", omittingEmptySubsequences: false).last.map(\.count) ?? 0
        let spacer = lastLine + extra.count + 1 > lineWidth ? "\n" + String(repeating: " ", count: prefix.count) : " "
        return head + spacer + extra
    }

    /// NumPy's name of a dtype (`float32`, `int32`, `bool`).
    public static func numpyName(_ d: DType) -> String { d.rawValue }

    /// A shape as a Python tuple: `(4, 3)`, `(5,)`, `()`.
    public static func shapeTuple(_ dims: [Int]) -> String {
        dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.map(String.init).joined(separator: ", ") + ")"
    }

    private static func impliesDType(_ d: DType) -> Bool { d == .float64 || d == .int64 || d == .bool }

    // MARK: - Scalars

    /// A 0-d array's `str`: its element as NumPy's scalar prints it (shortest digits, `1.0`).
    static func scalarString(_ t: Tensor) -> String {
        let v = t.storage.double(at: 0)
        switch t.dtype {
        case .bool: return v != 0 ? "True" : "False"
        case .uint8, .int8, .int16, .int32, .uint32, .int64:
            if case .int64(let a) = t.storage.widened() { return String(a[0]) }
            return String(Int64(v))
        case .float16, .bfloat16, .float32, .float64:
            if v.isNaN { return "nan" }
            if v.isInfinite { return v < 0 ? "-inf" : "inf" }
            let d = ShortestDigits(v, dtype: t.dtype)
            // NumPy's scalar str: positional for 1e-4 <= |v| < 1e6 (float32; 1e16 for float64).
            let upper: Double = t.dtype == .float64 ? 1e16 : t.dtype == .float16 ? 1e3 : 1e6
            if v == 0 || (Swift.abs(v) >= 1e-4 && Swift.abs(v) < upper) { return d.positional(fractionDigits: nil, keepPoint: false) }
            return d.scientific(fractionDigits: nil, minFractionDigits: 0, expDigits: 2, pythonStyle: true)
        }
    }

    // MARK: - array2string

    /// `np.array2string(a, separator=, prefix=, suffix=)` for a non-empty array.
    static func arrayString(_ t: Tensor, separator: String, prefix: String, suffix: String) -> String {
        let summarize = t.elementCount > 1000
        let kept = summarize ? Summarization.keptIndices(shape: t.shape, edgeItems: 3) : Array(0..<t.elementCount)
        // Integers print from their exact values (int64 past 2^53 is not a Double).
        let integers: [Int64]? = t.dtype.isInteger ? { if case .int64(let a) = t.storage.widened() { return a }; return nil }() : nil
        let format = ElementFormat(values: kept.map { t.storage.double(at: $0) }, dtype: t.dtype, isScalar: t.rank == 0,
                                   integerTexts: integers.map { a in kept.map { String(a[$0]) } })
        let element = { (i: Int) -> String in integers.map { String($0[i]) } ?? format.format(t.storage.double(at: i)) }
        if t.rank == 0 { return element(0) }
        let dims = t.shape.dims, strides = t.shape.strides
        let width = lineWidth - suffix.count

        func recurse(_ axis: Int, _ offset: Int, _ hanging: String, _ currentWidth: Int) -> String {
            let count = dims[axis]
            let showSummary = summarize && count > 6
            let leading = showSummary ? 3 : 0, trailing = showSummary ? 3 : count
            let positions = Array(0..<leading) + Array((count - trailing)..<count)
            let nextHanging = hanging + " ", nextWidth = currentWidth - 1
            var s = ""
            if axis == dims.count - 1 {
                let elementWidth = currentWidth - max(separator.trimmingTrailingSpaces.count, 1)
                var line = hanging
                for (n, p) in positions.enumerated() {
                    if showSummary && n == leading {
                        extend(&s, &line, "...", elementWidth, hanging)
                        line += separator
                    }
                    extend(&s, &line, format.pad(element(offset + p * strides[axis])), elementWidth, hanging)
                    if n < positions.count - 1 { line += separator }
                }
                s += line
            } else {
                let lineSeparator = separator.trimmingTrailingSpaces + String(repeating: "\n", count: dims.count - axis - 1)
                for (n, p) in positions.enumerated() {
                    if showSummary && n == leading { s += hanging + "..." + lineSeparator }
                    s += hanging + recurse(axis + 1, offset + p * strides[axis], nextHanging, nextWidth)
                    if n < positions.count - 1 { s += lineSeparator }
                }
            }
            return "[" + s.dropFirst(hanging.count) + "]"
        }
        return recurse(0, 0, " " + String(repeating: " ", count: prefix.count), width)
    }

    /// `_extendLine`: wraps before `word` when the line would pass `width`, unless the line holds
    /// only the hanging indent.
    private static func extend(_ s: inout String, _ line: inout String, _ word: String, _ width: Int, _ hanging: String) {
        if line.count + word.count > width && line.count > hanging.count {
            s += line.trimmingTrailingSpaces + "\n"
            line = hanging
        }
        line += word
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
