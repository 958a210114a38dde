import Synchronization
import CBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Which factor of a singular value decomposition `A = U diag(S) Vh` an `svd` operation returns.
public enum SVDPart: String, Hashable, Sendable {
    /// The left singular vectors, `[..., m, k]` (`[..., m, m]` with full matrices).
    case u
    /// The singular values in descending order, `[..., k]` with `k = min(m, n)`.
    case s
    /// The right singular vectors, transposed, `[..., k, n]` (`[..., n, n]` with full matrices).
    case vh
}

/// A linear-algebra operation on the last two dimensions of its operands (the leading
/// dimensions are a batch), computed through LAPACK in float32 or float64.
///
/// ```swift
/// let inv = try Tensor.linalg(.inverse, [a])            // [..., n, n] -> [..., n, n]
/// let x = try Tensor.linalg(.solve, [a, b])             // A X = B, B is [..., n, k]
/// let p = try Tensor.linalg(.pinv(rtol: 1e-15, atol: 0), [a])
/// ```
public enum LinalgOp: Hashable, Sendable {
    /// `A⁻¹` (LU with partial pivoting, `getrf` + `getri`).
    case inverse
    /// `X` with `A X = B` (`getrf` + `getrs`).
    case solve
    /// `det A` (from the LU factors).
    case determinant
    /// `log |det A|` (from the LU factors; `-inf` when singular).
    case logAbsDeterminant
    /// The sign of `det A`: -1, 0 or 1.
    case signDeterminant
    /// The Moore-Penrose pseudo-inverse: singular values at or below
    /// `max(atol, rtol * largest)` are treated as zero (`gesdd`; groups of small float32
    /// matrices by the one-sided Jacobi kernel, `JacobiPinv`).
    case pinv(rtol: Double, atol: Double)
    /// One factor of the singular value decomposition (`gesdd`).
    case svd(SVDPart, fullMatrices: Bool)

    /// The name used in messages and in `:trace`.
    public var name: String {
        switch self {
        case .inverse: return "inv"
        case .solve: return "solve"
        case .determinant: return "det"
        case .logAbsDeterminant: return "logabsdet"
        case .signDeterminant: return "sign_det"
        case .pinv: return "pinv"
        case .svd(let part, _): return "svd_" + part.rawValue
        }
    }

    /// The number of operands.
    public var arity: Int { self == .solve ? 2 : 1 }

    /// The result shape for operands of these shapes and dtype, with PyTorch-style messages.
    public func resultShape(_ shapes: [Shape], dtype: DType) throws -> Shape {
        let a = shapes[0]
        guard dtype.isFloatingPoint else {
            throw TensorError("linalg.\(name): expected a floating point tensor, got \(dtype.torchName)",
                              hint: "convert first: A.double() or A.float()")
        }
        guard a.rank >= 2 else {
            throw TensorError("linalg.\(name): expected a matrix or a batch of matrices, got shape \(a)")
        }
        let m = a[a.rank - 2], n = a[a.rank - 1], lead = Array(a.dims.dropLast(2))
        func square() throws {
            guard m == n else {
                throw TensorError("linalg.\(name): A must be a batch of square matrices, got \(a)",
                                  hint: "for a rectangular matrix use pinverse(A), and pinverse(A) @ B for least squares")
            }
        }
        switch self {
        case .inverse:
            try square()
            return a
        case .solve:
            try square()
            let b = shapes[1]
            guard b.rank == a.rank, Array(b.dims.dropLast(2)) == lead, b[b.rank - 2] == n else {
                throw TensorError("linalg.solve: A is \(a) and B is \(b); B must be [..., \(n), k] with the same leading dimensions as A")
            }
            return b
        case .determinant, .logAbsDeterminant, .signDeterminant:
            try square()
            return Shape(lead)
        case .pinv:
            return Shape(lead + [n, m])
        case .svd(let part, let full):
            let k = Swift.min(m, n)
            switch part {
            case .u: return Shape(lead + [m, full ? m : k])
            case .s: return Shape(lead + [k])
            case .vh: return Shape(lead + [full ? n : k, n])
            }
        }
    }
}

