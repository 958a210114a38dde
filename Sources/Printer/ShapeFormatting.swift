import Tensor

// MARK: - PyTorch spelling

/// A shape as PyTorch prints `x.shape`: a `torch.Size`.
///
/// ```swift
/// formatShape([2, 3])   // "torch.Size([2, 3])"
/// formatShape([])       // "torch.Size([])"
/// ```
public func formatShape(_ s: Shape) -> String {
    "torch.Size([" + s.dims.map { String($0) }.joined(separator: ", ") + "])"
}

// MARK: - Python spelling

/// A shape as Python prints `tuple(t.shape)`, used in PyTorch's `size=` suffix:
/// `()`, `(5,)`, `(0, 3)`.
func pythonTuple(_ s: Shape) -> String {
    switch s.rank {
    case 0: return "()"
    case 1: return "(\(s.dims[0]),)"
    default: return "(" + s.dims.map { String($0) }.joined(separator: ", ") + ")"
    }
}

/// A shape as a plain list, for compact tables and summaries: `[2, 3]`.
///
/// ```swift
/// formatShapeList([2, 3])   // "[2, 3]"
/// ```
public func formatShapeList(_ s: Shape) -> String {
    "[" + s.dims.map { String($0) }.joined(separator: ", ") + "]"
}
