import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Which dimensions a general dot product contracts and which it batches over
/// (XLA's `dot_general` dimension numbers).
///
/// The result's dimensions are: the batch dimensions, then the lhs free dimensions,
/// then the rhs free dimensions, each in their original order.
///
/// ```swift
/// // matrix product [m, k] x [k, n]
/// let mm = DotDimensions(lhsContracting: [1], rhsContracting: [0])
/// ```
public struct DotDimensions: Hashable, Sendable {
    /// Dimensions of the left operand summed over.
    public var lhsContracting: [Int]
    /// Dimensions of the right operand summed over, paired with `lhsContracting`.
    public var rhsContracting: [Int]
    /// Batch dimensions of the left operand.
    public var lhsBatch: [Int]
    /// Batch dimensions of the right operand, paired with `lhsBatch`.
    public var rhsBatch: [Int]

    /// Creates dimension numbers.
    public init(lhsContracting: [Int], rhsContracting: [Int], lhsBatch: [Int] = [], rhsBatch: [Int] = []) {
        self.lhsContracting = lhsContracting; self.rhsContracting = rhsContracting
        self.lhsBatch = lhsBatch; self.rhsBatch = rhsBatch
    }

    /// The lhs dimensions that are neither contracted nor batched, in order.
    public func lhsFree(rank: Int) -> [Int] {
        (0..<rank).filter { !lhsContracting.contains($0) && !lhsBatch.contains($0) }
    }

    /// The rhs dimensions that are neither contracted nor batched, in order.
    public func rhsFree(rank: Int) -> [Int] {
        (0..<rank).filter { !rhsContracting.contains($0) && !rhsBatch.contains($0) }
    }

    /// Whether no dimension appears twice in `a` and `b` together (without building a set: this
    /// runs for every product).
    private static func distinct(_ a: [Int], _ b: [Int]) -> Bool {
        for (i, d) in a.enumerated() where a[..<i].contains(d) || b.contains(d) { return false }
        for (i, d) in b.enumerated() where b[..<i].contains(d) { return false }
        return true
    }

    /// Whether every dimension is one of `rank`.
    private static func inRange(_ dims: [Int], _ rank: Int) -> Bool { dims.allSatisfy { $0 >= 0 && $0 < rank } }

    /// The result shape for operands of these shapes, or an error naming both shapes.
    public func resultShape(_ a: Shape, _ b: Shape) throws -> Shape {
        // (Without intermediate arrays: this runs several times for every product.)
        let valid = lhsContracting.count == rhsContracting.count && lhsBatch.count == rhsBatch.count
            && Self.inRange(lhsContracting, a.rank) && Self.inRange(lhsBatch, a.rank)
            && Self.inRange(rhsContracting, b.rank) && Self.inRange(rhsBatch, b.rank)
            && Self.distinct(lhsContracting, lhsBatch) && Self.distinct(rhsContracting, rhsBatch)
        guard valid else { throw TensorError("dot_general: invalid dimension numbers \(self) for \(a) and \(b)") }
        for (i, j) in zip(lhsContracting, rhsContracting) where a[i] != b[j] {
            throw TensorError("matmul: \(a) @ \(b): contracted dimensions have sizes \(a[i]) and \(b[j])")
        }
        for (i, j) in zip(lhsBatch, rhsBatch) where a[i] != b[j] {
            throw TensorError("matmul: \(a) @ \(b): batch dimensions have sizes \(a[i]) and \(b[j])")
        }
        var dims: [Int] = []
        dims.reserveCapacity(a.rank + b.rank - 2 * lhsContracting.count - lhsBatch.count)
        for i in lhsBatch { dims.append(a[i]) }
        for d in 0..<a.rank where !lhsContracting.contains(d) && !lhsBatch.contains(d) { dims.append(a[d]) }
        for d in 0..<b.rank where !rhsContracting.contains(d) && !rhsBatch.contains(d) { dims.append(b[d]) }
        return Shape(dims)
    }
}

