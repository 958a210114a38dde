/// Reductions over dimensions.
public enum ReduceOp: String, Sendable, Hashable, CaseIterable {
    case sum, max, min
}

extension Tensor {
    /// Reduces over `axes` (removed from the shape). Float32 sums accumulate in float64.
    ///
    /// ```swift
    /// let s = try Tensor.reduce(.sum, x, axes: [0])   // [4, 3] -> [3]
    /// ```
    public static func reduce(_ op: ReduceOp, _ x: Tensor, axes: [Int]) throws -> Tensor {
        for a in axes where a < 0 || a >= x.rank {
            throw TensorError("\(op.rawValue): dimension \(a) out of range for a tensor of shape \(x.shape)")
        }
        if op != .sum {
            for a in axes where x.shape[a] == 0 {
                throw TensorError("\(op.rawValue): cannot reduce over dimension \(a) of size 0 (shape \(x.shape))")
            }
        }
        if !x.hasComputeType {
            // Integer sums give int64 (as torch.sum does); the rest keep the storage type.
            let r = try reduce(op, x.widened(), axes: axes)
            return op == .sum && x.dtype.isInteger ? r : r.narrowed(to: x.dtype)
        }
        var t = x
        var axes = Set(axes).sorted(by: >)
        if op == .sum && x.dtype == .float32 && axes.count > 1 {
            // Adjacent dimensions summed together are one dimension: one pass, one rounding to
            // float32 at the end (the sum over [16, 64, 64] was three passes and three roundings).
            (t, axes) = x.mergingAdjacent(axes)
        }
        for a in axes { t = try reduceOne(op, t, axis: a) }
        return t
    }

    /// The tensor reshaped so that each run of adjacent dimensions among `axes` (sorted from the
    /// last) is one dimension, and the merged dimensions' indices, again from the last.
    private func mergingAdjacent(_ axes: [Int]) -> (Tensor, [Int]) {
        var dims: [Int] = [], merged: [Int] = []
        var d = 0
        while d < rank {
            guard axes.contains(d) else { dims.append(shape[d]); d += 1; continue }
            var size = 1
            while d < rank && axes.contains(d) { size *= shape[d]; d += 1 }
            merged.append(dims.count)
            dims.append(size)
        }
        return (Tensor(shape: Shape(dims), storage: storage), merged.reversed())
    }

    private static func reduceOne(_ op: ReduceOp, _ x: Tensor, axis: Int) throws -> Tensor {
        let pre = x.shape.dims[..<axis].reduce(1, *)
        let n = x.shape[axis]
        let post = x.shape.dims[(axis + 1)...].reduce(1, *)
        var outDims = x.shape.dims
        outDims.remove(at: axis)
        let outShape = Shape(outDims)
        switch x.storage {
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16:
            preconditionFailure("storage types are widened in reduce")
        case .float32(let a):
            return Tensor(shape: outShape, storage: .float32(reduceRows(op, a, pre, n, post, acc: Double.self)))
        case .float64(let a):
            return Tensor(shape: outShape, storage: .float64(reduceRows(op, a, pre, n, post, acc: Double.self)))
        case .int64(let a):
            return Tensor(shape: outShape, storage: .int64(reduceInt(op, a, pre, n, post)))
        case .bool(let a):
            let i = a.map { Int64($0 ? 1 : 0) }
            let r = reduceInt(op, i, pre, n, post)
            if op == .sum { return Tensor(shape: outShape, storage: .int64(r)) }
            return Tensor(shape: outShape, storage: .bool(r.map { $0 != 0 }))
        }
    }
}

