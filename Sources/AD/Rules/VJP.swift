import Tensor

/// Reverse-mode rules: for each primitive, the cotangents of its inputs from the cotangent of
/// its output, written in primitives (so the result can be differentiated and batched again).
/// `need[i]` says whether input `i` wants a cotangent; `nil` results are symbolic zeros.
enum VJP {
    static func apply(_ p: Primitive, x: [Operand], y: [Operand], ct: Operand,
                      need: [Bool]) throws -> [Operand?] {
        let none: [Operand?] = x.map { _ in nil }
        switch p {
        case .unary(let op):
            guard let d = try Derivatives.unary(op, x: x[0], y: y[0]) else { return none }
            return [try ct * d]
        case .binary(.add):
            return [need[0] ? try ct.summed(to: x[0].shape) : nil, need[1] ? try ct.summed(to: x[1].shape) : nil]
        case .binary(.sub):
            return [need[0] ? try ct.summed(to: x[0].shape) : nil, need[1] ? try (-ct).summed(to: x[1].shape) : nil]
        case .binary(let op):
            let (da, db) = try Derivatives.binary(op, a: x[0], b: x[1], y: y[0], wantA: need[0], wantB: need[1])
            return [need[0] ? try da.map { try (ct * $0).summed(to: x[0].shape) } : nil,
                    need[1] ? try db.map { try (ct * $0).summed(to: x[1].shape) } : nil]
        case .compare, .argReduce, .identity, .stopGradient:
            return none
        case .select:
            let zero = ct.constant(0)
            return [nil,
                    need[1] ? try Operand.select(x[0], ct, zero).summed(to: x[1].shape) : nil,
                    need[2] ? try Operand.select(x[0], zero, ct).summed(to: x[2].shape) : nil]
        case .convert:
            guard x[0].dtype.isFloatingPoint, ct.dtype.isFloatingPoint else { return none }
            return [try ct.converted(to: x[0].dtype)]
        case .broadcast(_, let dims):
            // Sum over the new dimensions and over the ones that were broadcast from size 1.
            let s = x[0].shape
            let newAxes = (0..<y[0].rank).filter { !dims.contains($0) }
            let stretched = dims.enumerated().filter { s[$0.offset] == 1 && y[0].shape[$0.element] != 1 }.map { $0.element }
            let summed = try ct.reduceSum((newAxes + stretched).sorted())
            return [try summed.reshaped(s)]
        case .reshape:
            return [try ct.reshaped(x[0].shape)]
        case .transpose(let perm):
            var inverse = [Int](repeating: 0, count: perm.count)
            for (i, p) in perm.enumerated() { inverse[p] = i }
            return [try ct.permuted(inverse)]
        case .slice(let start, _, let stride):
            let s = x[0].shape, o = y[0].shape
            let high = (0..<s.rank).map { (d: Int) -> Int in
                let end: Int = o[d] == 0 ? start[d] : start[d] + (o[d] - 1) * stride[d] + 1
                return s[d] - end
            }
            return [try bind1(.pad(low: start, high: high, interior: stride.map { $0 - 1 }), ct)]
        case .pad(let low, _, let interior):
            let s = x[0].shape
            let limit = (0..<s.rank).map { (d: Int) -> Int in
                let span: Int = (s[d] - 1) * (interior[d] + 1) + 1
                return s[d] == 0 ? low[d] : low[d] + span
            }
            return [try bind1(.slice(start: low, limit: limit, stride: interior.map { $0 + 1 }), ct)]
        case .concatenate(let axis):
            var at = 0
            return try x.enumerated().map { i, xi in
                defer { at += xi.shape[axis] }
                guard need[i] else { return nil }
                var start = [Int](repeating: 0, count: xi.rank), limit = ct.shape.dims
                start[axis] = at
                limit[axis] = at + xi.shape[axis]
                return try bind1(.slice(start: start, limit: limit, stride: [Int](repeating: 1, count: xi.rank)), ct)
            }
        case .reduce(.sum, let axes):
            let kept = (0..<x[0].rank).filter { !axes.contains($0) }
            return [try ct.broadcast(to: x[0].shape, dims: kept)]
        case .reduce(_, let axes):
            let kept = (0..<x[0].rank).filter { !axes.contains($0) }
            let w = try Derivatives.extremumWeights(x: x[0], y: y[0], axes: axes)
            return [try ct.broadcast(to: x[0].shape, dims: kept) * w]
        case .linalg(let op):
            return try LinalgDerivatives.vjp(op, x: x, y: y[0], ct: ct, need: need)
        case .dotGeneral(let d):
            return [need[0] ? try dotLhsCotangent(d, x[0], x[1], ct) : nil,
                    need[1] ? try dotRhsCotangent(d, x[0], x[1], ct) : nil]
        }
    }