extension Tensor {
    /// General dot product (see `DotDimensions`), through BLAS `sgemm`/`dgemm` for floats (small
    /// float32 products through `SmallGemm`).
    /// Operands already laid out as `[batch, free, contract]` or `[batch, contract, free]`
    /// are passed to BLAS with the matching transpose flag, without a copy.
    ///
    /// ```swift
    /// let c = try Tensor.dotGeneral(a, b, DotDimensions(lhsContracting: [1], rhsContracting: [0]))
    /// ```
    public static func dotGeneral(_ a: Tensor, _ b: Tensor, _ dims: DotDimensions) throws -> Tensor {
        guard a.dtype == b.dtype else {
            throw TensorError("matmul: dtypes differ (\(a.dtype.torchName) and \(b.dtype.torchName))")
        }
        // Storage types multiply in their compute type (half types accumulate in float32).
        if !a.hasComputeType { return try dotGeneral(a.widened(), b.widened(), dims).narrowed(to: a.dtype) }
        let outShape = try dims.resultShape(a.shape, b.shape)
        let lf = dims.lhsFree(rank: a.rank), rf = dims.rhsFree(rank: b.rank)
        let batch = dims.lhsBatch.reduce(1) { $0 * a.shape[$1] }
        let m = lf.reduce(1) { $0 * a.shape[$1] }
        let n = rf.reduce(1) { $0 * b.shape[$1] }
        let k = dims.lhsContracting.reduce(1) { $0 * a.shape[$1] }

        // Lay out the lhs as [batch, m, k] (no transpose) or [batch, k, m] (transposed).
        let (lhs, transA) = try layout(a, plain: dims.lhsBatch + lf + dims.lhsContracting,
                                       flipped: dims.lhsBatch + dims.lhsContracting + lf)
        // Lay out the rhs as [batch, k, n] (no transpose) or [batch, n, k] (transposed).
        let (rhs, transB) = try layout(b, plain: dims.rhsBatch + dims.rhsContracting + rf,
                                       flipped: dims.rhsBatch + rf + dims.rhsContracting)
        let g = GemmShape(batch: batch, m: m, n: n, k: k, transA: transA, transB: transB)
        switch (lhs.storage, rhs.storage) {
        case (.float32(let x), .float32(let y)):
            if let c = try SmallGemm.product(x, y, g) { return Tensor(shape: outShape, storage: .float32(c)) }
            return Tensor(shape: outShape, storage: .float32(try gemmBatched(x, y, g, sgemm)))
        case (.float64(let x), .float64(let y)):
            return Tensor(shape: outShape, storage: .float64(try gemmBatched(x, y, g, dgemm)))
        case (.int64(let x), .int64(let y)):
            return Tensor(shape: outShape, storage: .int64(try naiveGemm(x, y, g)))
        case (.bool(let x), .bool(let y)):
            let r = try naiveGemm(x.map { Int64($0 ? 1 : 0) }, y.map { Int64($0 ? 1 : 0) }, g)
            return Tensor(shape: outShape, storage: .bool(r.map { $0 != 0 }))
        default:
            preconditionFailure("dtype check above guarantees equal storage kinds")
        }
    }

    /// Returns the tensor in the `plain` permutation (flag false) or the `flipped` one (flag true),
    /// copying only when it is in neither.
    private static func layout(_ t: Tensor, plain: [Int], flipped: [Int]) throws -> (Tensor, Bool) {
        let id = Array(0..<t.rank)
        if plain == id { return (t, false) }
        if flipped == id { return (t, true) }
        return (try t.transposed(plain), false)
    }
}

/// Sizes and flags of a batch of row-major GEMMs `C[b] = op(A[b]) op(B[b])`.
struct GemmShape {
    var batch, m, n, k: Int
    var transA, transB: Bool
}

typealias GemmFunction<T> = @Sendable (_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                             _ a: UnsafePointer<T>, _ lda: Int, _ b: UnsafePointer<T>, _ ldb: Int,
                             _ c: UnsafeMutablePointer<T>) -> Void

/// `C = op(A) op(B)` (C uninitialised, `m x n`). C is zeroed here and the product added to it
/// (`beta = 1`): with `beta = 0` OpenBLAS zeroes C itself, one scalar store per element
/// (`sgemm_beta`, 16% of a full batch Jacobian's time), and then adds the product in the same way,
/// so the results are the same bits.
func sgemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int,
           _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>) {
    c.initialize(repeating: 0, count: m * n)
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), 1, c, blasint(n))
}

