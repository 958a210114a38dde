extension Expr {
    /// Every name this expression mentions (including inside lambdas and comprehensions).
    ///
    /// ```swift
    /// // "vmap(jacrev(net))(x)" mentions vmap, jacrev, net, x
    /// ```
    public var mentionedNames: Set<String> {
        var names = Set<String>()
        func visit(_ e: Expr) {
            switch e {
            case .int, .bigInt, .float, .string, .bool, .none, .ellipsis: break
            case .fstring(let parts, _):
                func visitParts(_ parts: [FStringPart]) {
                    for p in parts {
                        switch p {
                        case .literal: break
                        case .field(let e, _, let spec, _): visit(e); spec.map(visitParts)
                        }
                    }
                }
                visitParts(parts)
            case .set(let xs, _): xs.forEach(visit)
            case .starred(let x, _): visit(x)
            case .setComprehension(let el, let clauses, _), .generator(let el, let clauses, _):
                visit(el)
                for c in clauses { visit(c.iterable); c.conditions.forEach(visit) }
            case .dictComprehension(let k, let v, let clauses, _):
                visit(k); visit(v)
                for c in clauses { visit(c.iterable); c.conditions.forEach(visit) }
            case .name(let n, _): names.insert(n)
            case .attribute(let b, _, _): visit(b)
            case .call(let f, let args, _):
                visit(f)
                for a in args {
                    switch a {
                    case .positional(let x), .star(let x), .doubleStar(let x): visit(x)
                    case .keyword(_, let x, _): visit(x)
                    }
                }
            case .subscript(let b, let items, _):
                visit(b)
                for i in items {
                    switch i {
                    case .index(let x): visit(x)
                    case .slice(let a, let b, let c, _): [a, b, c].compactMap { $0 }.forEach(visit)
                    }
                }
            case .unary(_, let x, _): visit(x)
            case .binary(_, let a, let b, _), .logical(_, let a, let b, _): visit(a); visit(b)
            case .compare(let a, let rest, _): visit(a); rest.forEach { visit($0.1) }
            case .conditional(let a, let b, let c, _): visit(a); visit(b); visit(c)
            case .lambda(let params, let body, _):
                params.compactMap(\.defaultValue).forEach(visit)
                visit(body)
            case .list(let xs, _), .tuple(let xs, _): xs.forEach(visit)
            case .dict(let items, _):
                for item in items {
                    switch item {
                    case .pair(let k, let v): visit(k); visit(v)
                    case .unpack(let m): visit(m)
                    }
                }
            case .listComprehension(let el, let clauses, _):
                visit(el)
                for c in clauses { visit(c.iterable); c.conditions.forEach(visit) }
            }
        }
        visit(self)
        return names
    }
}
