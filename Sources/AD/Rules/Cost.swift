import Tensor

/// Cost rules: floating point operations per equation (a multiply-add counts as 2).
public enum Cost {
    /// FLOPs of one equation of program `p`.
    public static func flops(_ eq: Equation, _ p: Program) -> Int {
        let out = p.type(of: eq.outputs[0]).shape.elementCount
        switch eq.primitive {
        case .unary, .binary, .compare, .select: return out
        case .reduce: return p.type(of: eq.inputs[0]).shape.elementCount
        case .dotGeneral(let d):
            let a = p.type(of: eq.inputs[0]).shape
            let k = d.lhsContracting.reduce(1) { $0 * a[$1] }
            return 2 * out * k
        case .linalg(let op):
            return LinalgDerivatives.flops(op, p.type(of: eq.inputs[0]).shape, p.type(of: eq.outputs[0]).shape)
        case .convert, .stopGradient, .broadcast, .reshape, .transpose, .slice, .pad, .concatenate,
             .argReduce, .identity:
            return 0
        }
    }

    /// Total FLOPs of a program.
    public static func flops(_ p: Program) -> Int {
        p.equations.reduce(0) { $0 + flops($1, p) }
    }

    /// The peak of live bytes the `Evaluator` will reach on `plan` (inputs and constants
    /// included), computed from the types alone, without running anything: as the evaluator
    /// counts, a fused loop allocates only the values it writes out, and a square transpose or an
    /// elementwise arithmetic equation at the last use of a value the run computed reuses that
    /// value's storage (`Evaluator.inPlaceOperand`).
    public static func peakBytes(_ plan: ExecutionPlan) -> Int {
        let p = plan.program
        var lastUse = [Int](repeating: -1, count: p.types.count)
        for (i, step) in plan.steps.enumerated() { for v in Evaluator.reads(step, p) { lastUse[v.id] = i } }
        for v in p.outputs { lastUse[v.id] = Int.max }
        var held = [Bool](repeating: false, count: p.types.count), computed = held
        for v in p.inputs { held[v.id] = true }
        for (v, _) in p.constants { held[v.id] = true }
        var live = p.inputs.reduce(0) { $0 + p.type(of: $1).byteCount } + p.constants.reduce(0) { $0 + $1.1.byteCount }
        var peak = live
        for (i, step) in plan.steps.enumerated() {
            let reads = Evaluator.reads(step, p)
            let writes: [Var]
            switch step {
            case .equation(let k):
                let eq = p.equations[k]
                writes = eq.outputs
                if case .transpose(let perm) = eq.primitive, lastUse[eq.inputs[0].id] == i, computed[eq.inputs[0].id],
                   p.type(of: eq.inputs[0]).shape.isSquareLastTwoSwap(perm) {
                    held[eq.inputs[0].id] = false
                    live -= p.type(of: eq.inputs[0]).byteCount
                } else if let s = Evaluator.inPlaceOperand(eq, step: i, lastUse: lastUse, computed: computed, p) {
                    held[eq.inputs[s].id] = false
                    live -= p.type(of: eq.inputs[s]).byteCount
                }
            case .fused(_, _, let outputs, _):
                writes = outputs
            }
            for v in writes { held[v.id] = true; computed[v.id] = true; live += p.type(of: v).byteCount }
            peak = max(peak, live)
            for v in reads where lastUse[v.id] == i && held[v.id] {
                held[v.id] = false
                live -= p.type(of: v).byteCount
            }
        }
        return peak
    }

    /// The peak of live bytes the `Evaluator` will reach on this program planned without fusion
    /// (inputs and constants included), computed from the types alone. A fused plan usually
    /// peaks lower (its loops allocate no intermediates) but can peak higher, since a loop keeps
    /// its inputs until its last member: the memory guard and `:cost` estimate the plan that runs.
    public static func peakBytes(_ p: Program) -> Int {
        peakBytes(ExecutionPlan(p, fusing: false))
    }
}
