import CBLAS

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
    /// Threads OpenBLAS uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }
    /// Sets the number of threads OpenBLAS uses.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
