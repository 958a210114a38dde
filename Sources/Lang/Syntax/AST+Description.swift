// Python-like text for AST nodes, with every compound expression parenthesised so that the
// structure (precedence, associativity) is visible: `-2**2` prints as `(-(2**2))`.

// MARK: - Expressions

extension Expr: CustomStringConvertible {
    /// Fully parenthesised Python-like source for the expression.
    ///
    /// ```swift
    /// // parse("a or b and not c") -> "(a or (b and (not c)))"
    /// // parse("x[1:, ...].T")     -> "x[1:, ...].T"
    /// ```
    public var description: String {
        switch self {
        case .int(let value, _):
            return String(value)
        case .bigInt(let value, _):
            return String(value)
        case .fstring(let parts, _):
            return "f" + pythonStringLiteral(parts.map(\.description).joined())
        case .set(let items, _):
            return "{\(items.map(\.description).joined(separator: ", "))}"
        case .starred(let value, _):
            return "*\(value)"
        case .setComprehension(let element, let clauses, _):
            return "{\(element) " + clauses.map(\.description).joined(separator: " ") + "}"
        case .dictComprehension(let key, let value, let clauses, _):
            return "{\(key): \(value) " + clauses.map(\.description).joined(separator: " ") + "}"
        case .generator(let element, let clauses, _):
            return "(\(element) " + clauses.map(\.description).joined(separator: " ") + ")"
        case .float(let value, _):
            return String(value)
        case .string(let value, _):
            return pythonStringLiteral(value)
        case .bool(let value, _):
            return value ? "True" : "False"
        case .none:
            return "None"
        case .ellipsis:
            return "..."
        case .name(let name, _):
            return name
        case .attribute(let base, let name, _):
            return "\(base).\(name)"
        case .call(let callee, let arguments, _):
            return "\(callee)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .subscript(let base, let items, _):
            return "\(base)[\(items.map(\.description).joined(separator: ", "))]"
        case .unary(let op, let operand, _):
            return op == .not ? "(not \(operand))" : "(\(op.rawValue)\(operand))"
        case .binary(let op, let left, let right, _):
            return op == .power ? "(\(left)**\(right))" : "(\(left) \(op.rawValue) \(right))"
        case .compare(let first, let rest, _):
            return "(" + ([first.description] + rest.map { "\($0.0.rawValue) \($0.1)" }).joined(separator: " ") + ")"
        case .logical(let op, let left, let right, _):
            return "(\(left) \(op.rawValue) \(right))"
        case .conditional(let then, let condition, let otherwise, _):
            return "(\(then) if \(condition) else \(otherwise))"
        case .lambda(let parameters, let body, _):
            let list = Statement.parameterList(parameters)
            return "(lambda\(list.isEmpty ? "" : " " + list): \(body))"
        case .list(let items, _):
            return "[\(items.map(\.description).joined(separator: ", "))]"
        case .tuple(let items, _):
            return items.count == 1 ? "(\(items[0]),)" : "(\(items.map(\.description).joined(separator: ", ")))"
        case .dict(let items, _):
            return "{" + items.map { item -> String in
                switch item {
                case .pair(let k, let v): return "\(k): \(v)"
                case .unpack(let m): return "**\(m)"
                }
            }.joined(separator: ", ") + "}"
        case .listComprehension(let element, let clauses, _):
            return "[\(element) " + clauses.map(\.description).joined(separator: " ") + "]"
        }
    }
}

extension FStringPart: CustomStringConvertible {
    /// The part as written inside the f-string: text, or `{expression!r:spec}`.
    public var description: String {
        switch self {
        case .literal(let text):
            return text.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
        case .field(let e, let conversion, let spec, let debugText):
            return "{" + (debugText ?? e.description) + (conversion.map { "!\($0)" } ?? "")
                + (spec.map { ":" + $0.map(\.description).joined() } ?? "") + "}"
        }
    }
}

/// A Python `repr`-style single-quoted literal for `text`.
private func pythonStringLiteral(_ text: String) -> String {
    var out = "'"
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "'": out += "\\'"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "'"
}

extension ComprehensionClause: CustomStringConvertible {
    /// `for target in iterable if condition...`.
    ///
    /// ```swift
    /// // "for i in range(3) if (i > 0)"
    /// ```
    public var description: String {
        (["for \(target) in \(iterable)"] + conditions.map { "if \($0)" }).joined(separator: " ")
    }
}

extension Argument: CustomStringConvertible {
    /// `value`, `name=value`, `*value` or `**value`.
    ///
    /// ```swift
    /// // "dim=1"
    /// ```
    public var description: String {
        switch self {
        case .positional(let value): return value.description
        case .keyword(let name, let value, _): return "\(name)=\(value)"
        case .star(let value): return "*\(value)"
        case .doubleStar(let value): return "**\(value)"
        }
    }
}

extension Parameter: CustomStringConvertible {
    /// `x`, `y=2`, `*args` or `**kwargs`.
    ///
    /// ```swift
    /// // Parameter(name: "y", defaultValue: .int(2, r)).description == "y=2"
    /// ```
    public var description: String {
        switch kind {
        case .normal, .positionalOnly, .keywordOnly: return defaultValue.map { "\(name)=\($0)" } ?? name
        case .star: return "*\(name)"
        case .doubleStar: return "**\(name)"
        }
    }
}

