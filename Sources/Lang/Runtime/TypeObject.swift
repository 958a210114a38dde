import Tensor
import AD
import NN

/// A class: builtin (`int`, `list`, `torch.Tensor`, `nn.Linear`, `RuntimeError`, ...) or defined
/// by the user (`class Net(nn.Module)`). A class has a name, one base, a dictionary of attributes
/// (methods, class attributes) and the slots through which the interpreter acts on its instances.
///
/// ```swift
/// let t = Value.int(3).pyType     // BuiltinTypes.int
/// t.lookup("bit_length")          // the method, found in the class dictionary
/// ```
public final class TypeObject {
    /// `__name__`, e.g. `Tensor`, `Net`.
    public let name: String
    /// `__module__`: `builtins`, `torch`, `torch.nn.modules.linear`, `__main__`, ...
    public let moduleName: String
    /// The base class (nil only for `object`).
    public let base: TypeObject?
    /// The class dictionary, in definition order.
    public private(set) var table = AttributeTable()
    /// The class dictionary by name.
    public var attributes: [String: Value] { table.values }
    /// The class dictionary's names in definition order.
    public var attributeOrder: [String] { table.order }
    /// How the interpreter acts on instances.
    public var slots: Slots
    /// Whether a `class` statement made it.
    public let isUserDefined: Bool
    /// Makes an instance when the class is called (builtin classes); user classes are made by
    /// `Interpreter.instantiate`.
    public var construct: ((Interpreter, TypeObject, CallArguments) throws -> Value)?
    /// The docstring.
    public var doc: String?
    /// For abstract classes (`collections.abc.Iterable`): which classes count as subclasses.
    public var subclassCheck: ((TypeObject) -> Bool)?
    /// For user classes: the builtin class whose instance layout they extend (`object`,
    /// `nn.Module`, an exception class, `tuple` for named tuples).
    public private(set) var layout: TypeObject!

    /// Creates a class.
    public init(name: String, moduleName: String = "builtins", base: TypeObject?, slots: Slots = Slots(),
                isUserDefined: Bool = false, doc: String? = nil,
                construct: ((Interpreter, TypeObject, CallArguments) throws -> Value)? = nil) {
        self.name = name
        self.moduleName = moduleName
        self.base = base
        self.slots = slots
        self.isUserDefined = isUserDefined
        self.doc = doc
        self.construct = construct
        self.layout = isUserDefined ? base?.layout : nil
        if self.layout == nil { self.layout = self }
    }

    /// Sets (or with nil removes) a class attribute.
    public func setAttribute(_ name: String, _ value: Value?) { table.set(name, value) }

    /// Adds a native method (its first argument is the instance).
    public func method(_ name: String, _ params: [String], _ body: @escaping (BoundArguments) throws -> Value) {
        let sig = Signature(name: "\(self.name).\(name)", spec: ["self"] + params)
        setAttribute(name, .function(Function(name: name, qualname: "\(self.name).\(name)", signature: sig, body: body)))
    }

    /// Looks an attribute up in this class and its bases (the method resolution order).
    public func lookup(_ name: String) -> Value? {
        var t: TypeObject? = self
        while let c = t {
            if let v = c.attributes[name] { return v }
            t = c.base
        }
        return nil
    }

    /// The class that defines `name` (this one or a base).
    public func owner(of name: String) -> TypeObject? {
        var t: TypeObject? = self
        while let c = t {
            if c.attributes[name] != nil { return c }
            t = c.base
        }
        return nil
    }

    /// Whether this class is `other` or derives from it.
    public func isSubtype(of other: TypeObject) -> Bool {
        if let check = other.subclassCheck { return check(self) }
        var t: TypeObject? = self
        while let c = t {
            if c === other { return true }
            t = c.base
        }
        return false
    }

    /// The classes from this one up to `object` (`__mro__`).
    public var mro: [TypeObject] {
        var out: [TypeObject] = []
        var t: TypeObject? = self
        while let c = t { out.append(c); t = c.base }
        return out
    }

    /// `torch.Tensor`, `__main__.Net`, `int` (builtins are not qualified).
    public var qualifiedName: String { moduleName == "builtins" ? name : "\(moduleName).\(name)" }
}

