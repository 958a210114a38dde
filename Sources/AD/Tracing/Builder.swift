import Tensor
import Synchronization

/// Records the equations of one function being traced. Builders nest: tracing `jacrev(f)`
/// inside `vmap` opens a builder inside another. A newer builder is always the inner one,
/// so a builder's `level` (a creation counter) orders them; operations on tracers of several
/// builders go to the innermost, which captures the outer tracers as extra inputs.
///
/// ```swift
/// let b = Builder()
/// let x = b.addInput(TensorType(shape: [3], dtype: .float32))
/// let y = try Operand.tracer(x).tanh()
/// let program = try b.finish(outputs: [y])
/// ```
public final class Builder: @unchecked Sendable {
    private static let counter = Atomic<Int>(0)

    /// The builder of the function being traced right now (scoped by `trace`), so that large
    /// results computed from constants alone stay symbolic instead of being evaluated at trace
    /// time (a Jacobian that is a broadcast weight, say).
    @TaskLocal static var current: Builder?

    /// Whether a function is being traced right now (the interpreter notes the names such a
    /// function reads, to know which assignments make its cached program stale).
    public static var isTracing: Bool { current?.isActive ?? false }

    /// Creation order; a larger level is an inner trace.
    public let level: Int
    private(set) var types: [TensorType] = []
    private(set) var inputs: [Var] = []
    private(set) var constants: [(Var, Tensor)] = []
    private(set) var equations: [Equation] = []
    /// Tracers of outer builders used here, and the input variable standing for each.
    private(set) var captured: [(Operand, Var)] = []
    private var capturedIndex: [TracerKey: Var] = [:]
    private var capturedHandles: [ObjectIdentifier: Var] = [:]
    /// False once `finish` ran: its tracers must not be used again.
    public private(set) var isActive = true

    /// Opens a new (innermost) builder.
    public init() {
        level = Builder.counter.add(1, ordering: .relaxed).newValue
    }

    private func newVar(_ t: TensorType) -> Var {
        types.append(t)
        return Var(types.count - 1)
    }

    /// Adds an input of the given type and returns its tracer.
    public func addInput(_ t: TensorType) -> Tracer {
        let v = newVar(t)
        inputs.append(v)
        return Tracer(builder: self, variable: v, type: t)
    }

    /// The variable standing for `operand` inside this builder: its own tracers as they are,
    /// concrete tensors as constants, outer tracers and tensors that require grad as captured
    /// inputs (so a cached program reads a parameter's current value, and autograd reaches it).
    func variable(for operand: Operand) throws -> Var {
        switch operand {
        case .tensor(let t):
            let v = newVar(TensorType(of: t))
            constants.append((v, t))
            return v
        case .tracer(let tr):
            if tr.builder === self { return tr.variable }
            guard tr.builder.isActive else { throw Tracer.leakError }
            guard tr.builder.level < level else {
                throw TensorError("internal error: a tracer of an inner trace reached an outer one")
            }
            let key = TracerKey(tr)
            if let v = capturedIndex[key] { return v }
            let v = newVar(tr.type)
            captured.append((operand, v))
            capturedIndex[key] = v
            return v
        case .tracked(let h):
            if case .tracer = h.value { return try variable(for: h.value) }
            let key = ObjectIdentifier(h)
            if let v = capturedHandles[key] { return v }
            let v = newVar(h.type)
            captured.append((operand, v))
            capturedHandles[key] = v
            return v
        }
    }

    /// Appends `outputs = primitive(inputs)` after inferring and checking the result types.
    func emit(_ primitive: Primitive, _ operands: [Operand]) throws -> [Operand] {
        let ins = try operands.map { try variable(for: $0) }
        let outTypes = try ShapeRules.infer(primitive, ins.map { types[$0.id] })
        let outs = outTypes.map { newVar($0) }
        equations.append(Equation(primitive, inputs: ins, outputs: outs))
        return zip(outs, outTypes).map { .tracer(Tracer(builder: self, variable: $0, type: $1)) }
    }

    /// Closes the builder and returns its program. Captured outer tracers become extra inputs
    /// after the declared ones; `captured` lists the outer operands to pass for them.
    public func finish(outputs: [Operand]) throws -> ClosedProgram {
        let outs = try outputs.map { try variable(for: $0) }
        isActive = false
        let program = Program(types: types, inputs: inputs + captured.map { $0.1 }, constants: constants,
                              equations: equations, outputs: outs)
        return ClosedProgram(program: program, captured: captured.map { $0.0 })
    }
}

/// Identity of a tracer across builders.
struct TracerKey: Hashable {
    let builder: ObjectIdentifier
    let variable: Var
    init(_ t: Tracer) { builder = ObjectIdentifier(t.builder); variable = t.variable }
}

/// A program together with the outer values it closed over: call it with
/// `arguments + captured`.
public struct ClosedProgram {
    /// The program; its inputs are the declared inputs followed by one per captured value.
    public var program: Program
    /// Outer tracers (of enclosing traces) and tensors that require grad (`.tracked`) that the
    /// traced function used.
    public var captured: [Operand]
}
