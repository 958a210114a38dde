import Tensor

/// Forward-mode rules: for each primitive, the outputs and their tangents from the inputs and
/// their tangents (`nil` is a symbolic zero: no work is done for it).
enum JVP {
    static func apply(_ p: Primitive, _ x: [Operand], _ t: [Operand?]) throws -> ([Operand], [Operand?]) {
        let y = try bind(p, x)
        if t.allSatisfy({ $0 == nil }) { return (y, y.map { _ in nil }) }
        let out = y[0]
        /// The tangent of a linear primitive: the primitive applied to the tangents (zeros filled in).
        func linear() throws -> [Operand?] {
            let filled = try zip(x, t).map { xi, ti in try ti ?? Operand.zeros(xi.type) }
            return [try bind(p, filled)[0]]
        }
        switch p {
        case .unary(let op):
            guard let d = try Derivatives.unary(op, x: x[0], y: out) else { return (y, [nil]) }
            return (y, [try t[0]! * d])
        case .binary(.add), .binary(.sub):
            var sum: Operand? = t[0]
            if let tb = t[1] { sum = try sum.map { p == .binary(.add) ? try $0 + tb : try $0 - tb } ?? (p == .binary(.add) ? tb : -tb) }
            return (y, [try sum?.broadcast(to: out.shape)])
        case .binary(let op):
            let (da, db) = try Derivatives.binary(op, a: x[0], b: x[1], y: out,
                                                  wantA: t[0] != nil, wantB: t[1] != nil)
            var sum: Operand? = nil
            if let ta = t[0], let da { sum = try ta * da }
            if let tb = t[1], let db { sum = try sum.map { try $0 + tb * db } ?? (tb * db) }
            return (y, [try sum?.broadcast(to: out.shape)])
        case .compare, .argReduce, .identity:
            return (y, y.map { _ in nil })
        case .select:
            let zero = out.constant(0)
            let a = t[1] ?? zero, b = t[2] ?? zero
            return (y, [try Operand.select(x[0], a, b).broadcast(to: out.shape)])
        case .convert(let dtype):
            guard dtype.isFloatingPoint, x[0].dtype.isFloatingPoint, let t0 = t[0] else { return (y, [nil]) }
            return (y, [try t0.converted(to: dtype)])
        case .stopGradient:
            return (y, [nil])
        case .broadcast, .reshape, .transpose, .slice, .pad, .concatenate:
            return (y, try linear())
        case .reduce(.sum, _):
            return (y, try linear())
        case .reduce(_, let axes):
            let w = try Derivatives.extremumWeights(x: x[0], y: out, axes: axes)
            return (y, [try (t[0]! * w).reduceSum(axes)])
        case .linalg(let op):
            return (y, [try LinalgDerivatives.jvp(op, x: x, y: out, t: t)])
        case .dotGeneral(let d):
            var sum: Operand? = nil
            if let ta = t[0] { sum = try Operand.dot(ta, x[1], d) }
            if let tb = t[1] { sum = try sum.map { try $0 + Operand.dot(x[0], tb, d) } ?? Operand.dot(x[0], tb, d) }
            return (y, [sum])
        }
    }
}
