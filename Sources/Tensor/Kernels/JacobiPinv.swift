import CKernels

/// Float32 pseudo-inverses of small matrices, eight at a time, by the one-sided Jacobi kernel
/// `jc_pinv_jacobi8_f32` (CKernels/JacobiPinv.c): each matrix in one lane of an AVX2 register.
/// For 64 matrices of 64 x 64 it takes 0.59-0.62x of the time of 64 LAPACK `sgesdd` calls on one
/// core, with a smaller error against a float64 pseudo-inverse (`bench/lapack/jacobi_pinv.c`,
/// docs/performance.md). LAPACK stays for float64, larger matrices, groups with few matrices and
/// cut-offs too small for float32 squares.
enum JacobiPinv {
    /// Matrices in one group: the lanes of an AVX2 register.
    static let lanes = 8

    /// Whether groups of `[m, n]` float32 matrices with this relative cut-off go through the kernel:
    /// `jc_pinv_jacobi_fits` (AVX2 and FMA, `2 <= min(m, n) <= 64`, `max(m, n) <= 256`), and
    /// `rtol >= 1e-18`, so that every kept singular value's square is a normal float32 (the kernel
    /// scales each matrix to a largest element in [0.5, 1), so the largest singular value is at
    /// least 0.5). `pinverse`'s default `rcond = 1e-15` qualifies.
    static func takes(m: Int, n: Int, rtol: Double) -> Bool {
        rtol >= 1e-18 && jc_pinv_jacobi_fits(m, n) != 0
    }

    /// Whether a group of `count` matrices with `min(m, n) = k` is faster through the kernel than
    /// through `count` `sgesdd` calls: the kernel's time is that of eight matrices whatever the
    /// count (4 of 64 x 64: 1.14x LAPACK's time, 6: 0.78x; 8 of 16 x 16: 0.19x).
    static func worthIt(count: Int, k: Int) -> Bool {
        count >= 6 || k <= 16
    }

    /// What became of one matrix of a group.
    enum Outcome {
        /// The pseudo-inverse is written; these are the issues to report.
        case done([LinalgIssue.Kind])
        /// The sweeps did not converge (or the kernel declined): use LAPACK for this matrix.
        case notDone
    }

    /// Pseudo-inverses of `src`'s matrices numbered `matrices` (at most eight; row-major `[m, n]`
    /// each, all finite) into `dst` (row-major `[n, m]` each); one outcome per matrix.
    static func group(_ src: UnsafeBufferPointer<Float>, _ dst: UnsafeMutableBufferPointer<Float>, matrices: [Int],
                      m: Int, n: Int, rtol: Double, atol: Double) -> [Outcome] {
        precondition(matrices.count <= lanes)
        var from = [UnsafePointer<Float>?](repeating: nil, count: lanes)
        var to = [UnsafeMutablePointer<Float>?](repeating: nil, count: lanes)
        for (j, i) in matrices.enumerated() {
            from[j] = src.baseAddress! + i * m * n
            to[j] = dst.baseAddress! + i * m * n
        }
        var rank = [Int](repeating: 0, count: lanes), converged = [Int32](repeating: 0, count: lanes)
        var largest = [Float](repeating: 0, count: lanes), smallestKept = [Float](repeating: 0, count: lanes)
        let ran = jc_pinv_jacobi8_f32(from, to, m, n, Float(rtol), Float(atol),
                                      &rank, &largest, &smallestKept, &converged)
        return matrices.indices.map { j in
            guard ran != 0, converged[j] != 0 else { return .notDone }
            return .done(LinalgKernel<Float>.pinvIssues(rank: rank[j], full: Swift.min(m, n), largest: Double(largest[j]),
                                                       smallestKept: Double(smallestKept[j])))
        }
    }
}
