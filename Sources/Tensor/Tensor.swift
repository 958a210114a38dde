/// A dense n-dimensional array: a `Shape` and contiguous row-major `Storage`.
///
/// `Tensor` is a value type with copy-on-write storage. The operations here are the small set
/// of kernels that Jacobi's automatic-differentiation core evaluates primitives with
/// (elementwise maps, strided copies, reductions, general dot products through BLAS);
/// the NumPy/PyTorch-style API that users see is built on top of them in the `AD` module.
///
/// ```swift
/// let t = Tensor(shape: [2, 2], float32: [1, 2, 3, 4.5])
/// t.shape       // [2, 2]
/// t.dtype       // .float32
/// t.doubles     // [1.0, 2.0, 3.0, 4.5]
/// ```
public struct Tensor: Sendable {
    /// The dimensions.
    public var shape: Shape
    /// The elements, row-major.
    public var storage: Storage

    /// Creates a tensor; `storage.count` must equal `shape.elementCount`.
    public init(shape: Shape, storage: Storage) {
        precondition(shape.elementCount == storage.count,
                     "Tensor: shape \(shape) needs \(shape.elementCount) elements, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A float32 tensor.
    public init(shape: Shape, float32 values: [Float]) { self.init(shape: shape, storage: .float32(values)) }
    /// A float64 tensor.
    public init(shape: Shape, float64 values: [Double]) { self.init(shape: shape, storage: .float64(values)) }
    /// An int64 tensor.
    public init(shape: Shape, int64 values: [Int64]) { self.init(shape: shape, storage: .int64(values)) }
    /// A bool tensor.
    public init(shape: Shape, bool values: [Bool]) { self.init(shape: shape, storage: .bool(values)) }

    /// A tensor of the given type holding `values` (converted).
    public init(shape: Shape, doubles values: [Double], dtype: DType) {
        self.init(shape: shape, storage: .from(doubles: values, dtype: dtype))
    }

    /// A 0-d tensor holding one number.
    public init(scalar: Double, dtype: DType = .float32) {
        self.init(shape: [], storage: .from(doubles: [scalar], dtype: dtype))
    }

    /// The element type.
    public var dtype: DType { storage.dtype }
    /// Number of dimensions.
    public var rank: Int { shape.rank }
    /// Number of elements.
    public var elementCount: Int { shape.elementCount }
    /// Bytes held by the elements.
    public var byteCount: Int { elementCount * dtype.byteSize }

    /// All elements as Doubles, row-major.
    public var doubles: [Double] {
        switch storage.widened() {
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        case .int64(let a): return a.map { Double($0) }
        case .float32(let a): return a.map { Double($0) }
        case .float64(let a): return a
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16:
            preconditionFailure("widened() gives a compute type")
        }
    }

    /// Whether the element type has kernels of its own (bool, int64, float32, float64).
    public var hasComputeType: Bool { dtype == dtype.computeType }

    /// The same values in the element type's compute type (see `DType.computeType`).
    public func widened() -> Tensor { Tensor(shape: shape, storage: storage.widened()) }

    /// A tensor of a compute type narrowed to the storage type `dtype` (see `Storage.narrowed`).
    public func narrowed(to dtype: DType) -> Tensor { Tensor(shape: shape, storage: storage.narrowed(to: dtype)) }

    /// The single element of a one-element tensor, as a Double.
    public var scalarValue: Double? { elementCount == 1 ? storage.double(at: 0) : nil }

    /// The same elements with another shape of equal element count.
    public func reshaped(_ newShape: Shape) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// The float32 elements; precondition: `dtype == .float32`.
    public var float32Values: [Float] {
        if case .float32(let a) = storage { return a }
        preconditionFailure("float32Values on \(dtype)")
    }

    /// The float64 elements; precondition: `dtype == .float64`.
    public var float64Values: [Double] {
        if case .float64(let a) = storage { return a }
        preconditionFailure("float64Values on \(dtype)")
    }
}
