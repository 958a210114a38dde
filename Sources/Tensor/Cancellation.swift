import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Thrown when a computation is stopped by the user (Ctrl-C) or by a time budget.
public struct Interrupted: Error, CustomStringConvertible {
    /// Creates the error.
    public init() {}
    public var description: String { "interrupted" }
}

/// How long-running kernels learn that the user pressed Ctrl-C: the session installs a cheap
/// check (the REPL's SIGINT flag) and kernels poll it between pieces of work (GEMMs split into
/// row blocks of bounded cost, batched LAPACK between matrices, file reads between chunks),
/// so the prompt comes back quickly wherever the interrupt lands.
///
/// ```swift
/// Cancellation.shouldStop = { Interrupt.pending }
/// try Cancellation.check()          // throws Interrupted once Ctrl-C was pressed
/// ```
public enum Cancellation {
    /// The check (false: go on). Set once by the session.
    public nonisolated(unsafe) static var shouldStop: () -> Bool = { false }

    /// Throws `Interrupted` when the session asked to stop.
    @inline(__always)
    public static func check() throws {
        if shouldStop() { throw Interrupted() }
    }
}

extension Cancellation {
    /// Work at least this costly (in floating-point operations) runs on a worker thread while
    /// the caller polls the interrupt (`runInterruptibly`): about 10 ms of GEMM on the machines
    /// measured. `JACOBI_DETACH_FLOPS` overrides it (0: never detach; bench/reliability compares).
    public nonisolated(unsafe) static var detachFlops: Double = {
        guard let text = getenv("JACOBI_DETACH_FLOPS").map({ String(cString: $0) }), let v = Double(text), v >= 0 else {
            return 2e9
        }
        return v == 0 ? .infinity : v
    }()

    /// Runs `body` (one BLAS or LAPACK call that cannot be split without cost) on a worker
    /// thread and waits for it, checking the interrupt every 10 ms. On Ctrl-C it throws
    /// `Interrupted` at once: the worker finishes its call in the background and its result is
    /// dropped (its memory is freed when it ends). So the prompt comes back within
    /// milliseconds even inside a single multi-second matmul or SVD, and an uninterrupted call
    /// costs only the hand-over (tens of microseconds, against at least `detachFlops` of work).
    ///
    /// ```swift
    /// let c = try Cancellation.runInterruptibly { hugeProduct(a, b) }
    /// ```
    public static func runInterruptibly<R>(_ body: @escaping @Sendable () throws -> R) throws -> R {
        let box = WorkerResult<R>(body)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            box.run()
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(10)) == .timedOut {
            if shouldStop() { throw Interrupted() }
        }
        // Moved out of the box: the dispatched block, which the worker may release a little
        // later, must not keep a second reference to the result (the evaluator then writes over
        // it in place, and a second reference would make that write copy it).
        let result = box.value!
        box.value = nil
        return try result.get()
    }
}

/// A worker's call and its result, handed back through `runInterruptibly`'s semaphore.
private final class WorkerResult<R>: @unchecked Sendable {
    private var body: (@Sendable () throws -> R)?
    var value: Result<R, Error>?

    init(_ body: @escaping @Sendable () throws -> R) { self.body = body }

    /// Calls the body once and drops it (and what it captured, the operands) before returning.
    func run() {
        let result = Result { try body!() }
        body = nil
        value = result
    }
}
