import Tensor
import AD

// Views: the operations whose results PyTorch makes share their input's storage (`view`,
// `reshape` of a contiguous tensor, `transpose`, `t`, `permute`, `unsqueeze`, `squeeze`,
// `expand`, `narrow`, `select`, `diagonal`, `split`, `chunk`, `unbind`, basic indexing,
// `detach`). Their results are handles that know their base (`TensorHandle.becomeView`), so a
// write through a view shows in the base and a write to the base shows in the view. The storage
// layout (sizes, strides, offset) decides contiguity, `view`'s errors and when `reshape` copies.

extension Interpreter {
    func registerViewBuiltins() {
        let t = "shapes"
        registry.add("view", ["input", "*shape"], topic: t, method: true,
                     summary: "the same storage with a new shape (the input's strides must allow it)") { a in
            let dims = try a.sizes("shape")
            for d in dims where d < -1 { throw PythonError(.RuntimeError, "invalid shape dimension \(d)", at: a.range) }
            return .tensor(try a.tensor("input").view(dims))
        }
        registry.add("view_as", ["input", "other"], topic: t, method: true, summary: "view(other.size())") { a in
            .tensor(try a.tensor("input").view(try a.tensor("other").shape.dims))
        }
        registry.add("expand_as", ["input", "other"], topic: t, method: true, summary: "expand(other.size())") { a in
            .tensor(try a.tensor("input").expand(try a.tensor("other").shape.dims))
        }
        registry.add("narrow", ["input", "dim", "start", "length"], topic: t, method: true,
                     summary: "length elements of dimension dim from start (a view)") { a in
            let x = try a.tensor("input")
            let d = try Self.dimension(x, try a.int("dim"), op: "narrow")
            var start = try a.int("start")
            let length = try a.int("length")
            if start < 0 { start += x.shape[d] }
            guard start >= 0, length >= 0, start + length <= x.shape[d] else {
                throw PythonError(.RuntimeError, "start (\(start)) + length (\(length)) exceeds dimension size (\(x.shape[d])).", at: a.range)
            }
            return .tensor(try x.subscripted(Self.items(x.rank, d, .slice(start: start, stop: start + length, step: 1))))
        }
        registry.add("select", ["input", "dim", "index"], topic: t, method: true, summary: "one index of dimension dim, removed (a view)") { a in
            let x = try a.tensor("input")
            let d = try Self.dimension(x, try a.int("dim"), op: "select")
            return .tensor(try x.subscripted(Self.items(x.rank, d, .index(try a.int("index")))))
        }
        registry.add("split", ["tensor", "split_size_or_sections", "dim=0"], topic: t, method: true,
                     summary: "pieces of split_size (or of the given sizes) along dim, as views") { a in
            let x = try a.tensor("tensor")
            let d = try Self.dimension(x, try a.int("dim"), op: "split")
            let n = x.shape[d]
            var sizes: [Int]
            if let step = try self.indexValue(a.value("split_size_or_sections")!) {
                guard step > 0 || n == 0 else { throw PythonError(.RuntimeError, "split_size can only be 0 if dimension size is 0, but got dimension size of \(n)", at: a.range) }
                sizes = stride(from: 0, to: n, by: max(step, 1)).map { min(step, n - $0) }
            } else {
                sizes = try a.sizes("split_size_or_sections")
                guard sizes.reduce(0, +) == n else {
                    throw PythonError(.RuntimeError, "split_with_sizes expects split_sizes to sum exactly to \(n) (input tensor's size at dimension \(d)), but got split_sizes=\(sizes)", at: a.range)
                }
            }
            return .tuple(try Self.pieces(x, d, sizes))
        }
        registry.add("chunk", ["input", "chunks", "dim=0"], topic: t, method: true, summary: "chunks pieces along dim, as views") { a in
            let x = try a.tensor("input")
            let d = try Self.dimension(x, try a.int("dim"), op: "chunk")
            let chunks = try a.int("chunks")
            guard chunks > 0 else { throw PythonError(.RuntimeError, "chunk expects `chunks` to be greater than 0, got: \(chunks)", at: a.range) }
            let n = x.shape[d], step = (n + chunks - 1) / chunks
            let sizes = step == 0 ? [0] : stride(from: 0, to: n, by: step).map { min(step, n - $0) }
            return .tuple(try Self.pieces(x, d, sizes))
        }
        registry.add("unbind", ["input", "dim=0"], topic: t, method: true, summary: "every index of dim, removed, as views") { a in
            let x = try a.tensor("input")
            let d = try Self.dimension(x, try a.int("dim"), op: "unbind")
            return .tuple(try (0..<x.shape[d]).map { .tensor(try x.subscripted(Self.items(x.rank, d, .index($0)))) })
        }
        registry.add("masked_fill", ["input", "mask", "value"], topic: "math", method: true, summary: "value where mask is true") { a in
            let x = try a.tensor("input"), m = try a.tensor("mask")
            guard m.dtype == .bool else { throw PythonError(.RuntimeError, "masked_fill_ only supports boolean masks, but got mask with dtype \(m.dtype.torchName)", at: a.range) }
            let v = try self.toOperand(a.value("value")!, what: "masked_fill value", range: a.range).converted(to: x.dtype)
            return .tensor(try Operand.select(m, v, x))
        }
        registry.add("index_add", ["input", "dim", "index", "source", "|alpha=1"], topic: "math", method: true,
                     summary: "input with alpha * source added at index along dim") { a in
            let x = try a.tensor("input"), index = try a.tensor("index"), source = try a.tensor("source")
            let d = try x.shape.axis(try a.int("dim"), op: "index_add")
            // The transpose of index_select puts (and sums) source's slices at the indices.
            let (_, pullback, _) = try vjp({ try [$0[0].indexSelect(d, index)] }, primals: [x.untracked])
            let placed = try pullback([try source.converted(to: x.dtype) * source.constant(try a.double("alpha")).converted(to: x.dtype)])[0]
            return .tensor(try x + placed)
        }
    }

