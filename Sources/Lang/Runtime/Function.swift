import Synchronization
import Tensor
import AD

/// A callable value: a `def` or `lambda`, a builtin (a `Builtin`: signature plus Swift code), a
/// native Swift closure (functions made by transforms, such as `jacrev(f)`), or a method bound to
/// its object.
///
/// ```swift
/// let f = Function(name: "double", native: { args, _ in ... })
/// ```
public final class Function {
    private static let counter = Atomic<Int>(0)

    /// A serial number unique for the whole process (keys the program cache).
    public let id: Int
    /// How a call is carried out.
    public enum Body {
        /// A `def` or `lambda`.
        case user(UserFunction)
        /// A builtin: a signature and Swift code that reads the bound arguments.
        case builtin(Builtin)
        /// A Swift closure that takes the call's arguments as they are.
        case native((CallArguments, Interpreter) throws -> Value)
        /// A method bound to its object (`x.sum`, `net.forward`): calls the function with the
        /// object first.
        case bound(Value, receiver: Value)
    }

    /// `__name__`.
    public var name: String
    /// `__qualname__` (`Net.forward`).
    public var qualname: String
    /// What calling it does.
    public let body: Body
    /// A description of what it is (`jacrev(f, argnums=0)`), shown when printed.
    public let summary: String?
    /// Attributes set on the function (`__doc__`, `__wrapped__`, or by the user).
    public var attributes: [String: Value] = [:]
    /// For a transformed function (`vmap(jacrev(net))`): what it is, structurally, so that the
    /// same transform of the same function made again (an inline `vmap(jacrev(net))(x)` in a
    /// loop) finds its cached program.
    public var cacheKey: AnyHashable?
    /// For a builtin, what its name and topic say about every call (`BuiltinTraits`), worked out
    /// at its first call.
    var builtinTraits: BuiltinTraits?

    /// Creates a function.
    public init(name: String, qualname: String? = nil, body: Body, summary: String? = nil) {
        self.name = name; self.qualname = qualname ?? name; self.body = body; self.summary = summary
        self.id = Function.counter.add(1, ordering: .relaxed).newValue
    }

    /// A native function.
    public convenience init(name: String, summary: String? = nil,
                            native: @escaping (CallArguments, Interpreter) throws -> Value) {
        self.init(name: name, body: .native(native), summary: summary)
    }

    /// A native function with a signature (arguments bound by the one binder).
    public convenience init(name: String, qualname: String? = nil, signature: Signature, summary: String = "",
                            body: @escaping (BoundArguments) throws -> Value) {
        let b = Builtin(name: name, signature: signature, summary: summary, doc: "", topic: "", isMethod: false, run: body)
        self.init(name: name, qualname: qualname, body: .builtin(b))
    }

    /// A method bound to `receiver`.
    public static func bound(_ function: Value, to receiver: Value, name: String) -> Function {
        Function(name: name, body: .bound(function, receiver: receiver))
    }
}

/// A function defined by `def` or `lambda`: its code, the scope it closes over, and defaults
/// evaluated when the definition ran (as in Python).
public final class UserFunction {
    /// The body: one expression (lambda) or statements.
    public enum Code {
        case expression(Expr)
        case statements([Statement])
    }
    /// Parameters as written.
    public let parameters: [Parameter]
    /// The parameters with their evaluated defaults, for the binder.
    public let signature: Signature
    /// The code.
    public let code: Code
    /// The scope of the definition (globals or an enclosing function's locals).
    public let closure: Scope
    /// The source text the function was defined in.
    public let source: SourceText
    /// Where it was defined (its header).
    public let range: SourceRange
    /// The docstring.
    public let docstring: String?
    /// For a method: the class whose body defined it (what `super()` starts from).
    public var ownerClass: TypeObject?

    /// Creates a user function.
    public init(parameters: [Parameter], signature: Signature, code: Code, closure: Scope, source: SourceText,
                range: SourceRange, docstring: String?) {
        self.parameters = parameters; self.signature = signature; self.code = code; self.closure = closure
        self.source = source; self.range = range; self.docstring = docstring
    }
}

/// A builtin: name, signature, documentation and implementation. Tensor methods (`x.sum(dim=1)`)
/// are builtins whose first parameter is the tensor.
public struct Builtin {
    /// The name, e.g. `jacrev`.
    public var name: String
    /// The parameters (defaults included, read once from the spec).
    public var signature: Signature
    /// One line.
    public var summary: String
    /// Longer text with an example.
    public var doc: String
    /// Topic for `:help` grouping, e.g. "transforms".
    public var topic: String
    /// Whether `x.name(...)` calls it with `x` first.
    public var isMethod: Bool
    /// The implementation, given the bound arguments.
    public var run: (BoundArguments) throws -> Value

    /// `jacrev(func, argnums=0, has_aux=False, chunk_size=None)`.
    public var signatureText: String { signature.text }
}

/// What a builtin's name, topic and signature say about each of its calls: whether its result is
/// a view of its input, whether it is a tensor operation whose autograd node is named after it
/// (and that name when the arguments do not change it), whether it takes `requires_grad`. Worked out once per builtin function: the set
/// lookups and the switch of names they replace were a quarter of a recorded `torch.tanh(x)`.
struct BuiltinTraits {
    let isView: Bool
    let namesItsNode: Bool
    /// Whether it has a `requires_grad` parameter (the factories: `torch.zeros(..., requires_grad=True)`).
    let takesRequiresGrad: Bool
    /// `Interpreter.fixedGradFnName`: nil when the arguments decide the name.
    let gradFnName: String??

    init(_ b: Builtin) {
        isView = Interpreter.viewBuiltins.contains(b.name)
        namesItsNode = Interpreter.tensorTopics.contains(b.topic)
        takesRequiresGrad = b.signature.index(of: "requires_grad") != nil
        gradFnName = namesItsNode ? Interpreter.fixedGradFnName(b.name) : .some(nil)
    }
}
