import CBLAS
#if canImport(Glibc)
import Glibc
#endif

extension BLASInfo {
    /// The OpenBLAS kernel family to ask for on this CPU when OpenBLAS itself fell back to a
    /// generic one (Debian's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and picks its
    /// SSE3 "Prescott" kernels, 2-4x slower). Nil when OpenBLAS's own choice should stand. The
    /// rule is `jc_preferred_coretype`'s, which `Sources/CBLAS/Startup.c` applies on Intel CPUs
    /// before OpenBLAS starts.
    ///
    /// ```swift
    /// BLASInfo.preferredCoreType(current: "Prescott", cpuFlags: ["avx512f", "avx512bw", "avx512vl"])  // "SkylakeX"
    /// ```
    public static func preferredCoreType(current: String, cpuFlags: Set<String>) -> String? {
        let generic: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai", "Coppermine", "Northwood", "Banias"]
        guard generic.contains(current) else { return nil }
        let bits: [(String, UInt32)] = [("avx2", 2), ("fma", 4), ("avx512f", 8), ("avx512bw", 16), ("avx512vl", 32), ("avx512_bf16", 64)]
        let features = bits.reduce(UInt32(0)) { cpuFlags.contains($1.0) ? $0 | $1.1 : $0 }
        return jc_preferred_coretype(features).map { String(cString: $0) }
    }
}
