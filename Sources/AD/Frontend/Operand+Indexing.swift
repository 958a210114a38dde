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
            throw TensorError("too many indices for tensor of dimension \(rank)", kind: .index)
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
                    throw TensorError("index \(i) is out of bounds for dimension \(d) with size \(n)", kind: .index)
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

// MARK: - Advanced indexing

extension Operand {
    /// `torch.index_select` generalised to an index tensor of any shape: the result has the
    /// index's shape in place of dimension `dim` (PyTorch's advanced indexing on one dimension,
    /// `x[[0, 2]]`, `x[:, idx]`). Concrete indices become slices joined along `dim` (exact for
    /// every dtype, and differentiable and batchable as slices are); traced indices become a
    /// one-hot matrix product.
    ///
    /// ```swift
    /// let rows = try x.indexSelect(0, .tensor(Tensor(shape: [2], int64: [0, 2])))
    /// ```
    public func indexSelect(_ dim: Int, _ indices: Operand) throws -> Operand {
        guard rank > 0 else { throw TensorError("index_select(): a 0-d tensor has no dimension to index", kind: .index) }
        let d = try shape.axis(dim, op: "index_select")
        let n = shape[d]
        guard !indices.dtype.isFloatingPoint && indices.dtype != .bool else {
            throw TensorError("index_select(): Expected dtype int64 for index", kind: .index)
        }
        let outer = Array(shape.dims[..<d]), inner = Array(shape.dims[(d + 1)...])
        if let concrete = indices.concrete {
            let positions = try concrete.doubles.map { v -> Int in
                let i = Int(v)
                let j = i < 0 ? i + n : i
                guard j >= 0 && j < n else {
                    throw TensorError("index \(i) is out of bounds for dimension \(d) with size \(n)", kind: .index)
                }
                return j
            }
            let picked: Operand
            if positions.isEmpty {
                picked = try Operand.zeros(TensorType(shape: Shape(outer + [0] + inner), dtype: dtype))
            } else {
                var pieces: [Operand] = []
                var runStart = positions[0], runEnd = positions[0] + 1
                func flush() throws {
                    var items = [IndexItem](repeating: .slice(start: nil, stop: nil, step: nil), count: rank)
                    items[d] = .slice(start: runStart, stop: runEnd, step: 1)
                    pieces.append(try subscripted(items))
                }
                for p in positions.dropFirst() {
                    if p == runEnd { runEnd += 1 } else { try flush(); runStart = p; runEnd = p + 1 }
                }
                try flush()
                picked = pieces.count == 1 ? pieces[0] : try Operand.cat(pieces, dim: d)
            }
            return try picked.reshaped(Shape(outer + indices.shape.dims + inner))
        }
        // Traced indices: one-hot [k..., n] contracted with dimension d.
        let wrapped = try Operand.select(Operand.compare(.lt, indices, indices.constant(0)), indices + indices.constant(Double(n)), indices)
        let iota = Operand.tensor(try Tensor.arange(0, Double(n), dtype: indices.dtype))
        let work: DType = dtype.isFloatingPoint ? dtype : .float64
        let oneHot = try Operand.compare(.eq, wrapped.unsqueeze(-1), iota).converted(to: work)
        let product = try Operand.dot(oneHot, converted(to: work), DotDimensions(lhsContracting: [indices.rank], rhsContracting: [d]))
        // product: [k..., outer..., inner...]; move the index dimensions to position d.
        let k = indices.rank
        let perm = Array(k..<(k + outer.count)) + Array(0..<k) + Array((k + outer.count)..<(k + outer.count + inner.count))
        let result = try product.permuted(perm)
        return work == dtype ? result : try result.converted(to: dtype)
    }

    /// `x[mask]` for a boolean mask covering dimensions `dim ..< dim + mask.rank`: those
    /// dimensions become one, of the selected elements. The mask must be concrete (the result's
    /// size depends on its values).
    public func maskedSelect(along dim: Int, mask: Operand) throws -> Operand {
        guard let m = mask.concrete else {
            throw TensorError("boolean mask indexing needs a concrete mask: its result's size depends on the mask's values",
                              hint: "inside grad/vmap/jacrev use where(mask, x, 0) instead")
        }
        guard dim + m.rank <= rank, Array(shape.dims[dim..<(dim + m.rank)]) == m.shape.dims else {
            throw TensorError("The shape of the mask \(m.shape) at index 0 does not match the shape of the indexed tensor \(shape) at index \(dim)",
                              kind: .index)
        }
        let merged = Array(shape.dims[..<dim]) + [m.shape.elementCount] + Array(shape.dims[(dim + m.rank)...])
        let flat = try reshaped(Shape(merged))
        let positions = m.doubles.enumerated().filter { $0.element != 0 }.map { Double($0.offset) }
        let indices = Operand.tensor(Tensor(shape: [positions.count], doubles: positions, dtype: .int64))
        return try flat.indexSelect(dim, indices)
    }
}
