import CKernels

/// A body run for units `0..<units` on the calling thread and CKernels' helper thread
/// (`jc_parallel_units`, the small products' spinning helper).
final class ParallelUnits {
    let body: (Int) -> Void

    init(_ body: @escaping (Int) -> Void) { self.body = body }

    /// Runs every unit once and returns true; false (nothing run) when the helper is busy.
    func run(units: Int) -> Bool {
        let context = Unmanaged.passUnretained(self).toOpaque()
        return withExtendedLifetime(self) {
            jc_parallel_units({ context, u in
                Unmanaged<ParallelUnits>.fromOpaque(context!).takeUnretainedValue().body(u)
            }, context, 0, units) != 0
        }
    }
}

/// The helper thread that the small products, the fused loops and `ParallelUnits` share.
public enum HelperThread {
    /// Wakes the helper ahead of work that will use it (when `BLASInfo.threads` allows more than
    /// one thread), so that it is spinning when the work is posted: woken by the work itself, it
    /// ran late, and the caller did most of a [1024, 64] x [64, 64] product alone (101 us against
    /// 61 us for the same product with the helper awake, in one `vmap(hessian)`).
    public static func prewake() {
        guard BLASInfo.threads > 1 else { return }
        jc_parallel_prewake()
    }

    /// Whether a product of this many FLOPs may run on the helper too (`SmallGemm`'s threshold; the
    /// products OpenBLAS takes run on its own threads).
    public static func mayTakeProduct(flops: Int) -> Bool { Double(flops) >= SmallGemm.threadedFlops }

    /// Whether a fused loop of this many elements runs on the helper too.
    public static func takesLoop(elements: Int) -> Bool { elements >= FusedLoop.threadedElements }
}
