// The abstract syntax tree of Jacobi's Python-flavoured language.
// Every node carries the `SourceRange` it was parsed from, so that errors can point at it.

import BigInt

/// An expression node.
///
/// ```swift
/// // "f(x, dim=1)[0]" parses to
/// // .subscript(.call(.name("f"), [x], [dim: 1]), [.index(0)])
/// ```
public indirect enum Expr: Sendable {
    /// Integer literal, e.g. `3`.
    case int(Int, SourceRange)
    /// Integer literal beyond 64 bits, e.g. `100000000000000000000`.
    case bigInt(BigInt, SourceRange)
    /// f-string, e.g. `f"{gain:.4f}"`.
    case fstring([FStringPart], SourceRange)
    /// Floating point literal, e.g. `1e-3`, `2.`.
    case float(Double, SourceRange)
    /// String literal (single, double or triple quoted; escapes resolved).
    case string(String, SourceRange)
    /// `True`, `False`.
    case bool(Bool, SourceRange)
    /// `None`.
    case none(SourceRange)
    /// `...` used as a value (inside subscripts it means "all remaining dims").
    case ellipsis(SourceRange)
    /// A bare name, e.g. `x`, `_`.
    case name(String, SourceRange)
    /// `base.name`; the range covers the whole expression.
    case attribute(Expr, String, SourceRange)
    /// `callee(args..., key=value...)`, with `*args` and `**kwargs` unpacking.
    case call(Expr, [Argument], SourceRange)
    /// `base[items]`; `x[1, :, None]` has three items.
    case `subscript`(Expr, [SubscriptItem], SourceRange)
    /// Unary `-x`, `+x`, `not x`, `~x`.
    case unary(UnaryOperator, Expr, SourceRange)
    /// Binary arithmetic `+ - * / // % ** @` and bitwise `& | ^`.
    case binary(BinaryOperator, Expr, Expr, SourceRange)
    /// Chained comparison `a < b <= c` (Python semantics: `a < b and b <= c`).
    case compare(Expr, [(CompareOperator, Expr)], SourceRange)
    /// Short-circuit `and` / `or`.
    case logical(LogicalOperator, Expr, Expr, SourceRange)
    /// `a if cond else b`.
    case conditional(then: Expr, condition: Expr, otherwise: Expr, SourceRange)
    /// `lambda x, y=1: body`.
    case lambda([Parameter], Expr, SourceRange)
    /// `[a, b]`.
    case list([Expr], SourceRange)
    /// `(a, b)`, `(a,)`, `()`, or a bare `a, b` where a tuple is allowed.
    case tuple([Expr], SourceRange)
    /// `{k: v, **other, ...}`.
    case dict([DictItem], SourceRange)
    /// `{a, b}`.
    case set([Expr], SourceRange)
    /// `*xs` inside a list, tuple or set display: `[*a, *b]`.
    case starred(Expr, SourceRange)
    /// `[expr for target in iterable if cond]` (one or more `for` clauses).
    case listComprehension(Expr, [ComprehensionClause], SourceRange)
    /// `{expr for ...}`.
    case setComprehension(Expr, [ComprehensionClause], SourceRange)
    /// `{key: value for ...}`.
    case dictComprehension(key: Expr, value: Expr, [ComprehensionClause], SourceRange)
    /// `(expr for ...)`, or a bare generator as a call's only argument: `sum(x for x in xs)`.
    case generator(Expr, [ComprehensionClause], SourceRange)

    /// The source range of this node.
    public var range: SourceRange {
        switch self {
        case .int(_, let r), .float(_, let r), .string(_, let r), .bool(_, let r), .none(let r),
             .ellipsis(let r), .name(_, let r), .attribute(_, _, let r), .call(_, _, let r),
             .subscript(_, _, let r), .unary(_, _, let r), .binary(_, _, _, let r),
             .compare(_, _, let r), .logical(_, _, _, let r), .conditional(_, _, _, let r),
             .lambda(_, _, let r), .list(_, let r), .tuple(_, let r), .dict(_, let r),
             .listComprehension(_, _, let r), .bigInt(_, let r), .fstring(_, let r), .set(_, let r),
             .starred(_, let r), .setComprehension(_, _, let r), .dictComprehension(_, _, _, let r),
             .generator(_, _, let r):
            return r
        }
    }
}

