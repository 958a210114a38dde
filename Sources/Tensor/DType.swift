/// The element type of a tensor. `float32` is the default, as in PyTorch.
///
/// ```swift
/// DType.float32.torchName   // "torch.float32"
/// DType.promote(.float32, .float64)  // .float64
/// ```
public enum DType: String, Sendable, Hashable, CaseIterable {
    case bool
    case int64
    case float32
    case float64

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool: return 1
        case .int64, .float64: return 8
        case .float32: return 4
        }
    }

    /// Whether values of this type are floating point (and so differentiable).
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64: return true
        case .bool, .int64: return false
        }
    }

    /// PyTorch's spelling, e.g. `torch.float64`, used when printing `dtype=`.
    public var torchName: String {
        switch self {
        case .bool: return "torch.bool"
        case .int64: return "torch.int64"
        case .float32: return "torch.float32"
        case .float64: return "torch.float64"
        }
    }

    /// The result type of a binary operation between tensors of these types
    /// (PyTorch's promotion lattice restricted to these four: bool < int64 < float32 < float64).
    public static func promote(_ a: DType, _ b: DType) -> DType {
        a.rank >= b.rank ? a : b
    }

    private var rank: Int {
        switch self {
        case .bool: return 0
        case .int64: return 1
        case .float32: return 2
        case .float64: return 3
        }
    }
}
