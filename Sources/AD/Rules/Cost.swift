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
        case .convert, .stopGradient, .broadcast, .reshape, .transpose, .slice, .pad, .concatenate,
             .argReduce, .identity:
            return 0
        }
    }

    /// Total FLOPs of a program.
    public static func flops(_ p: Program) -> Int {
        p.equations.reduce(0) { $0 + flops($1, p) }
    }
}