/// Reduces `[pre, n, post]` to `[pre, post]`, accumulating sums in `A`.
func reduceRows<T: KernelFloat, A: KernelFloat>(_ op: ReduceOp, _ a: [T], _ pre: Int, _ n: Int, _ post: Int,
                                                acc: A.Type) -> [T] {
    let count = pre * post
    return [T](unsafeUninitializedCapacity: count) { out, c in
        c = count
        a.withUnsafeBufferPointer { p in
            switch op {
            case .sum:
                // Rows are read and accumulated through pointers advanced to their start, so the
                // inner loops carry no overflow checks and vectorise (the order of the additions
                // is the same: each output sums its n inputs in turn).
                if post == 1 {
                    // Contiguous rows: the running sums in registers, not in `buf`.
                    for i in 0..<pre { (out.baseAddress! + i).initialize(to: T(rowSum(p.baseAddress! + i * n, n, A.self))) }
                    return
                }
                let buf = UnsafeMutablePointer<A>.allocate(capacity: Swift.max(post, 1))
                defer { buf.deallocate() }
                for i in 0..<pre where post > 0 {
                    buf.initialize(repeating: 0, count: post)
                    if n == 0 { (out.baseAddress! + i * post).initialize(repeating: 0, count: post); continue }
                    var row = p.baseAddress! + i * n * post
                    for _ in 0..<n {
                        for k in 0..<post { buf[k] += A(row[k]) }
                        row += post
                    }
                    let o = out.baseAddress! + i * post
                    for k in 0..<post { (o + k).initialize(to: T(buf[k])) }
                }
            case .max, .min:
                let isMax = op == .max
                for i in 0..<pre {
                    for k in 0..<post { out[i * post + k] = p[i * n * post + k] }
                    for j in 1..<Swift.max(n, 1) {
                        let base = (i * n + j) * post
                        for k in 0..<post {
                            let v = p[base + k], cur = out[i * post + k]
                            if cur.isNaN { continue }
                            if v.isNaN || (isMax ? v > cur : v < cur) { out[i * post + k] = v }
                        }
                    }
                }
            }
        }
    }
}

/// The sum of `n` contiguous elements in `A`. Float32 elements go to four double-precision running
/// sums, added at the end: the float32 result is the same as one running sum's unless that sum
/// lies within a few units of 2^-53 of a float32 rounding boundary. Float64 elements are added in
/// order (their result shows that order in its last bits).
@inline(__always)
private func rowSum<T: KernelFloat, A: KernelFloat>(_ row: UnsafePointer<T>, _ n: Int, _: A.Type) -> A {
    var j = 0, tail: A = 0
    if T.self == Float.self && A.self == Double.self {
        var s0: A = 0, s1: A = 0, s2: A = 0, s3: A = 0
        while j + 4 <= n {
            s0 += A(row[j]); s1 += A(row[j + 1]); s2 += A(row[j + 2]); s3 += A(row[j + 3])
            j += 4
        }
        tail = (s0 + s1) + (s2 + s3)
    }
    while j < n { tail += A(row[j]); j += 1 }
    return tail
}

func reduceInt(_ op: ReduceOp, _ a: [Int64], _ pre: Int, _ n: Int, _ post: Int) -> [Int64] {
    var out = [Int64](repeating: 0, count: pre * post)
    for i in 0..<pre {
        for k in 0..<post {
            var r: Int64 = op == .sum ? 0 : a[i * n * post + k]
            for j in 0..<n {
                let v = a[(i * n + j) * post + k]
                switch op {
                case .sum: r &+= v
                case .max: r = Swift.max(r, v)
                case .min: r = Swift.min(r, v)
                }
            }
            out[i * post + k] = r
        }
    }
    return out
}

extension Tensor {
    /// Index of the largest (or smallest) element along `axis` (first one on ties; NaN counts as largest).
    public static func argReduce(max isMax: Bool, _ x: Tensor, axis: Int) throws -> Tensor {
        guard axis >= 0 && axis < x.rank, x.shape[axis] > 0 else {
            throw TensorError("\(isMax ? "argmax" : "argmin"): cannot reduce dimension \(axis) of a tensor of shape \(x.shape)")
        }
        let pre = x.shape.dims[..<axis].reduce(1, *), n = x.shape[axis]
        let post = x.shape.dims[(axis + 1)...].reduce(1, *)
        var outDims = x.shape.dims
        outDims.remove(at: axis)
        let v = x.doubles
        var out = [Int64](repeating: 0, count: pre * post)
        for i in 0..<pre {
            for k in 0..<post {
                var best = v[i * n * post + k], bi = 0
                for j in 1..<n {
                    let e = v[(i * n + j) * post + k]
                    if best.isNaN { break }
                    if e.isNaN || (isMax ? e > best : e < best) { best = e; bi = j }
                }
                out[i * post + k] = Int64(bi)
            }
        }
        return Tensor(shape: Shape(outDims), storage: .int64(out))
    }
}
