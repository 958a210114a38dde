/// The dimensions of a tensor, printed as PyTorch's `torch.Size` is shown in Jacobi: `[32, 2, 4]`.
///
/// ```swift
/// let s: Shape = [2, 3]
/// s.count        // 6 elements
/// s.rank         // 2
/// s.description  // "[2, 3]"
/// ```
public struct Shape: Hashable, Sendable, RandomAccessCollection, MutableCollection,
                     ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The size of each dimension, outermost first.
    public var dims: [Int]

    /// Creates a shape from dimension sizes.
    public init(_ dims: [Int]) { self.dims = dims }
    /// `let s: Shape = [2, 3]`.
    public init(arrayLiteral elements: Int...) { self.dims = elements }

    /// Collection conformance: dimension indices `0..<rank`.
    public var startIndex: Int { 0 }
    /// Collection conformance: one past the last dimension.
    public var endIndex: Int { dims.count }
    /// The size of dimension `i`.
    public subscript(i: Int) -> Int {
        get { dims[i] }
        set { dims[i] = newValue }
    }

    /// Number of dimensions.
    public var rank: Int { dims.count }

    /// Number of elements (1 for a 0-d shape); `Int.max` when the product overflows, so that a
    /// size check refuses it rather than wrap.
    public var elementCount: Int {
        var n = 1
        for d in dims {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return Int.max }
            n = p
        }
        return n
    }

    /// Row-major (C order) strides, in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: dims.count)
        var acc = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= dims[i]
        }
        return s
    }

    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// Normalises a possibly negative dimension index (`-1` is the last), or throws naming `op`.
    public func axis(_ d: Int, op: String) throws -> Int {
        if rank == 0 && (d == 0 || d == -1) { return 0 }  // a 0-d tensor takes dim 0 or -1
        let r = d < 0 ? d + rank : d
        guard r >= 0 && r < rank else {
            throw TensorError("Dimension out of range (expected to be in range of [\(-Swift.max(rank, 1)), \(Swift.max(rank, 1) - 1)], but got \(d))",
                              hint: "\(op) on a tensor of shape \(self)", kind: .index)
        }
        return r
    }

    /// Whether `perm` swaps the last two dimensions, of equal size, and keeps the others: a
    /// transpose that can run in the tensor's own storage.
    public func isSquareLastTwoSwap(_ perm: [Int]) -> Bool {
        isLastTwoSwap(perm) && self[rank - 1] == self[rank - 2]
    }

    /// Whether `perm` swaps the last two dimensions and keeps the others in order: a transpose of
    /// each matrix of a batch.
    public func isLastTwoSwap(_ perm: [Int]) -> Bool {
        let r = rank
        return r >= 2 && perm.count == r && perm[r - 2] == r - 1 && perm[r - 1] == r - 2
            && perm[..<(r - 2)].elementsEqual(0..<(r - 2))
    }

    /// NumPy/PyTorch broadcasting of two shapes, or an error naming `op` and both shapes.
    public static func broadcast(_ a: Shape, _ b: Shape, op: String) throws -> Shape {
        if a == b { return a }
        let n = Swift.max(a.rank, b.rank)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.rank ? 1 : a[i - (n - a.rank)]
            let db = i < n - b.rank ? 1 : b[i - (n - b.rank)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw TensorError("The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)",
                                  hint: "\(op): shapes \(a) and \(b) cannot be broadcast together")
            }
        }
        return Shape(out)
    }
}
