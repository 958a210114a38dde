// Structural kernels: every one of them is a strided copy (or its scatter dual).
import CKernels

// MARK: - Strided copy

/// The dimensions of a strided walk with size-1 dimensions dropped and neighbours merged where
/// the outer one steps exactly over the inner one (`[64, 1, 4]` with strides `[16, 4, 1]` walks
/// as `[256]`): fewer, longer inner runs.
@inline(__always)
func coalescedWalk(_ shape: [Int], _ strides: [Int]) -> (shape: [Int], strides: [Int]) {
    var outShape: [Int] = [], outStrides: [Int] = []
    outShape.reserveCapacity(shape.count)
    outStrides.reserveCapacity(shape.count)
    for (n, s) in zip(shape, strides) where n != 1 {
        if let last = outShape.last, outStrides.last! == s * n {
            outShape[outShape.count - 1] = last * n
            outStrides[outStrides.count - 1] = s
        } else {
            outShape.append(n)
            outStrides.append(s)
        }
    }
    if outShape.isEmpty { return ([1], [1]) }
    return (outShape, outStrides)
}

/// Visits the runs of a strided walk over `shape` (at least one dimension): for every position
/// of the outer dimensions, `body(base, count, stride)` with the storage position of the run's
/// first element. Runs are visited in row-major order.
@inline(__always)
func forEachRun(_ shape: [Int], _ strides: [Int], offset: Int, _ body: (Int, Int, Int) -> Void) {
    let r = shape.count
    let inner = shape[r - 1], s = strides[r - 1]
    if r == 1 { body(offset, inner, s); return }
    shape.withUnsafeBufferPointer { dims in
        strides.withUnsafeBufferPointer { st in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: r) { idx in
                idx.initialize(repeating: 0)
                var base = offset
                while true {
                    body(base, inner, s)
                    var d = r - 2
                    while d >= 0 {
                        idx[d] += 1
                        base += st[d]
                        if idx[d] < dims[d] { break }
                        base -= st[d] * dims[d]
                        idx[d] = 0
                        d -= 1
                    }
                    if d < 0 { return }
                }
            }
        }
    }
}

/// Copies `outShape.elementCount` elements from `src`, reading element `i` of the output
/// (multi-index `idx`) at `offset + sum(idx[d] * strides[d])`.
@inline(__always)
func stridedGather<T>(_ src: [T], offset: Int, strides: [Int], outShape: Shape) -> [T] {
    let n = outShape.elementCount
    return [T](unsafeUninitializedCapacity: n) { out, count in
        count = n
        if n == 0 { return }
        src.withUnsafeBufferPointer { p in
            if outShape.rank == 0 { out[0] = p[offset]; return }
            let (dims, st) = coalescedWalk(outShape.dims, strides)
            let r = dims.count
            if r >= 2, st[r - 2] == 1, st[r - 1] != 1, dims[r - 2] >= 8, dims[r - 1] >= 8 {
                // A transpose of the last two dimensions (`x.mT`, jacfwd's result): by blocks, so
                // that the strided reads stay in a few cache lines.
                transposeGather(p.baseAddress!, offset: offset, dims, st, into: out.baseAddress!)
                return
            }
            var o = 0
            forEachRun(dims, st, offset: offset) { base, count, step in
                if step == 1 {
                    (out.baseAddress! + o).initialize(from: p.baseAddress! + base, count: count)
                } else {
                    var k = base
                    for j in 0..<count { (out.baseAddress! + o + j).initialize(to: p[k]); k += step }
                }
                o += count
            }
        }
    }
}