/// Something worth telling the user about one matrix of a batch, found while computing a
/// linear-algebra operation. The result is still returned (NaN where nothing sensible exists).
public struct LinalgIssue: Sendable, Hashable {
    /// What was found.
    public enum Kind: Sendable, Hashable {
        /// The input holds NaN or ±inf; the result for this matrix is NaN.
        case nonFinite
        /// An exactly zero pivot in the LU factorisation (1-based, as LAPACK reports it); the result is NaN.
        case singular(pivot: Int)
        /// Singular values at or below the cut-off: `rank` of `full` are kept.
        case rankDeficient(rank: Int, full: Int)
        /// The condition number (largest over smallest kept singular value, or LAPACK's
        /// estimate from the LU factors) is so large that about `log10(cond)` digits are lost.
        case illConditioned(cond: Double)
    }
    /// The operation's name (`pinv`, `inv`, `solve`, ...).
    public var op: String
    /// The matrix's position in the batch, its leading dimensions flattened in row-major order.
    public var index: Int
    /// The leading (batch) dimensions of the operand, to turn `index` back into indices.
    public var batchShape: Shape
    /// What was found.
    public var kind: Kind

    /// Creates an issue.
    public init(op: String, index: Int, batchShape: Shape, kind: Kind) {
        self.op = op; self.index = index; self.batchShape = batchShape; self.kind = kind
    }
}

/// Collects `LinalgIssue`s from the kernels run while it is installed as `LinalgReport.current`
/// (the interpreter installs one around each statement and prints its findings as warnings).
public final class LinalgReport: @unchecked Sendable {
    /// The report the kernels append to, if any.
    @TaskLocal public static var current: LinalgReport?
    private let recorded = Mutex<[LinalgIssue]>([])

    /// An empty report.
    public init() {}

    /// Adds an issue (thread-safe).
    public func record(_ issue: LinalgIssue) {
        recorded.withLock { $0.append(issue) }
    }

    /// Everything recorded so far, without repeats: operations in the order they ran, the
    /// issues of each by batch index (the matrices of one call may be checked in parallel).
    public var issues: [LinalgIssue] {
        let found = recorded.withLock { $0 }
        var ops: [String] = []
        for i in found where !ops.contains(i.op) { ops.append(i.op) }
        var seen = Set<LinalgIssue>(), ordered: [LinalgIssue] = []
        for op in ops {
            let mine = found.enumerated().filter { $0.element.op == op }
                .sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }
            for (_, i) in mine where seen.insert(i).inserted { ordered.append(i) }
        }
        return ordered
    }
}

/// The condition number above which a matrix is reported as ill-conditioned: half of the
/// type's digits lost (`1 / sqrt(eps)`: about 2.9e3 in float32, 6.7e7 in float64).
public func illConditionedThreshold(_ dtype: DType) -> Double {
    dtype == .float32 ? 1 / Double(Float.ulpOfOne).squareRoot() : 1 / Double.ulpOfOne.squareRoot()
}

extension Tensor {
    /// Applies a linear-algebra operation to every matrix of the batch (see `LinalgOp`).
    /// Problems with individual matrices (NaN, singular, rank-deficient, ill-conditioned) do not
    /// throw: they go to `LinalgReport.current`, and the result holds NaN where it has no value.
    public static func linalg(_ op: LinalgOp, _ x: [Tensor]) throws -> Tensor {
        guard x.count == op.arity else { throw TensorError("linalg.\(op.name): expected \(op.arity) operands, got \(x.count)") }
        for t in x.dropFirst() where t.dtype != x[0].dtype {
            throw TensorError("linalg.\(op.name): dtypes differ (\(x[0].dtype.torchName) and \(t.dtype.torchName))")
        }
        let out = try op.resultShape(x.map(\.shape), dtype: x[0].dtype)
        let shapes = x.map(\.shape), s = shapes[0]
        // About 2 m n min(m, n) operations per matrix (LU, SVD): a large matrix runs on a worker
        // so that Ctrl-C returns at once (batches of small ones stop between matrices).
        let rows = s.rank >= 2 ? s[s.rank - 2] : 1, cols = s.rank >= 2 ? s[s.rank - 1] : 1
        let work = 2 * Double(rows) * Double(cols) * Double(Swift.min(rows, cols))
        func run<T: LapackFloat>(_ a: [T], _ b: [T]?) throws -> [T] {
            let report = LinalgReport.current  // a task-local: handed to the worker explicitly
            if work >= Cancellation.detachFlops {
                return try Cancellation.runInterruptibly {
                    try LinalgReport.$current.withValue(report) { try LinalgKernel<T>.run(op, a, b, shapes, out) }
                }
            }
            return try LinalgKernel<T>.run(op, a, b, shapes, out)
        }
        switch x[0].storage {
        case .float32(let a):
            return Tensor(shape: out, storage: .float32(try run(a, x.count > 1 ? x[1].float32Values : nil)))
        case .float64(let a):
            return Tensor(shape: out, storage: .float64(try run(a, x.count > 1 ? x[1].float64Values : nil)))
        case .float16, .bfloat16:
            throw TensorError("linalg.\(op.name): Low precision dtypes not supported. Got \(x[0].dtype.torchName); convert with .float() first")
        case .bool, .uint8, .int8, .int16, .int32, .uint32, .int64:
            throw TensorError("linalg.\(op.name): expected a floating point tensor, got \(x[0].dtype.torchName)")
        }
    }
}

