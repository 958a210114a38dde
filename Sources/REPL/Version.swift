/// Jacobi's version.
public enum JacobiVersion {
    /// Semantic version of this build.
    public static let string = "0.1.0"
}
