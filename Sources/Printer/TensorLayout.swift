import Tensor

/// Lays out the elements of a non-empty tensor as nested bracketed lists: PyTorch's
/// `_tensor_str_with_formatter` and `_vector_str`.
///
/// - A 0-d tensor is its single formatted element: `3.5000`.
/// - A vector is `[a, b, c]`, wrapped after as many elements as fit in `lineWidth` columns
///   (counting the indentation and two characters of `", "` per element); continuation lines
///   are indented one column past the opening bracket.
/// - A tensor of rank `r >= 2` is `[block, block]` where consecutive blocks are separated by a
///   comma, `r - 1` newlines and the indentation: one line break between the rows of a matrix,
///   one blank line between the matrices of a rank-3 tensor, two between rank-3 blocks.
/// - When summarising, dimensions longer than `2 * edgeItems` show their first and last
///   `edgeItems` entries around a `...` entry.
struct TensorLayout {
    // MARK: - Inputs

    /// The elements, row-major.
    let storage: Storage
    /// The dimensions.
    let dims: [Int]
    /// Row-major strides of `dims`.
    let strides: [Int]
    /// Whether dimensions are elided with `...`.
    let summarize: Bool
    /// Entries kept at each end of an elided dimension.
    let edgeItems: Int
    /// Columns available to a vector's elements.
    let lineWidth: Int
    /// Spells each element.
    let formatter: ElementFormatter

    // MARK: - Layout

    /// The bracketed text of the whole tensor, whose first line starts at column `indent`.
    func render(indent: Int) -> String {
        render(axis: 0, offset: 0, indent: indent)
    }

    /// The sub-tensor whose outermost dimension is `axis`, starting at flat index `offset`.
    private func render(axis: Int, offset: Int, indent: Int) -> String {
        let remainingRank = dims.count - axis
        if remainingRank == 0 { return formatter.format(storage, at: offset) }
        if remainingRank == 1 { return vector(offset: offset, indent: indent) }

        let size = dims[axis], step = strides[axis]
        var slices: [String] = []
        func block(_ i: Int) -> String { render(axis: axis + 1, offset: offset + i * step, indent: indent + 1) }
        if summarize && size > 2 * edgeItems {
            slices += (0..<edgeItems).map(block)
            slices.append("...")
            slices += ((size - edgeItems)..<size).map(block)
        } else {
            slices = (0..<size).map(block)
        }
        let separator = "," + String(repeating: "\n", count: remainingRank - 1)
            + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }

    /// A last-dimension vector starting at flat index `offset`, wrapped to `lineWidth`.
    private func vector(offset: Int, indent: Int) -> String {
        let size = dims[dims.count - 1], step = strides[strides.count - 1]
        func element(_ i: Int) -> String { formatter.format(storage, at: offset + i * step) }

        let items: [String]
        if summarize && edgeItems == 0 {
            items = ["..."]
        } else if summarize && size > 2 * edgeItems {
            items = (0..<edgeItems).map(element) + [" ..."] + ((size - edgeItems)..<size).map(element)
        } else {
            items = (0..<size).map(element)
        }

        let elementLength = formatter.width + 2
        let perLine = Swift.max(1, Self.floorDivide(lineWidth - indent, elementLength))
        let lines = stride(from: 0, to: items.count, by: perLine).map { start in
            items[start..<Swift.min(start + perLine, items.count)].joined(separator: ", ")
        }
        return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
    }

    /// Python's `math.floor(a / b)` for a positive `b`.
    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }
}