/// The LAPACK and BLAS routines the linear-algebra kernels need, for `Float` and `Double`.
/// Matrices are passed in column-major layout: a row-major buffer is the transposed matrix,
/// which the kernels account for (so no copies are made to change layout).
protocol LapackFloat: KernelFloat {
    static func getrf(_ n: Int32, _ a: UnsafeMutablePointer<Self>, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32
    static func getri(_ n: Int32, _ a: UnsafeMutablePointer<Self>, _ ipiv: UnsafePointer<Int32>) -> Int32
    static func getrs(_ trans: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Self>, _ ipiv: UnsafePointer<Int32>,
                      _ b: UnsafeMutablePointer<Self>) -> Int32
    static func gecon(_ n: Int32, _ a: UnsafePointer<Self>, _ anorm: Self, _ rcond: UnsafeMutablePointer<Self>) -> Int32
    static func norm1(_ n: Int32, _ a: UnsafePointer<Self>) -> Self
    static func gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ s: UnsafeMutablePointer<Self>,
                      _ u: UnsafeMutablePointer<Self>?, _ ldu: Int32, _ vt: UnsafeMutablePointer<Self>?, _ ldvt: Int32) -> Int32
    /// Row-major `C = Aᵀ Bᵀ` with `A` `[k, m]` (leading dimension lda) and `B` `[n, k]` (ldb).
    static func gemmTT(_ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafePointer<Self>, _ lda: Int32,
                       _ b: UnsafePointer<Self>, _ ldb: Int32, _ c: UnsafeMutablePointer<Self>)
}

private let colMajor = Int32(LAPACK_COL_MAJOR)
@inline(__always) private func ascii(_ c: Character) -> CChar { CChar(truncatingIfNeeded: c.asciiValue!) }

extension Float: LapackFloat {
    static func getrf(_ n: Int32, _ a: UnsafeMutablePointer<Float>, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_sgetrf(colMajor, n, n, a, n, ipiv)
    }
    static func getri(_ n: Int32, _ a: UnsafeMutablePointer<Float>, _ ipiv: UnsafePointer<Int32>) -> Int32 {
        LAPACKE_sgetri(colMajor, n, a, n, ipiv)
    }
    static func getrs(_ trans: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ ipiv: UnsafePointer<Int32>,
                      _ b: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgetrs(colMajor, trans, n, nrhs, a, n, ipiv, b, n)
    }
    static func gecon(_ n: Int32, _ a: UnsafePointer<Float>, _ anorm: Float, _ rcond: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgecon(colMajor, ascii("1"), n, a, n, anorm, rcond)
    }
    static func norm1(_ n: Int32, _ a: UnsafePointer<Float>) -> Float { LAPACKE_slange(colMajor, ascii("1"), n, n, a, n) }
    static func gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>,
                      _ u: UnsafeMutablePointer<Float>?, _ ldu: Int32, _ vt: UnsafeMutablePointer<Float>?, _ ldvt: Int32) -> Int32 {
        LAPACKE_sgesdd(colMajor, jobz, m, n, a, m, s, u, ldu, vt, ldvt)
    }
    static func gemmTT(_ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafePointer<Float>, _ lda: Int32,
                       _ b: UnsafePointer<Float>, _ ldb: Int32, _ c: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasTrans, m, n, k, 1, a, lda, b, ldb, 0, c, n)
    }
}

