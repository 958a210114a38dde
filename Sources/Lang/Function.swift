import Synchronization
import Tensor
import AD

/// A callable value: a lambda or `def`, a builtin (possibly bound to a receiver, as in
/// `x.sum`), or a function made by a transformation (`jacrev(f)`), which knows how to call
/// itself through the AD core.
///
/// ```swift
/// let f = Function(name: "double", native: { args, _ in ... })
/// ```
public final class Function: @unchecked Sendable {
    private static let counter = Atomic<Int>(0)

    /// A serial number unique for the whole process (keys the program cache).
    public let id: Int
    /// How a call is carried out.
    public enum Body {
        /// A lambda or `def`: parameters, body, and the scope it closes over.
        case user(parameters: [Parameter], body: UserBody, closure: Scope)
        /// A builtin from the registry, with an optional bound receiver (`x.sum`).
        case builtin(Builtin, receiver: Value?)
        /// A native Swift closure (transformed functions, vjp_fn, module calls).
        case native((CallArguments, Interpreter) throws -> Value)
    }

    /// The body of a user function: one expression (lambda, one-line def) or statements.
    public enum UserBody {
        case expression(Expr)
        case statements([Statement])
    }

    /// The function's name, for printing and errors.
    public let name: String
    /// What calling it does.
    public let body: Body
    /// A description of what it is (`jacrev(f, argnums=0)`), shown when printed.
    public let summary: String?

    /// Creates a function.
    public init(name: String, body: Body, summary: String? = nil) {
        self.name = name; self.body = body; self.summary = summary
        self.id = Function.counter.add(1, ordering: .relaxed).newValue
    }

    /// A native function.
    public convenience init(name: String, summary: String? = nil,
                            native: @escaping (CallArguments, Interpreter) throws -> Value) {
        self.init(name: name, body: .native(native), summary: summary)
    }
}

/// Arguments of a call: positional values and keyword values, each with its source range.
public struct CallArguments {
    /// Positional arguments.
    public var positional: [Value]
    /// Keyword arguments in call order.
    public var keywords: [(String, Value)]
    /// Where the call is (for errors raised inside it).
    public var range: SourceRange?
    /// Ranges of the positional arguments, when known.
    public var positionalRanges: [SourceRange?] = []

    /// Creates call arguments.
    public init(_ positional: [Value], keywords: [(String, Value)] = [], range: SourceRange? = nil) {
        self.positional = positional; self.keywords = keywords; self.range = range
    }
}
