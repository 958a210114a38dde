import CHeap
#if canImport(Glibc)
import Glibc
#endif

/// One memory limit for everything a session allocates (`:set memlimit`): eager tensors, Python
/// lists and strings, file loads and traced programs. A request is refused *before* anything is
/// allocated when it, added to what the session already holds, would exceed the limit; the error
/// is a `MemoryError` with the figures.
///
/// "What the session holds" is the heap in use (glibc's count) above the baseline taken when the
/// session started, so the interpreter's own footprint does not count. Requests under a megabyte
/// are not checked: they cannot matter and the check would cost more than they do. Reading the
/// heap's count walks malloc's free lists (measured 0.7 ms on a fragmented heap), so it is read
/// again only every 50 ms, or whenever the request and the estimate (the last count plus the
/// requests checked since) come within half of the limit: far from the limit the check costs a
/// clock read, near it every request is measured.
///
/// ```swift
/// MemoryBudget.limit = 4_000_000_000
/// try MemoryBudget.check(elements: 1 << 40, bytesPerElement: 4, what: "randn([1099511627776])")
/// // MemoryError: randn([1099511627776]) needs 4.4 TB, ...
/// ```
public enum MemoryBudget {
    /// The limit in bytes (the session's `:set memlimit`).
    public nonisolated(unsafe) static var limit = Int.max
    /// Heap bytes in use when the session started (not counted as the session's).
    public nonisolated(unsafe) static var baseline = 0
    /// Show `<held>` for what the session holds (golden transcripts: it varies with the build).
    public nonisolated(unsafe) static var stableFigures = false
    /// Requests below this many bytes are not checked.
    public static let checkedFrom = 1 << 20

    /// Heap bytes the session holds now, above `baseline` (a walk of malloc's lists: not cheap).
    public static var heldBytes: Int { Swift.max(0, jc_heap_in_use() - baseline) }

    /// The last `heldBytes` read, the bytes of requests checked since, and when it was read.
    nonisolated(unsafe) private static var lastHeld = 0, requestedSince = 0, lastRead = 0.0

    /// Takes the current heap as the baseline (a new session starts holding nothing).
    public static func resetBaseline() {
        baseline = Swift.max(0, jc_heap_in_use())
        lastHeld = 0; requestedSince = 0; lastRead = 0
    }

    /// What the session holds: measured when the estimate is stale or the request comes near
    /// the limit, else the estimate.
    private static func held(forRequest bytes: Int) -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let seconds = Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
        let estimate = lastHeld &+ requestedSince
        if seconds - lastRead > 0.05 || bytes > (limit - estimate) / 2 {
            lastHeld = heldBytes
            requestedSince = 0
            lastRead = seconds
            return lastHeld
        }
        return estimate
    }

    /// Refuses `elements` elements of `bytesPerElement` bytes (with overflow treated as too many).
    public static func check(elements: Int, bytesPerElement: Int, what: @autoclosure () -> String) throws {
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: bytesPerElement)
        try check(bytes: overflow || elements < 0 ? -1 : bytes, what: what())
    }

    /// Refuses a request of `bytes` (negative: beyond `Int.max`) that would exceed the limit.
    public static func check(bytes: Int, what: @autoclosure () -> String) throws {
        guard bytes < 0 || bytes >= checkedFrom else { return }
        let held = bytes < 0 ? heldBytes : held(forRequest: bytes)
        guard bytes < 0 || bytes > limit - held else {
            requestedSince &+= bytes
            return
        }
        let needed = bytes < 0 ? "more than \(formatByteCount(Int.max))" : formatByteCount(bytes)
        throw TensorError("\(what()) needs \(needed); the session holds \(stableFigures ? "<held>" : formatByteCount(held)) of its memory limit of \(formatByteCount(limit))",
                          hint: "free what you no longer need (del x), work in smaller pieces, or raise the limit with :set memlimit",
                          kind: .memory)
    }
}

/// `1536` -> `1.5 KB`, `2.1e12` -> `2.1 TB`.
public func formatByteCount(_ n: Int) -> String {
    let d = Double(n)
    func fixed(_ x: Double) -> String {
        let scale = x < 10 ? 100.0 : 10.0
        let r = (x * scale).rounded() / scale
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
    if d >= 1e12 { return fixed(d / 1e12) + " TB" }
    if d >= 1e9 { return fixed(d / 1e9) + " GB" }
    if d >= 1e6 { return fixed(d / 1e6) + " MB" }
    if d >= 1e3 { return fixed(d / 1e3) + " KB" }
    return "\(n) B"
}
