import Tensor

/// A reverse-mode program split in two at the values its backward half reads (JAX's partial
/// evaluation of `vjp`): the forward half computes the outputs and those values (the residuals)
/// from the inputs; the backward half computes the input cotangents from the inputs, the residuals
/// and the output cotangents. A recorded call runs the forward half and keeps the residuals, so
/// that its backward does not run the function a second time (PyTorch's saved tensors).
public struct ResidualSplit: Sendable {
    /// `(inputs...) -> (outputs..., residuals...)`.
    public let forward: Program
    /// `(inputs..., residuals..., output cotangents...) -> (cotangents of the wrt inputs...)`.
    public let backward: Program
    /// For each residual, whether it is also one of the outputs (the same tensor: its bytes are
    /// counted once).
    public let residualIsOutput: [Bool]
    /// How many residuals the forward half returns after the outputs.
    public var residualCount: Int { residualIsOutput.count }
}

extension Program {
    /// `vjp(wrt:)`, optimised, split at its residuals: the equations the outputs need go to the
    /// forward half, the others to the backward half, and the values the backward half reads from
    /// the forward half become the forward half's extra outputs.
    ///
    /// ```swift
    /// let s = try program.residualSplit(wrt: [false, true])
    /// s.forward.outputs.count   // program.outputs.count + s.residualCount
    /// ```
    public func residualSplit(wrt: [Bool]) throws -> ResidualSplit {
        let p = try vjp(wrt: wrt).optimized()
        let primalCount = inputs.count, outputCount = outputs.count
        let primalInputs = Array(p.inputs.prefix(primalCount)), cotangents = Array(p.inputs.dropFirst(primalCount))
        let primalOutputs = Array(p.outputs.prefix(outputCount)), gradients = Array(p.outputs.dropFirst(outputCount))
        // The forward half is what the outputs need, the work of the function itself: work that
        // reads no cotangent but only the backward needs (an `inverse` in the derivative of
        // `det`, `1 - y*y`) stays in the backward half, done only when a backward runs.
        var needed = [Bool](repeating: false, count: p.types.count)
        for v in primalOutputs { needed[v.id] = true }
        var forwardEquation = [Bool](repeating: false, count: p.equations.count)
        for (k, eq) in p.equations.enumerated().reversed() where eq.outputs.contains(where: { needed[$0.id] }) {
            forwardEquation[k] = true
            for v in eq.inputs { needed[v.id] = true }
        }
        guard !cotangents.contains(where: { needed[$0.id] }) else {
            throw TensorError("residual split: an output of the function depends on a cotangent")
        }
        var given = [Bool](repeating: false, count: p.types.count)   // inputs and constants: never residuals
        for v in primalInputs { given[v.id] = true }
        for (v, _) in p.constants { given[v.id] = true }
        var known = given   // what the forward half makes available
        var forwardEquations: [Equation] = [], backwardEquations: [Equation] = []
        for (k, eq) in p.equations.enumerated() {
            if forwardEquation[k] {
                forwardEquations.append(eq)
                for v in eq.outputs { known[v.id] = true }
            } else {
                backwardEquations.append(eq)
            }
        }
        var isResidual = [Bool](repeating: false, count: p.types.count)
        var residuals: [Var] = []
        func read(_ v: Var) {
            guard known[v.id], !given[v.id], !isResidual[v.id] else { return }
            isResidual[v.id] = true
            residuals.append(v)
        }
        for eq in backwardEquations { eq.inputs.forEach(read) }
        gradients.forEach(read)

        var forward = p
        forward.inputs = primalInputs
        forward.equations = forwardEquations
        forward.outputs = primalOutputs + residuals
        var backward = p
        backward.inputs = primalInputs + residuals + cotangents
        backward.equations = backwardEquations
        backward.outputs = gradients
        let outputVars = Set(primalOutputs)
        return ResidualSplit(forward: forward.removingDeadCode(), backward: backward.removingDeadCode(),
                             residualIsOutput: residuals.map { outputVars.contains($0) })
    }
}
