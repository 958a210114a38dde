import Tensor
import AD
#if canImport(Glibc)
import Glibc
#endif

/// The memory guard: a staged program whose estimated peak memory (`Cost.peakBytes`, from
/// types alone) exceeds the limit is refused before anything is allocated.
///
/// ```swift
/// interp.memoryLimit = 4_000_000_000      // :set memlimit 4GB
/// ```
public struct MemoryLimitExceeded: Error, CustomStringConvertible {
    /// Bytes the program would need at its peak.
    public var needed: Int
    /// The limit in force.
    public var limit: Int
    public var description: String {
        "this would need \(formatByteCount(needed)) at its peak, over the memory limit of \(formatByteCount(limit))"
    }
}

/// Half of the machine's physical memory (the default limit).
public func defaultMemoryLimit() -> Int {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return 8 << 30 }
    return Int(pages) * Int(size) / 2
}

/// `4GB`, `512 MB`, `2e9`, `1.5gb` -> bytes.
public func parseByteCount(_ text: String) -> Int? {
    let t = text.replacingOccurrences(of: " ", with: "").uppercased()
    let units: [(String, Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("B", 1)]
    for (suffix, scale) in units where t.hasSuffix(suffix) {
        guard let v = Double(t.dropLast(suffix.count)), v > 0 else { return nil }
        return Int(v * scale)
    }
    guard let v = Double(t), v > 0 else { return nil }
    return Int(v)
}

extension Interpreter {
    /// Installs the guard on the stager (called once at start).
    func installMemoryGuard() {
        stager.beforeRun = { [unowned self] _, estimated in
            // The recorded autograd graph is memory the session already holds. (Programs are
            // checked by their plan's estimated peak, which chunking divides; the eager checks
            // of MemoryBudget count the rest of what the session holds.)
            let peak = estimated + Autograd.liveGraphBytes
            if peak > self.memoryLimit { throw MemoryLimitExceeded(needed: peak, limit: self.memoryLimit) }
        }
    }

    /// The estimated peak of `vmap(jacrev(f))(x)` over the first dimension of `x`, from its
    /// program alone (nothing runs): the cheaper alternative the guard suggests.
    func perSampleJacobianPeak(_ f: @escaping TensorFunction, _ x: Operand) -> Int? {
        guard x.rank >= 1 else { return nil }
        let body = vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })
        guard let closed = try? trace(inputTypes: [x.type], body), let p = try? closed.program.optimized() else { return nil }
        return Cost.peakBytes(p)
    }
}

import Foundation
