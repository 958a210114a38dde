/// A Python module object (`torch`, `torch.nn`, `math`, `sys`, ...): named attributes, plus an
/// optional resolver for names computed on demand (`torch.tanh` finds the builtin `tanh`).
///
/// ```swift
/// let m = Namespace(name: "math", attributes: ["pi": .float(.pi)])
/// ```
public final class Namespace {
    /// The dotted module name, e.g. `torch.nn.functional`.
    public let name: String
    /// Attributes set on the module, in order.
    public private(set) var table = AttributeTable()
    /// The attributes by name.
    public var attributes: [String: Value] { table.values }
    /// Attribute names in order.
    public var attributeOrder: [String] { table.order }
    /// Names the module answers without storing them (nil: only `attributes`).
    public let resolve: ((Interpreter, String) -> Value?)?
    /// Names `resolve` knows, for `dir()` and completion.
    public let resolvableNames: ((Interpreter) -> [String])?

    /// Creates a module.
    public init(name: String, attributes: [(String, Value)] = [], resolve: ((Interpreter, String) -> Value?)? = nil,
                resolvableNames: ((Interpreter) -> [String])? = nil) {
        self.name = name
        self.resolve = resolve
        self.resolvableNames = resolvableNames
        for (k, v) in attributes { setAttribute(k, v) }
    }

    /// Sets (or with nil removes) an attribute.
    public func setAttribute(_ name: String, _ value: Value?) { table.set(name, value) }

    /// Names resolved so far (a module's attributes are fixed, so `torch.stack is torch.stack`
    /// and a lookup in a loop costs one dictionary access).
    private var resolved: [String: Value] = [:]

    /// An attribute: a stored one, else a resolved one.
    public func attribute(_ name: String, _ interp: Interpreter) -> Value? {
        if let v = table.values[name] ?? resolved[name] { return v }
        guard let v = resolve?(interp, name) else { return nil }
        resolved[name] = v
        return v
    }
}
