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

    /// The CPU feature flags from `/proc/cpuinfo` (empty where it cannot be read).
    public static func cpuFlags() -> Set<String> {
        guard let f = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var cap = 0
        defer { free(line) }
        while getline(&line, &cap, f) > 0 {
            let s = String(cString: line!)
            if s.hasPrefix("flags") {
                let parts = s.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { return [] }
                return Set(parts[1].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            }
        }
        return []
    }

    /// If OpenBLAS picked a generic kernel on a CPU that supports a faster one, re-executes
    /// this program once with `OPENBLAS_CORETYPE` set (OpenBLAS reads it only when it is
    /// loaded, before `main`). Returns only when no re-execution is needed or possible.
    public static func reexecWithFastKernelsIfNeeded() {
        if getenv("OPENBLAS_CORETYPE") != nil || getenv("JACOBI_KERNEL_CHECKED") != nil { return }
        guard let preferred = preferredCoreType(current: coreName, cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", preferred, 1)
        setenv("JACOBI_KERNEL_CHECKED", "1", 1)
        var args = CommandLine.unsafeArgv
        _ = execv("/proc/self/exe", &args.pointee)
        // execv only returns on failure: carry on with the generic kernels.
    }
}
