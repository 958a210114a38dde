import Tensor
import AD
import Synchronization

/// Arguments of a call: positional values and keyword values, with where the call is.
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

    /// The same arguments with `receiver` first (calling a bound method).
    func prepending(_ receiver: Value) -> CallArguments {
        var a = self
        a.positional.insert(receiver, at: 0)
        if !a.positionalRanges.isEmpty { a.positionalRanges.insert(nil, at: 0) }
        return a
    }
}

/// The parameters of a function, builtin or user-defined, and the one binder that matches call
/// arguments to them with Python's rules and Python's error messages.
///
/// ```swift
/// let sig = Signature(name: "jacrev", spec: ["func", "argnums=0", "has_aux=False"])
/// let values = try sig.bind(CallArguments([f], keywords: [("has_aux", .bool(true))]))
/// // values == [f, .int(0), .bool(true)]
/// ```
public struct Signature {
    /// How a parameter takes its argument.
    public enum Kind {
        /// Before `/`: by position only.
        case positionalOnly
        /// By position or by keyword.
        case positionalOrKeyword
        /// `*args`: the remaining positional arguments, as a tuple.
        case varPositional
        /// After `*` or `*args`: by keyword only.
        case keywordOnly
        /// `**kwargs`: the remaining keyword arguments, as a dict.
        case varKeyword
    }

    /// One parameter.
    public struct Parameter {
        /// The name (the keyword).
        public var name: String
        /// How it binds.
        public var kind: Kind
        /// The default value (nil: required).
        public var defaultValue: Value?
        /// The default as written in the signature, for help texts.
        public var defaultText: String?
    }

    /// The function's name in error messages (`forward`, `Net.forward`).
    public var name: String
    /// The parameters in order.
    public var parameters: [Parameter] { layout.resolved.parameters }
    /// The parameters and their lookup tables, read from the spec at the first use.
    private let layout: LazyLayout
    /// Whether the `*args` parameter may also be passed by its name with one value, as
    /// PyTorch's overloads allow (`torch.zeros(size=(2, 3))`); true for builtins' specs.
    private var varPositionalByName = false

    /// The parameters with their index by name and where the positional ones end.
    fileprivate struct Layout {
        var parameters: [Parameter]
        var byName: [String: Int] = [:]
        var positionalCount = 0
        var varPositional: Int?
        var varKeyword: Int?

        init(_ parameters: [Parameter]) {
            self.parameters = parameters
            for (i, p) in parameters.enumerated() {
                byName[p.name] = i
                switch p.kind {
                case .positionalOnly, .positionalOrKeyword: positionalCount += 1
                case .varPositional: varPositional = i
                case .varKeyword: varKeyword = i
                case .keywordOnly: break
                }
            }
        }
    }

    /// A layout given, or read from a spec when first asked for. The interpreter registers about a
    /// thousand builtins at every start and a session calls a few of them, so reading each spec
    /// (defaults included) waits for its first call.
    private final class LazyLayout: Sendable {
        private let state: Mutex<(spec: [String]?, layout: Layout?)>
        init(_ layout: Layout) { state = Mutex((nil, layout)) }
        init(spec: [String]) { state = Mutex((spec, nil)) }
        var resolved: Layout {
            state.withLock { s in
                if let l = s.layout { return l }
                let l = Layout(Signature.parameters(spec: s.spec ?? []))
                s = (nil, l)
                return l
            }
        }
    }

    /// A signature from parameters.
    public init(name: String, parameters: [Parameter]) {
        self.name = name
        layout = LazyLayout(Layout(parameters))
    }

    /// A signature from a compact spec: `"input"`, `"dim=None"`, `"*tensors"`, `"**kwargs"`,
    /// `"|keyword_only=1"` (a `|` marks keyword-only), `"/"` (the parameters before it are
    /// positional-only). Defaults are Python literals, read at the first use of the signature.
    public init(name: String, spec: [String]) {
        self.name = name
        layout = LazyLayout(spec: spec)
        varPositionalByName = true
    }

