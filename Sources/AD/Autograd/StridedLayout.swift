import Tensor

/// Where a view's elements sit in its base's storage, as PyTorch's sizes, strides and storage
/// offset. Jacobi's values are immutable and dense, so the layout is bookkeeping only: it says
/// whether a view is contiguous (`is_contiguous()`), whether `view()` may reinterpret it (or
/// must raise PyTorch's error), and whether `reshape()` gives a view or a copy.
///
/// ```swift
/// let l = StridedLayout(contiguous: [2, 3])     // strides [3, 1]
/// l.permuted([1, 0]).isContiguous                 // false: a transpose
/// l.permuted([1, 0]).viewed(as: [6])              // nil: view() would fail, reshape() copies
/// ```
public struct StridedLayout: Equatable, Sendable {
    /// The size of each dimension.
    public var sizes: [Int]
    /// The storage distance between neighbours along each dimension.
    public var strides: [Int]
    /// Where the first element is in the base's storage.
    public var offset: Int

    /// The layout of a fresh tensor: row-major strides, offset 0.
    public init(contiguous shape: Shape) {
        sizes = shape.dims
        strides = StridedLayout.rowMajor(shape.dims)
        offset = 0
    }

    /// A layout from its parts.
    public init(sizes: [Int], strides: [Int], offset: Int) {
        self.sizes = sizes
        self.strides = strides
        self.offset = offset
    }

    static func rowMajor(_ sizes: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: sizes.count)
        var step = 1
        for d in sizes.indices.reversed() {
            strides[d] = step
            step *= max(sizes[d], 1)
        }
        return strides
    }

    /// PyTorch's `is_contiguous()`: row-major, ignoring dimensions of size 1.
    public var isContiguous: Bool {
        var expected = 1
        for d in sizes.indices.reversed() where sizes[d] != 1 {
            if sizes[d] == 0 { return true }
            if strides[d] != expected { return false }
            expected *= sizes[d]
        }
        return true
    }

    /// `x.select(dim, i)`.
    public func selecting(_ dim: Int, _ i: Int) -> StridedLayout {
        var l = self
        l.offset += i * strides[dim]
        l.sizes.remove(at: dim)
        l.strides.remove(at: dim)
        return l
    }

    /// `x.narrow`/a slice along `dim`: `count` elements from `start` by `step`.
    public func slicing(_ dim: Int, start: Int, step: Int, count: Int) -> StridedLayout {
        var l = self
        l.offset += start * strides[dim]
        l.sizes[dim] = count
        l.strides[dim] *= step
        return l
    }

    /// `x.permute(perm)`: result dimension `i` is dimension `perm[i]`.
    public func permuted(_ perm: [Int]) -> StridedLayout {
        StridedLayout(sizes: perm.map { sizes[$0] }, strides: perm.map { strides[$0] }, offset: offset)
    }

    /// `x.unsqueeze(dim)`.
    public func unsqueezed(_ dim: Int) -> StridedLayout {
        var l = self
        let stride = dim < sizes.count ? sizes[dim] * strides[dim] : 1
        l.sizes.insert(1, at: dim)
        l.strides.insert(stride, at: dim)
        return l
    }

    /// Without the size-1 dimensions in `dims`.
    public func squeezed(_ dims: [Int]) -> StridedLayout {
        var l = self
        for d in dims.sorted(by: >) where d < l.sizes.count && l.sizes[d] == 1 {
            l.sizes.remove(at: d)
            l.strides.remove(at: d)
        }
        return l
    }

    /// `x.expand(shape)`: new leading dimensions and stretched size-1 dimensions get stride 0.
    public func expanded(to shape: [Int]) -> StridedLayout {
        let lead = shape.count - sizes.count
        var strides = [Int](repeating: 0, count: lead)
        for (d, s) in sizes.enumerated() { strides.append(s == shape[lead + d] ? self.strides[d] : 0) }
        return StridedLayout(sizes: shape, strides: strides, offset: offset)
    }

    /// `x.diagonal(offset, dim1, dim2)`: the two dimensions become one, last.
    public func diagonal(offset k: Int, _ d1: Int, _ d2: Int) -> StridedLayout {
        var l = self
        let n = Swift.max(0, k >= 0 ? Swift.min(sizes[d1], sizes[d2] - k) : Swift.min(sizes[d1] + k, sizes[d2]))
        if n > 0 { l.offset += k >= 0 ? k * strides[d2] : -k * strides[d1] }
        let stride = strides[d1] + strides[d2]
        for d in [d1, d2].sorted(by: >) {
            l.sizes.remove(at: d)
            l.strides.remove(at: d)
        }
        l.sizes.append(n)
        l.strides.append(stride)
        return l
    }

    /// `x.view(shape)`: the same elements reinterpreted, or nil when the strides do not allow it
    /// (PyTorch's `computeStride`; `view` then raises and `reshape` copies).
    public func viewed(as shape: [Int]) -> StridedLayout? {
        let total = sizes.reduce(1, *)
        if total == 0 { return StridedLayout(sizes: shape, strides: StridedLayout.rowMajor(shape), offset: offset) }
        if sizes.isEmpty { return StridedLayout(sizes: shape, strides: shape.map { _ in 1 }, offset: offset) }
        var newStrides = [Int](repeating: 0, count: shape.count)
        var viewD = shape.count - 1
        var chunkBase = strides[sizes.count - 1]
        var tensorNumel = 1, viewNumel = 1
        for d in sizes.indices.reversed() {
            tensorNumel *= sizes[d]
            if d == 0 || (sizes[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= shape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if d > 0 {
                    chunkBase = strides[d - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
        }
        if viewD != -1 { return nil }
        return StridedLayout(sizes: shape, strides: newStrides, offset: offset)
    }
}
