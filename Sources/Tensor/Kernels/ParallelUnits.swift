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
