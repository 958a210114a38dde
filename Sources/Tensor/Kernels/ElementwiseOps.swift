/// Elementwise functions of one argument. Floating point unless noted.
///
/// ```swift
/// try Tensor.unary(.tanh, x)
/// ```
public enum UnaryOp: String, Sendable, Hashable, CaseIterable {
    /// `-x` (all numeric types).
    case neg
    case exp, log, tanh, sin, cos, sqrt
    /// `1 / sqrt(x)`.
    case rsqrt
    /// `1 / (1 + exp(-x))`.
    case logistic
    /// `|x|` (all numeric types).
    case abs
    /// -1, 0 or 1 (all numeric types).
    case sign
    case log1p, expm1, erf
    /// Inverse sine, cosine (on [-1, 1]) and tangent.
    case asin, acos, atan
    case floor, ceil
    /// Round half to even, as `torch.round`.
    case round
    /// Logical not (bool only).
    case not
}

/// Elementwise functions of two arguments, with NumPy broadcasting.
public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case add, sub, mul, div, pow
    /// Elementwise maximum and minimum (NaN propagates, as in `torch.maximum`).
    case max, min
    /// Python's `%` on tensors (`torch.remainder`: the sign follows the divisor).
    case remainder
    /// Logical and / or / xor (bool only).
    case and, or, xor
}

/// Elementwise comparisons, producing bool tensors.
public enum CompareOp: String, Sendable, Hashable, CaseIterable {
    case lt, le, gt, ge, eq, ne
}
