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

    /// Products below this many flops run on one OpenBLAS thread.
    static let threadedFlops = 1.0e6

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
