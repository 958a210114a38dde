import Tensor

/// A tensor as the user holds it: a handle over an immutable value, shared by reference as
/// Python shares objects. Two names bound to one handle see the same tensor; `nn.Parameter`s are
/// handles that modules keep, so `net.fc.weight` is the object `parameters()` returns.
///
/// The value itself (`Operand`: a concrete tensor or a tracer) is immutable; giving a handle a new
/// value is how a later in-place write will work.
///
/// ```swift
/// let w = TensorHandle(.tensor(Tensor.full([2, 2], 0)), isParameter: true)
/// w.shape    // [2, 2]
/// ```
public final class TensorHandle {
    /// The current value.
    public var value: Operand
    /// Whether this is an `nn.Parameter` (printed `Parameter containing:`; registered by modules).
    public var isParameter: Bool

    /// Wraps a value.
    public init(_ value: Operand, isParameter: Bool = false) {
        self.value = value
        self.isParameter = isParameter
    }

    /// Shape and dtype of the value.
    public var type: TensorType { value.type }
    /// The value's shape.
    public var shape: Shape { value.shape }
    /// The value's element type.
    public var dtype: DType { value.dtype }
    /// The value's number of dimensions.
    public var rank: Int { value.rank }
    /// The concrete tensor, or nil while tracing.
    public var concrete: Tensor? { value.concrete }
}