    /// `dim` of a tensor that must have dimensions (PyTorch refuses these operations on 0-d tensors).
    static func dimension(_ x: Operand, _ d: Int, op: String) throws -> Int {
        guard x.rank > 0 else {
            throw PythonError(.IndexError, "\(op)(): dimension specified as \(d) but tensor has no dimensions")
        }
        return try x.shape.axis(d, op: op)
    }

    static func items(_ rank: Int, _ d: Int, _ item: IndexItem) -> [IndexItem] {
        var items = [IndexItem](repeating: .slice(start: nil, stop: nil, step: nil), count: rank)
        items[d] = item
        return items
    }

    static func pieces(_ x: Operand, _ d: Int, _ sizes: [Int]) throws -> [Value] {
        var start = 0
        return try sizes.map { n in
            defer { start += n }
            return .tensor(try x.subscripted(items(x.rank, d, .slice(start: start, stop: start + n, step: 1))))
        }
    }

    // MARK: - Making results views

    /// After a view operation: its result (or each piece) becomes a view of the input. `reshape`
    /// and `flatten` copy when the input's strides do not allow a view; `view` then raises
    /// PyTorch's error.
    func makeViews(_ name: String, _ a: BoundArguments, _ result: Value, rerun: @escaping (Operand) throws -> Value) throws -> Value {
        guard let inputName = ["input", "tensor"].first(where: { a.builtin.signature.index(of: $0) != nil }),
              case .tensor(let h)? = a.value(inputName) else { return result }
        let layout = h.layout
        func attach(_ v: Value, _ l: StridedLayout?, piece: Int?) -> Value {
            guard case .tensor(let r) = v, let l, r !== h else { return v }
            r.becomeView(of: h, function: { base in
                let out = try rerun(base)
                if let piece, case .tuple(let items) = out { return items[piece].operand! }
                return out.operand!
            }, tracksHistory: true, layout: l)
            return v
        }
        switch name {
        case "reshape", "flatten", "view", "view_as":
            guard case .tensor(let r) = result else { return result }
            let l = layout.viewed(as: r.shape.dims)
            if l == nil && (name == "view" || name == "view_as") {
                throw PythonError(.RuntimeError, "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.", at: a.range)
            }
            return attach(result, l, piece: nil)
        case "transpose":
            let r = h.rank
            var perm = Array(0..<r)
            if r > 0 {
                let d0 = try h.shape.axis(try a.int("dim0"), op: "transpose"), d1 = try h.shape.axis(try a.int("dim1"), op: "transpose")
                perm.swapAt(d0, d1)
            }
            return attach(result, layout.permuted(perm), piece: nil)
        case "t": return attach(result, layout.permuted(Array((0..<h.rank).reversed())), piece: nil)
        case "permute":
            let perm = try a.sizes("dims").map { try h.shape.axis($0, op: "permute") }
            guard perm.count == h.rank else { return attach(result, layout, piece: nil) }
            return attach(result, layout.permuted(perm), piece: nil)
        case "movedim":
            let s = try h.shape.axis(try a.int("source"), op: "movedim"), d = try h.shape.axis(try a.int("destination"), op: "movedim")
            guard h.rank > 0 else { return attach(result, layout, piece: nil) }
            var perm = Array(0..<h.rank).filter { $0 != s }
            perm.insert(s, at: d)
            return attach(result, layout.permuted(perm), piece: nil)
        case "unsqueeze":
            let d = try a.int("dim")
            return attach(result, layout.unsqueezed(d < 0 ? d + h.rank + 1 : d), piece: nil)
        case "squeeze":
            let dims = try a.optionalInt("dim").map { [try h.shape.axis($0, op: "squeeze")] } ?? Array(0..<h.rank)
            return attach(result, layout.squeezed(dims), piece: nil)
        case "expand", "expand_as":
            guard case .tensor(let r) = result else { return result }
            return attach(result, layout.expanded(to: r.shape.dims), piece: nil)
        case "narrow":
            let d = try h.shape.axis(try a.int("dim"), op: "narrow")
            var start = try a.int("start")
            if start < 0 { start += h.shape[d] }
            return attach(result, layout.slicing(d, start: start, step: 1, count: try a.int("length")), piece: nil)
        case "select":
            let d = try h.shape.axis(try a.int("dim"), op: "select")
            var i = try a.int("index")
            if i < 0 { i += h.shape[d] }
            return attach(result, layout.selecting(d, i), piece: nil)
        case "diagonal":
            let d1 = try h.shape.axis(try a.int("dim1"), op: "diagonal"), d2 = try h.shape.axis(try a.int("dim2"), op: "diagonal")
            return attach(result, layout.diagonal(offset: try a.int("offset"), d1, d2), piece: nil)
        case "split", "chunk", "unbind":
            guard case .tuple(let items) = result else { return result }
            let d = try h.shape.axis(try a.int("dim"), op: name)
            var start = 0
            return .tuple(items.enumerated().map { i, v in
                guard case .tensor(let r) = v else { return v }
                let l: StridedLayout
                if name == "unbind" { l = layout.selecting(d, i) } else {
                    l = layout.slicing(d, start: start, step: 1, count: r.shape[d])
                    start += r.shape[d]
                }
                return attach(v, l, piece: i)
            })
        default:
            return result
        }
    }