extension Double: LapackFloat {
    static func getrf(_ n: Int32, _ a: UnsafeMutablePointer<Double>, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_dgetrf(colMajor, n, n, a, n, ipiv)
    }
    static func getri(_ n: Int32, _ a: UnsafeMutablePointer<Double>, _ ipiv: UnsafePointer<Int32>) -> Int32 {
        LAPACKE_dgetri(colMajor, n, a, n, ipiv)
    }
    static func getrs(_ trans: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ ipiv: UnsafePointer<Int32>,
                      _ b: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgetrs(colMajor, trans, n, nrhs, a, n, ipiv, b, n)
    }
    static func gecon(_ n: Int32, _ a: UnsafePointer<Double>, _ anorm: Double, _ rcond: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgecon(colMajor, ascii("1"), n, a, n, anorm, rcond)
    }
    static func norm1(_ n: Int32, _ a: UnsafePointer<Double>) -> Double { LAPACKE_dlange(colMajor, ascii("1"), n, n, a, n) }
    static func gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>,
                      _ u: UnsafeMutablePointer<Double>?, _ ldu: Int32, _ vt: UnsafeMutablePointer<Double>?, _ ldvt: Int32) -> Int32 {
        LAPACKE_dgesdd(colMajor, jobz, m, n, a, m, s, u, ldu, vt, ldvt)
    }
    static func gemmTT(_ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafePointer<Double>, _ lda: Int32,
                       _ b: UnsafePointer<Double>, _ ldb: Int32, _ c: UnsafeMutablePointer<Double>) {
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasTrans, m, n, k, 1, a, lda, b, ldb, 0, c, n)
    }
}

/// The buffers of one batched call, handed to the worker threads (each writes its own matrices).
private struct SharedBuffers<T>: @unchecked Sendable {
    let a: UnsafeBufferPointer<T>, r: UnsafeMutableBufferPointer<T>, b: UnsafeBufferPointer<T>?
}

