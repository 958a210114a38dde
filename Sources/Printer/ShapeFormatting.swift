import Tensor

// MARK: - Jacobi spelling

/// A shape as Jacobi shows it to users: the dimensions in square brackets.
///
/// ```swift
/// formatShape([2, 3])   // "[2, 3]"
/// formatShape([])       // "[]"
/// ```
public func formatShape(_ s: Shape) -> String {
    "[" + s.dims.map { String($0) }.joined(separator: ", ") + "]"
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
