/// An error from the tensor library: a shape mismatch, a bad argument, a bad file.
/// The message names the operation and the shapes involved.
///
/// ```swift
/// throw TensorError("matmul: [8, 3] @ [4, 2]: inner dimensions 3 and 4 differ")
/// ```
public struct TensorError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, naming the operation and shapes.
    public var message: String
    /// What to do instead, if there is a suggestion.
    public var hint: String?

    /// Creates an error with a message and an optional hint.
    public init(_ message: String, hint: String? = nil) {
        self.message = message; self.hint = hint
    }

    public var description: String { message }
}