/// The kernels, one matrix of the batch at a time.
///
/// A row-major `[m, n]` buffer is LAPACK's column-major `Aᵀ`. So `getri` of the buffer gives
/// the row-major `A⁻¹` (since `(Aᵀ)⁻¹ = (A⁻¹)ᵀ`), `det Aᵀ = det A`, and `gesdd` of the buffer,
/// `Aᵀ = Vhᵀ S Uᵀ`, returns `Vh` where LAPACK writes U and `U` where it writes Vᵀ, both row-major.
enum LinalgKernel<T: LapackFloat> {
    /// Runs `op` on every matrix; the interrupt is checked between matrices (a single LAPACK call
    /// on one large matrix cannot be split and runs to its end).
    static func run(_ op: LinalgOp, _ a: [T], _ b: [T]?, _ shapes: [Shape], _ out: Shape) throws -> [T] {
        let s = shapes[0]
        let m = s[s.rank - 2], n = s[s.rank - 1]
        let lead = Shape(Array(s.dims.dropLast(2)))
        let batch = lead.elementCount
        let outPer = batch == 0 ? 0 : out.elementCount / batch
        var result = [T](repeating: 0, count: out.elementCount)
        let report = LinalgReport.current
        @Sendable func note(_ i: Int, _ kind: LinalgIssue.Kind) {
            report?.record(LinalgIssue(op: op.name, index: i, batchShape: lead, kind: kind))
        }
        /// One matrix of the batch.
        @Sendable func one(_ i: Int, _ pa: UnsafeBufferPointer<T>, _ pr: UnsafeMutableBufferPointer<T>, _ pb: UnsafeBufferPointer<T>?) {
            let src = UnsafeBufferPointer(rebasing: pa[(i * m * n)..<((i + 1) * m * n)])
            let dst = UnsafeMutableBufferPointer(rebasing: pr[(i * outPer)..<((i + 1) * outPer)])
            guard src.allSatisfy({ $0.isFinite }) else {
                dst.initialize(repeating: .nan)
                note(i, .nonFinite)
                return
            }
            switch op {
            case .inverse:
                if let k = inverse(src, n, into: dst) { note(i, k) }
            case .solve:
                let k = pb!.count / batch
                if let issue = solve(src, n, UnsafeBufferPointer(rebasing: pb![(i * k)..<((i + 1) * k)]), into: dst) { note(i, issue) }
            case .determinant, .logAbsDeterminant, .signDeterminant:
                dst[0] = determinant(op, src, n)
            case .pinv(let rtol, let atol):
                for issue in pinv(src, m, n, rtol: rtol, atol: atol, into: dst) { note(i, issue) }
            case .svd(let part, let full):
                svd(src, m, n, part, full, into: dst)
            }
        }
        // Float32 pseudo-inverses of small matrices go eight at a time through the Jacobi kernel:
        // a unit of work is then a group of eight matrices instead of one.
        let jacobi: (rtol: Double, atol: Double)? = {
            guard case .pinv(let rtol, let atol) = op, T.self == Float.self, JacobiPinv.takes(m: m, n: n, rtol: rtol) else { return nil }
            return (rtol, atol)
        }()
        let perUnit = jacobi == nil ? 1 : JacobiPinv.lanes
        let units = (batch + perUnit - 1) / perUnit
        /// Unit `u`'s matrices.
        @Sendable func unit(_ u: Int, _ pa: UnsafeBufferPointer<T>, _ pr: UnsafeMutableBufferPointer<T>, _ pb: UnsafeBufferPointer<T>?) {
            let first = u * perUnit, end = Swift.min(batch, first + perUnit)
            guard let (rtol, atol) = jacobi, JacobiPinv.worthIt(count: end - first, k: Swift.min(m, n)) else {
                for i in first..<end { one(i, pa, pr, pb) }
                return
            }
            // Non-finite matrices get NaN and a note from `one`; the rest go through the kernel.
            var finite: [Int] = []
            for i in first..<end {
                if pa[(i * m * n)..<((i + 1) * m * n)].allSatisfy({ $0.isFinite }) { finite.append(i) } else { one(i, pa, pr, pb) }
            }
            guard !finite.isEmpty else { return }
            let outcomes = pa.withMemoryRebound(to: Float.self) { fa in
                pr.withMemoryRebound(to: Float.self) { fr in
                    JacobiPinv.group(fa, fr, matrices: finite, m: m, n: n, rtol: rtol, atol: atol)
                }
            }
            for (i, outcome) in zip(finite, outcomes) {
                switch outcome {
                case .done(let issues): for issue in issues { note(i, issue) }
                case .notDone: one(i, pa, pr, pb)
                }
            }
        }
        let rhs = b ?? []
        let stopped = Atomic<Bool>(false)
        a.withUnsafeBufferPointer { pa in
            result.withUnsafeMutableBufferPointer { pr in
                rhs.withUnsafeBufferPointer { pbAll in
                    let pb: UnsafeBufferPointer<T>? = b == nil ? nil : pbAll
                    // Matrices are independent: with several of them, split the batch over the
                    // cores (each LAPACK call on a small matrix runs on one core).
                    let workers = Swift.min(units, BLASInfo.cores, BLASInfo.chosenThreads ?? Int.max, m * n >= 64 ? Int.max : 1)
                    if workers <= 1 {
                        // One unit at a time: LAPACK's own products may use OpenBLAS's threads.
                        BLASInfo.useThreads(forFlops: Double(m) * Double(n) * Double(Swift.min(m, n)) * Double(batch))
                        for u in 0..<units {
                            if Cancellation.shouldStop() { stopped.store(true, ordering: .relaxed); return }
                            unit(u, pa, pr, pb)
                        }
                        return
                    }
                    // OpenBLAS's own threads only add synchronisation to LAPACK on small matrices
                    // (64 pinv of 64x64: 50 ms with them, 33 ms without, on one core), so they
                    // are off while the batch runs on our threads.
                    let shared = SharedBuffers(a: pa, r: pr, b: pb)
                    BLASInfo.withOpenBLASThreads(1) {
                        DispatchQueue.concurrentPerform(iterations: workers) { w in
                            for u in stride(from: w, to: units, by: workers) {
                                if stopped.load(ordering: .relaxed) { return }
                                // The check is the session's (a flag read): safe from any thread.
                                if w == 0 && Cancellation.shouldStop() { stopped.store(true, ordering: .relaxed); return }
                                unit(u, shared.a, shared.r, shared.b)
                            }
                        }
                    }
                }
            }
        }
        if stopped.load(ordering: .relaxed) { throw Interrupted() }
        return result
    }

