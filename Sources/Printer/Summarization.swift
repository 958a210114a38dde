import Tensor

/// The elements PyTorch's `get_summarized_data` keeps from a summarised tensor: the data the
/// element formatter measures, so that hidden elements affect neither widths nor modes.
///
/// Along every dimension longer than `2 * edgeItems` only the first and last `edgeItems`
/// entries are kept. Two corner cases follow PyTorch exactly: with `edgeItems == 0` a tensor of
/// rank 2 or more keeps nothing, while a vector keeps everything (PyTorch's `self[-0:]` is the
/// whole vector).
enum Summarization {
    // MARK: - Kept elements

    /// Row-major flat indices of the elements kept from a tensor of `shape`.
    static func keptIndices(shape: Shape, edgeItems: Int) -> [Int] {
        let dims = shape.dims
        if dims.isEmpty { return [0] }
        if dims.count >= 2 && edgeItems == 0 { return [] }
        var kept: [Int] = []
        collect(dims: dims, strides: shape.strides, axis: 0, offset: 0, edgeItems: edgeItems, into: &kept)
        return kept
    }

    /// Appends the kept indices of the sub-tensor starting at `offset` whose outermost
    /// dimension is `axis`.
    private static func collect(dims: [Int], strides: [Int], axis: Int, offset: Int, edgeItems: Int,
                                into kept: inout [Int]) {
        let size = dims[axis], stride = strides[axis]
        let positions = keptPositions(size: size, edgeItems: edgeItems, vector: axis == dims.count - 1)
        for p in positions {
            if axis == dims.count - 1 {
                kept.append(offset + p * stride)
            } else {
                collect(dims: dims, strides: strides, axis: axis + 1, offset: offset + p * stride,
                        edgeItems: edgeItems, into: &kept)
            }
        }
    }

    /// Positions kept along one dimension of `size` entries.
    private static func keptPositions(size: Int, edgeItems: Int, vector: Bool) -> [Int] {
        guard size > 2 * edgeItems, !(vector && edgeItems == 0) else { return Array(0..<size) }
        return Array(0..<edgeItems) + Array((size - edgeItems)..<size)
    }
}
