import Tensor
#if canImport(Glibc)
import Glibc
#endif

/// Runs transformed functions: traces a call on concrete arguments into one program,
/// optimises it, caches it per (function, argument types), and evaluates it with the
/// `Evaluator`. Calls on traced arguments are inlined into the enclosing trace instead.
///
/// ```swift
/// let stager = Stager()
/// let J = try stager.run(key: "J", [x]) { args in try jacrev(f, argnums: [0])(args) }
/// stager.last?.runSeconds
/// ```
public final class Stager {
    /// Timing and memory of the last staged call.
    public struct Report {
        /// The optimised program that ran.
        public var program: Program
        /// Seconds spent tracing and optimising (0 on a cache hit).
        public var compileSeconds: Double
        /// Seconds spent evaluating.
        public var runSeconds: Double
        /// Peak bytes of live values during evaluation.
        public var peakBytes: Int
        /// Whether the program came from the cache.
        public var cacheHit: Bool
    }

    private struct Key: Hashable {
        let function: AnyHashable
        let types: [TensorType]
    }

    private var cache: [Key: Program] = [:]
    /// What the last staged call did.
    public private(set) var last: Report?
    /// Polled between equations; true stops evaluation with `Interrupted`.
    public var shouldStop: () -> Bool = { false }
    /// Progress of the running program (work done, total), for progress bars.
    public var progress: ((Int, Int) -> Void)?
    /// Whether to cache programs (on by default).
    public var cachingEnabled = true
    /// Called with the optimised program before it runs; throwing refuses the run
    /// (the memory guard uses this).
    public var beforeRun: ((Program) throws -> Void)?

    /// Creates a stager with an empty cache.
    public init() {}

    /// Forgets every cached program (call when variables that functions close over change).
    public func invalidate() { cache.removeAll() }

    /// Number of cached programs.
    public var cachedCount: Int { cache.count }

    /// Calls `body` on `args`: staged (traced, optimised, cached, evaluated) when every
    /// argument is concrete, inlined into the current trace otherwise.
    public func run(key: AnyHashable?, _ args: [Operand], _ body: TensorFunction) throws -> [Operand] {
        if args.contains(where: { $0.concrete == nil }) { return try body(args) }
        let tensors = args.map { $0.concrete! }
        let types = tensors.map(TensorType.init(of:))
        let start = now()
        var program: Program
        var hit = false
        if let key, cachingEnabled, let cached = cache[Key(function: key, types: types)] {
            program = cached
            hit = true
        } else {
            let closed = try trace(inputTypes: types, body)
            if !closed.captured.isEmpty {
                // The function closes over values of an enclosing trace: run it inline there.
                return try apply(closed.program, args + closed.captured)
            }
            program = try closed.program.optimized()
            if let key, cachingEnabled { cache[Key(function: key, types: types)] = program }
        }
        let compiled = now()
        try beforeRun?(program)
        var evaluator = Evaluator(shouldStop: shouldStop)
        evaluator.progress = progress
        let outs = try evaluator.run(program, tensors)
        last = Report(program: program, compileSeconds: hit ? 0 : compiled - start, runSeconds: now() - compiled,
                      peakBytes: evaluator.peakBytes, cacheHit: hit)
        return outs.map { .tensor($0) }
    }
}

/// Monotonic seconds.
public func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
