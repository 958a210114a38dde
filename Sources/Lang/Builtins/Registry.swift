import Tensor
import AD

/// One parameter of a builtin's signature.
public struct BuiltinParameter: Sendable {
    /// Python name (used as keyword).
    public var name: String
    /// Default shown in the signature (`nil`: required).
    public var defaultText: String?
    /// `*args`: collects the remaining positional arguments.
    public var variadic: Bool
    /// Keyword-only.
    public var keywordOnly: Bool
    /// Creates a parameter description.
    public init(_ name: String, _ defaultText: String? = nil, variadic: Bool = false, keywordOnly: Bool = false) {
        self.name = name; self.defaultText = defaultText; self.variadic = variadic; self.keywordOnly = keywordOnly
    }
}

/// A builtin function: name, signature, documentation and implementation. Tensor methods
/// (`x.sum(dim=1)`) are builtins whose first parameter is the receiver.
public struct Builtin: @unchecked Sendable {
    /// The name, e.g. `jacrev`.
    public var name: String
    /// Parameters in order.
    public var parameters: [BuiltinParameter]
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
    public var signature: String {
        name + "(" + parameters.map { p in
            (p.variadic ? "*" : "") + p.name + (p.defaultText.map { "=\($0)" } ?? "")
        }.joined(separator: ", ") + ")"
    }
}

/// Arguments matched to a builtin's parameters, with typed accessors that raise clear errors.
public struct BoundArguments {
    /// The builtin being called.
    public let builtin: Builtin
    /// Values by parameter name (absent: use the default).
    public var values: [String: Value]
    /// Extra positional arguments for a variadic parameter.
    public var rest: [Value]
    /// Keyword arguments collected by a `**kwargs` parameter, in call order.
    public var keywordExtras: [(String, Value)] = []
    /// The interpreter (for calling user functions, printing, the generator...).
    public let interpreter: Interpreter
    /// Where the call is.
    public let range: SourceRange?

    func fail(_ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, "\(builtin.name): \(message)", range: range, hint: hint ?? "signature: \(builtin.signature)")
    }

    /// Whether the argument was given (and is not None).
    public func has(_ name: String) -> Bool {
        if let v = values[name], case .none = v { return false }
        return values[name] != nil
    }

    /// The raw value, or nil when absent.
    public func value(_ name: String) -> Value? { values[name] }

    /// A tensor argument (numbers and nested lists are converted).
    public func tensor(_ name: String) throws -> Operand {
        guard let v = values[name] else { throw fail("missing required argument '\(name)'") }
        return try interpreter.toOperand(v, what: "argument '\(name)'", range: range)
    }

    /// An optional tensor argument.
    public func optionalTensor(_ name: String) throws -> Operand? {
        has(name) ? try tensor(name) : nil
    }

    /// An integer argument.
    public func int(_ name: String, default d: Int? = nil) throws -> Int {
        guard let v = values[name] else {
            if let d { return d }
            throw fail("missing required argument '\(name)'")
        }
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let o) where o.shape.elementCount == 1 && !o.dtype.isFloatingPoint:
            return Int(try o.requireConcrete("an integer argument").scalarValue!)
        default: throw fail("argument '\(name)' must be an int, not \(v.typeName)")
        }
    }

    /// An optional integer (None or absent gives nil).
    public func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }

    /// A float argument (ints accepted).
    public func double(_ name: String, default d: Double? = nil) throws -> Double {
        guard let v = values[name], !isNone(v) else {
            if let d { return d }
            throw fail("missing required argument '\(name)'")
        }
        switch v {
        case .int(let i): return Double(i)
        case .float(let f): return f
        case .bool(let b): return b ? 1 : 0
        case .tensor(let o) where o.shape.elementCount == 1:
            return try o.requireConcrete("a number argument").scalarValue!
        default: throw fail("argument '\(name)' must be a number, not \(v.typeName)")
        }
    }

    /// A bool argument.
    public func bool(_ name: String, default d: Bool) throws -> Bool {
        guard let v = values[name] else { return d }
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none: return d
        default: throw fail("argument '\(name)' must be True or False, not \(v.typeName)")
        }
    }

    /// A string argument.
    public func string(_ name: String, default d: String? = nil) throws -> String {
        guard let v = values[name], !isNone(v) else {
            if let d { return d }
            throw fail("missing required argument '\(name)'")
        }
        guard case .string(let s) = v else { throw fail("argument '\(name)' must be a string, not \(v.typeName)") }
        return s
    }

    /// An int or a tuple/list of ints (e.g. `dim`), nil when absent or None.
    public func intList(_ name: String) throws -> [Int]? {
        guard let v = values[name], !isNone(v) else { return nil }
        switch v {
        case .int(let i): return [i]
        case .tuple(let a), .list(let a):
            return try a.map { e -> Int in
                guard case .int(let i) = e else { throw fail("argument '\(name)' must hold ints, found \(e.typeName)") }
                return i
            }
        case .shape(let s): return s.dims
        default: throw fail("argument '\(name)' must be an int or a tuple of ints, not \(v.typeName)")
        }
    }

    /// Sizes given either as varargs `(2, 3)` or as one tuple/list/Size `((2, 3))`.
    public func sizes(_ name: String) throws -> [Int] {
        var items = rest
        if let v = values[name] { items.insert(v, at: 0) }
        if items.count == 1 {
            switch items[0] {
            case .tuple(let a), .list(let a): items = a
            case .shape(let s): return s.dims
            default: break
            }
        }
        return try items.map { e -> Int in
            guard case .int(let i) = e else { throw fail("sizes must be ints, found \(e.typeName)") }
            return i
        }
    }

    /// A dtype argument (`torch.float64`, `"float64"`), nil when absent.
    public func dtype(_ name: String) throws -> DType? {
        guard let v = values[name], !isNone(v) else { return nil }
        switch v {
        case .dtype(let t): return t
        case .string(let s): if let t = parseDType(s) { return t }
        default: break
        }
        throw fail("argument '\(name)' must be a dtype such as torch.float32 or torch.float64")
    }

    /// A callable argument.
    public func function(_ name: String) throws -> Value {
        guard let v = values[name] else { throw fail("missing required argument '\(name)'") }
        guard interpreter.isCallable(v) else { throw fail("argument '\(name)' must be a function, not \(v.typeName)") }
        return v
    }
}

