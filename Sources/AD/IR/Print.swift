import Tensor

/// Prints programs like `jax.make_jaxpr`: inputs with types, one equation per line with the
/// types of its results (and its FLOPs), then the outputs.
///
/// ```
/// { lambda a:f32[8,3] ; b:f32[4,3]. let
///     c:f32[8,4] = dot_general[contract=((1,),(1,))] a b      # 192 flops
///   in (c,) }
/// ```
public enum ProgramPrinter {
    /// Short names: a, b, ..., z, ba, bb, ...
    static func name(_ i: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var n = i, s = ""
        repeat { s = String(letters[n % 26]) + s; n /= 26 } while n > 0
        return s
    }

    /// The program as text; constants are listed before the `;`, inputs after it. With a `plan`,
    /// the equations that run inside a fused loop are marked with the loop's number.
    public static func text(_ p: Program, flops: Bool = true, plan: ExecutionPlan? = nil) -> String {
        var loopOf: [Int: Int] = [:]
        var loops = 0
        for step in plan?.steps ?? [] {
            guard case .fused(_, _, _, let members) = step else { continue }
            loops += 1
            for m in members { loopOf[m] = loops }
        }
        var names: [Int: String] = [:]
        var next = 0
        func nameOf(_ v: Var) -> String {
            if let n = names[v.id] { return n }
            let n = name(next); next += 1
            names[v.id] = n
            return n
        }
        func typed(_ v: Var) -> String { "\(nameOf(v)):\(p.type(of: v))" }
        let consts = p.constants.map { typed($0.0) }.joined(separator: " ")
        let ins = p.inputs.map { typed($0) }.joined(separator: " ")
        var lines = ["{ lambda \(consts)\(consts.isEmpty ? "" : " "); \(ins). let"]
        var total = 0
        for (k, eq) in p.equations.enumerated() {
            let outs = eq.outputs.map { typed($0) }.joined(separator: " ")
            let params = eq.primitive.parameterText
            var line = "    \(outs) = \(eq.primitive.name)\(params.isEmpty ? "" : "[\(params)]") "
                + eq.inputs.map { nameOf($0) }.joined(separator: " ")
            let f = Cost.flops(eq, p)
            total += f
            if flops && f > 0 { line += String(repeating: " ", count: max(0, 64 - line.count)) + "  # \(formatCount(f)) flops" }
            if let loop = loopOf[k] {
                line += String(repeating: " ", count: max(0, (flops ? 86 : 64) - line.count)) + "  [fused \(loop)]"
            }
            lines.append(line)
        }
        lines.append("  in (" + p.outputs.map { nameOf($0) }.joined(separator: ", ") + (p.outputs.count == 1 ? ",)" : ")") + " }")
        if flops { lines.append("# \(p.equations.count) equations, \(formatCount(total)) flops in total") }
        if let plan, loops > 0 {
            lines.append("# \(plan.fusedEquationCount) elementwise equations run as \(loops) fused loop\(loops == 1 ? "" : "s") (one pass each, no intermediate arrays)")
        }
        return lines.joined(separator: "\n")
    }

    /// `1234567` -> `1.23M`.
    public static func formatCount(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1e9 { return String(format3(d / 1e9)) + "G" }
        if d >= 1e6 { return String(format3(d / 1e6)) + "M" }
        if d >= 1e4 { return String(format3(d / 1e3)) + "K" }
        return String(n)
    }

    static func format3(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}

extension Program: CustomStringConvertible {
    public var description: String { ProgramPrinter.text(self) }
}
