#if canImport(Glibc)
import Glibc

/// malloc.h's parameter numbers (malloc.h is not part of the Glibc module).
private let M_TRIM_THRESHOLD: Int32 = -1, M_MMAP_MAX: Int32 = -4, M_ARENA_MAX: Int32 = -8
#endif

/// How the process's memory allocator is set up for Jacobi's large, short-lived buffers.
///
/// glibc's `malloc` serves every block above its mmap threshold (at most 32 MB) with a fresh
/// `mmap` and returns it to the kernel on `free`. A batched Jacobian's intermediates are exactly
/// such blocks (`vmap(jacrev)` of a 256-512-512-256 MLP on 256 samples makes four of 134 MB), so
/// every one of them was paid for again with zero-filled pages, a page fault per 4 KB, in the
/// middle of a GEMM or an elementwise loop. Keeping freed memory in the heap lets the next
/// program (and the next buffer of the same program) reuse it; the cost is that the process keeps
/// its peak footprint until it exits, which the memory guard (`:set memlimit`) already bounds.
///
/// One arena for every thread: the primitives that run on a worker thread so that Ctrl-C can stop
/// them (`Cancellation.runInterruptibly`, every large intermediate of that workload) would
/// otherwise allocate from a secondary arena, whose heaps glibc trims back to the kernel
/// regardless of the threshold, and pay the zero-filled pages again (the large `vmap(jacrev)`:
/// 672-724 ms with the default arenas, 442-485 ms with one; docs/performance.md).
///
/// ```swift
/// AllocatorTuning.keepFreedMemoryForReuse()   // first thing in main
/// ```
public enum AllocatorTuning {
    /// Serve all blocks from the heap (no per-block `mmap`), never trim freed memory below 2 GB of
    /// slack, and use the main heap from every thread. A no-op where the C library is not glibc.
    public static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
        // glibc's `int mallopt(int, int)`, looked up and called with the C calling convention.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(M_MMAP_MAX, 0)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }
}
