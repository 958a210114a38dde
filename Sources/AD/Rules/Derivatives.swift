import Tensor

/// Derivatives shared by the JVP and VJP rules, written in primitives.
enum Derivatives {
    /// `f'(x)` for an elementwise function with result `y = f(x)`, or nil where it is zero
    /// (or undefined: `not`).
    static func unary(_ op: UnaryOp, x: Operand, y: Operand) throws -> Operand? {
        switch op {
        case .neg: return x.constant(-1)
        case .exp: return y
        case .log: return try x.constant(1) / x
        case .tanh: return try y.constant(1) - y * y
        case .sin: return try x.unary(.cos)
        case .cos: return try -(x.unary(.sin))
        case .sqrt: return try y.constant(0.5) / y
        case .rsqrt: return try y.constant(-0.5) * y / x
        case .logistic: return try y * (y.constant(1) - y)
        case .abs: return try x.unary(.sign)
        case .log1p: return try x.constant(1) / (x + x.constant(1))
        case .expm1: return try y + y.constant(1)
        case .erf: return try x.constant(2 / Double.pi.squareRoot()) * (-(x * x)).unary(.exp)
        case .asin: return try (x.constant(1) - x * x).unary(.rsqrt)
        case .acos: return try -((x.constant(1) - x * x).unary(.rsqrt))
        case .atan: return try x.constant(1) / (x * x + x.constant(1))
        case .sign, .floor, .ceil, .round, .not: return nil
        }
    }

    /// The partial derivatives `(d/da, d/db)` of an elementwise binary function with result `y`,
    /// each nil where it is zero. Only the ones asked for are built.
    static func binary(_ op: BinaryOp, a: Operand, b: Operand, y: Operand,
                       wantA: Bool, wantB: Bool) throws -> (Operand?, Operand?) {
        switch op {
        case .add: return (a.constant(1), a.constant(1))
        case .sub: return (a.constant(1), a.constant(-1))
        case .mul: return (b, a)
        case .div:
            return (wantA ? try b.constant(1) / b : nil, wantB ? try -(y / b) : nil)
        case .pow:
            // b * a^(b-1), and 0 where b == 0 (as PyTorch's pow_backward masks it), so that the
            // derivatives of x**2 past the second stay 0 at x == 0 instead of 0 * inf.
            var da: Operand? = wantA ? try b * Operand.binary(.pow, a, b - b.constant(1)) : nil
            if let d = da, b.concrete.map({ $0.doubles.contains(0) }) ?? true {
                da = try Operand.select(Operand.compare(.eq, b, b.constant(0)), d.constant(0), d)
            }
            var db: Operand? = nil
            if wantB {
                // y * log(a), defined as 0 where a == 0 (as PyTorch does).
                let zero = try Operand.compare(.eq, a, a.constant(0))
                let safeA = try Operand.select(zero, a.constant(1), a)
                db = try Operand.select(zero, a.constant(0), y * safeA.unary(.log))
            }
            return (da, db)
        case .max, .min:
            // The gradient goes to the selected operand; ties share it equally (as torch.maximum).
            let pick = try Operand.compare(op == .max ? .gt : .lt, a, b).converted(to: a.dtype)
            let tie = try Operand.compare(.eq, a, b).converted(to: a.dtype)
            let wa = try pick + tie * tie.constant(0.5)
            return (wa, try wa.constant(1) - wa)
        case .remainder:
            return (a.constant(1), wantB ? try -((a / b).unary(.floor)) : nil)
        case .and, .or, .xor: return (nil, nil)
        }
    }

    /// For `reduce(max|min)`: the weights `mask / count` that spread a derivative evenly
    /// over the elements equal to the extremum.
    static func extremumWeights(x: Operand, y: Operand, axes: [Int]) throws -> Operand {
        let kept = (0..<x.rank).filter { !axes.contains($0) }
        let yb = try y.broadcast(to: x.shape, dims: kept)
        let mask = try Operand.compare(.eq, x, yb).converted(to: x.dtype)
        let count = try mask.reduceSum(axes).broadcast(to: x.shape, dims: kept)
        return try mask / count
    }
}
