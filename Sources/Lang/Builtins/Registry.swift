import Tensor
import AD

/// Arguments bound to a builtin's parameters by the one binder (`Signature.bind`), with typed
/// accessors that raise clear errors. Defaults are already filled in.
public struct BoundArguments {
    /// The builtin being called.
    public let builtin: Builtin
    /// One value per parameter of the signature.
    public var slots: [Value]
    /// The interpreter (for calling user functions, printing, the generator...).
    public let interpreter: Interpreter
    /// Where the call is.
    public let range: SourceRange?

    /// Extra positional arguments collected by the `*args` parameter.
    public var rest: [Value] {
        for (i, p) in builtin.signature.parameters.enumerated() where p.kind == .varPositional {
            if case .tuple(let items) = slots[i] { return items }
        }
        return []
    }

    /// Keyword arguments collected by the `**kwargs` parameter, in call order.
    public var keywordExtras: [(String, Value)] {
        for (i, p) in builtin.signature.parameters.enumerated() where p.kind == .varKeyword {
            if case .dict(let d) = slots[i] {
                return d.pairs.map { k, v in
                    if case .string(let s) = k { return (s, v) }
                    return ("", v)
                }
            }
        }
        return []
    }

    /// An error about this call (a `TypeError` unless told otherwise), naming the builtin.
    func fail(_ message: String, hint: String? = nil, kind: ExceptionKind = .TypeError) -> PythonError {
        PythonError(kind, "\(builtin.name)(): \(message)", at: range, hint: hint ?? "signature: \(builtin.signatureText)")
    }

    /// Whether the argument was given and is not None.
    public func has(_ name: String) -> Bool {
        guard let v = value(name) else { return false }
        if case .none = v { return false }
        return true
    }

    /// The argument (its default when not given); nil only for a name the signature lacks.
    public func value(_ name: String) -> Value? {
        builtin.signature.index(of: name).map { slots[$0] }
    }

    /// A tensor argument (numbers and nested lists are converted).
    public func tensor(_ name: String) throws -> Operand {
        guard let v = value(name) else { throw fail("missing required argument '\(name)'") }
        return try interpreter.toOperand(v, what: "argument '\(name)'", range: range)
    }

    /// An optional tensor argument.
    public func optionalTensor(_ name: String) throws -> Operand? {
        has(name) ? try tensor(name) : nil
    }

    /// An integer argument.
    public func int(_ name: String) throws -> Int {
        guard let v = value(name) else { throw fail("missing required argument '\(name)'") }
        if case .bigInt = v {
            throw PythonError(.OverflowError, "\(builtin.name)(): argument '\(name)' is too large for a 64-bit integer", at: range)
        }
        guard let i = try interpreter.indexValue(v) else {
            throw fail("argument '\(name)' must be int, not \(v.pyType.name)")
        }
        return i
    }

