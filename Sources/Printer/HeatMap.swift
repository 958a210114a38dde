import Tensor

/// Pictures of matrices in the terminal: a signed heat map and a non-zero pattern ("spy").
/// Any tensor is folded to 2-D first: its leading half of dimensions become rows and the rest
/// columns, so a full batch Jacobian `[B, m, B, n]` shows as `[B*m, B*n]` and its
/// block-diagonal structure is visible at a glance. Large matrices are downsampled by taking,
/// for each character cell, the entry of largest magnitude in the block it covers.
///
/// ```swift
/// print(HeatMap.render(J, color: false))
/// print(HeatMap.spy(J, color: false))
/// ```
public enum HeatMap {
    /// The widest picture by default, in character cells.
    public static let maxColumns = 64
    /// The tallest picture, in character rows.
    public static let maxRows = 32

    /// Rows and columns of the 2-D folding of a shape.
    public static func folded(_ shape: Shape) -> (rows: Int, columns: Int) {
        switch shape.rank {
        case 0: return (1, 1)
        case 1: return (1, shape[0])
        default:
            let split = (shape.rank + 1) / 2
            return (shape.dims[..<split].reduce(1, *), shape.dims[split...].reduce(1, *))
        }
    }

    /// Downsampled cells: for each cell, the entry of largest magnitude (NaN wins) in its block;
    /// at most `width` cells across.
    static func cells(_ t: Tensor, width: Int) -> (values: [[Double]], rows: Int, columns: Int, rowStep: Int, columnStep: Int) {
        let (r, c) = folded(t.shape)
        let v = t.doubles
        let width = max(8, width)
        let rowStep = max(1, (r + maxRows - 1) / maxRows), columnStep = max(1, (c + width - 1) / width)
        let outRows = (r + rowStep - 1) / rowStep, outColumns = (c + columnStep - 1) / columnStep
        var grid = [[Double]](repeating: [Double](repeating: 0, count: outColumns), count: outRows)
        for i in 0..<r {
            for j in 0..<c {
                let x = v[i * c + j]
                let cell = grid[i / rowStep][j / columnStep]
                if x.isNaN || (!cell.isNaN && abs(x) > abs(cell)) { grid[i / rowStep][j / columnStep] = x }
            }
        }
        return (grid, r, c, rowStep, columnStep)
    }

    /// The header line: shape, folding and downsampling.
    static func header(_ t: Tensor, _ rows: Int, _ columns: Int, _ rowStep: Int, _ columnStep: Int, what: String) -> String {
        var s = "\(what) of \(formatShapeList(t.shape))"
        if t.rank != 2 { s += " folded to [\(rows), \(columns)]" }
        if rowStep > 1 || columnStep > 1 { s += ", \(rowStep)x\(columnStep) entries per cell (largest magnitude)" }
        return s
    }

    /// A signed heat map: red for positive, blue for negative, brighter for larger magnitude
    /// (or `+ * #` and `- = %` in plain text), with a legend of the value range.
    /// `width`: the most character cells across (the REPL passes the terminal's width).
    public static func render(_ t: Tensor, color: Bool, width: Int = maxColumns) -> String {
        guard t.elementCount > 0 else { return "heat map of an empty tensor \(formatShapeList(t.shape))" }
        let (grid, r, c, rs, cs) = cells(t, width: width)
        let finite = t.doubles.filter { $0.isFinite }
        let scale = finite.map(abs).max() ?? 0
        var lines = [TextWrap.words(header(t, r, c, rs, cs, what: "heat map"), width: width + 4)]
        let positive: [String] = color ? ["\u{1B}[48;5;224m \u{1B}[0m", "\u{1B}[48;5;210m \u{1B}[0m", "\u{1B}[48;5;203m \u{1B}[0m", "\u{1B}[48;5;160m \u{1B}[0m"]
                                       : [".", "+", "*", "#"]
        let negative: [String] = color ? ["\u{1B}[48;5;189m \u{1B}[0m", "\u{1B}[48;5;111m \u{1B}[0m", "\u{1B}[48;5;69m \u{1B}[0m", "\u{1B}[48;5;25m \u{1B}[0m"]
                                       : [",", "-", "=", "%"]
        for row in grid {
            var line = "  "
            for x in row {
                if x.isNaN { line += color ? "\u{1B}[48;5;226m?\u{1B}[0m" : "?"; continue }
                if x == 0 || scale == 0 { line += " "; continue }
                let m = min(1, abs(x) / scale)
                let level = m < 0.05 ? 0 : (m < 0.25 ? 1 : (m < 0.6 ? 2 : 3))
                line += x > 0 ? positive[level] : negative[level]
            }
            lines.append(line)
        }
        let nan = t.doubles.filter(\.isNaN).count
        var legend = "  range [\(short(finite.min() ?? 0)), \(short(finite.max() ?? 0))]; "
        legend += color ? "red > 0, blue < 0, blank = 0" : "+ * # > 0, - = % < 0 (by |value| / \(short(scale))), . , tiny, blank = 0"
        if nan > 0 { legend += "; ? = NaN (\(nan))" }
        lines.append(TextWrap.words(legend, width: width + 4, indent: "    "))
        return lines.joined(separator: "\n")
    }

    /// The non-zero pattern: `█` (or `#`) where any entry of the cell is non-zero.
    /// `width`: the most character cells across (the REPL passes the terminal's width).
    public static func spy(_ t: Tensor, color: Bool, width: Int = maxColumns) -> String {
        guard t.elementCount > 0 else { return "spy of an empty tensor \(formatShapeList(t.shape))" }
        let (grid, r, c, rs, cs) = cells(t, width: width)
        var lines = [TextWrap.words(header(t, r, c, rs, cs, what: "non-zero pattern"), width: width + 4)]
        for row in grid {
            lines.append("  " + row.map { $0 != 0 ? (color ? "\u{2588}" : "#") : (color ? "\u{00B7}" : ".") }.joined())
        }
        let nonzero = t.doubles.filter { $0 != 0 }.count
        lines.append("  \(nonzero) of \(t.elementCount) entries are non-zero (\(percent(nonzero, t.elementCount)))")
        return lines.joined(separator: "\n")
    }

    static func percent(_ a: Int, _ b: Int) -> String {
        let p = 100 * Double(a) / Double(max(b, 1))
        return String(Double((p * 10).rounded() / 10)) + "%"
    }

    /// Four significant digits, as `{:.4g}` would print.
    static func short(_ x: Double) -> String {
        PythonFloatFormat.general(x, precision: 4)
    }
}
