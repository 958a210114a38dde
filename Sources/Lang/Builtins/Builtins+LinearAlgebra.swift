import Tensor
import AD

extension Interpreter {
    // MARK: - Diagonals, einsum, norms (torch / torch.linalg)

    func registerLinearAlgebraBuiltins() {
        let t = "linalg"
        registry.add("diagonal", ["input", "offset=0", "dim1=0", "dim2=1"], topic: t, method: true,
                     summary: "the diagonal of the (dim1, dim2) planes, as a new last dimension") { a in
            .tensor(try a.tensor("input").diagonal(offset: try a.int("offset", default: 0), dim1: try a.int("dim1", default: 0),
                                                   dim2: try a.int("dim2", default: 1)))
        }
        registry.add("diag_embed", ["input"], topic: t, method: true,
                     summary: "square matrices with the last dimension on their diagonal") { a in
            .tensor(try a.tensor("input").diagEmbed())
        }
        registry.add("einsum", ["equation", "*operands"], topic: t,
                     summary: "Einstein summation, e.g. einsum('bibj->bij', J) takes the diagonal blocks",
                     doc: """
                     einsum(equation, *operands) as torch.einsum, for any number of operands (contracted left to right):
                     repeated letters within an operand take its diagonal, letters missing from the output are summed.

                       >>> einsum("ij,jk->ik", A, B)        # A @ B
                       >>> einsum("bibj->bij", J)           # the [B, m, n] diagonal blocks of a [B, m, B, n] Jacobian
                     """) { a in
            var items = a.rest
            if items.count == 1, case .list(let xs) = items[0] { items = xs }
            if items.count == 1, case .tuple(let xs) = items[0] { items = xs }
            let operands = try items.map { try self.toOperand($0, what: "einsum operand", range: a.range) }
            return .tensor(try Operand.einsum(try a.string("equation"), operands))
        }
        registry.add("norm", ["input", "ord=None", "dim=None", "keepdim=False"], topic: t, method: true,
                     summary: "vector or Frobenius norm (ord None, 2, 'fro', 1 or inf)",
                     aliases: ["vector_norm"]) { a in
            let x = try a.tensor("input").floating()
            let dims = try a.intList("dim")
            let keep = try a.bool("keepdim", default: false)
            switch a.value("ord") {
            case nil, .some(.none), .some(.int(2)), .some(.float(2)), .some(.string("fro")):
                return .tensor(try (x * x).sum(dims, keepdim: keep).unary(.sqrt))
            case .some(.int(1)), .some(.float(1)):
                return .tensor(try x.unary(.abs).sum(dims, keepdim: keep))
            case .some(.float(let f)) where f.isInfinite && f > 0:
                return .tensor(try x.unary(.abs).extremum(max: true, dims, keepdim: keep))
            case .some(let v):
                throw a.fail("ord=\(self.repr(v)) is not supported; use None/2/'fro', 1 or inf")
            }
        }
    }
}