extension SubscriptItem: CustomStringConvertible {
    /// `i`, or a slice `start:stop:step` with absent parts left empty (`:`, `::2`, `1:`).
    ///
    /// ```swift
    /// // "x[::2]" has the item "::2"
    /// ```
    public var description: String {
        switch self {
        case .index(let index):
            return index.description
        case .slice(let start, let stop, let step, _):
            let bounds = "\(start.map(\.description) ?? ""):\(stop.map(\.description) ?? "")"
            return step.map { "\(bounds):\($0)" } ?? bounds
        }
    }
}

// MARK: - Targets

extension Target: CustomStringConvertible {
    /// `x`, `a.b`, `a[i]`, `(a, *rest)`.
    ///
    /// ```swift
    /// // parse("(a, b), c = t") has the target "((a, b), c)"
    /// ```
    public var description: String {
        switch self {
        case .name(let name, _): return name
        case .attribute(let base, let name, _): return "\(base).\(name)"
        case .subscript(let base, let items, _): return "\(base)[\(items.map(\.description).joined(separator: ", "))]"
        case .tuple(let items, _):
            return items.count == 1 ? "(\(items[0]),)" : "(\(items.map(\.description).joined(separator: ", ")))"
        case .starred(let inner, _): return "*\(inner)"
        }
    }
}

// MARK: - Statements

extension Statement: CustomStringConvertible {
    /// Python-like source for the statement; bodies are indented by 4 spaces on their own lines.
    ///
    /// ```swift
    /// // parse("def f(x, y=2): return x*y") ->
    /// // "def f(x, y=2):\n    return (x * y)"
    /// ```
    public var description: String {
        switch self {
        case .expression(let expr):
            return expr.description
        case .assign(let targets, let value, _):
            return targets.map { "\($0) = " }.joined() + value.description
        case .augmentedAssign(let target, let op, let value, _):
            return "\(target) \(op.rawValue)= \(value)"
        case .functionDef(let d):
            return d.decorators.map { "@\($0)\n" }.joined()
                + "def \(d.name)(\(Self.parameterList(d.parameters))):" + Self.block(d.body)
        case .classDef(let d):
            let bases = d.bases.isEmpty ? "" : "(" + d.bases.map(\.description).joined(separator: ", ") + ")"
            return d.decorators.map { "@\($0)\n" }.joined() + "class \(d.name)\(bases):" + Self.block(d.body)
        case .return(let value, _):
            return value.map { "return \($0)" } ?? "return"
        case .for(let target, let iterable, let body, let otherwise, _):
            return "for \(target) in \(iterable):" + Self.block(body) + (otherwise.map { "\nelse:" + Self.block($0) } ?? "")
        case .while(let condition, let body, let otherwise, _):
            return "while \(condition):" + Self.block(body) + (otherwise.map { "\nelse:" + Self.block($0) } ?? "")
        case .break: return "break"
        case .continue: return "continue"
        case .try(let body, let handlers, let otherwise, let finally, _):
            var text = "try:" + Self.block(body)
            for h in handlers {
                text += "\nexcept" + (h.type.map { " \($0)" } ?? "") + (h.name.map { " as \($0)" } ?? "") + ":" + Self.block(h.body)
            }
            if let otherwise { text += "\nelse:" + Self.block(otherwise) }
            if let finally { text += "\nfinally:" + Self.block(finally) }
            return text
        case .raise(let e, let cause, _):
            return "raise" + (e.map { " \($0)" } ?? "") + (cause.map { " from \($0)" } ?? "")
        case .with(let items, let body, _):
            return "with " + items.map { "\($0.context)" + ($0.target.map { " as \($0)" } ?? "") }.joined(separator: ", ")
                + ":" + Self.block(body)
        case .assert(let condition, let message, _):
            return "assert \(condition)" + (message.map { ", \($0)" } ?? "")
        case .global(let names, _): return "global " + names.joined(separator: ", ")
        case .nonlocal(let names, _): return "nonlocal " + names.joined(separator: ", ")
        case .annotatedAssign(let target, let annotation, let value, _):
            return "\(target): \(annotation)" + (value.map { " = \($0)" } ?? "")
        case .if(let clauses, let otherwise, _):
            var text = ""
            for (index, clause) in clauses.enumerated() {
                text += (index == 0 ? "if " : "\nelif ") + "\(clause.0):" + Self.block(clause.1)
            }
            if let otherwise { text += "\nelse:" + Self.block(otherwise) }
            return text
        case .import(let module, let alias, let names, _):
            if names.isEmpty { return "import \(module)" + (alias.map { " as \($0)" } ?? "") }
            let list = names.map { $0.0 + ($0.1.map { " as \($0)" } ?? "") }.joined(separator: ", ")
            return "from \(module) import \(list)"
        case .del(let targets, _):
            return "del " + targets.map(\.description).joined(separator: ", ")
        case .pass:
            return "pass"
        }
    }

    /// Parameters with the `/` and `*` markers Python uses.
    static func parameterList(_ parameters: [Parameter]) -> String {
        var parts: [String] = []
        var sawStar = false
        for (i, p) in parameters.enumerated() {
            if p.kind == .keywordOnly && !sawStar { parts.append("*"); sawStar = true }
            if p.kind == .star { sawStar = true }
            parts.append(p.description)
            if p.kind == .positionalOnly && (i + 1 == parameters.count || parameters[i + 1].kind != .positionalOnly) {
                parts.append("/")
            }
        }
        return parts.joined(separator: ", ")
    }

    /// The body lines, each indented by 4 spaces, starting with a newline.
    private static func block(_ body: [Statement]) -> String {
        body.map { "\n" + $0.description.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n") }.joined()
    }
}
