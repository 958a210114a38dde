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

    /// A cached program, its evaluation plan, and the tensors that require grad it reads besides
    /// its arguments.
    private struct Entry {
        let recorded: RecordedProgram
        let plan: ExecutionPlan
        let lifted: [TensorHandle]
        /// The plan's peak of live bytes, estimated once (`Cost.peakBytes`).
        let peak: Int

        init(recorded: RecordedProgram, plan: ExecutionPlan, lifted: [TensorHandle]) {
            self.recorded = recorded; self.plan = plan; self.lifted = lifted
            peak = Cost.peakBytes(plan)
        }
    }

    private var cache: [Key: Entry] = [:]
    /// At most this many programs are cached (the cache starts afresh when full), so a session
    /// that transforms new functions in a loop keeps its memory flat.
    public static let cacheCapacity = 512
    /// What the last staged call did.
    public private(set) var last: Report?
    /// Polled between equations; true stops evaluation with `Interrupted`.
    public var shouldStop: () -> Bool = { false }
    /// Progress of the running program (work done, total), for progress bars.
    public var progress: ((Int, Int) -> Void)?
    /// Whether to cache programs (on by default).
    public var cachingEnabled = true
    /// Called with the optimised program and the estimated peak of live bytes of its plan
    /// (`Cost.peakBytes`, computed once per cached program) before it runs; throwing refuses the
    /// run (the memory guard uses this).
    public var beforeRun: ((Program, Int) throws -> Void)?

    /// Creates a stager with an empty cache.
    public init() {}

    /// Forgets every cached program (call when variables that functions close over change).
    public func invalidate() { cache.removeAll() }

    /// Number of cached programs.
    public var cachedCount: Int { cache.count }

    /// Calls `body` on `args`: staged (traced, optimised, cached, evaluated) when every
    /// argument is concrete, inlined into the current trace otherwise. Tensors that require grad
    /// which the function reads (a network's parameters) become inputs of the program, read
    /// afresh at every call; when one of them or of the arguments requires grad, the call is
    /// recorded as one autograd node.
    public func run(key: AnyHashable?, _ args: [Operand], _ body: TensorFunction) throws -> [Operand] {
        if args.contains(where: { $0.concrete == nil }) { return try body(args) }
        let types = args.map(\.type)
        let start = now()
        var entry: Entry
        var hit = false
        if let key, cachingEnabled, let cached = cache[Key(function: key, types: types)],
           zip(cached.lifted, cached.recorded.program.inputTypes.dropFirst(args.count)).allSatisfy({ $0.type == $1 }) {
            entry = cached
            hit = true
            if cached.plan.isFused != Fusion.isEnabled {
                // Fusion was switched: the same program, planned again.
                entry = Entry(recorded: cached.recorded, plan: ExecutionPlan(cached.recorded.program), lifted: cached.lifted)
                cache[Key(function: key, types: types)] = entry
            }
        } else {
            let closed = try trace(inputTypes: types, body)
            if closed.captured.contains(where: { $0.trackedHandle == nil }) {
                // The function closes over values of an enclosing trace: run it inline there.
                return try apply(closed.program, args + closed.captured)
            }
            let optimized = try closed.program.optimized()
            entry = Entry(recorded: RecordedProgram(optimized), plan: ExecutionPlan(optimized),
                          lifted: closed.captured.map { $0.trackedHandle! })
            if let key, cachingEnabled {
                if cache.count >= Stager.cacheCapacity { cache.removeAll() }
                cache[Key(function: key, types: types)] = entry
            }
        }
        let program = entry.recorded.program
        let inputs = args + entry.lifted.map { Operand.tracked($0) }
        // A recorded call of a program that backward passes go through runs the forward half of its
        // reverse-mode program and keeps the residuals, so that the backward does not run the
        // function again. (The split is made once per set of inputs that require grad, counted
        // with the compile time.)
        let split = entry.recorded.backpropagated && Autograd.willRecord(inputs) ? try? recordedSplit(entry.recorded, inputs) : nil
        let compiled = now()
        if let split { try beforeRun?(split.halves.forward, split.peak) } else { try beforeRun?(program, entry.peak) }
        let tensors = try inputs.map { try $0.requireConcrete("a staged call") }
        var evaluator = Evaluator(shouldStop: shouldStop)
        evaluator.progress = progress
        var residuals: GradNode.Residuals?
        var outs: [Tensor]
        if let split {
            let all = try evaluator.run(split.plan, tensors)
            outs = Array(all.prefix(program.outputs.count))
            residuals = GradNode.Residuals(wrt: split.wrt, values: Array(all.dropFirst(program.outputs.count)),
                                           isOutput: split.halves.residualIsOutput)
        } else {
            outs = try evaluator.run(entry.plan, tensors)
        }
        last = Report(program: program, compileSeconds: hit ? 0 : compiled - start, runSeconds: now() - compiled,
                      peakBytes: evaluator.peakBytes, cacheHit: hit)
        // (Named after the program's last operation when asked: `GradNode.name`.)
        return try Autograd.record(program: entry.recorded, inputs: inputs, values: tensors, outputs: outs, name: nil,
                                   residuals: residuals)
    }

    /// The residual split of a recorded call's program for the inputs that require grad.
    private func recordedSplit(_ recorded: RecordedProgram, _ inputs: [Operand])
        throws -> (wrt: [Bool], halves: ResidualSplit, plan: ExecutionPlan, peak: Int) {
        let wrt = inputs.map { $0.trackedHandle?.requiresGrad == true && $0.dtype.isFloatingPoint }
        let (split, plan, peak) = try recorded.split(wrt: wrt)
        return (wrt, split, plan, peak)
    }
}

/// Monotonic seconds.
public func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