    /// The builtins whose results are views of their input.
    static let viewBuiltins: Set<String> = ["reshape", "flatten", "view", "view_as", "transpose", "t", "permute", "movedim",
                                            "unsqueeze", "squeeze", "expand", "expand_as", "narrow", "select", "diagonal",
                                            "split", "chunk", "unbind"]

    /// `x[key]` with only ints, slices, None and `...`: a view; the layout follows the items.
    func basicIndexLayout(_ h: TensorHandle, _ key: Value) throws -> StridedLayout? {
        let items: [Value]
        if case .tuple(let t) = key { items = t } else { items = [key] }
        let consumed = items.filter { if case .none = $0 { return false }; if case .ellipsis = $0 { return false }; return true }.count
        var l = h.layout
        var d = 0
        for item in items {
            switch item {
            case .int(let i):
                let n = l.sizes[d]
                l = l.selecting(d, i < 0 ? i + n : i)
            case .bool:
                return nil
            case .slice(let s, let e, let st):
                let positions = try sliceIndices(l.sizes[d], s, e, st)
                let (start, _, step) = try sliceBounds(l.sizes[d], s, e, st)
                guard step > 0 else { return nil }
                l = l.slicing(d, start: positions.first ?? start, step: step, count: positions.count)
                d += 1
            case .none:
                l = l.unsqueezed(d)
                d += 1
            case .ellipsis:
                d += h.rank - consumed
            case .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
                 .namespace, .shape, .dtype:
                return nil
            }
        }
        return l
    }
}