    /// The parameters a spec describes.
    private static func parameters(spec: [String]) -> [Parameter] {
        var params: [Parameter] = []
        var keywordOnly = false
        for item in spec {
            var s = item
            if s == "/" {
                for i in params.indices where params[i].kind == .positionalOrKeyword { params[i].kind = .positionalOnly }
                continue
            }
            if s.hasPrefix("|") { keywordOnly = true; s.removeFirst() }
            if s.hasPrefix("**") {
                params.append(Parameter(name: String(s.dropFirst(2)), kind: .varKeyword))
                continue
            }
            if s.hasPrefix("*") {
                params.append(Parameter(name: String(s.dropFirst()), kind: .varPositional))
                keywordOnly = true
                continue
            }
            let kind: Kind = keywordOnly ? .keywordOnly : .positionalOrKeyword
            if let eq = s.firstIndex(of: "=") {
                let text = String(s[s.index(after: eq)...])
                params.append(Parameter(name: String(s[..<eq]), kind: kind, defaultValue: literalValue(text), defaultText: text))
            } else {
                params.append(Parameter(name: s, kind: kind))
            }
        }
        return params
    }

    /// The index of a parameter by name.
    public func index(of name: String) -> Int? { layout.resolved.byName[name] }

    /// Whether it has a parameter of this name (not counting `*args`/`**kwargs`).
    public func hasParameter(_ name: String) -> Bool {
        let l = layout.resolved
        guard let i = l.byName[name] else { return false }
        switch l.parameters[i].kind {
        case .positionalOnly, .positionalOrKeyword, .keywordOnly: return true
        case .varPositional, .varKeyword: return false
        }
    }

    /// `jacrev(func, argnums=0, has_aux=False)`, as Python's `inspect.signature` prints it.
    public var text: String {
        let parameters = self.parameters
        var parts: [String] = []
        var sawStar = false
        for (i, p) in parameters.enumerated() {
            switch p.kind {
            case .varPositional: parts.append("*" + p.name); sawStar = true
            case .varKeyword: parts.append("**" + p.name)
            case .keywordOnly:
                if !sawStar { parts.append("*"); sawStar = true }
                parts.append(p.name + (p.defaultText.map { "=" + $0 } ?? ""))
            case .positionalOnly, .positionalOrKeyword:
                parts.append(p.name + (p.defaultText.map { "=" + $0 } ?? ""))
            }
            if p.kind == .positionalOnly && (i + 1 == parameters.count || parameters[i + 1].kind != .positionalOnly) {
                parts.append("/")
            }
        }
        let short = name.hasSuffix(".__init__") ? String(name.dropLast(9)) : (name.split(separator: ".").last.map(String.init) ?? name)
        return short + "(" + parts.joined(separator: ", ") + ")"
    }

    /// Matches arguments to parameters: one value per parameter, defaults filled in, `*args` as a
    /// tuple and `**kwargs` as a dict. Errors are Python's `TypeError`s.
    public func bind(_ args: CallArguments) throws -> [Value] {
        let l = layout.resolved
        let parameters = l.parameters, byName = l.byName, positionalCount = l.positionalCount
        let varPositional = l.varPositional, varKeyword = l.varKeyword
        var slots = [Value?](repeating: nil, count: parameters.count)
        let given = args.positional.count
        let direct = min(given, positionalCount)
        for i in 0..<direct { slots[i] = args.positional[i] }
        if given > positionalCount {
            guard let v = varPositional else { throw tooManyPositional(given, args) }
            slots[v] = .tuple(Array(args.positional[positionalCount...]))
        } else if let v = varPositional {
            slots[v] = .tuple([])
        }
        var extra: DictObject?
        if let k = varKeyword { extra = DictObject(); slots[k] = .dict(extra!) }
        var positionalOnlyAsKeyword: [String] = []
        for (key, value) in args.keywords {
            if let i = byName[key] {
                switch parameters[i].kind {
                case .positionalOrKeyword, .keywordOnly:
                    if slots[i] != nil {
                        throw PythonError(.TypeError, "\(name)() got multiple values for argument '\(key)'",
                                          at: args.range, hint: "signature: \(text)")
                    }
                    slots[i] = value
                    continue
                case .positionalOnly:
                    if extra == nil { positionalOnlyAsKeyword.append(key); continue }
                case .varPositional:
                    if varPositionalByName, case .tuple(let a)? = slots[i], a.isEmpty {
                        slots[i] = .tuple([value])
                        continue
                    }
                case .varKeyword:
                    break
                }
            }
            guard let extra else {
                let candidates = parameters.filter { $0.kind == .positionalOrKeyword || $0.kind == .keywordOnly }.map(\.name)
                let guess = closestName(key, among: candidates)
                throw PythonError(.TypeError, "\(name)() got an unexpected keyword argument '\(key)'", at: args.range,
                                  hint: (guess.map { "did you mean '\($0)'? " } ?? "") + "signature: \(text)")
            }
            extra[.string(key)] = value
        }
        if !positionalOnlyAsKeyword.isEmpty {
            throw PythonError(.TypeError, "\(name)() got some positional-only arguments passed as keyword arguments: '"
                              + positionalOnlyAsKeyword.joined(separator: ", ") + "'", at: args.range, hint: "signature: \(text)")
        }
        var missingPositional: [String] = [], missingKeyword: [String] = []
        for (i, p) in parameters.enumerated() where slots[i] == nil {
            if let d = p.defaultValue { slots[i] = d; continue }
            switch p.kind {
            case .positionalOnly, .positionalOrKeyword: missingPositional.append(p.name)
            case .keywordOnly: missingKeyword.append(p.name)
            case .varPositional, .varKeyword: break
            }
        }
        if !missingPositional.isEmpty { throw missing(missingPositional, "positional", args) }
        if !missingKeyword.isEmpty { throw missing(missingKeyword, "keyword-only", args) }
        return slots.map { $0! }
    }