/// `stridedGather` of a walk whose last two dimensions `[R, C]` read `src` with strides `[1, s]`:
/// each `R x C` matrix is copied by 16 x 16 blocks.
private func transposeGather<T>(_ src: UnsafePointer<T>, offset: Int, _ dims: [Int], _ st: [Int],
                                into out: UnsafeMutablePointer<T>) {
    let r = dims.count
    let rows = dims[r - 2], cols = dims[r - 1], step = st[r - 1]
    let block = 16
    var o = 0
    forEachRun(Array(dims[..<(r - 2)]) + [1], Array(st[..<(r - 2)]) + [0], offset: offset) { base, _, _ in
        let dst = out + o, from = src + base
        for i0 in stride(from: 0, to: rows, by: block) {
            let i1 = Swift.min(i0 + block, rows)
            for j0 in stride(from: 0, to: cols, by: block) {
                let j1 = Swift.min(j0 + block, cols)
                for i in i0..<i1 {
                    let row = dst + i * cols, col = from + i
                    for j in j0..<j1 { (row + j).initialize(to: col[j &* step]) }
                }
            }
        }
        o += rows * cols
    }
}

/// Writes `src` (shape `srcShape`) into `dst` at `offset + sum(idx[d] * strides[d])`.
@inline(__always)
func stridedScatter<T>(_ src: [T], srcShape: Shape, into dst: inout [T], offset: Int, strides: [Int]) {
    let n = srcShape.elementCount
    if n == 0 { return }
    src.withUnsafeBufferPointer { p in
        dst.withUnsafeMutableBufferPointer { q in
            if srcShape.rank == 0 { q[offset] = p[0]; return }
            let (dims, st) = coalescedWalk(srcShape.dims, strides)
            var i = 0
            forEachRun(dims, st, offset: offset) { base, count, step in
                if step == 1 {
                    (q.baseAddress! + base).update(from: p.baseAddress! + i, count: count)
                } else {
                    var k = base
                    for j in 0..<count { q[k] = p[i + j]; k += step }
                }
                i += count
            }
        }
    }
}

