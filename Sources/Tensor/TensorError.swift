/// An error from the tensor library: a shape mismatch, a bad argument, a bad file.
/// The message names the operation and the shapes involved.
///
/// ```swift
/// throw TensorError("matmul: [8, 3] @ [4, 2]: inner dimensions 3 and 4 differ")
/// ```
public struct TensorError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Which Python exception PyTorch raises for this kind of error.
    public enum Kind: String, Sendable, Equatable {
        /// `RuntimeError`: shapes, dtypes, most tensor errors.
        case runtime = "RuntimeError"
        /// `IndexError`: an index out of range.
        case index = "IndexError"
        /// `ValueError`: a bad value of a valid type.
        case value = "ValueError"
        /// `TypeError`: an argument of the wrong type.
        case type = "TypeError"
        /// `NotImplementedError`.
        case notImplemented = "NotImplementedError"
        /// `OverflowError`: a number that does not fit.
        case overflow = "OverflowError"
        /// `ZeroDivisionError`.
        case zeroDivision = "ZeroDivisionError"
        /// `MemoryError`.
        case memory = "MemoryError"
        /// `FileNotFoundError`: a path that names no file.
        case fileNotFound = "FileNotFoundError"
    }
    /// What went wrong, naming the operation and shapes.
    public var message: String
    /// What to do instead, if there is a suggestion.
    public var hint: String?
    /// The Python exception class it becomes.
    public var kind: Kind

    /// Creates an error with a message, an optional hint and its Python class.
    public init(_ message: String, hint: String? = nil, kind: Kind = .runtime) {
        self.message = message; self.hint = hint; self.kind = kind
    }

    public var description: String { message }
}
