import Tensor
import AD

extension Interpreter {
    // MARK: - Diagonals, einsum, norms (torch / torch.linalg)

    func registerLinearAlgebraBuiltins() {
        let t = "linalg"
        registry.add("diagonal", ["input", "offset=0", "dim1=0", "dim2=1"], topic: t, method: true,
                     summary: "the diagonal of the (dim1, dim2) planes, as a new last dimension") { a in
            .tensor(try a.tensor("input").diagonal(offset: try a.int("offset"), dim1: try a.int("dim1"),
                                                   dim2: try a.int("dim2")))
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
            if items.count == 1, case .list(let xs) = items[0] { items = xs.items }
            if items.count == 1, case .tuple(let xs) = items[0] { items = xs }
            let operands = try items.map { try self.toOperand($0, what: "einsum operand", range: a.range) }
            return .tensor(try Operand.einsum(try a.string("equation"), operands))
        }
        registry.add("norm", ["input", "p='fro'", "dim=None", "keepdim=False", "dtype=None"], topic: t, method: true,
                     summary: "torch.norm: the Frobenius norm (p='fro'), 'nuc', or the p-norm of the elements over dim") { a in
            var x = try a.tensor("input").floating()
            if let d = try a.dtype("dtype") { x = try x.converted(to: d) }
            let dims = try a.intList("dim")
            let p = a.value("p")!
            if case .string("nuc") = p {
                return .tensor(try self.matrixNorm(x, a, ord: .nuclear))
            }
            let ord: Value? = { if case .string("fro") = p { return nil }; return p.isNone ? nil : p }()
            return .tensor(try self.vectorNorm(x, ord: ord, dims: dims, keepdim: try a.bool("keepdim"), a))
        }
        registry.add("linalg_norm", ["input", "ord=None", "dim=None", "keepdim=False"], topic: t,
                     summary: "torch.linalg.norm: a vector norm, or a matrix norm for 2-D input with ord (or two dims)",
                     doc: """
                     norm(A, ord=None, dim=None, keepdim=False) as torch.linalg.norm: with dim naming two dimensions,
                     or with no dim, an ord and a 2-D input, a matrix norm ('fro', 'nuc', 2, -2, 1, -1, inf, -inf);
                     otherwise the vector norm over dim (all elements by default): ord None or 2, 1, inf, -inf, 0 or
                     any p.
                     """) { a in
            let x = try a.tensor("input").floating()
            let dims = try a.intList("dim")
            let ord = a.value("ord").flatMap { $0.isNone ? nil : $0 }
            if let ord, dims?.count == 2 || (dims == nil && x.rank == 2) {
                return .tensor(try self.matrixNorm(x, a, ord: try self.matrixNormOrder(ord, a)))
            }
            return .tensor(try self.vectorNorm(x, ord: ord, dims: dims, keepdim: try a.bool("keepdim"), a))
        }
        registry.add("vector_norm", ["x", "ord=2", "dim=None", "keepdim=False"], topic: t,
                     summary: "torch.linalg.vector_norm: the p-norm of the elements over dim (all by default)") { a in
            let ord = a.value("ord").flatMap { $0.isNone ? nil : $0 }
            return .tensor(try self.vectorNorm(try a.tensor("x").floating(), ord: ord, dims: try a.intList("dim"),
                                               keepdim: try a.bool("keepdim"), a))
        }
    }

    /// `torch.linalg.vector_norm(x, ord, dim, keepdim)`.
    func vectorNorm(_ x: Operand, ord: Value?, dims: [Int]?, keepdim keep: Bool, _ a: BoundArguments) throws -> Operand {
        let p: Double
        switch ord {
        case nil: p = 2
        case .int(let i)?: p = Double(i)
        case .float(let f)?: p = f
        case let v?: throw a.fail("ord=\(repr(v)) is not a vector norm", hint: "use a number, inf or -inf; 'fro' and 'nuc' are matrix norms")
        }
        let magnitude = try x.unary(.abs)
        switch p {
        case 2: return try (x * x).sum(dims, keepdim: keep).unary(.sqrt)
        case 1: return try magnitude.sum(dims, keepdim: keep)
        case .infinity: return try magnitude.extremum(max: true, dims, keepdim: keep)
        case -.infinity: return try magnitude.extremum(max: false, dims, keepdim: keep)
        case 0: return try Operand.compare(.ne, x, x.constant(0)).converted(to: x.dtype).sum(dims, keepdim: keep)
        default:
            return try Operand.binary(.pow, Operand.binary(.pow, magnitude, x.constant(p)).sum(dims, keepdim: keep), x.constant(1 / p))
        }
    }
}