extension Storage {
    /// The elements at `offset + sum(i_d * strides[d])` for every index of `outShape`, row-major
    /// (callers check that they lie inside the storage).
    public func gather(offset: Int, strides: [Int], outShape: Shape) -> Storage {
        switch self {
        case .bool(let a): return .bool(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .int64(let a): return .int64(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .float32(let a): return .float32(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .float64(let a): return .float64(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .uint8(let a): return .uint8(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .int8(let a): return .int8(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .int16(let a): return .int16(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .int32(let a): return .int32(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .uint32(let a): return .uint32(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .float16(let a): return .float16(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        case .bfloat16(let a): return .bfloat16(stridedGather(a, offset: offset, strides: strides, outShape: outShape))
        }
    }

    /// A new storage of `count` zeros with each piece `(source, shape, offset, strides)`
    /// scattered into it (all of element type `dtype`).
    static func assemble(_ dtype: DType, count: Int, _ pieces: [(Storage, Shape, Int, [Int])]) -> Storage {
        func build<T>(_ zero: T, _ extract: (Storage) -> [T]) -> [T] {
            var out = [T](repeating: zero, count: count)
            for (src, shape, offset, strides) in pieces {
                stridedScatter(extract(src), srcShape: shape, into: &out, offset: offset, strides: strides)
            }
            return out
        }
        switch dtype {
        case .bool: return .bool(build(false) { if case .bool(let a) = $0 { return a }; preconditionFailure() })
        case .int64: return .int64(build(Int64(0)) { if case .int64(let a) = $0 { return a }; preconditionFailure() })
        case .float32: return .float32(build(Float(0)) { if case .float32(let a) = $0 { return a }; preconditionFailure() })
        case .float64: return .float64(build(Double(0)) { if case .float64(let a) = $0 { return a }; preconditionFailure() })
        case .uint8: return .uint8(build(UInt8(0)) { if case .uint8(let a) = $0 { return a }; preconditionFailure() })
        case .int8: return .int8(build(Int8(0)) { if case .int8(let a) = $0 { return a }; preconditionFailure() })
        case .int16: return .int16(build(Int16(0)) { if case .int16(let a) = $0 { return a }; preconditionFailure() })
        case .int32: return .int32(build(Int32(0)) { if case .int32(let a) = $0 { return a }; preconditionFailure() })
        case .uint32: return .uint32(build(UInt32(0)) { if case .uint32(let a) = $0 { return a }; preconditionFailure() })
        case .float16: return .float16(build(Float16(0)) { if case .float16(let a) = $0 { return a }; preconditionFailure() })
        case .bfloat16: return .bfloat16(build(BFloat16(bits: 0)) { if case .bfloat16(let a) = $0 { return a }; preconditionFailure() })
        }
    }
}

// MARK: - Kernels

extension Tensor {
    /// Permutes dimensions: output dimension `i` is input dimension `perm[i]`.
    ///
    /// ```swift
    /// let t = try x.transposed([1, 0])   // [2, 3] -> [3, 2]
    /// ```
    public func transposed(_ perm: [Int]) throws -> Tensor {
        guard perm.count == rank, Set(perm) == Set(0..<rank) else {
            throw TensorError("permute: \(perm) is not a permutation of the \(rank) dimensions of a tensor of shape \(shape)")
        }
        if perm == Array(0..<rank) { return self }
        let st = shape.strides
        let outShape = Shape(perm.map { shape[$0] })
        if case .float32(let a) = storage, shape.isLastTwoSwap(perm), elementCount > 0 {
            // Matrices (or a batch of them, the leading dimensions in order) by CKernels' 8 x 8
            // register tiles: 6.15 -> 3.91 us for `W.t()` of [128, 64], 110 -> 97 us for [512, 512]
            // (docs/performance.md). A transpose moves values, so the result is the same.
            return Tensor(shape: outShape, storage: .float32(float32MatrixTransposes(a, rows: shape[rank - 2], cols: shape[rank - 1])))
        }
        return Tensor(shape: outShape, storage: storage.gather(offset: 0, strides: perm.map { st[$0] }, outShape: outShape))
    }

    /// Whether `perm` swaps the last two dimensions and they have the same size: the transpose
    /// can then be done in place (`transposeSquareLastTwoInPlace`).
    public func isSquareLastTwoSwap(_ perm: [Int]) -> Bool { shape.isSquareLastTwoSwap(perm) }

    /// `transposed(perm)` for a `perm` with `isSquareLastTwoSwap`, in this tensor's own storage
    /// (copied first if it is shared, as any write to a Swift array): no second buffer, which for
    /// the last transpose of a large `vmap(jacfwd)` is 64 MB and its page faults. Float32 goes
    /// through `jc_transpose_square_f32` (4 x 4 SSE tiles: 0.126 -> 0.03 ms for [64, 64, 64]).
    public mutating func transposeSquareLastTwoInPlace() {
        let n = shape[rank - 1]
        guard n > 1, elementCount > 0 else { return }
        let matrices = elementCount / (n * n)
        func swapAll<T>(_ a: inout [T]) {
            a.withUnsafeMutableBufferPointer { buffer in
                let block = 16
                for m in 0..<matrices {
                    let p = buffer.baseAddress! + m * n * n
                    for i0 in stride(from: 0, to: n, by: block) {
                        for j0 in stride(from: i0, to: n, by: block) {
                            for i in i0..<Swift.min(i0 + block, n) {
                                // Within a diagonal block only the upper triangle swaps.
                                for j in Swift.max(j0, i + 1)..<Swift.max(Swift.max(j0, i + 1), Swift.min(j0 + block, n)) {
                                    let a = p + (i &* n &+ j), b = p + (j &* n &+ i)
                                    let t = a.pointee
                                    a.pointee = b.pointee
                                    b.pointee = t
                                }
                            }
                        }
                    }
                }
            }
        }
        // Each case takes the array out of `storage` before writing, so that it is the only
        // reference and the write does not copy.
        switch storage {
        case .bool(var a): storage = .bool([]); swapAll(&a); storage = .bool(a)
        case .uint8(var a): storage = .bool([]); swapAll(&a); storage = .uint8(a)
        case .int8(var a): storage = .bool([]); swapAll(&a); storage = .int8(a)
        case .int16(var a): storage = .bool([]); swapAll(&a); storage = .int16(a)
        case .int32(var a): storage = .bool([]); swapAll(&a); storage = .int32(a)
        case .uint32(var a): storage = .bool([]); swapAll(&a); storage = .uint32(a)
        case .int64(var a): storage = .bool([]); swapAll(&a); storage = .int64(a)
        case .float16(var a): storage = .bool([]); swapAll(&a); storage = .float16(a)
        case .bfloat16(var a): storage = .bool([]); swapAll(&a); storage = .bfloat16(a)
        case .float32(var a):
            storage = .bool([])
            a.withUnsafeMutableBufferPointer { jc_transpose_square_f32($0.baseAddress!, n, matrices) }
            storage = .float32(a)
        case .float64(var a): storage = .bool([]); swapAll(&a); storage = .float64(a)
        }
        var dims = shape.dims
        dims.swapAt(rank - 1, rank - 2)
        shape = Shape(dims)
    }

    /// Broadcasts to `outShape`; input dimension `i` becomes output dimension `dims[i]`
    /// (it must have the same size there, or size 1). Other output dimensions are new.
    ///
    /// ```swift
    /// let b = try bias.broadcast(to: [4, 3], dims: [1])  // [3] -> [4, 3]
    /// ```
    public func broadcast(to outShape: Shape, dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw TensorError("broadcast: \(dims.count) dims given for a tensor of rank \(rank)")
        }
        var st = [Int](repeating: 0, count: outShape.rank)
        let own = shape.strides
        for (i, d) in dims.enumerated() {
            guard d >= 0 && d < outShape.rank && (shape[i] == outShape[d] || shape[i] == 1) else {
                throw TensorError("broadcast: cannot broadcast \(shape) to \(outShape) with dims \(dims)")
            }
            st[d] = shape[i] == 1 ? 0 : own[i]
        }
        if outShape == shape { return self }
        return Tensor(shape: outShape, storage: storage.gather(offset: 0, strides: st, outShape: outShape))
    }

    /// The strided slice `[start[d] : limit[d] : stride[d]]` along every dimension (steps > 0).
    public func sliced(start: [Int], limit: [Int], stride steps: [Int]) throws -> Tensor {
        guard start.count == rank, limit.count == rank, steps.count == rank else {
            throw TensorError("slice: expected \(rank) bounds for a tensor of shape \(shape)")
        }
        var outDims = [Int](), st = [Int](), offset = 0
        let own = shape.strides
        for d in 0..<rank {
            guard steps[d] > 0, start[d] >= 0, limit[d] <= shape[d] else {
                throw TensorError("slice: bounds \(start[d]):\(limit[d]):\(steps[d]) out of range for dimension \(d) of size \(shape[d])")
            }
            let len = Swift.max(0, (limit[d] - start[d] + steps[d] - 1) / steps[d])
            outDims.append(len)
            st.append(own[d] * steps[d])
            offset += start[d] * own[d]
        }
        let outShape = Shape(outDims)
        if outShape.elementCount == 0 { return Tensor(shape: outShape, storage: .zeros(dtype, count: 0)) }
        return Tensor(shape: outShape, storage: storage.gather(offset: offset, strides: st, outShape: outShape))
    }

    /// Pads with zeros: `low[d]` before, `high[d]` after and `interior[d]` between elements of
    /// each dimension (the transpose of a strided slice).
    public func padded(low: [Int], high: [Int], interior: [Int]) throws -> Tensor {
        guard low.count == rank, high.count == rank, interior.count == rank,
              !(low + high + interior).contains(where: { $0 < 0 }) else {
            throw TensorError("pad: expected \(rank) non-negative amounts for a tensor of shape \(shape)")
        }
        let outShape = Shape((0..<rank).map { d in
            low[d] + high[d] + shape[d] + Swift.max(0, shape[d] - 1) * interior[d]
        })
        let ost = outShape.strides
        let offset = (0..<rank).reduce(0) { $0 + low[$1] * ost[$1] }
        let out = Storage.assemble(dtype, count: outShape.elementCount,
                                   [(storage, shape, offset, (0..<rank).map { ost[$0] * (interior[$0] + 1) })])
        return Tensor(shape: outShape, storage: out)
    }

    /// Joins tensors of equal dtype along `axis`; the other dimensions must agree.
    ///
    /// ```swift
    /// let c = try Tensor.concatenate([a, b], axis: 0)
    /// ```
    public static func concatenate(_ parts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = parts.first else { throw TensorError("cat: expected a non-empty list of tensors") }
        for (k, p) in parts.enumerated() {
            guard p.rank == first.rank else {
                throw TensorError("Tensors must have same number of dimensions: got \(first.rank) and \(p.rank)")
            }
            guard p.dtype == first.dtype else {
                throw TensorError("cat: dtypes differ (\(first.dtype.torchName) and \(p.dtype.torchName))")
            }
            if let d = (0..<p.rank).first(where: { $0 != axis && p.shape[$0] != first.shape[$0] }) {
                throw TensorError("Sizes of tensors must match except in dimension \(axis). Expected size \(first.shape[d]) but got size \(p.shape[d]) for tensor number \(k) in the list.",
                                  hint: "cat: shapes \(first.shape) and \(p.shape) differ outside dimension \(axis)")
            }
        }
        guard axis >= 0 && axis < first.rank else {
            throw TensorError("cat: dimension \(axis) out of range for rank \(first.rank)")
        }
        var outShape = first.shape
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let ost = outShape.strides
        var at = 0
        var pieces: [(Storage, Shape, Int, [Int])] = []
        for p in parts {
            pieces.append((p.storage, p.shape, at * ost[axis], ost))
            at += p.shape[axis]
        }
        return Tensor(shape: outShape, storage: Storage.assemble(first.dtype, count: outShape.elementCount, pieces))
    }

    /// The `n x n` identity matrix.
    public static func identity(_ n: Int, dtype: DType = .float32) -> Tensor {
        if dtype != dtype.computeType { return identity(n, dtype: dtype.computeType).narrowed(to: dtype) }
        var s = Storage.zeros(dtype, count: n * n)
        switch s {
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16: preconditionFailure("compute types only here")
        case .float32(var a): for i in 0..<n { a[i * n + i] = 1 }; s = .float32(a)
        case .float64(var a): for i in 0..<n { a[i * n + i] = 1 }; s = .float64(a)
        case .int64(var a): for i in 0..<n { a[i * n + i] = 1 }; s = .int64(a)
        case .bool(var a): for i in 0..<n { a[i * n + i] = true }; s = .bool(a)
        }
        return Tensor(shape: [n, n], storage: s)
    }
}

/// Each `[rows, cols]` matrix of `a` (one after another) transposed to `[cols, rows]`, by
/// CKernels' `jc_transpose_f32`: `Tensor.transposed` and `SmallGemm`'s transposed B.
func float32MatrixTransposes(_ a: [Float], rows: Int, cols: Int) -> [Float] {
    let size = rows * cols
    return [Float](unsafeUninitializedCapacity: a.count) { buffer, n in
        a.withUnsafeBufferPointer { src in
            for m in 0..<(size == 0 ? 0 : a.count / size) {
                jc_transpose_f32(src.baseAddress! + m * size, rows, cols, buffer.baseAddress! + m * size)
            }
        }
        n = a.count
    }
}
