import Tensor
/// Numeric text tables, `.csv` and `.txt`, as `np.loadtxt(f, ndmin=2)` and `np.savetxt` read and
/// write them: one row per line, values separated by commas (when the table has any) or else
/// by spaces and tabs; `#` starts a comment; an optional header row (the first row, when it is
/// not all numbers) is skipped. The result is always a 2-D float32 tensor: one column is `[n, 1]`,
/// one row `[1, n]`.
///
/// Writing uses the shortest text that reads back as the same number (`0.1`, not
/// `0.10000000149011612`), `,` between values in `.csv` and a space in `.txt`; a 1-D tensor is
/// written one value per line, as `np.savetxt` does.
///
/// ```swift
/// let t = try DelimitedText.decode(Array("x,y\n1,2\n3,4.5\n".utf8), path: "t.csv")   // [2, 2]: 1 2; 3 4.5
/// let text = try DelimitedText.encode(t, separator: ",", path: "t.csv")            // "1.0,2.0\n3.0,4.5\n"
/// ```
enum DelimitedText {
    /// The table in `bytes` as a float32 `[rows, columns]` tensor.
    ///
    /// ```swift
    /// try DelimitedText.decode(Array("1 2 3\n".utf8), path: "r.txt").shape   // [1, 3]
    /// ```
    static func decode(_ bytes: [UInt8], path: String) throws -> Tensor {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines: [(number: Int, content: Substring)] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = raw
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            line = line.trimmingCharacters(in: isSpace)
            if !line.isEmpty { lines.append((i + 1, line)) }
        }
        guard !lines.isEmpty else {
            throw FileIO.error(path, "no numbers: the file has no data rows")
        }
        let commas = lines.contains { $0.content.contains(",") }
        func fields(_ line: Substring) -> [Substring] {
            if commas {
                return line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                    let f = field.trimmingCharacters(in: isSpace)
                    return f.count >= 2 && f.first == "\"" && f.last == "\"" ? f.dropFirst().dropLast() : f
                }
            }
            return line.split(whereSeparator: { isSpace($0) })
        }
        var rows = lines
        var headerLine: Int?
        if fields(rows[0].content).contains(where: { Float(String($0)) == nil }) {
            headerLine = rows[0].number
            rows.removeFirst()
        }
        guard let first = rows.first else {
            throw FileIO.error(path, "no numbers: the file has only a header row (line \(headerLine!))")
        }
        let columns = fields(first.content).count
        var values: [Float] = []
        values.reserveCapacity(rows.count * columns)
        for (number, content) in rows {
            let row = fields(content)
            guard row.count == columns else {
                throw FileIO.error(path, "line \(number) has \(row.count) values, but line \(first.number) has \(columns)")
            }
            for (c, field) in row.enumerated() {
                guard let v = Float(String(field)) else {
                    let shown = field.isEmpty ? "an empty value" : "'\(field)'"
                    throw FileIO.error(path, "line \(number), column \(c + 1): \(shown) is not a number",
                                       hint: "only the first row may hold column names; every other row must be numbers")
                }
                values.append(v)
            }
        }
        return Tensor(shape: [rows.count, columns], float32: values)
    }

    /// The text of a tensor of rank 0, 1 or 2: one line per row, values joined by `separator`.
    ///
    /// ```swift
    /// try DelimitedText.encode(Tensor(shape: [2], float32: [0.1, 2]), separator: " ", path: "v.txt")
    /// // "0.1\n2.0\n"
    /// ```
    static func encode(_ tensor: Tensor, separator: String, path: String) throws -> [UInt8] {
        let rows: Int, columns: Int
        switch tensor.rank {
        case 0: (rows, columns) = (1, 1)
        case 1: (rows, columns) = (tensor.shape[0], 1)
        case 2: (rows, columns) = (tensor.shape[0], tensor.shape[1])
        default:
            throw FileIO.error(path, "cannot write a tensor of shape \(tensor.shape) as a table: it needs at most 2 dimensions",
                               hint: "reshape it to 2-D first, or save it as .npy to keep its shape")
        }
        let text: (Int) -> String
        switch tensor.storage.widened() {
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16: preconditionFailure("widened() gives a compute type")
        case .bool(let a): text = { a[$0] ? "1" : "0" }
        case .int64(let a): text = { String(a[$0]) }
        case .float32(let a): text = { a[$0].description }
        case .float64(let a): text = { a[$0].description }
        }
        var out = ""
        for r in 0..<rows {
            for c in 0..<columns {
                if c > 0 { out += separator }
                out += text(r * columns + c)
            }
            out += "\n"
        }
        return Array(out.utf8)
    }

    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" }
}

private extension Substring {
    func trimmingCharacters(in isSpace: (Character) -> Bool) -> Substring {
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
