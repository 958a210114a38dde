import Tensor
import AD

/// The structure of a value with tensors at its leaves (JAX's "pytree"): tuples, lists and
/// dicts of tensors. Everything else is kept as a static part of the structure.
///
/// ```swift
/// let (leaves, tree) = Pytree.flatten(.tuple([.tensor(x), .dict(["w": .tensor(w)])]))
/// // leaves == [x, w]; Pytree.unflatten(tree, leaves) rebuilds the value
/// ```
public indirect enum Pytree {
    case leaf
    case tuple([Pytree])
    case list([Pytree])
    case dict([(HashKey, Pytree)], DictObject.Flavor)
    /// A non-tensor value carried through unchanged.
    case constant(Value)

    /// Number of tensor leaves.
    public var leafCount: Int {
        switch self {
        case .leaf: return 1
        case .tuple(let a), .list(let a): return a.reduce(0) { $0 + $1.leafCount }
        case .dict(let d, _): return d.reduce(0) { $0 + $1.1.leafCount }
        case .constant: return 0
        }
    }

    /// Splits a value into its tensor leaves (depth first) and its structure.
    public static func flatten(_ v: Value) -> ([Operand], Pytree) {
        var leaves: [Operand] = []
        func go(_ v: Value) -> Pytree {
            switch v {
            case .tensor(let h): leaves.append(h.operand); return .leaf
            case .tuple(let a): return .tuple(a.map(go))
            case .list(let l): return .list(l.items.map(go))
            case .dict(let d): return .dict(d.entriesInOrder.map { ($0.0, go($0.1)) }, d.flavor)
            case .none, .bool, .int, .bigInt, .float, .string, .set, .function, .type, .instance, .module, .namespace,
                 .slice, .shape, .dtype, .ellipsis:
                return .constant(v)
            }
        }
        let tree = go(v)
        return (leaves, tree)
    }

    /// Rebuilds a value from leaves in the order `flatten` produced them.
    public static func unflatten(_ tree: Pytree, _ leaves: [Operand]) -> Value {
        var i = 0
        return unflatten(tree) { let o = leaves[i]; i += 1; return .tensor(o) }
    }

    /// Rebuilds a value, asking `next` for each leaf in order.
    public static func unflatten(_ tree: Pytree, _ next: () -> Value) -> Value {
        switch tree {
        case .leaf: return next()
        case .tuple(let a): return .tuple(a.map { unflatten($0, next) })
        case .list(let a): return .list(a.map { unflatten($0, next) })
        case .dict(let d, let flavor):
            let out = DictObject(flavor: flavor)
            for (k, t) in d { out[k] = unflatten(t, next) }
            return .dict(out)
        case .constant(let v): return v
        }
    }
}
