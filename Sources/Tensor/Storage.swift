/// The elements of a tensor, contiguous and row-major. Swift arrays give copy-on-write.
///
/// ```swift
/// let s = Storage.float32([1, 2, 3])
/// s.dtype   // .float32
/// ```
public enum Storage: Sendable {
    case bool([Bool])
    case uint8([UInt8])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case uint32([UInt32])
    case int64([Int64])
    case float16([Float16])
    case bfloat16([BFloat16])
    case float32([Float])
    case float64([Double])

    /// The element type.
    public var dtype: DType {
        switch self {
        case .bool: return .bool
        case .uint8: return .uint8
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .uint32: return .uint32
        case .int64: return .int64
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    /// Number of elements.
    public var count: Int {
        switch self {
        case .bool(let a): return a.count
        case .uint8(let a): return a.count
        case .int8(let a): return a.count
        case .int16(let a): return a.count
        case .int32(let a): return a.count
        case .uint32(let a): return a.count
        case .int64(let a): return a.count
        case .float16(let a): return a.count
        case .bfloat16(let a): return a.count
        case .float32(let a): return a.count
        case .float64(let a): return a.count
        }
    }

    /// Element `i` as a Double (bools as 0 and 1).
    @inline(__always)
    public func double(at i: Int) -> Double {
        switch self {
        case .bool(let a): return a[i] ? 1 : 0
        case .uint8(let a): return Double(a[i])
        case .int8(let a): return Double(a[i])
        case .int16(let a): return Double(a[i])
        case .int32(let a): return Double(a[i])
        case .uint32(let a): return Double(a[i])
        case .int64(let a): return Double(a[i])
        case .float16(let a): return Double(a[i])
        case .bfloat16(let a): return Double(a[i].float)
        case .float32(let a): return Double(a[i])
        case .float64(let a): return a[i]
        }
    }

    /// A storage of `count` zeros (false) of the given type.
    public static func zeros(_ dtype: DType, count: Int) -> Storage {
        switch dtype {
        case .bool: return .bool([Bool](repeating: false, count: count))
        case .uint8: return .uint8([UInt8](repeating: 0, count: count))
        case .int8: return .int8([Int8](repeating: 0, count: count))
        case .int16: return .int16([Int16](repeating: 0, count: count))
        case .int32: return .int32([Int32](repeating: 0, count: count))
        case .uint32: return .uint32([UInt32](repeating: 0, count: count))
        case .int64: return .int64([Int64](repeating: 0, count: count))
        case .float16: return .float16([Float16](repeating: 0, count: count))
        case .bfloat16: return .bfloat16([BFloat16](repeating: BFloat16(bits: 0), count: count))
        case .float32: return .float32([Float](repeating: 0, count: count))
        case .float64: return .float64([Double](repeating: 0, count: count))
        }
    }

    /// A storage holding `values` converted to `dtype` (non-zero is `true` for bool; floats to
    /// integers truncate toward zero, then wrap to the type's width; doubles to the half types
    /// round through float32, as PyTorch converts).
    public static func from(doubles values: [Double], dtype: DType) -> Storage {
        switch dtype {
        case .bool: return .bool(values.map { $0 != 0 })
        case .int64: return .int64(values.map { int64Converting($0) })
        case .float32: return .float32(values.map { Float($0) })
        case .float64: return .float64(values)
        case .uint8, .int8, .int16, .int32, .uint32:
            return Storage.int64(values.map { int64Converting($0) }).narrowed(to: dtype)
        case .float16, .bfloat16:
            return Storage.float32(values.map { Float($0) }).narrowed(to: dtype)
        }
    }

    /// The elements in `dtype.computeType` (exact: every value of a storage type is a value of
    /// its compute type).
    public func widened() -> Storage {
        switch self {
        case .bool, .int64, .float32, .float64: return self
        case .uint8(let a): return .int64(mapArray(a) { Int64($0) })
        case .int8(let a): return .int64(mapArray(a) { Int64($0) })
        case .int16(let a): return .int64(mapArray(a) { Int64($0) })
        case .int32(let a): return .int64(mapArray(a) { Int64($0) })
        case .uint32(let a): return .int64(mapArray(a) { Int64($0) })
        case .float16(let a): return .float32(mapArray(a) { Float($0) })
        case .bfloat16(let a): return .float32(mapArray(a) { $0.float })
        }
    }

    /// A storage of a compute type (int64 or float32) narrowed to a storage type: integers
    /// wrap to the width (two's complement, as C++ casts do), floats round to nearest even.
    /// Other combinations return the storage unchanged.
    public func narrowed(to dtype: DType) -> Storage {
        switch (self, dtype) {
        case (.int64(let a), .uint8): return .uint8(mapArray(a) { UInt8(truncatingIfNeeded: $0) })
        case (.int64(let a), .int8): return .int8(mapArray(a) { Int8(truncatingIfNeeded: $0) })
        case (.int64(let a), .int16): return .int16(mapArray(a) { Int16(truncatingIfNeeded: $0) })
        case (.int64(let a), .int32): return .int32(mapArray(a) { Int32(truncatingIfNeeded: $0) })
        case (.int64(let a), .uint32): return .uint32(mapArray(a) { UInt32(truncatingIfNeeded: $0) })
        case (.float32(let a), .float16): return .float16(mapArray(a) { Float16($0) })
        case (.float32(let a), .bfloat16): return .bfloat16(mapArray(a) { BFloat16($0) })
        default: return self
        }
    }
}

/// A float converted to int64 as PyTorch's CPU kernels convert it (truncation toward zero); NaN,
/// infinities and values beyond int64 give `Int64.min`, as x86's conversion does, never a trap.
@inline(__always)
public func int64Converting(_ d: Double) -> Int64 {
    d > -9.223372036854775808e18 && d < 9.223372036854775808e18 ? Int64(d) : Int64.min
}
