import CBLAS
#if canImport(Glibc)
import Glibc
#endif

extension BLASInfo {
    /// The OpenBLAS kernel family to ask for on this CPU when OpenBLAS itself fell back to a
    /// generic one (Debian's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and picks its
    /// SSE3 "Prescott" kernels, 2-4x slower). Nil when OpenBLAS's own choice should stand.
    ///
    /// ```swift
    /// BLASInfo.preferredCoreType(current: "Prescott", cpuFlags: ["avx512f", "avx512_bf16"])  // "Cooperlake"
    /// ```
    public static func preferredCoreType(current: String, cpuFlags: Set<String>) -> String? {
        let generic: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai", "Coppermine", "Northwood", "Banias"]
        guard generic.contains(current) else { return nil }
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") {
            return cpuFlags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The CPU's vendor and the feature flags `preferredCoreType` reads, from CPUID.
    public static func cpuFeatures() -> (intel: Bool, flags: Set<String>) {
        let bits = jc_cpu_features()
        let names: [(UInt32, String)] = [(2, "avx2"), (4, "fma"), (8, "avx512f"), (16, "avx512bw"), (32, "avx512vl"), (64, "avx512_bf16")]
        return (bits & 1 != 0, Set(names.filter { bits & $0.0 != 0 }.map(\.1)))
    }

    /// Asks OpenBLAS for the kernels this CPU supports before it is loaded (it reads
    /// `OPENBLAS_CORETYPE` only then; it is loaded by the first BLAS or LAPACK call,
    /// `CBLAS/Loader.c`). Debian's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and falls
    /// back to its SSE3 kernels, 2-4x slower, so on Intel CPUs the family the CPU's features call
    /// for is requested (the one OpenBLAS picks itself on the Intel CPUs it knows); other vendors
    /// keep OpenBLAS's choice. An `OPENBLAS_CORETYPE` in the environment wins. (Loading OpenBLAS on
    /// a background thread at start was measured slower: its worker threads then compete with the
    /// interpreter's start on two cores.)
    public static func chooseKernels() {
        deferThreads()
        guard getenv("OPENBLAS_CORETYPE") == nil else { return }
        let cpu = cpuFeatures()
        if cpu.intel, let family = preferredCoreType(current: "Prescott", cpuFlags: cpu.flags) {
            setenv("OPENBLAS_CORETYPE", family, 1)
        }
    }
}