/// The closed set of operations a class answers, as CPython's type slots. A nil slot means the
/// class does not support the operation (the interpreter then raises the `TypeError` Python
/// raises) or, for `getAttribute`, that only the class dictionary applies.
///
/// Every slot receives the interpreter (to call back into user code) and the instance.
public struct Slots {
    /// Attributes the object answers before its class dictionary (`x.shape`, an instance's own
    /// attributes); nil when not found here.
    public var getAttribute: ((Interpreter, Value, String) throws -> Value?)?
    /// `obj.name = value`, or `del obj.name` when the value is nil.
    public var setAttribute: ((Interpreter, Value, String, Value?) throws -> Void)?
    /// `obj(args)`.
    public var call: ((Interpreter, Value, CallArguments) throws -> Value)?
    /// A binary operator with this object on the left (`reflected` false) or on the right; nil for
    /// `NotImplemented`.
    public var binary: ((Interpreter, BinaryOperator, Value, Value, _ reflected: Bool) throws -> Value?)?
    /// An augmented assignment done in place (`xs += ys` on a list); nil falls back to `binary`.
    public var inPlace: ((Interpreter, BinaryOperator, Value, Value) throws -> Value?)?
    /// `-x`, `+x`, `~x` (`not x` uses `truth`); nil for unsupported.
    public var unary: ((Interpreter, UnaryOperator, Value) throws -> Value?)?
    /// A rich comparison with this object on the left; nil for `NotImplemented`.
    public var compare: ((Interpreter, ComparisonOp, Value, Value) throws -> Value?)?
    /// `obj[key]` (the key of `x[1, :]` is the tuple `(1, slice(None, None, None))`).
    public var getItem: ((Interpreter, Value, Value) throws -> Value)?
    /// `obj[key] = value`, or `del obj[key]` when the value is nil.
    public var setItem: ((Interpreter, Value, Value, Value?) throws -> Void)?
    /// `iter(obj)`.
    public var iterate: ((Interpreter, Value) throws -> PyIterator)?
    /// `len(obj)`.
    public var length: ((Interpreter, Value) throws -> Int)?
    /// `bool(obj)`.
    public var truth: ((Interpreter, Value) throws -> Bool)?
    /// `repr(obj)`.
    public var repr: ((Interpreter, Value) throws -> String)?
    /// `str(obj)`; nil uses `repr`.
    public var str: ((Interpreter, Value) throws -> String)?
    /// `item in obj`; nil iterates.
    public var contains: ((Interpreter, Value, Value) throws -> Bool)?
    /// `with obj`: the value bound by `as`.
    public var enter: ((Interpreter, Value) throws -> Value)?
    /// End of `with obj`, with the exception that ended the block if any; true suppresses it.
    public var exit: ((Interpreter, Value, PythonError?) throws -> Bool)?
    /// `format(obj, spec)`; nil formats `str(obj)` as a string.
    public var format: ((Interpreter, Value, String) throws -> String)?
    /// The attribute names `dir(obj)` and completion list, beyond the class dictionary.
    public var attributeNames: ((Interpreter, Value) -> [String])?

    /// No slots.
    public init() {}
}

/// The six rich comparisons.
public enum ComparisonOp: String {
    case lt = "<", le = "<=", eq = "==", ne = "!=", gt = ">", ge = ">="

    /// The comparison with its operands swapped (`a < b` is `b > a`).
    public var swapped: ComparisonOp {
        switch self {
        case .lt: return .gt
        case .le: return .ge
        case .eq: return .eq
        case .ne: return .ne
        case .gt: return .lt
        case .ge: return .le
        }
    }

    /// The dunder method name (`__lt__`).
    public var dunder: String {
        switch self {
        case .lt: return "__lt__"
        case .le: return "__le__"
        case .eq: return "__eq__"
        case .ne: return "__ne__"
        case .gt: return "__gt__"
        case .ge: return "__ge__"
        }
    }
}

extension BinaryOperator {
    /// The dunder method name (`__add__`), and `__radd__` for the reflected form.
    public func dunder(reflected: Bool) -> String {
        let base: String
        switch self {
        case .add: base = "add"
        case .subtract: base = "sub"
        case .multiply: base = "mul"
        case .divide: base = "truediv"
        case .floorDivide: base = "floordiv"
        case .modulo: base = "mod"
        case .power: base = "pow"
        case .matmul: base = "matmul"
        case .bitAnd: base = "and"
        case .bitOr: base = "or"
        case .bitXor: base = "xor"
        case .leftShift: base = "lshift"
        case .rightShift: base = "rshift"
        }
        return reflected ? "__r\(base)__" : "__\(base)__"
    }

    /// `__iadd__` and the other in-place dunders.
    public var inPlaceDunder: String { "__i" + dunder(reflected: false).dropFirst(2) }
}

extension UnaryOperator {
    /// `__neg__`, `__pos__`, `__invert__` (`not` has none).
    public var dunder: String? {
        switch self {
        case .negate: return "__neg__"
        case .plus: return "__pos__"
        case .invert: return "__invert__"
        case .not: return nil
        }
    }
}