/// `sgemm` in double precision.
func dgemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int,
           _ b: UnsafePointer<Double>, _ ldb: Int, _ c: UnsafeMutablePointer<Double>) {
    c.initialize(repeating: 0, count: m * n)
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), 1, c, blasint(n))
}

/// `C[b] = op(A[b]) op(B[b])` for every `b`, with BLAS. The interrupt is checked between the
/// matrices of a batch; when one GEMM costs more than `Cancellation.detachFlops`, the batch runs
/// on a worker thread while the caller polls the interrupt, so Ctrl-C stops even one
/// multi-second GEMM at once. (Batches of smaller GEMMs stay on the caller: measured 1.24x
/// slower on a worker for 64 GEMMs of 512x512.)
/// (Splitting a GEMM into row blocks instead was measured at 8-60% slower on 2000-4000 square
/// matmuls, since B is packed again for every block; the worker costs nothing measurable.)
func gemmBatched<T: KernelFloat>(_ a: [T], _ b: [T], _ g: GemmShape, _ gemm: @escaping GemmFunction<T>) throws -> [T] {
    let flops = 2 * Double(g.m) * Double(g.n) * Double(g.k)
    BLASInfo.useThreads(forFlops: flops * Double(g.batch))
    if flops >= Cancellation.detachFlops {
        return try Cancellation.runInterruptibly { try gemmBatchedNow(a, b, g, gemm) }
    }
    return try gemmBatchedNow(a, b, g, gemm)
}

/// `gemmBatched` on the calling thread.
private func gemmBatchedNow<T: KernelFloat>(_ a: [T], _ b: [T], _ g: GemmShape, _ gemm: GemmFunction<T>) throws -> [T] {
    let count = g.batch * g.m * g.n
    return try [T](unsafeUninitializedCapacity: count) { c, written in
        if count == 0 { written = 0; return }
        if g.k == 0 {
            for i in 0..<count { c[i] = 0 }
            written = count
            return
        }
        if g.k == 1 {
            // Outer products (per-sample parameter Jacobians): a loop that vectorises, where BLAS
            // would pack both operands for a single multiply-add per element. `+ 0` as BLAS's
            // beta = 0 gives it (so a product of -0 is +0, as from sgemm).
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let pc = c.baseAddress!
                    for bi in 0..<g.batch {
                        let rowB = pb.baseAddress! + bi * g.n
                        for i in 0..<g.m {
                            let s = pa[bi * g.m + i]
                            let row = pc + (bi * g.m + i) * g.n
                            for j in 0..<g.n { (row + j).initialize(to: s * rowB[j] + 0) }
                        }
                    }
                }
            }
            written = count
            return
        }
        try BLASInfo.withGemmThreads(forFlops: 2 * Double(g.m) * Double(g.n) * Double(g.k)) {
            try a.withUnsafeBufferPointer { pa in
                try b.withUnsafeBufferPointer { pb in
                    let lda = g.transA ? g.m : g.k, ldb = g.transB ? g.k : g.n
                    for i in 0..<g.batch {
                        if i > 0 { try Cancellation.check() }
                        gemm(g.transA, g.transB, g.m, g.n, g.k, pa.baseAddress! + i * g.m * g.k, lda,
                             pb.baseAddress! + i * g.k * g.n, ldb, c.baseAddress! + i * g.m * g.n)
                    }
                }
            }
        }
        written = count
    }
}

func naiveGemm(_ a: [Int64], _ b: [Int64], _ g: GemmShape) throws -> [Int64] {
    var c = [Int64](repeating: 0, count: g.batch * g.m * g.n)
    for bi in 0..<g.batch {
        let ao = bi * g.m * g.k, bo = bi * g.k * g.n, co = bi * g.m * g.n
        for i in 0..<g.m {
            try Cancellation.check()
            for j in 0..<g.n {
                var s: Int64 = 0
                for p in 0..<g.k {
                    let x = g.transA ? a[ao + p * g.m + i] : a[ao + i * g.k + p]
                    let y = g.transB ? b[bo + j * g.k + p] : b[bo + p * g.n + j]
                    s &+= x &* y
                }
                c[co + i * g.n + j] = s
            }
        }
    }
    return c
}