    /// Which values the rule for `p` reads besides shapes, as PyTorch's backward saves them
    /// (inputs, outputs): the imperative autograd keeps them and raises PyTorch's error when one
    /// was modified in place before the backward.
    static func savedValues(_ p: Primitive) -> (inputs: Bool, outputs: Bool) {
        switch p {
        case .binary(.add), .binary(.sub), .unary(.neg), .compare, .argReduce, .identity, .stopGradient,
             .convert, .broadcast, .reshape, .transpose, .slice, .pad, .concatenate, .reduce(.sum, _):
            return (false, false)
        case .unary(.exp), .unary(.tanh), .unary(.sqrt), .unary(.logistic), .unary(.expm1):
            return (false, true)
        case .unary(.rsqrt), .binary(.pow), .reduce, .linalg:
            return (true, true)
        case .unary, .binary, .select, .dotGeneral:
            return (true, false)
        }
    }

    /// `d lhs`: contract the cotangent's rhs-free dimensions with the rhs's free dimensions,
    /// then permute into the lhs's layout.
    static func dotLhsCotangent(_ d: DotDimensions, _ a: Operand, _ b: Operand, _ ct: Operand) throws -> Operand {
        let nb = d.lhsBatch.count
        let lf = d.lhsFree(rank: a.rank), rf = d.rhsFree(rank: b.rank)
        if nb == 0 {
            // b's contracting dimensions then ct's lhs-free ones: when that is already the lhs's
            // layout, this product needs no transpose afterwards.
            let sortedRC = d.rhsContracting.sorted()
            var position = [Int](repeating: 0, count: a.rank)
            for (t, dim) in d.lhsContracting.enumerated() { position[dim] = sortedRC.firstIndex(of: d.rhsContracting[t])! }
            for (j, dim) in lf.enumerated() { position[dim] = d.rhsContracting.count + j }
            var usual = [Int](repeating: 0, count: a.rank)
            for (j, dim) in lf.enumerated() { usual[dim] = j }
            for (t, dim) in d.lhsContracting.enumerated() { usual[dim] = lf.count + sortedRC.firstIndex(of: d.rhsContracting[t])! }
            if position == Array(0..<a.rank) && usual != position {
                let dims = DotDimensions(lhsContracting: rf, rhsContracting: Array(lf.count..<(lf.count + rf.count)))
                return try Operand.dot(b, ct, dims)
            }
        }
        let dims = DotDimensions(lhsContracting: Array((nb + lf.count)..<(nb + lf.count + rf.count)),
                                 rhsContracting: rf,
                                 lhsBatch: Array(0..<nb), rhsBatch: d.rhsBatch)
        let r = try Operand.dot(ct, b, dims)
        // r's dims: batch, lhs free, then b's contracting dims in ascending order of b's dims.
        let sortedRC = d.rhsContracting.sorted()
        var position = [Int](repeating: 0, count: a.rank)
        for (i, dim) in d.lhsBatch.enumerated() { position[dim] = i }
        for (j, dim) in lf.enumerated() { position[dim] = nb + j }
        for (t, dim) in d.lhsContracting.enumerated() {
            position[dim] = nb + lf.count + sortedRC.firstIndex(of: d.rhsContracting[t])!
        }
        return try r.permuted(position)
    }

    /// `d rhs`: contract the lhs's free dimensions with the cotangent's lhs-free dimensions,
    /// then permute into the rhs's layout.
    static func dotRhsCotangent(_ d: DotDimensions, _ a: Operand, _ b: Operand, _ ct: Operand) throws -> Operand {
        let nb = d.lhsBatch.count
        let lf = d.lhsFree(rank: a.rank), rf = d.rhsFree(rank: b.rank)
        if nb == 0 {
            // ct's rhs-free dimensions then a's contracting ones (`ct^T a` for a Linear's weight):
            // when that is already the rhs's layout, this product needs no transpose afterwards.
            let sortedLC = d.lhsContracting.sorted()
            var position = [Int](repeating: 0, count: b.rank)
            for (j, dim) in rf.enumerated() { position[dim] = j }
            for (t, dim) in d.rhsContracting.enumerated() { position[dim] = rf.count + sortedLC.firstIndex(of: d.lhsContracting[t])! }
            var usual = [Int](repeating: 0, count: b.rank)
            for (t, dim) in d.rhsContracting.enumerated() { usual[dim] = sortedLC.firstIndex(of: d.lhsContracting[t])! }
            for (j, dim) in rf.enumerated() { usual[dim] = d.lhsContracting.count + j }
            if position == Array(0..<b.rank) && usual != position {
                let dims = DotDimensions(lhsContracting: Array(0..<lf.count), rhsContracting: lf)
                return try Operand.dot(ct, a, dims)
            }
        }
        let dims = DotDimensions(lhsContracting: lf, rhsContracting: Array(nb..<(nb + lf.count)),
                                 lhsBatch: d.lhsBatch, rhsBatch: Array(0..<nb))
        let r = try Operand.dot(a, ct, dims)
        // r's dims: batch, a's contracting dims in ascending order of a's dims, then rhs free.
        let sortedLC = d.lhsContracting.sorted()
        var position = [Int](repeating: 0, count: b.rank)
        for (i, dim) in d.rhsBatch.enumerated() { position[dim] = i }
        for (t, dim) in d.rhsContracting.enumerated() {
            position[dim] = nb + sortedLC.firstIndex(of: d.lhsContracting[t])!
        }
        for (j, dim) in rf.enumerated() { position[dim] = nb + d.lhsContracting.count + j }
        return try r.permuted(position)
    }
}
