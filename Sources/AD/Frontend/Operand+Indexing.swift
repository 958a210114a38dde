import Tensor

/// One item of a basic subscript: `x[2]`, `x[1:5:2]`, `x[None]`, `x[...]`.
public enum IndexItem: Sendable {
    case index(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case newAxis
    case ellipsis
}

extension Operand {
    /// Basic indexing with PyTorch's rules (negative indices, clamped slice bounds, `None`,
    /// `...`); the result is one strided slice and a reshape.
    ///
    /// ```swift
    /// let row = try J.subscripted([.index(0), .ellipsis])
    /// ```
    public func subscripted(_ items: [IndexItem]) throws -> Operand {
        let consuming = items.filter { if case .newAxis = $0 { return false }; if case .ellipsis = $0 { return false }; return true }.count
        let ellipses = items.filter { if case .ellipsis = $0 { return true }; return false }.count
        guard ellipses <= 1 else { throw TensorError("index: an index can only have a single ellipsis ('...')") }
        guard consuming <= rank else {
            throw TensorError("index: too many indices for a tensor of dimension \(rank) (shape \(shape)): \(consuming) given")
        }
        var start = [Int](repeating: 0, count: rank), limit = shape.dims, stride = [Int](repeating: 1, count: rank)
        var outDims: [Int] = []
        var d = 0
        for item in items {
            switch item {
            case .ellipsis:
                let skip = rank - consuming
                for _ in 0..<skip { outDims.append(shape[d]); d += 1 }
            case .newAxis:
                outDims.append(1)
            case .index(let i):
                let n = shape[d]
                let j = i < 0 ? i + n : i
                guard j >= 0 && j < n else {
                    throw TensorError("index: index \(i) is out of bounds for dimension \(d) with size \(n) (shape \(shape))")
                }
                start[d] = j; limit[d] = j + 1
                d += 1
            case .slice(let s, let e, let st):
                let n = shape[d]
                let step = st ?? 1
                guard step > 0 else { throw TensorError("index: slice step must be positive, got \(step)") }
                func clampBound(_ v: Int?, _ def: Int) -> Int {
                    guard let v else { return def }
                    let w = v < 0 ? v + n : v
                    return Swift.min(Swift.max(w, 0), n)
                }
                let a = clampBound(s, 0), b = Swift.max(clampBound(e, n), clampBound(s, 0))
                start[d] = a; limit[d] = b; stride[d] = step
                outDims.append((b - a + step - 1) / step)
                d += 1
            }
        }
        while d < rank { outDims.append(shape[d]); d += 1 }
        var r = self
        if start != Array(repeating: 0, count: rank) || limit != shape.dims || stride.contains(where: { $0 != 1 }) {
            r = try bind1(.slice(start: start, limit: limit, stride: stride), self)
        }
        return try r.reshaped(Shape(outDims))
    }
}