/// One `for target in iterable [if cond]...` clause of a comprehension.
public struct ComprehensionClause: Sendable {
    /// Assignment target, e.g. `i` or `(a, b)`.
    public var target: Target
    /// The iterated expression.
    public var iterable: Expr
    /// `if` filters applied after this clause.
    public var conditions: [Expr]
    /// Creates a clause.
    public init(target: Target, iterable: Expr, conditions: [Expr]) {
        self.target = target; self.iterable = iterable; self.conditions = conditions
    }
}

/// One entry of a dict display: `key: value` or `**mapping`.
public enum DictItem: Sendable {
    case pair(Expr, Expr)
    case unpack(Expr)
}

/// One part of an f-string: literal text or a replacement field.
public enum FStringPart: Sendable {
    case literal(String)
    /// `{expression!conversion:spec}`; `debugText` is the source up to `=` for `{x=}`.
    case field(Expr, conversion: Character?, spec: [FStringPart]?, debugText: String?)
}

/// A call argument: positional, keyword, `*iterable` or `**mapping`.
public enum Argument: Sendable {
    case positional(Expr)
    case keyword(String, Expr, SourceRange)
    case star(Expr)
    case doubleStar(Expr)
}

/// A function or lambda parameter, optionally with a default, or `*args` / `**kwargs`.
public struct Parameter: Sendable {
    /// Plain, positional-only (before `/`), keyword-only (after `*`), `*args` or `**kwargs`.
    public enum Kind: Sendable { case normal, positionalOnly, keywordOnly, star, doubleStar }
    /// The parameter's name.
    public var name: String
    /// The default value expression, if any.
    public var defaultValue: Expr?
    /// Whether this is a plain, `*args` or `**kwargs` parameter.
    public var kind: Kind
    /// Creates a parameter.
    public init(name: String, defaultValue: Expr? = nil, kind: Kind = .normal) {
        self.name = name; self.defaultValue = defaultValue; self.kind = kind
    }
}

/// One item between the brackets of a subscript.
public enum SubscriptItem: Sendable {
    /// `x[i]` (any expression: integer, tensor, list...).
    case index(Expr)
    /// `x[start:stop:step]`, each part optional.
    case slice(start: Expr?, stop: Expr?, step: Expr?, SourceRange)
}

/// Unary operators.
public enum UnaryOperator: String, Sendable { case negate = "-", plus = "+", not = "not", invert = "~" }

/// Binary operators, with Python's spelling as raw value.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
    case power = "**", matmul = "@", bitAnd = "&", bitOr = "|", bitXor = "^"
    case leftShift = "<<", rightShift = ">>"
}

/// Comparison operators, with Python's spelling as raw value.
public enum CompareOperator: String, Sendable {
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"
}

/// `and`, `or`.
public enum LogicalOperator: String, Sendable { case and, or }

/// An assignment target: a name, `a.b`, `a[i]`, or a (possibly nested) tuple/list of targets.
public indirect enum Target: Sendable {
    case name(String, SourceRange)
    case attribute(Expr, String, SourceRange)
    case `subscript`(Expr, [SubscriptItem], SourceRange)
    case tuple([Target], SourceRange)
    /// `*rest` inside a tuple target.
    case starred(Target, SourceRange)

    /// The source range of this target.
    public var range: SourceRange {
        switch self {
        case .name(_, let r), .attribute(_, _, let r), .subscript(_, _, let r), .tuple(_, let r),
             .starred(_, let r):
            return r
        }
    }
}

