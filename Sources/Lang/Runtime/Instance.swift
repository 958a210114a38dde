import Tensor
import AD
import NN
import BigInt

/// An object of a class that has no value layout of its own: instances of user classes
/// (other than `nn.Module`s), exceptions, and builtin objects such as ranges, iterators,
/// properties, files and context managers, whose Swift state is the `payload`.
///
/// ```swift
/// let e = Instance(cls: BuiltinTypes.exception(.ValueError), attributes: ["args": .tuple([.string("bad")])])
/// ```
public final class Instance {
    /// The object's class.
    public let cls: TypeObject
    /// The object's own attributes (`__dict__`), in assignment order.
    public private(set) var table = AttributeTable()
    /// The own attributes by name.
    public var attributes: [String: Value] { table.values }
    /// Attribute names in assignment order.
    public var attributeOrder: [String] { table.order }
    /// Swift state of a builtin object (a range's bounds, an iterator, a file...).
    public var payload: Any?

    /// Creates an object.
    public init(cls: TypeObject, attributes: [String: Value] = [:], payload: Any? = nil) {
        self.cls = cls
        for name in attributes.keys.sorted() { table.set(name, attributes[name]) }
        self.payload = payload
    }

    /// Sets (or with nil removes) an own attribute.
    public func setAttribute(_ name: String, _ value: Value?) { table.set(name, value) }
}

// MARK: - Payloads of builtin objects

/// `range(start, stop, step)`.
struct RangePayload {
    let start: BigInt, stop: BigInt, step: BigInt

    /// Number of items.
    var count: BigInt {
        if step > 0 { return start < stop ? (stop - start + step - 1) / step : 0 }
        return start > stop ? (start - stop - step - 1) / (-step) : 0
    }

    /// Item `i` (0 <= i < count).
    func item(_ i: BigInt) -> BigInt { start + i * step }
}

/// `property(fget, fset, fdel, doc)`.
struct PropertyPayload {
    var getter: Value?
    var setter: Value?
    var deleter: Value?
}

/// `super()`: the class to search after, and the object methods bind to.
struct SuperPayload {
    let after: TypeObject
    let object: Value
}

/// A context manager made in Swift (`torch.no_grad()`, `open()`'s file handled apart).
struct ContextPayload {
    let enter: (Interpreter) throws -> Value
    let exit: (Interpreter, PythonError?) throws -> Bool
}

/// `functools.partial(func, *args, **keywords)`.
struct PartialPayload {
    let function: Value
    let arguments: [Value]
    let keywords: [(String, Value)]
}
