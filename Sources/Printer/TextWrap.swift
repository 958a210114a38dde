/// Prose and tables laid out for a terminal of a given width: lines break between words, never
/// inside one, and a table too wide for the terminal becomes one record per row.
///
/// ```swift
/// TextWrap.words("hint: pass strict=False to load only the matching keys", width: 30, indent: "      ")
/// // hint: pass strict=False to
/// //       load only the matching
/// //       keys
/// TextWrap.table(["way", "flops"], [["jacrev(f)(x)", "9480"]], width: 80)
/// ```
public enum TextWrap {
    /// Columns a string takes (one per Unicode scalar: the REPL's texts have no wide characters).
    public static func columns(_ s: String) -> Int { s.unicodeScalars.count }

    /// `line` broken between words so that no line is longer than `width` columns (a word
    /// longer than that stays whole on a line of its own); lines after the first start with
    /// `indent`. Spaces inside a line are kept as they are; texts with newlines are wrapped line
    /// by line, each continuation with the same `indent`.
    public static func words(_ text: String, width: Int, indent: String = "  ") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: width, indent: indent) }
            .joined(separator: "\n")
    }

    private static func wrapLine(_ line: String, width: Int, indent: String) -> String {
        guard columns(line) > width, width > columns(indent) + 8 else { return line }
        // The line's own leading spaces stay on its first line.
        let leading = String(line.prefix { $0 == " " })
        let words = line.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: true)
        var lines: [String] = []
        var current = leading
        var currentHasWord = false
        for word in words {
            let candidate = currentHasWord ? current + " " + word : current + word
            if currentHasWord && columns(candidate) > width {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
            currentHasWord = true
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// A plain text table with a header rule, each line starting with `indent`. When the
    /// aligned table would be wider than `width`, each row becomes a record instead: its first
    /// cell on a line, then `header value` pairs wrapped between pairs, so nothing wraps
    /// mid-word on a narrow terminal.
    public static func table(_ header: [String], _ rows: [[String]], width: Int = .max, indent: String = "") -> String {
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(columns).max()! }
        func line(_ cells: [String]) -> String {
            var s = indent + zip(cells, widths).map { cell, w in
                cell + String(repeating: " ", count: max(0, w - columns(cell)))
            }.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        let total = columns(indent) + widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        if total <= width || rows.isEmpty {
            return ([line(header), indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
                    + rows.map(line)).joined(separator: "\n")
        }
        let inner = indent + "  "
        return rows.map { row -> String in
            var out = [words(indent + row[0], width: width, indent: inner)]
            var current = ""
            for (name, value) in zip(header.dropFirst(), row.dropFirst()) where !value.isEmpty {
                let pair = name + " " + value
                let candidate = current.isEmpty ? inner + pair : current + "  " + pair
                if !current.isEmpty && columns(candidate) > width {
                    out.append(current)
                    current = inner + pair
                } else {
                    current = candidate
                }
            }
            if !current.isEmpty { out.append(words(current, width: width, indent: inner + "  ")) }
            return out.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
