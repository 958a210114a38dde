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

    /// The peak of live bytes the `Evaluator` will reach on this program (inputs and constants
    /// included), computed from the types alone, without running anything.
    public static func peakBytes(_ p: Program) -> Int {
        var lastUse = [Int](repeating: -1, count: p.types.count)
        for (i, eq) in p.equations.enumerated() { for v in eq.inputs { lastUse[v.id] = i } }
        for v in p.outputs { lastUse[v.id] = Int.max }
        var live = p.inputs.reduce(0) { $0 + p.type(of: $1).byteCount } + p.constants.reduce(0) { $0 + $1.1.byteCount }
        var peak = live
        for (i, eq) in p.equations.enumerated() {
            live += eq.outputs.reduce(0) { $0 + p.type(of: $1).byteCount }
            peak = max(peak, live)
            for (k, v) in eq.inputs.enumerated() where lastUse[v.id] == i && !eq.inputs[..<k].contains(v) {
                live -= p.type(of: v).byteCount
            }
        }
        return peak
    }
}
