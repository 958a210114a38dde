extension Program {
    /// Removes equations and constants whose results no output needs.
    ///
    /// ```swift
    /// let smaller = program.removingDeadCode()
    /// ```
    public func removingDeadCode() -> Program {
        var live = [Bool](repeating: false, count: types.count)
        for v in outputs { live[v.id] = true }
        var kept: [Equation] = []
        for eq in equations.reversed() where eq.outputs.contains(where: { live[$0.id] }) {
            kept.append(eq)
            for v in eq.inputs { live[v.id] = true }
        }
        var p = self
        p.equations = kept.reversed()
        p.constants = constants.filter { live[$0.0.id] }
        return p
    }
}
