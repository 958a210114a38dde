import Tensor

/// A function on flat lists of operands: what every transformation takes and returns.
public typealias TensorFunction = ([Operand]) throws -> [Operand]

/// Traces `f` on abstract inputs of the given types into a program.
///
/// ```swift
/// let closed = try trace(inputTypes: [TensorType(shape: [3], dtype: .float32)]) { xs in [try xs[0].unary(.tanh)] }
/// closed.program.equations.count   // 1
/// ```
public func trace(inputTypes: [TensorType], _ f: TensorFunction) throws -> ClosedProgram {
    let builder = Builder()
    let inputs = inputTypes.map { Operand.tracer(builder.addInput($0)) }
    let outputs: [Operand]
    do {
        outputs = try Builder.$current.withValue(builder) { try f(inputs) }
    } catch {
        _ = try? builder.finish(outputs: [])
        throw error
    }
    return try builder.finish(outputs: outputs)
}

/// Runs a program on operands with `bind`: evaluated at once when all are concrete,
/// otherwise inlined into the innermost trace.
public func apply(_ program: Program, _ arguments: [Operand]) throws -> [Operand] {
    precondition(arguments.count == program.inputs.count, "apply: \(arguments.count) arguments for \(program.inputs.count) inputs")
    var env = [Operand?](repeating: nil, count: program.types.count)
    for (v, a) in zip(program.inputs, arguments) { env[v.id] = a }
    for (v, t) in program.constants { env[v.id] = .tensor(t) }
    for eq in program.equations {
        let outs = try bind(eq.primitive, eq.inputs.map { env[$0.id]! })
        for (v, o) in zip(eq.outputs, outs) { env[v.id] = o }
    }
    return program.outputs.map { env[$0.id]! }
}

extension Program {
    /// The same program keeping only the outputs at `indices`, without the work they do not need.
    public func selectingOutputs(_ indices: [Int]) -> Program {
        var p = self
        p.outputs = indices.map { outputs[$0] }
        return p.removingDeadCode()
    }
}
