/// The element type of a tensor. `float32` is the default, as in PyTorch.
///
/// The four *compute types* (bool, int64, float32, float64) have kernels of their own; the
/// storage types that checkpoints carry (float16, bfloat16, int8, int16, int32, uint8) are
/// stored compactly and computed in their compute type (`computeType`) with the result
/// rounded back, as PyTorch's CPU kernels do for half types.
///
/// ```swift
/// DType.float32.torchName   // "torch.float32"
/// DType.promote(.float32, .float64)  // .float64
/// DType.promote(.uint8, .int8)       // .int16
/// ```
public enum DType: String, Sendable, Hashable, CaseIterable {
    case bool
    case uint8
    case int8
    case int16
    case int32
    case uint32
    case int64
    case float16
    case bfloat16
    case float32
    case float64

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .int16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// Whether values of this type are floating point (and so differentiable).
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: return true
        case .bool, .uint8, .int8, .int16, .int32, .uint32, .int64: return false
        }
    }

    /// Whether this is one of the integer types (not bool).
    public var isInteger: Bool {
        switch self {
        case .uint8, .int8, .int16, .int32, .uint32, .int64: return true
        case .bool, .float16, .bfloat16, .float32, .float64: return false
        }
    }

    /// The type kernels compute this type in: itself for bool, int64, float32 and float64;
    /// float32 for the half types; int64 for the narrower integers.
    public var computeType: DType {
        switch self {
        case .bool, .int64, .float32, .float64: return self
        case .float16, .bfloat16: return .float32
        case .uint8, .int8, .int16, .int32, .uint32: return .int64
        }
    }

    /// PyTorch's spelling, e.g. `torch.float64`, used when printing `dtype=`.
    public var torchName: String { "torch." + rawValue }

    /// The result type of a binary operation between tensors of these types: PyTorch's
    /// promotion table (`c10/core/ScalarType.h`): the later of bool < uint8 < int8 < int16 <
    /// int32 < int64 < float16 < bfloat16 < float32 < float64, except that uint8 with a signed
    /// 8-bit type gives int16 and float16 with bfloat16 gives float32. PyTorch refuses to promote
    /// uint32; Jacobi follows NumPy and JAX for it: uint32 with a signed integer type gives int64.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        let pair: Set<DType> = [a, b]
        if pair == [.uint8, .int8] { return .int16 }
        if pair.contains(.uint32), pair.contains(where: { [.int8, .int16, .int32].contains($0) }) { return .int64 }
        if pair == [.float16, .bfloat16] { return .float32 }
        return a.rank >= b.rank ? a : b
    }

    private var rank: Int {
        switch self {
        case .bool: return 0
        case .uint8: return 1
        case .int8: return 2
        case .int16: return 3
        case .int32: return 4
        case .uint32: return 5
        case .int64: return 6
        case .float16: return 7
        case .bfloat16: return 8
        case .float32: return 9
        case .float64: return 10
        }
    }
}
