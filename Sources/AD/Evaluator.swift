import Tensor

/// Runs a program on concrete tensors, equation by equation, releasing every intermediate
/// result right after its last use. At its last use a value can hold the result instead: square
/// transposes and elementwise arithmetic write over it. Reports the peak of live bytes.
///
/// ```swift
/// var ev = Evaluator()
/// let outs = try ev.run(program, [x])
/// ev.peakBytes
/// ```
public struct Evaluator {
    /// The largest number of bytes held by live values at any point of the last run
    /// (inputs and constants included).
    public private(set) var peakBytes = 0
    /// Polled between equations; returning true stops the run with `Interrupted`.
    public var shouldStop: () -> Bool
    /// Seconds spent in each equation of the last run (filled when `profiling` is on).
    public private(set) var equationSeconds: [Double] = []
    /// Whether to time every equation.
    public var profiling = false
    /// Called after each equation with the work done and the total (in FLOPs, at least 1 per
    /// equation), for progress bars.
    public var progress: ((Int, Int) -> Void)?

    /// Creates an evaluator; by default it stops when the session's `Cancellation` says so.
    public init(shouldStop: @escaping () -> Bool = { Cancellation.shouldStop() }) { self.shouldStop = shouldStop }

    /// Evaluates `program` on `inputs` (planned with elementwise fusion unless `Fusion.isEnabled`
    /// is false).
    public mutating func run(_ program: Program, _ inputs: [Tensor]) throws -> [Tensor] {
        try run(ExecutionPlan(program), inputs)
    }

    /// Evaluates a planned program on `inputs`, step by step.
    public mutating func run(_ plan: ExecutionPlan, _ inputs: [Tensor]) throws -> [Tensor] {
        let program = plan.program
        precondition(inputs.count == program.inputs.count)
        let n = program.types.count
        // The index of the last step reading each variable (outputs live to the end).
        var lastUse = [Int](repeating: -1, count: n)
        for (i, step) in plan.steps.enumerated() { for v in Self.reads(step, program) { lastUse[v.id] = i } }
        for v in program.outputs { lastUse[v.id] = Int.max }
        var env = [Tensor?](repeating: nil, count: n)
        var computedHere = [Bool](repeating: false, count: n)
        var live = 0
        for (v, t) in zip(program.inputs, inputs) { env[v.id] = t; live += t.byteCount }
        for (v, t) in program.constants { env[v.id] = t; live += t.byteCount }
        peakBytes = live
        equationSeconds = []
        if plan.usesHelperThread { HelperThread.prewake() }
        let weights = progress == nil ? [] : plan.steps.map { Self.work($0, program) }
        let totalWork = weights.reduce(0, +)
        var doneWork = 0
        for (i, step) in plan.steps.enumerated() {
            if shouldStop() { throw Interrupted() }
            let started = profiling ? now() : 0
            let reads = Self.reads(step, program)
            let writes: [Var], outs: [Tensor]
            switch step {
            case .equation(let k):
                let eq = program.equations[k]
                if case .transpose(let perm) = eq.primitive, lastUse[eq.inputs[0].id] == i,
                   computedHere[eq.inputs[0].id], env[eq.inputs[0].id]?.isSquareLastTwoSwap(perm) == true {
                    // The last use of a value this run computed (so, but for a view of it that
                    // is still live, its storage's only reference): transposed in its own
                    // storage, no second buffer. A shared storage is copied first, as any write.
                    var t = Self.take(&env[eq.inputs[0].id])
                    live -= t.byteCount
                    t.transposeSquareLastTwoInPlace()
                    outs = [t]
                } else if case .binary(let op) = eq.primitive,
                          let s = Self.inPlaceOperand(eq, step: i, lastUse: lastUse, computed: computedHere, program),
                          env[eq.inputs[s].id] != nil {
                    // The same for an elementwise operation: its result written over the operand
                    // that has the result's type (the other one broadcast, or the same value).
                    let v = eq.inputs[s], w = eq.inputs[1 - s]
                    var t = Self.take(&env[v.id])
                    live -= t.byteCount
                    let other = w == v ? nil : env[w.id]!
                    if Tensor.binary(op, into: &t, other: other, targetIsLeft: s == 0) {
                        outs = [t]
                    } else {
                        let operands = s == 0 ? [t, other ?? t] : [other ?? t, t]
                        outs = try Eval.apply(eq.primitive, operands, result: program.type(of: eq.outputs[0]))
                    }
                } else {
                    outs = try Eval.apply(eq.primitive, reads.map { env[$0.id]! }, result: program.type(of: eq.outputs[0]))
                }
                writes = eq.outputs
            case .fused(let loop, let inputs, let outputs, _):
                outs = try zip(Eval.applyFused(loop, inputs.map { env[$0.id]! }), outputs).map { t, v in
                    t.reshaped(program.type(of: v).shape)
                }
                writes = outputs
            }
            if profiling { equationSeconds.append(now() - started) }
            if let progress {
                doneWork += weights[i]
                progress(doneWork, totalWork)
            }
            for (v, t) in zip(writes, outs) { env[v.id] = t; computedHere[v.id] = true; live += t.byteCount }
            peakBytes = max(peakBytes, live)
            // (A variable read twice is freed once: the second time it is already gone.)
            for v in reads where lastUse[v.id] == i {
                guard let t = env[v.id] else { continue }
                live -= t.byteCount
                env[v.id] = nil
            }
        }
        return program.outputs.map { env[$0.id]! }
    }

    /// For an elementwise arithmetic equation at step `i`, the operand (0 or 1) whose storage its
    /// result is written over (`Tensor.binary(_:into:other:targetIsLeft:)`): a float value this
    /// run computed, read for the last time, of the result's shape and dtype. Nil otherwise.
    /// (`Cost.peakBytes` counts the same.)
    static func inPlaceOperand(_ eq: Equation, step i: Int, lastUse: [Int], computed: [Bool], _ program: Program) -> Int? {
        guard case .binary(let op) = eq.primitive else { return nil }
        switch op {
        case .add, .sub, .mul, .div, .max, .min: break
        case .pow, .remainder, .and, .or, .xor: return nil
        }
        let out = program.type(of: eq.outputs[0])
        guard out.dtype == .float32 || out.dtype == .float64, out.shape.elementCount > 0 else { return nil }
        for s in 0..<2 {
            let v = eq.inputs[s]
            if lastUse[v.id] == i, computed[v.id], program.type(of: v) == out { return s }
        }
        return nil
    }

    /// The tensor in `slot`, moved out (the slot left nil) so that the caller holds its storage's
    /// only reference. (`if var t = env[i]` followed by `env[i] = nil` kept a second reference
    /// alive in release builds, and the write that followed copied the whole buffer: 64-128 MB
    /// for a large `vmap(jacfwd)`.)
    static func take(_ slot: inout Tensor?) -> Tensor {
        var moved: Tensor? = nil
        swap(&moved, &slot)
        return moved!
    }

    /// The variables a step reads.
    static func reads(_ step: ExecutionPlan.Step, _ program: Program) -> [Var] {
        switch step {
        case .equation(let k): return program.equations[k].inputs
        case .fused(_, let inputs, _, _): return inputs
        }
    }

    /// The work of a step in FLOPs (at least 1), for progress bars.
    static func work(_ step: ExecutionPlan.Step, _ program: Program) -> Int {
        switch step {
        case .equation(let k): return max(1, Cost.flops(program.equations[k], program))
        case .fused(_, _, _, let members): return members.reduce(0) { $0 + max(1, Cost.flops(program.equations[$1], program)) }
        }
    }
}