/// A statement: one logical line of input (a line may hold several separated by `;`).
public enum Statement: Sendable {
    /// A bare expression; the REPL prints its value.
    case expression(Expr)
    /// `a = b = expr` (one or more targets), including tuple unpacking `out, fn = vjp(f, x)`.
    case assign([Target], Expr, SourceRange)
    /// `x += 1` and the other augmented operators.
    case augmentedAssign(Target, BinaryOperator, Expr, SourceRange)
    /// `def name(params): return expr` on one line, or with an indented body of statements.
    case functionDef(FunctionDefinition)
    /// `class Name(Base): body`.
    case classDef(ClassDefinition)
    /// `return expr` (inside a `def` body).
    case `return`(Expr?, SourceRange)
    /// `for target in iterable:` with an indented body and an optional `else:`.
    case `for`(Target, Expr, [Statement], else: [Statement]?, SourceRange)
    /// `while cond:` with an optional `else:`.
    case `while`(Expr, [Statement], else: [Statement]?, SourceRange)
    /// `break`.
    case `break`(SourceRange)
    /// `continue`.
    case `continue`(SourceRange)
    /// `try:` with handlers, `else:` and `finally:`.
    case `try`(body: [Statement], handlers: [ExceptHandler], else: [Statement]?, finally: [Statement]?, SourceRange)
    /// `raise`, `raise E`, `raise E from C`.
    case raise(Expr?, cause: Expr?, SourceRange)
    /// `with a as x, b:` body.
    case with([WithItem], [Statement], SourceRange)
    /// `assert cond, message`.
    case assert(Expr, Expr?, SourceRange)
    /// `global a, b`.
    case global([String], SourceRange)
    /// `nonlocal a, b`.
    case nonlocal([String], SourceRange)
    /// `x: int = 3` (the annotation is evaluated and ignored; without a value nothing is bound).
    case annotatedAssign(Target, annotation: Expr, value: Expr?, SourceRange)
    /// `if cond: ... elif ...: ... else: ...`
    case `if`([(Expr, [Statement])], else: [Statement]?, SourceRange)
    /// `import torch`, `import torch.nn as nn`, `from torch.func import vmap, jacrev`: accepted for pasted code.
    case `import`(module: String, alias: String?, names: [(String, String?)], SourceRange)
    /// `del name`.
    case del([Target], SourceRange)
    /// `pass`.
    case pass(SourceRange)

    /// The source range of this statement.
    public var range: SourceRange {
        switch self {
        case .expression(let e): return e.range
        case .assign(_, _, let r), .augmentedAssign(_, _, _, let r),
             .return(_, let r), .for(_, _, _, _, let r), .if(_, _, let r), .import(_, _, _, let r),
             .del(_, let r), .pass(let r), .while(_, _, _, let r), .break(let r), .continue(let r),
             .try(_, _, _, _, let r), .raise(_, _, let r), .with(_, _, let r), .assert(_, _, let r),
             .global(_, let r), .nonlocal(_, let r), .annotatedAssign(_, _, _, let r):
            return r
        case .functionDef(let d): return d.range
        case .classDef(let d): return d.range
        }
    }
}

/// A `def`: name, parameters, body and decorators (applied bottom-up when it runs).
public struct FunctionDefinition: Sendable {
    /// The function's name.
    public var name: String
    /// Its parameters.
    public var parameters: [Parameter]
    /// Its body.
    public var body: [Statement]
    /// `@decorator` expressions, outermost first.
    public var decorators: [Expr]
    /// The docstring: the body's first statement when it is a string literal.
    public var docstring: String?
    /// The whole definition, decorators included.
    public var range: SourceRange
    /// The range of the `def name(...)` header line.
    public var headerRange: SourceRange
}

/// A `class`: name, bases (and keywords such as `metaclass=`), body and decorators.
public struct ClassDefinition: Sendable {
    /// The class's name.
    public var name: String
    /// Base classes and keywords, as call arguments.
    public var bases: [Argument]
    /// The body, run once in the class's namespace.
    public var body: [Statement]
    /// `@decorator` expressions, outermost first.
    public var decorators: [Expr]
    /// The docstring, if any.
    public var docstring: String?
    /// The whole definition.
    public var range: SourceRange
}

/// One `except [Type [as name]]:` clause.
public struct ExceptHandler: Sendable {
    /// The class (or tuple of classes) to match; nil for a bare `except:`.
    public var type: Expr?
    /// The name bound to the exception.
    public var name: String?
    /// The clause's body.
    public var body: [Statement]
    /// The `except ...:` header.
    public var range: SourceRange
}

/// One `expression [as target]` item of a `with` statement.
public struct WithItem: Sendable {
    /// The context manager expression.
    public var context: Expr
    /// Where `__enter__`'s result is bound, if anywhere.
    public var target: Target?
}
