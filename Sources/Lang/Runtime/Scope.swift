/// A scope of variables: the session's globals, a function call's locals (with the scope the
/// function closes over as parent), a class body while it runs, or a comprehension's own scope.
public final class Scope {
    /// What kind of scope this is.
    public enum Kind {
        case module, function, classBody, comprehension
    }
    /// Variables of this scope.
    public var variables: [String: Value] = [:]
    /// The enclosing scope, or nil for globals.
    public let parent: Scope?
    /// What kind of scope this is.
    public let kind: Kind
    /// Names declared `global` here.
    var declaredGlobal: Set<String> = []
    /// Names declared `nonlocal` here.
    var declaredNonlocal: Set<String> = []
    /// In a method call: the class that defined the method, and the first argument (`super()`).
    var ownerClass: TypeObject?
    var firstArgument: Value?

    /// Creates a scope.
    public init(parent: Scope? = nil, kind: Kind = .module) { self.parent = parent; self.kind = kind }

    /// Looks a name up here, then in the enclosing scopes (class bodies are skipped by the
    /// functions defined in them, as in Python).
    public func lookup(_ name: String) -> Value? {
        var s: Scope? = self
        while let c = s {
            if let v = c.variables[name] { return v }
            s = c.parent
        }
        return nil
    }

    /// The module (global) scope.
    public var moduleScope: Scope {
        var s = self
        while let p = s.parent { s = p }
        return s
    }

    /// The scope a `def` in this scope closes over: a class body's functions see the scope
    /// around the class, not the class's attributes.
    var closureForDefinitions: Scope {
        kind == .classBody ? (parent ?? self) : self
    }

    /// The scope that holds `name` for a `nonlocal` declaration: the nearest enclosing function
    /// scope that defines it.
    func nonlocalOwner(of name: String) -> Scope? {
        var s = parent
        while let c = s, c.kind != .module {
            if c.kind == .function, c.variables[name] != nil { return c }
            s = c.parent
        }
        return nil
    }
}