    /// An optional integer (None or absent gives nil).
    public func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }

    /// A float argument (ints accepted).
    public func double(_ name: String) throws -> Double {
        guard let v = value(name), !v.isNone else { throw fail("missing required argument '\(name)'") }
        if let n = Number(v) { return try n.double() }
        if case .tensor(let h) = v, h.shape.elementCount == 1 {
            return try h.value.requireConcrete("a number argument").scalarValue!
        }
        throw fail("argument '\(name)' must be a number, not \(v.pyType.name)")
    }

    /// A bool argument.
    public func bool(_ name: String) throws -> Bool {
        guard let v = value(name) else { throw fail("missing required argument '\(name)'") }
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none: return false
        case .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            throw fail("argument '\(name)' must be bool, not \(v.pyType.name)")
        }
    }

    /// A string argument.
    public func string(_ name: String) throws -> String {
        guard let v = value(name), !v.isNone else { throw fail("missing required argument '\(name)'") }
        guard case .string(let s) = v else { throw fail("argument '\(name)' must be str, not \(v.pyType.name)") }
        return s
    }

    /// An int or a tuple/list of ints (e.g. `dim`), nil when absent or None.
    public func intList(_ name: String) throws -> [Int]? {
        guard let v = value(name), !v.isNone else { return nil }
        if let i = try interpreter.indexValue(v) { return [i] }
        switch v {
        case .tuple, .list, .shape:
            return try interpreter.collect(v, range: range).map { e -> Int in
                guard let i = try interpreter.indexValue(e) else { throw fail("argument '\(name)' must hold ints, found \(e.pyType.name)") }
                return i
            }
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .dtype, .ellipsis:
            throw fail("argument '\(name)' must be tuple of ints, not \(v.pyType.name)")
        }
    }

    /// Sizes given either as varargs `(2, 3)` or as one tuple/list/Size `((2, 3))`.
    public func sizes(_ name: String) throws -> [Int] {
        var items: [Value]
        if let i = builtin.signature.index(of: name), builtin.signature.parameters[i].kind == .varPositional {
            items = rest
        } else {
            items = rest
            if let v = value(name), !v.isNone { items.insert(v, at: 0) }
        }
        if items.count == 1 {
            switch items[0] {
            case .tuple(let a): items = a
            case .list(let l): items = l.items
            case .shape(let s): return s.dims
            case .none, .bool, .int, .bigInt, .float, .string, .tensor, .dict, .set, .function, .type, .instance,
                 .module, .namespace, .slice, .dtype, .ellipsis:
                break
            }
        }
        return try items.map { e -> Int in
            if case .bigInt = e { throw PythonError(.OverflowError, "\(builtin.name)(): a size is too large for a 64-bit integer", at: range) }
            guard let i = try interpreter.indexValue(e) else { throw fail("size must be tuple of ints, but found element of type \(e.pyType.name)") }
            return i
        }
    }

    /// A dtype argument (`torch.float64`, `"float64"`), nil when absent.
    public func dtype(_ name: String) throws -> DType? {
        guard let v = value(name), !v.isNone else { return nil }
        if case .dtype(let t) = v { return t }
        if case .string(let s) = v, let t = parseDType(s) { return t }
        if case .instance(let i) = v, let t = i.payload as? DType { return t }   // jnp.float32, x.dtype
        if case .type(let t) = v {
            if t === BuiltinTypes.float { return .float64 }
            if t === BuiltinTypes.int { return .int64 }
            if t === BuiltinTypes.bool { return .bool }
        }
        throw fail("argument '\(name)' must be torch.dtype, not \(v.pyType.name)")
    }

    /// A callable argument.
    public func function(_ name: String) throws -> Value {
        guard let v = value(name) else { throw fail("missing required argument '\(name)'") }
        guard interpreter.isCallable(v) else { throw fail("argument '\(name)' must be callable, not \(v.pyType.name)") }
        return v
    }
}

/// PyTorch's dtype names and their aliases, as `torch.<name>` spells them.
public let torchDTypeNames: [(String, DType)] = [
    ("float32", .float32), ("float", .float32), ("float64", .float64), ("double", .float64),
    ("float16", .float16), ("half", .float16), ("bfloat16", .bfloat16),
    ("int64", .int64), ("long", .int64), ("int32", .int32), ("int", .int32), ("int16", .int16), ("short", .int16),
    ("int8", .int8), ("uint8", .uint8), ("uint32", .uint32), ("bool", .bool),
]

/// `float32`, `torch.float64`, `double`, `half`, `int` (int32, as in PyTorch), `uint8`, ...
public func parseDType(_ s: String) -> DType? {
    let name = s.hasPrefix("torch.") ? String(s.dropFirst(6)) : s
    return torchDTypeNames.first { $0.0 == name }?.1
}

/// All builtins by name, with lookup, binding of call arguments and `help` text.
public final class BuiltinRegistry: @unchecked Sendable {
    /// Builtins by name.
    public private(set) var byName: [String: Builtin] = [:]
    /// Names in registration order.
    public private(set) var names: [String] = []

    /// An empty registry (the interpreter fills it).
    public init() {}

    /// One function object per builtin name, made at its first lookup: `torch.tanh is torch.tanh`,
    /// and the calls of a method or a bare name keep what their first call worked out
    /// (`BuiltinTraits`) instead of a new object each time.
    private var functions: [String: Function] = [:]

