import Tensor

/// The abstract value of a tensor: its shape and dtype, known without its elements.
///
/// ```swift
/// let t = TensorType(shape: [32, 4], dtype: .float32)
/// ```
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    /// The dimensions.
    public var shape: Shape
    /// The element type.
    public var dtype: DType
    /// Creates a type.
    public init(shape: Shape, dtype: DType) { self.shape = shape; self.dtype = dtype }
    /// The type of a concrete tensor.
    public init(of t: Tensor) { self.init(shape: t.shape, dtype: t.dtype) }
    /// `f32[32,4]`, as in a jaxpr.
    public var description: String {
        let short: String
        switch dtype {
        case .float16: short = "f16"
        case .bfloat16: short = "bf16"
        case .float32: short = "f32"
        case .float64: short = "f64"
        case .uint8: short = "u8"
        case .int8: short = "i8"
        case .int16: short = "i16"
        case .int32: short = "i32"
        case .uint32: short = "u32"
        case .int64: short = "i64"
        case .bool: short = "bool"
        }
        return short + "[" + shape.dims.map(String.init).joined(separator: ",") + "]"
    }
    /// Bytes needed to hold a value of this type.
    public var byteCount: Int { shape.elementCount * dtype.byteSize }
}

/// A variable of a program: an index into the program's type table.
public struct Var: Hashable, Sendable, Comparable {
    /// Index into the program's type table.
    public var id: Int
    /// Creates a variable reference.
    public init(_ id: Int) { self.id = id }
    public static func < (a: Var, b: Var) -> Bool { a.id < b.id }
}

/// One equation: `outputs = primitive(inputs)`.
public struct Equation: Sendable {
    /// The operation.
    public var primitive: Primitive
    /// Operands, in the primitive's order.
    public var inputs: [Var]
    /// Results.
    public var outputs: [Var]
    /// Creates an equation.
    public init(_ primitive: Primitive, inputs: [Var], outputs: [Var]) {
        self.primitive = primitive; self.inputs = inputs; self.outputs = outputs
    }
}

/// A traced function: typed inputs, constants, equations in evaluation order, outputs.
/// Programs are what every transformation consumes and produces.
///
/// ```swift
/// let p = try trace(inputTypes: [TensorType(shape: [3], dtype: .float32)]) { xs in [try xs[0].tanh()] }
/// print(p.program)
/// ```
public struct Program: Sendable {
    /// The type of every variable, indexed by `Var.id`.
    public var types: [TensorType]
    /// Input variables, in call order.
    public var inputs: [Var]
    /// Variables bound to concrete tensors (weights, literals).
    public var constants: [(Var, Tensor)]
    /// Equations in evaluation order.
    public var equations: [Equation]
    /// Output variables (may repeat, and may be inputs or constants).
    public var outputs: [Var]

    /// Creates a program.
    public init(types: [TensorType], inputs: [Var], constants: [(Var, Tensor)], equations: [Equation], outputs: [Var]) {
        self.types = types; self.inputs = inputs; self.constants = constants
        self.equations = equations; self.outputs = outputs
    }

    /// The type of a variable.
    public func type(of v: Var) -> TensorType { types[v.id] }
    /// The input types.
    public var inputTypes: [TensorType] { inputs.map { types[$0.id] } }
    /// The output types.
    public var outputTypes: [TensorType] { outputs.map { types[$0.id] } }
}
