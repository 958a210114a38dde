import CKernels

/// float32 products small enough for `jc_sgemm_small_rows` (CKernels/SmallGemm.c), which reads
/// the operands where they are instead of packing them as OpenBLAS does: 10-40% faster for
/// `k <= 256` with B in the cache (an MLP's layers, a Hessian's `[1024, 64] x [64, 64]`), and
/// each element is one in-order sum, so the bits do not depend on how the rows are split between
/// threads. Measured in docs/performance.md.
enum SmallGemm {
    /// Rows in one unit of work: the two threads take units from a shared counter, so a core that
    /// the machine's other processes slow down takes fewer of them.
    static let rowsPerUnit = 96

    /// Products of this many flops or more run on two threads (the caller and CKernels' helper)
    /// when `BLASInfo.threads` allows more than one: OpenBLAS's threshold, for the same reason.
    /// When the machine's other processes delay the helper in the middle of a unit, the caller
    /// waits for it; at 4 MFLOP (`jacobian_vectorized`'s product) that made the time bimodal.
    static let threadedFlops = BLASInfo.singleThreadedGemmFlops

    /// Products of this many flops or more run on two threads when the helper is awake already
    /// (spinning after other work, or woken at the start of a plan's run): no wake-up to wait for.
    /// A Hessian's [1024, 64] x [64, 16] (2.1 MFLOP) took 27-37 us on one thread.
    static let awakeThreadedFlops = 1.0e6

    /// Whether the kernel takes the product: AVX2 and FMA, `2 <= k <= 256` (`k = 1` has its own
    /// loop), `k * n <= 32768`, `n` close to a multiple of 16 (`jc_sgemm_small_fits`), at least 8
    /// rows, and for a transposed B (transposed first, `k * n` moves) at least 64 rows to pay for
    /// that: `F.linear` of a 64-row batch, [64, 64] x [128, 64]^T, 14.9 -> 14.4 us against OpenBLAS
    /// once the transpose took 8 x 8 tiles 32 x 32 at a time (at 32 and 48 rows OpenBLAS stays
    /// faster: docs/performance.md).
    static func fits(_ g: GemmShape) -> Bool {
        g.m >= 8 && g.k >= 2 && (!g.transB || g.m >= 64) && jc_sgemm_small_fits(g.m, g.n, g.k) != 0
    }

    /// `C[b] = op(A[b]) op(B[b])` for every `b` of the batch, or nil when `fits` says no.
    static func product(_ a: [Float], _ b: [Float], _ g: GemmShape) throws -> [Float]? {
        guard fits(g) else { return nil }
        let count = g.batch * g.m * g.n
        let flops = 2 * Double(g.m) * Double(g.n) * Double(g.k) * Double(g.batch)
        // B as row-major [k, n]: a transposed B is transposed here, once per matrix.
        let rowMajorB = g.transB ? float32MatrixTransposes(b, rows: g.n, cols: g.k) : b
        let units = g.batch * ((g.m + rowsPerUnit - 1) / rowsPerUnit)
        let threaded = BLASInfo.threads > 1
            && (flops >= threadedFlops || (flops >= awakeThreadedFlops && jc_parallel_helper_awake() != 0))
        // Units between two interrupt checks: about 20 MFLOP (0.1-0.3 ms).
        let unitFlops = 2 * Double(Swift.min(rowsPerUnit, g.m)) * Double(g.n) * Double(g.k)
        let chunk = Swift.max(1, Int(20e6 / unitFlops))
        var stopped = false
        let result = [Float](unsafeUninitializedCapacity: count) { c, written in
            a.withUnsafeBufferPointer { pa in
                rowMajorB.withUnsafeBufferPointer { pb in
                    let transA: Int32 = g.transA ? 1 : 0, lda = g.transA ? g.m : g.k
                    var from = 0
                    while from < units {
                        if from > 0 && Cancellation.shouldStop() { stopped = true; return }
                        let to = Swift.min(units, from + chunk)
                        let (ap, bp, cp) = (pa.baseAddress!, pb.baseAddress!, c.baseAddress!)
                        if !threaded || jc_sgemm_small_parallel(transA, g.batch, g.m, g.n, g.k, ap, lda, bp, cp,
                                                                rowsPerUnit, from, to) == 0 {
                            jc_sgemm_small_units(transA, g.batch, g.m, g.n, g.k, ap, lda, bp, cp, rowsPerUnit, from, to)
                        }
                        from = to
                    }
                }
            }
            written = count
        }
        if stopped { throw Interrupted() }
        return result
    }
}
