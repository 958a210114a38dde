/// A scope of variables: the session's globals, or a function call's locals with a parent
/// scope (closures keep their defining scope alive, as in Python).
public final class Scope {
    /// Variables of this scope.
    public var variables: [String: Value] = [:]
    /// The enclosing scope, or nil for globals.
    public let parent: Scope?
    /// Creates a scope.
    public init(parent: Scope? = nil) { self.parent = parent }

    /// Looks a name up here, then in the enclosing scopes.
    public func lookup(_ name: String) -> Value? {
        if let v = variables[name] { return v }
        return parent?.lookup(name)
    }
}
