import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// What OpenBLAS runs on this machine: its build configuration, kernel and thread count.
///
/// ```swift
/// BLASInfo.coreName   // "SkylakeX"
/// ```
public enum BLASInfo {
    /// The kernel family OpenBLAS chose when it was loaded (e.g. `Haswell`, `SkylakeX`, `Prescott`).
    public static var coreName: String { String(cString: openblas_get_corename()) }
    /// OpenBLAS's build configuration string.
    public static var config: String { String(cString: openblas_get_config()) }
    /// Threads OpenBLAS uses (or will use, once a product is large enough to want them).
    public static var threads: Int {
        let deferred = Int(jc_deferred_threads())
        return deferred > 0 ? deferred : Int(openblas_get_num_threads())
    }
    /// Sets the number of threads OpenBLAS uses.
    public static func setThreads(_ n: Int) {
        jc_clear_deferred_threads()
        openblas_set_num_threads(Int32(n))
    }

    /// The online cores.
    public static let cores = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The number the user chose with `torch.set_num_threads` (nil until then): what
    /// `torch.get_num_threads()` reports, as in PyTorch, even above the cores.
    public private(set) nonisolated(unsafe) static var chosenThreads: Int?

    /// `torch.set_num_threads(n)`: every kernel then uses at most `n` threads (OpenBLAS, the small
    /// products' and fused loops' helper thread, batched LAPACK), and never more than the cores.
    public static func choose(threads n: Int) {
        precondition(n > 0, "a positive number of threads")
        chosenThreads = n
        setThreads(Swift.min(n, cores))
    }

    /// Runs `body` with at most `n` threads (`torch.utils.benchmark.Timer(num_threads=n)`), then
    /// restores the number chosen before.
    public static func withThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        let savedChoice = chosenThreads
        defer { chosenThreads = savedChoice }
        chosenThreads = n
        return try withOpenBLASThreads(Swift.min(n, cores), body)
    }

    /// Runs `body` with OpenBLAS on `n` threads, then restores its count and, when they were
    /// deferred to the first large product, the deferral.
    static func withOpenBLASThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        let (savedThreads, savedDeferred) = (Int(openblas_get_num_threads()), Int(jc_deferred_threads()))
        setThreads(n)
        defer {
            setThreads(savedThreads)
            if savedDeferred > 0 { jc_defer_threads(Int32(savedDeferred)) }
        }
        return try body()
    }

    /// Products below this many flops run on one OpenBLAS thread.
    static let threadedFlops = 1.0e6

    /// Single products below this many flops run on one OpenBLAS thread even when it has more.
    static let singleThreadedGemmFlops = 6.0e6

    /// Runs `body`, a GEMM of `flops`, on one OpenBLAS thread when it is below
    /// `singleThreadedGemmFlops`: OpenBLAS splits every product over 262,144 multiply-adds, and for
    /// those of a few MFLOP (a full Jacobian's, batched over its basis) the second thread gains
    /// nothing and makes the time bimodal, as the calling thread waits for a worker that the
    /// machine's other processes delay. Measured in docs/performance.md.
    static func withGemmThreads<R>(forFlops flops: Double, _ body: () throws -> R) rethrows -> R {
        guard flops < singleThreadedGemmFlops else { return try body() }
        let threads = openblas_get_num_threads()
        guard threads > 1 else { return try body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(threads) }
        return try body()
    }

    /// Gives OpenBLAS its threads before a product of `flops` when they were deferred.
    ///
    /// OpenBLAS starts with one thread when the environment does not choose
    /// (`Sources/CBLAS/Startup.c`), so that starting creates no worker threads a small session
    /// never uses; the machine's cores are given to it at the first product of `threadedFlops`
    /// or more. Measured in docs/performance.md.
    static func useThreads(forFlops flops: Double) {
        guard flops >= threadedFlops else { return }
        let deferred = jc_take_deferred_threads()
        if deferred > 0 { openblas_set_num_threads(deferred) }
    }
}