    /// LU-factorises a copy of `src` (column-major `Aᵀ`); nil when a pivot is exactly zero.
    static func factor(_ src: UnsafeBufferPointer<T>, _ n: Int) -> (lu: [T], ipiv: [Int32], anorm: T, zeroPivot: Int?) {
        var lu = Array(src), ipiv = [Int32](repeating: 0, count: Swift.max(n, 1))
        let anorm = lu.withUnsafeBufferPointer { T.norm1(Int32(n), $0.baseAddress!) }
        let info = n == 0 ? 0 : T.getrf(Int32(n), &lu, &ipiv)
        return (lu, ipiv, anorm, info > 0 ? Int(info) : nil)
    }

    /// LAPACK's estimate of the 1-norm condition number from the LU factors, as an issue when large.
    static func conditionIssue(_ lu: [T], _ n: Int, _ anorm: T) -> LinalgIssue.Kind? {
        guard n > 0 else { return nil }
        var rcond: T = 0
        _ = T.gecon(Int32(n), lu, anorm, &rcond)
        let cond = rcond == 0 ? Double.infinity : 1 / Double(rcond)
        return cond > illConditionedThreshold(T.self == Float.self ? .float32 : .float64) ? .illConditioned(cond: cond) : nil
    }

    static func inverse(_ src: UnsafeBufferPointer<T>, _ n: Int, into dst: UnsafeMutableBufferPointer<T>) -> LinalgIssue.Kind? {
        var (lu, ipiv, anorm, zero) = factor(src, n)
        if let zero { dst.initialize(repeating: .nan); return .singular(pivot: zero) }
        let issue = conditionIssue(lu, n, anorm)
        if n > 0 { _ = T.getri(Int32(n), &lu, ipiv) }
        _ = dst.initialize(from: lu)
        return issue
    }

    /// `A X = B` for one matrix: the factors are of `Aᵀ`, so `getrs` solves with `trans = 'T'`
    /// on `B` in column-major layout (a transposed copy of the row-major `[n, k]` block).
    static func solve(_ src: UnsafeBufferPointer<T>, _ n: Int, _ b: UnsafeBufferPointer<T>,
                      into dst: UnsafeMutableBufferPointer<T>) -> LinalgIssue.Kind? {
        let (lu, ipiv, anorm, zero) = factor(src, n)
        if let zero { dst.initialize(repeating: .nan); return .singular(pivot: zero) }
        let k = n == 0 ? 0 : b.count / n
        var cm = [T](repeating: 0, count: b.count)
        for r in 0..<n { for c in 0..<k { cm[c * n + r] = b[r * k + c] } }
        if n > 0 && k > 0 { _ = T.getrs(ascii("T"), Int32(n), Int32(k), lu, ipiv, &cm) }
        for r in 0..<n { for c in 0..<k { dst[r * k + c] = cm[c * n + r] } }
        return conditionIssue(lu, n, anorm)
    }

    static func determinant(_ op: LinalgOp, _ src: UnsafeBufferPointer<T>, _ n: Int) -> T {
        let (lu, ipiv, _, zero) = factor(src, n)
        var sign: T = 1, logAbs: T = 0, product: T = 1
        for i in 0..<n {
            let d = lu[i * n + i]
            if ipiv[i] != Int32(i + 1) { sign = -sign }
            if d < 0 { sign = -sign }
            logAbs += T.log(Swift.abs(d))
            product *= Swift.abs(d)
        }
        switch op {
        case .determinant: return zero != nil ? 0 : sign * product
        case .logAbsDeterminant: return zero != nil ? -.infinity : logAbs
        case .signDeterminant: return zero != nil ? 0 : sign
        case .inverse, .solve, .pinv, .svd: preconditionFailure("determinant(\(op))")
        }
    }

