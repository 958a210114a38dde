/// The elements of a tensor, contiguous and row-major. Swift arrays give copy-on-write.
///
/// ```swift
/// let s = Storage.float32([1, 2, 3])
/// s.dtype   // .float32
/// ```
public enum Storage: Sendable {
    case bool([Bool])
    case int64([Int64])
    case float32([Float])
    case float64([Double])

    /// The element type.
    public var dtype: DType {
        switch self {
        case .bool: return .bool
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    /// Number of elements.
    public var count: Int {
        switch self {
        case .bool(let a): return a.count
        case .int64(let a): return a.count
        case .float32(let a): return a.count
        case .float64(let a): return a.count
        }
    }

    /// Element `i` as a Double (bools as 0 and 1).
    @inline(__always)
    public func double(at i: Int) -> Double {
        switch self {
        case .bool(let a): return a[i] ? 1 : 0
        case .int64(let a): return Double(a[i])
        case .float32(let a): return Double(a[i])
        case .float64(let a): return a[i]
        }
    }

    /// A storage of `count` zeros (false) of the given type.
    public static func zeros(_ dtype: DType, count: Int) -> Storage {
        switch dtype {
        case .bool: return .bool([Bool](repeating: false, count: count))
        case .int64: return .int64([Int64](repeating: 0, count: count))
        case .float32: return .float32([Float](repeating: 0, count: count))
        case .float64: return .float64([Double](repeating: 0, count: count))
        }
    }

    /// A storage holding `values` converted to `dtype` (non-zero is `true` for bool).
    public static func from(doubles values: [Double], dtype: DType) -> Storage {
        switch dtype {
        case .bool: return .bool(values.map { $0 != 0 })
        case .int64: return .int64(values.map { int64Converting($0) })
        case .float32: return .float32(values.map { Float($0) })
        case .float64: return .float64(values)
        }
    }
}

/// A float converted to int64 as PyTorch's CPU kernels convert it (truncation toward zero); NaN,
/// infinities and values beyond int64 give `Int64.min`, as x86's conversion does, never a trap.
@inline(__always)
public func int64Converting(_ d: Double) -> Int64 {
    d > -9.223372036854775808e18 && d < 9.223372036854775808e18 ? Int64(d) : Int64.min
}