    /// The function object of the builtin `name` (see `functions`), or nil when there is none.
    public func function(_ name: String) -> Function? {
        if let f = functions[name] { return f }
        guard let b = byName[name] else { return nil }
        let f = Function(name: name, body: .builtin(b))
        functions[name] = f
        return f
    }

    /// The function object of the builtin `name` when it is also a tensor method (`x.sum()`).
    public func method(_ name: String) -> Function? {
        guard byName[name]?.isMethod == true else { return nil }
        return function(name)
    }

    /// Forgets every builtin (their closures hold the interpreter: see `Interpreter.dismantle`).
    func removeAll() {
        byName = [:]
        names = []
        functions = [:]
    }

    /// Adds a builtin. `params` uses the signature spec syntax: `"input"`, `"dim=None"`,
    /// `"*tensors"`, `"**kwargs"`, `"|keyword_only=1"`.
    public func add(_ name: String, _ params: [String], topic: String, method: Bool = false, summary: String,
                    doc: String = "", aliases: [String] = [], run: @escaping (BoundArguments) throws -> Value) {
        let b = Builtin(name: name, signature: Signature(name: name, spec: params), summary: summary, doc: doc, topic: topic,
                        isMethod: method, run: run)
        for n in [name] + aliases {
            if byName[n] == nil { names.append(n) }
            var copy = b
            copy.name = n
            // A layer's arguments are its class's __init__'s, as PyTorch names them in errors.
            copy.signature.name = topic == "nn" && n.first?.isUppercase == true ? n + ".__init__" : n
            byName[n] = copy
            functions[n] = nil
        }
    }

    /// Matches call arguments to a builtin's parameters (the one binder).
    public func bind(_ b: Builtin, _ args: CallArguments, interpreter: Interpreter) throws -> BoundArguments {
        var args = args
        // NumPy's spellings, which PyTorch accepts too: axis= for dim=, keepdims= for keepdim=.
        if !args.keywords.isEmpty {
            for (alias, name) in [("axis", "dim"), ("keepdims", "keepdim")]
            where b.signature.hasParameter(name) && !b.signature.hasParameter(alias) {
                args.keywords = args.keywords.map { $0.0 == alias ? (name, $0.1) : $0 }
            }
        }
        return BoundArguments(builtin: b, slots: try b.signature.bind(args), interpreter: interpreter, range: args.range)
    }
}

/// The candidate a misspelt `name` most likely meant, or nil when none is close enough.
///
/// Distance is Damerau-Levenshtein (a swap of two neighbours, `tahn` for `tanh`, counts one
/// edit; letter case is ignored). The similarity floor: a name of three letters or fewer only
/// matches a swap or a change of case (`net` is not `det`), up to six letters one edit, longer
/// names two; candidates of one character (`_`, `x`) are never suggested.
///
/// ```swift
/// closestName("tahn", among: ["tanh", "tan"])   // "tanh"
/// closestName("net", among: ["det"])            // nil
/// ```
public func closestName(_ name: String, among candidates: [String]) -> String? {
    /// Edits between `a` and `b` (optimal string alignment: insert, delete, substitute, swap).
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
    let target = Array(name.lowercased())
    // Ranked by edits, then by length difference (a swap beats a dropped letter), then by name.
    var best: (name: String, distance: Int, lengthDifference: Int)?
    for candidate in candidates where candidate.count > 1 && candidate != name {
        let c = Array(candidate.lowercased())
        let edits = distance(target, c)
        let allowed: Int
        if name.count <= 3 {
            // Only a change of case or one swap of neighbours, same letters.
            allowed = c.count == target.count && c.sorted() == target.sorted() ? 1 : 0
        } else {
            allowed = name.count <= 6 ? 1 : 2
        }
        guard edits <= allowed, edits > 0 || candidate.lowercased() == name.lowercased() else { continue }
        let rank = (edits, abs(c.count - target.count), candidate)
        if best == nil || rank < (best!.distance, best!.lengthDifference, best!.name) {
            best = (candidate, edits, abs(c.count - target.count))
        }
    }
    return best?.name
}