    /// The thin SVD of one row-major `[m, n]` matrix: (U `[m, k]`, S `[k]`, Vh `[k, n]`), all
    /// row-major, or with `full` U `[m, m]` and Vh `[n, n]`. With `vectors == false` only S.
    static func decompose(_ src: UnsafeBufferPointer<T>, _ m: Int, _ n: Int, vectors: Bool, full: Bool)
        -> (u: [T], s: [T], vh: [T]) {
        let k = Swift.min(m, n)
        var work = Array(src)
        var s = [T](repeating: 0, count: k)
        guard k > 0 else {
            // Empty matrices: full factors are identities, thin ones empty.
            func eye(_ d: Int) -> [T] { (0..<(d * d)).map { $0 / d == $0 % d ? 1 : 0 } }
            return (full ? eye(m) : [], s, full ? eye(n) : [])
        }
        // LAPACK sees Aᵀ, [n, m] column-major: its U ([n, n or k]) is our Vh, its Vᵀ ([m or k, m]) our U.
        let uCols = full ? n : k, vtRows = full ? m : k
        var lapackU = [T](repeating: 0, count: vectors ? n * uCols : 0)
        var lapackVt = [T](repeating: 0, count: vectors ? vtRows * m : 0)
        let jobz = ascii(vectors ? (full ? "A" : "S") : "N")
        let info = lapackU.withUnsafeMutableBufferPointer { pu in
            lapackVt.withUnsafeMutableBufferPointer { pv in
                T.gesdd(jobz, Int32(n), Int32(m), &work, &s, vectors ? pu.baseAddress : nil, Int32(n),
                        vectors ? pv.baseAddress : nil, Int32(Swift.max(vtRows, 1)))
            }
        }
        if info != 0 {
            // Did not converge (LAPACK's info > 0): no decomposition to return.
            return ([T](repeating: .nan, count: lapackVt.count), [T](repeating: .nan, count: k),
                    [T](repeating: .nan, count: lapackU.count))
        }
        return (lapackVt, s, lapackU)
    }

    static func svd(_ src: UnsafeBufferPointer<T>, _ m: Int, _ n: Int, _ part: SVDPart, _ full: Bool,
                    into dst: UnsafeMutableBufferPointer<T>) {
        let f = decompose(src, m, n, vectors: part != .s, full: full)
        switch part {
        case .u: _ = dst.initialize(from: f.u)
        case .s: _ = dst.initialize(from: f.s)
        case .vh: _ = dst.initialize(from: f.vh)
        }
    }

    /// What a pseudo-inverse that kept `rank` of `full` singular values, the largest and the
    /// smallest kept as given, has to report (`pinv` here and `JacobiPinv`).
    static func pinvIssues(rank: Int, full: Int, largest: Double, smallestKept: Double) -> [LinalgIssue.Kind] {
        var issues: [LinalgIssue.Kind] = []
        if rank < full { issues.append(.rankDeficient(rank: rank, full: full)) }
        if rank > 0 {
            let cond = largest / smallestKept
            if cond > illConditionedThreshold(T.self == Float.self ? .float32 : .float64) { issues.append(.illConditioned(cond: cond)) }
        }
        return issues
    }

    /// `Vh_rᵀ diag(1/S_r) U_rᵀ` over the `r` singular values above the cut-off, `[n, m]`.
    static func pinv(_ src: UnsafeBufferPointer<T>, _ m: Int, _ n: Int, rtol: Double, atol: Double,
                     into dst: UnsafeMutableBufferPointer<T>) -> [LinalgIssue.Kind] {
        let k = Swift.min(m, n)
        dst.initialize(repeating: 0)
        guard k > 0 else { return [] }
        let (u, s, vh) = decompose(src, m, n, vectors: true, full: false)
        guard !s[0].isNaN else { dst.initialize(repeating: .nan); return [] }
        let cutoff = Swift.max(atol, rtol * Double(s[0]))
        let rank = s.prefix { Double($0) > cutoff }.count
        let issues = pinvIssues(rank: rank, full: k, largest: Double(s[0]), smallestKept: rank > 0 ? Double(s[rank - 1]) : 0)
        if rank > 0 {
            // W = diag(1/S_r) Vh_r ([r, n]); result = Wᵀ U_rᵀ ([n, r] x [r, m]).
            var w = [T](repeating: 0, count: rank * n)
            for i in 0..<rank { let inv = 1 / s[i]; for j in 0..<n { w[i * n + j] = vh[i * n + j] * inv } }
            T.gemmTT(Int32(n), Int32(m), Int32(rank), w, Int32(n), u, Int32(k), dst.baseAddress!)
        }
        return issues
    }
}