func isNone(_ v: Value) -> Bool { if case .none = v { return true }; return false }

/// `float32`, `torch.float64`, `double`, `float`, `long`, `int64`, `bool`.
public func parseDType(_ s: String) -> DType? {
    let name = s.hasPrefix("torch.") ? String(s.dropFirst(6)) : s
    switch name {
    case "float32", "float": return .float32
    case "float64", "double": return .float64
    case "int64", "long", "int": return .int64
    case "bool": return .bool
    default: return nil
    }
}

/// All builtins by name, with lookup, binding of call arguments and `help` text.
public final class BuiltinRegistry: @unchecked Sendable {
    /// Builtins by name.
    public private(set) var byName: [String: Builtin] = [:]
    /// Names in registration order.
    public private(set) var names: [String] = []

    /// An empty registry (the interpreter fills it).
    public init() {}

    /// Adds a builtin. `params` uses a compact syntax: `"input"`, `"dim=None"`, `"*tensors"`, `"|keyword_only=1"`.
    public func add(_ name: String, _ params: [String], topic: String, method: Bool = false, summary: String,
                    doc: String = "", aliases: [String] = [], run: @escaping (BoundArguments) throws -> Value) {
        let parameters = params.map { spec -> BuiltinParameter in
            var s = spec
            var kwOnly = false, variadic = false
            if s.hasPrefix("|") { kwOnly = true; s.removeFirst() }
            if s.hasPrefix("**") { return BuiltinParameter(s, nil, variadic: false, keywordOnly: true) }
            if s.hasPrefix("*") { variadic = true; s.removeFirst() }
            if let eq = s.firstIndex(of: "=") {
                return BuiltinParameter(String(s[..<eq]), String(s[s.index(after: eq)...]), variadic: variadic, keywordOnly: kwOnly)
            }
            return BuiltinParameter(s, nil, variadic: variadic, keywordOnly: kwOnly)
        }
        let b = Builtin(name: name, parameters: parameters, summary: summary, doc: doc, topic: topic, isMethod: method, run: run)
        for n in [name] + aliases {
            if byName[n] == nil { names.append(n) }
            var copy = b
            copy.name = n
            byName[n] = copy
        }
    }

    /// Matches positional and keyword arguments to the parameters.
    public func bind(_ b: Builtin, _ args: CallArguments, interpreter: Interpreter) throws -> BoundArguments {
        var values: [String: Value] = [:]
        var rest: [Value] = []
        var i = 0
        let sig = "signature: \(b.signature)"
        for p in b.parameters where !p.keywordOnly {
            if p.variadic {
                rest = Array(args.positional.dropFirst(i))
                i = args.positional.count
                break
            }
            guard i < args.positional.count else { break }
            values[p.name] = args.positional[i]
            i += 1
        }
        if i < args.positional.count {
            throw Diagnostic(.error, "\(b.name)() takes \(b.parameters.filter { !$0.keywordOnly }.count) positional argument(s) but \(args.positional.count) were given",
                             range: args.range, hint: sig)
        }
        let collectsKeywords = b.parameters.contains { $0.name.hasPrefix("**") }
        var extras: [(String, Value)] = []
        for (k, v) in args.keywords {
            if collectsKeywords && !b.parameters.contains(where: { $0.name == k }) {
                extras.append((k, v))
                continue
            }
            guard b.parameters.contains(where: { $0.name == k && !$0.variadic }) else {
                let names = b.parameters.map(\.name)
                let guess = closestName(k, among: names)
                throw Diagnostic(.error, "\(b.name)() got an unexpected keyword argument '\(k)'", range: args.range,
                                 hint: (guess.map { "did you mean '\($0)'? " } ?? "") + sig)
            }
            guard values[k] == nil else {
                throw Diagnostic(.error, "\(b.name)() got multiple values for argument '\(k)'", range: args.range, hint: sig)
            }
            values[k] = v
        }
        for p in b.parameters where p.defaultText == nil && !p.variadic && !p.name.hasPrefix("**") && values[p.name] == nil {
            throw Diagnostic(.error, "\(b.name)() missing required argument '\(p.name)'", range: args.range, hint: sig)
        }
        var bound = BoundArguments(builtin: b, values: values, rest: rest, interpreter: interpreter, range: args.range)
        bound.keywordExtras = extras
        return bound
    }
}

/// The closest name by edit distance (at most 2 edits, or a shared prefix), for "did you mean".
public func closestName(_ name: String, among candidates: [String]) -> String? {
    func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
    let scored = candidates.map { ($0, distance(name.lowercased(), $0.lowercased())) }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let best = scored.first else { return nil }
    let limit = name.count <= 3 ? 1 : 2
    return best.1 <= limit ? best.0 : nil
}
