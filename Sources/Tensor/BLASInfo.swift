import CBLAS
import Synchronization
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
        let deferred = deferredThreads.load(ordering: .relaxed)
        return deferred > 0 ? deferred : Int(openblas_get_num_threads())
    }
    /// Sets the number of threads OpenBLAS uses.
    public static func setThreads(_ n: Int) {
        deferredThreads.store(0, ordering: .relaxed)
        openblas_set_num_threads(Int32(n))
    }

    /// The threads OpenBLAS gets at the first large product (0: already given, or chosen by the
    /// user's environment).
    private static let deferredThreads = Atomic<Int>(0)

    /// Products below this many flops run on one OpenBLAS thread.
    static let threadedFlops = 1.0e6

    /// Makes OpenBLAS start with one thread (when the environment does not choose), so that
    /// loading it does not start worker threads a small session never uses; the machine's cores
    /// are given to it at the first product of `threadedFlops` or more (`useThreads`). Measured in
    /// docs/performance.md.
    public static func deferThreads() {
        for name in ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"] where getenv(name) != nil { return }
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        guard cores > 1 else { return }
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        deferredThreads.store(cores, ordering: .relaxed)
    }

    /// Gives OpenBLAS its threads before a product of `flops` when they were deferred.
    static func useThreads(forFlops flops: Double) {
        guard flops >= threadedFlops else { return }
        let deferred = deferredThreads.exchange(0, ordering: .relaxed)
        if deferred > 0 { openblas_set_num_threads(Int32(deferred)) }
    }
}
