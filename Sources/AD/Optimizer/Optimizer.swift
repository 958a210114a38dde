extension Program {
    /// Runs the optimisation passes (simplification, block identity products, common
    /// subexpressions, dead code) until the program stops shrinking. In debug builds the types
    /// are re-checked after every pass.
    ///
    /// ```swift
    /// let fast = try program.optimized()
    /// ```
    public func optimized() throws -> Program {
        var p = self
        for _ in 0..<6 {
            let before = p.equations.count
            p = try p.simplified()
            assert((try? p.verify()) != nil, "type check failed after simplify")
            p = p.expandingBlockIdentityProducts()
            assert((try? p.verify()) != nil, "type check failed after expanding block identity products")
            p = p.mergingCommonSubexpressions().removingDeadCode()
            assert((try? p.verify()) != nil, "type check failed after CSE")
            if p.equations.count == before { break }
        }
        return p
    }
}
