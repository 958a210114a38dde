import Tensor

/// Batching rules (`vmap`): for each primitive, how to apply it to operands that carry an
/// extra batch dimension (`bdim`, nil for unbatched), and where the batch dimension of the
/// result is. Batched matrix products against unbatched weights fold the batch into the
/// GEMM's free dimension, so they stay one GEMM.
enum Batch {
    static func apply(_ p: Primitive, _ x: [Operand], _ bd: [Int?], size: Int) throws -> ([Operand], [Int?]) {
        if bd.allSatisfy({ $0 == nil }) {
            let outs = try bind(p, x)
            return (outs, outs.map { _ in nil })
        }
        /// Moves each batched operand's batch dimension to 0.
        func front() throws -> [Operand] {
            try zip(x, bd).map { xi, b in try b.map { try xi.movingAxis($0, to: 0) } ?? xi }
        }
        /// Operands with the batch dimension in front, every one broadcast to carry it.
        func allBatched() throws -> [Operand] {
            try zip(try front(), bd).map { xi, b in
                b != nil ? xi : try xi.broadcast(to: Shape([size] + xi.shape.dims), dims: Array(1..<(xi.rank + 1)))
            }
        }
        func shifted(_ a: [Int]) -> [Int] { a.map { $0 + 1 } }
        switch p {
        case .unary, .convert, .stopGradient:
            return (try bind(p, x), [bd[0]])
        case .binary, .compare, .select:
            // Broadcasting operands: align every batched operand as [B, 1.., dims] at full rank.
            let logicalRank = zip(x, bd).map { xi, b in xi.rank - (b == nil ? 0 : 1) }.max()!
            let ops = try zip(try front(), bd).map { xi, b -> Operand in
                guard b != nil else { return xi }
                let inner = Array(xi.shape.dims.dropFirst())
                let padded = [size] + [Int](repeating: 1, count: logicalRank - inner.count) + inner
                return try xi.reshaped(Shape(padded))
            }
            return (try bind(p, ops), [0])
        case .broadcast(let shape, let dims):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try v.broadcast(to: Shape([size] + shape.dims), dims: [0] + shifted(dims))], [0])
        case .reshape(let shape):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try v.reshaped(Shape([size] + shape.dims))], [0])
        case .transpose(let perm):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try v.permuted([0] + shifted(perm))], [0])
        case .slice(let start, let limit, let stride):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try bind1(.slice(start: [0] + start, limit: [size] + limit, stride: [1] + stride), v)], [0])
        case .pad(let low, let high, let interior):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try bind1(.pad(low: [0] + low, high: [0] + high, interior: [0] + interior), v)], [0])
        case .concatenate(let axis):
            return (try bind(.concatenate(axis: axis + 1), try allBatched()), [0])
        case .reduce(let op, let axes):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try bind1(.reduce(op, axes: shifted(axes)), v)], [0])
        case .argReduce(let isMax, let axis):
            let v = try x[0].movingAxis(bd[0]!, to: 0)
            return ([try bind1(.argReduce(max: isMax, axis: axis + 1), v)], [0])
        case .identity:
            return (try bind(p, x), [nil])
        case .linalg:
            // Leading dimensions are already a batch: put the vmap dimension first on every operand.
            return (try bind(p, try allBatched()), [0])
        case .dotGeneral(let d):
            let nb = d.lhsBatch.count
            switch (bd[0], bd[1]) {
            case let (la?, rb?):
                // Both batched: a new leading batch dimension of the dot product.
                let a = try x[0].movingAxis(la, to: 0), b = try x[1].movingAxis(rb, to: 0)
                let dims = DotDimensions(lhsContracting: shifted(d.lhsContracting), rhsContracting: shifted(d.rhsContracting),
                                         lhsBatch: [0] + shifted(d.lhsBatch), rhsBatch: [0] + shifted(d.rhsBatch))
                return ([try Operand.dot(a, b, dims)], [0])
            case let (la?, nil):
                // Batch folded into the lhs free dimensions: one GEMM with M = B * m.
                let a = try x[0].movingAxis(la, to: 0)
                let dims = DotDimensions(lhsContracting: shifted(d.lhsContracting), rhsContracting: d.rhsContracting,
                                         lhsBatch: shifted(d.lhsBatch), rhsBatch: d.rhsBatch)
                return ([try Operand.dot(a, x[1], dims)], [nb])
            case let (nil, rb?):
                let b = try x[1].movingAxis(rb, to: 0)
                let dims = DotDimensions(lhsContracting: d.lhsContracting, rhsContracting: shifted(d.rhsContracting),
                                         lhsBatch: d.lhsBatch, rhsBatch: shifted(d.rhsBatch))
                return ([try Operand.dot(x[0], b, dims)], [nb + d.lhsFree(rank: x[0].rank).count])
            case (nil, nil):
                return (try bind(p, x), [nil])
            }
        }
    }
}