    private func tooManyPositional(_ given: Int, _ args: CallArguments) -> PythonError {
        let positional = parameters.filter { $0.kind == .positionalOnly || $0.kind == .positionalOrKeyword }
        let required = positional.filter { $0.defaultValue == nil }.count
        let takes: String
        if required == positional.count {
            takes = "\(positional.count) positional argument" + (positional.count == 1 ? "" : "s")
        } else {
            takes = "from \(required) to \(positional.count) positional arguments"
        }
        return PythonError(.TypeError, "\(name)() takes \(takes) but \(given) \(given == 1 ? "was" : "were") given",
                           at: args.range, hint: "signature: \(text)")
    }

    private func missing(_ names: [String], _ what: String, _ args: CallArguments) -> PythonError {
        let quoted = names.map { "'\($0)'" }
        let list: String
        switch quoted.count {
        case 1: list = quoted[0]
        case 2: list = quoted[0] + " and " + quoted[1]
        default: list = quoted.dropLast().joined(separator: ", ") + ", and " + quoted.last!
        }
        return PythonError(.TypeError, "\(name)() missing \(names.count) required \(what) argument\(names.count == 1 ? "" : "s"): \(list)",
                           at: args.range, hint: "signature: \(text)")
    }
}

/// The value of a default written in a signature spec: `None`, `True`, `0`, `-1`, `1e-05`,
/// `'none'`, `(0, 1)`, `()`. These are Python literals; anything else is a programming error.
func literalValue(_ text: String) -> Value {
    // The common defaults without the parser: hundreds of builtins read theirs at every start.
    switch text {
    case "None": return .none
    case "True": return .bool(true)
    case "False": return .bool(false)
    default:
        if let i = Int(text) { return .int(i) }
        if let d = Double(text), text.contains("."), !text.contains("_") { return .float(d) }
        if text.count >= 2, let q = text.first, q == "'" || q == "\"", text.last == q, !text.dropFirst().dropLast().contains(where: { $0 == "\\" || $0 == q }) {
            return .string(String(text.dropFirst().dropLast()))
        }
    }
    guard case .complete(let statements) = parse(text), statements.count == 1,
          case .expression(let e) = statements[0], let v = literalValue(e) else {
        preconditionFailure("signature default '\(text)' is not a literal")
    }
    return v
}

private func literalValue(_ e: Expr) -> Value? {
    switch e {
    case .int(let i, _): return .int(i)
    case .bigInt(let b, _): return .bigInt(b)
    case .float(let d, _): return .float(d)
    case .string(let s, _): return .string(s)
    case .bool(let b, _): return .bool(b)
    case .none: return Value.none
    case .ellipsis: return .ellipsis
    case .unary(.negate, let x, _):
        switch literalValue(x) {
        case .int(let i)?: return .int(-i)
        case .float(let d)?: return .float(-d)
        default: return nil
        }
    case .tuple(let items, _):
        let values = items.compactMap(literalValue)
        return values.count == items.count ? .tuple(values) : nil
    case .name("inf", _): return .float(.infinity)
    default: return nil
    }
}
