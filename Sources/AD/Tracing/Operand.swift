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

/// What the tensor operations of the language act on: a concrete tensor, or a tracer standing
/// for one while a function is being traced. Operations on concrete operands run at once;
/// operations involving tracers are recorded as equations of the innermost trace.
///
/// ```swift
/// let x = Operand.tensor(Tensor(shape: [2], float32: [1, 2]))
/// let y = try x.tanh()       // evaluated now
/// ```
public enum Operand {
    case tensor(Tensor)
    case tracer(Tracer)

    /// Shape and dtype.
    public var type: TensorType {
        switch self {
        case .tensor(let t): return TensorType(of: t)
        case .tracer(let t): return t.type
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
        if case .tensor(let t) = self { return t }
        return nil
    }

    /// The concrete tensor, or an error explaining that the value is traced (for Python-style
    /// control flow on tensor values, such as `if x > 0:` or `float(x)`).
    public func requireConcrete(_ what: String) throws -> Tensor {
        switch self {
        case .tensor(let t): return t
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
    for case .tracer(let t) in operands where target == nil || t.builder.level > target!.level {
        target = t.builder
    }
    guard let builder = target else {
        if let current = Builder.current, current.isActive,
           let types = try? ShapeRules.infer(primitive, operands.map(\.type)),
           types.contains(where: { $0.shape.elementCount > stagingThreshold }) {
            return try current.emit(primitive, operands)
        }
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
