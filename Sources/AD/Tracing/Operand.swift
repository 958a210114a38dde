import Tensor

/// A symbolic tensor inside a trace: a variable of a `Builder`, with its type.
public struct Tracer {
    /// The builder that owns the variable.
    public let builder: Builder
    /// The variable.
    public let variable: Var
    /// Shape and dtype.
    public let type: TensorType

    static let leakError = TensorError(
        "a traced value escaped the function that was being transformed",
        hint: "return values from the function instead of storing them in variables outside it")
}

/// What the tensor operations of the language act on: a concrete tensor, a tracer standing
/// for one while a function is being traced, or a tensor that requires grad (a `TensorHandle`,
/// for PyTorch's imperative autograd). Operations on concrete operands run at once; operations
/// involving tracers are recorded as equations of the innermost trace; operations on tracked
/// tensors run at once and are recorded in the autograd graph (`Autograd.record`).
///
/// ```swift
/// let x = Operand.tensor(Tensor(shape: [2], float32: [1, 2]))
/// let y = try x.tanh()       // evaluated now
/// ```
public enum Operand {
    case tensor(Tensor)
    case tracer(Tracer)
    /// A tensor that requires grad: its handle's current value, with the handle's identity.
    case tracked(TensorHandle)

    /// Shape and dtype.
    public var type: TensorType {
        switch self {
        case .tensor(let t): return TensorType(of: t)
        case .tracer(let t): return t.type
        case .tracked(let h): return h.value.type
        }
    }
    /// The shape.
    public var shape: Shape { type.shape }
    /// The element type.
    public var dtype: DType { type.dtype }
    /// Number of dimensions.
    public var rank: Int { type.shape.rank }

    /// The concrete tensor, or nil while tracing.
    public var concrete: Tensor? {
        switch self {
        case .tensor(let t): return t
        case .tracer: return nil
        case .tracked(let h): return h.value.concrete
        }
    }

    /// The value without autograd identity: a tracked tensor's current value.
    public var untracked: Operand {
        if case .tracked(let h) = self { return h.value }
        return self
    }

    /// The handle of a tracked tensor.
    public var trackedHandle: TensorHandle? {
        if case .tracked(let h) = self { return h }
        return nil
    }

    /// The concrete tensor, or an error explaining that the value is traced (for Python-style
    /// control flow on tensor values, such as `if x > 0:` or `float(x)`).
    public func requireConcrete(_ what: String) throws -> Tensor {
        switch self {
        case .tensor(let t): return t
        case .tracked(let h): return try h.value.requireConcrete(what)
        case .tracer(let t):
            throw TensorError("\(what) needs a concrete value, but this is a traced \(t.type) inside a transformed function",
                              hint: "use where(cond, a, b) instead of branching on a tensor inside grad/vmap/jacrev")
        }
    }

    /// A 0-d constant of the given dtype.
    public static func scalar(_ v: Double, _ dtype: DType) -> Operand {
        .tensor(Tensor(scalar: v, dtype: dtype))
    }
}

/// Applies a primitive: at once on concrete operands, or recorded in the innermost trace
/// that any operand belongs to.
///
/// ```swift
/// let y = try bind(.unary(.tanh), [x])[0]
/// ```
public func bind(_ primitive: Primitive, _ operands: [Operand]) throws -> [Operand] {
    var target: Builder? = nil
    var tracked = false
    for o in operands {
        switch o {
        case .tensor: break
        case .tracer(let t): if target == nil || t.builder.level > target!.level { target = t.builder }
        case .tracked(let h):
            // A handle whose value is itself traced (requires_grad_ inside a transform) is that tracer.
            if case .tracer = h.value { return try bind(primitive, operands.map(\.untracked)) }
            tracked = true
        }
    }
    guard let builder = target else {
        if let current = Builder.current, current.isActive {
            // Inside a trace, tensors that require grad become inputs of the program (so that a
            // cached program sees later writes, and autograd reaches them through its node).
            if tracked { return try current.emit(primitive, operands) }
            if let types = try? ShapeRules.infer(primitive, operands.map(\.type)),
               types.contains(where: { $0.shape.elementCount > stagingThreshold }) {
                return try current.emit(primitive, operands)
            }
        }
        if tracked { return try Autograd.record(primitive, operands) }
        return try Eval.apply(primitive, operands.map { $0.concrete! }).map { .tensor($0) }
    }
    guard builder.isActive else { throw Tracer.leakError }
    return try builder.emit(primitive, operands)
}

/// Results of more elements than this, computed from constants while a function is being
/// traced, are recorded in the trace rather than evaluated at once.
let stagingThreshold = 1 << 20

/// `bind` for primitives with one result.
@inline(__always)
public func bind1(_ primitive: Primitive, _ operands: Operand...) throws -> Operand {
    try bind(primitive, operands)[0]
}

/// The innermost builder among the operands, if any is traced.
func innermostBuilder(_ operands: [Operand]) -> Builder? {
    var target: Builder? = nil
    for case .tracer(let t) in operands where target == nil || t.builder.level > target!.level {
        target = t.builder
    }
    return target
}

/// Emits a primitive with no operands (such as `identity`) into `builder`, or evaluates it
/// when there is no trace.
func bindNullary(_ primitive: Primitive, in builder: Builder?) throws -> Operand {
    guard let builder else { return .tensor(try Eval.apply(primitive, [])[0]) }
    return try builder.emit(primitive, [])[0]
}
