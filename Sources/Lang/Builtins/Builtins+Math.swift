import Tensor
import AD

extension Interpreter {
    // MARK: - Elementwise, reductions, products

    func registerMathBuiltins() {
        let t = "math"
        let unary: [(String, String, (Operand) throws -> Operand)] = [
            ("exp", "e to the x", { try $0.floatingUnary(.exp) }),
            ("log", "natural logarithm", { try $0.floatingUnary(.log) }),
            ("tanh", "hyperbolic tangent", { try $0.floatingUnary(.tanh) }),
            ("sigmoid", "logistic function 1 / (1 + exp(-x))", { try $0.floatingUnary(.logistic) }),
            ("sin", "sine", { try $0.floatingUnary(.sin) }),
            ("cos", "cosine", { try $0.floatingUnary(.cos) }),
            ("sqrt", "square root", { try $0.floatingUnary(.sqrt) }),
            ("rsqrt", "1 / sqrt(x)", { try $0.floatingUnary(.rsqrt) }),
            ("log1p", "log(1 + x), accurate near 0", { try $0.floatingUnary(.log1p) }),
            ("expm1", "exp(x) - 1, accurate near 0", { try $0.floatingUnary(.expm1) }),
            ("erf", "the error function", { try $0.floatingUnary(.erf) }),
            ("asin", "inverse sine (arcsin), on [-1, 1]", { try $0.floatingUnary(.asin) }),
            ("acos", "inverse cosine (arccos), on [-1, 1]", { try $0.floatingUnary(.acos) }),
            ("atan", "inverse tangent (arctan)", { try $0.floatingUnary(.atan) }),
            ("abs", "absolute value", { try $0.unary(.abs) }),
            ("sign", "-1, 0 or 1", { try $0.unary(.sign) }),
            ("floor", "round down", { try $0.unary(.floor) }),
            ("ceil", "round up", { try $0.unary(.ceil) }),
            ("neg", "-x", { try $0.unary(.neg) }),
            ("relu", "max(x, 0)", { try $0.relu() }),
            ("silu", "x * sigmoid(x)", { try $0.floating().silu() }),
            ("square", "x * x", { try $0 * $0 }),
            ("logical_not", "elementwise not of a bool tensor", { try $0.unary(.not) }),
            ("isnan", "True where x is NaN", { try Operand.compare(.ne, $0, $0) }),
            ("isinf", "True where x is +inf or -inf", { x in try Operand.compare(.eq, x.unary(.abs), .scalar(.infinity, x.dtype.isFloatingPoint ? x.dtype : .float32)) }),
            ("isfinite", "True where x is neither NaN nor infinite", { x in
                try Operand.compare(.lt, x.unary(.abs), .scalar(.infinity, x.dtype.isFloatingPoint ? x.dtype : .float32)) }),
            ("detach", "the same values, cut from differentiation", { try $0.detach() }),
            ("clone", "a copy", { $0.trackedHandle != nil ? try bind1(.convert($0.dtype), $0) : $0 }),
            ("contiguous", "the tensor itself (Jacobi tensors are always contiguous)", { $0 }),
        ]
        for (name, summary, f) in unary {
            registry.add(name, ["input"], topic: t, method: true, summary: summary,
                         aliases: ["sigmoid": ["expit"], "abs": ["absolute"], "asin": ["arcsin"], "acos": ["arccos"], "atan": ["arctan"]][name] ?? []) { a in
                .tensor(try f(try a.tensor("input")))
            }
        }
        registry.add("round", ["input", "|decimals=0"], topic: t, method: true, summary: "round half to even") { a in
            let x = try a.tensor("input")
            let scale = pow10(try a.int("decimals"))
            if scale == 1 { return .tensor(try x.unary(.round)) }
            return .tensor(try (x * x.constant(scale)).unary(.round) / x.constant(scale))
        }
        registry.add("gelu", ["input", "|approximate='none'"], topic: t, method: true,
                     summary: "Gaussian error linear unit (exact, or approximate='tanh')") { a in
            let mode = try a.string("approximate")
            guard mode == "none" || mode == "tanh" else { throw a.fail("approximate must be 'none' or 'tanh', got '\(mode)'") }
            return .tensor(try a.tensor("input").floating().gelu(approximate: mode == "tanh"))
        }
        registry.add("softplus", ["input", "beta=1", "threshold=20"], topic: t, method: true,
                     summary: "log(1 + exp(beta x)) / beta") { a in
            .tensor(try a.tensor("input").floating().softplus(beta: try a.double("beta"), threshold: try a.double("threshold")))
        }
        registry.add("elu", ["input", "alpha=1.0"], topic: t, method: true, summary: "x if x > 0 else alpha (exp(x) - 1)") { a in
            .tensor(try a.tensor("input").floating().elu(alpha: try a.double("alpha")))
        }
        registry.add("leaky_relu", ["input", "negative_slope=0.01"], topic: t, method: true, summary: "x if x > 0 else slope x") { a in
            .tensor(try a.tensor("input").floating().leakyRelu(try a.double("negative_slope")))
        }
        registry.add("softmax", ["input", "dim"], topic: t, method: true, summary: "exp(x) / sum(exp(x)) along dim") { a in
            .tensor(try a.tensor("input").floating().softmax(try a.int("dim")))
        }
        registry.add("log_softmax", ["input", "dim"], topic: t, method: true, summary: "log(softmax(x)) along dim, computed stably") { a in
            .tensor(try a.tensor("input").floating().logSoftmax(try a.int("dim")))
        }
        registry.add("layer_norm", ["input", "normalized_shape", "weight=None", "bias=None", "eps=1e-05"], topic: t,
                     summary: "normalise over the trailing dimensions") { a in
            let shape = try a.intList("normalized_shape") ?? []
            return .tensor(try a.tensor("input").floating().layerNorm(shape, weight: try a.optionalTensor("weight"),
                                                                      bias: try a.optionalTensor("bias"), eps: try a.double("eps")))
        }
        registry.add("linear", ["input", "weight", "bias=None"], topic: t, summary: "x @ weight.T + bias") { a in
            .tensor(try a.tensor("input").linear(try a.tensor("weight"), try a.optionalTensor("bias")))
        }
        func binary(_ name: String, _ summary: String, aliases: [String] = [], _ f: @escaping (Operand, Operand) throws -> Operand) {
            registry.add(name, ["input", "other"], topic: t, method: true, summary: summary, aliases: aliases) { a in
                let (x, y) = try self.broadcastPair(a.value("input")!, a.value("other")!, range: a.range)
                return .tensor(try f(x, y))
            }
        }
        for (name, op, aliases) in [("add", BinaryOperator.add, [String]()), ("sub", .subtract, ["subtract"])] {
            registry.add(name, ["input", "other", "|alpha=1", "|out=None"], topic: t, method: true, summary: "input \(op.rawValue) alpha * other",
                         aliases: aliases) { a in
                var other = a.value("other")!
                if case .int(1) = a.value("alpha")! {} else {
                    other = try self.binaryOperation(.multiply, other, a.value("alpha")!, range: a.range)
                }
                let (x, y) = try self.broadcastPair(a.value("input")!, other, range: a.range)
                return .tensor(try self.tensorBinary(op, x, y))
            }
        }
        binary("mul", "input * other", aliases: ["multiply"]) { try $0 * $1 }
        registry.add("div", ["input", "other", "|rounding_mode=None", "|out=None"], topic: t, method: true,
                     summary: "input / other; rounding_mode='trunc' or 'floor' rounds the quotient", aliases: ["divide", "true_divide"]) { a in
            let (x, y) = try self.broadcastPair(a.value("input")!, a.value("other")!, range: a.range)
            guard a.has("rounding_mode") else { return .tensor(try self.tensorBinary(.divide, x, y)) }
            switch try a.string("rounding_mode") {
            case "floor": return .tensor(try self.tensorBinary(.floorDivide, x, y))
            case "trunc":
                let (p, q) = try Operand.promoted(x, y)
                let work = p.dtype.isFloatingPoint ? p.dtype : .float64
                let r = try p.converted(to: work) / q.converted(to: work)
                let t = try Operand.select(Operand.compare(.lt, r, r.constant(0)), r.unary(.ceil), r.unary(.floor))
                return .tensor(try t.converted(to: p.dtype))
            case let m: throw a.fail("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '\(m)'", kind: .ValueError)
            }
        }
        binary("maximum", "elementwise maximum") { try Operand.binary(.max, $0, $1) }
        binary("atan2", "the angle of the point (other, input): atan(input / other) in the right quadrant", aliases: ["arctan2"]) { y, x in
            try Operand.atan2(y, x)
        }
        binary("minimum", "elementwise minimum") { try Operand.binary(.min, $0, $1) }
        binary("remainder", "Python-style modulo (the result has the divisor's sign)") { try Operand.binary(.remainder, $0, $1) }
        binary("fmod", "C-style modulo (the result has the dividend's sign)") { x, y in
            let r = try Operand.binary(.remainder, x, y)
            let zero = r.constant(0)
            let differs = try Operand.compare(.ne, Operand.compare(.lt, r, zero), Operand.compare(.lt, x, zero))
            let fix = try Operand.binary(.and, Operand.compare(.ne, r, zero), differs)
            return try Operand.select(fix, r - y, r)
        }
        binary("eq", "input == other") { try Operand.compare(.eq, $0, $1) }
        binary("ne", "input != other") { try Operand.compare(.ne, $0, $1) }
        binary("lt", "input < other", aliases: ["less"]) { try Operand.compare(.lt, $0, $1) }
        binary("le", "input <= other") { try Operand.compare(.le, $0, $1) }
        binary("gt", "input > other", aliases: ["greater"]) { try Operand.compare(.gt, $0, $1) }
        binary("ge", "input >= other") { try Operand.compare(.ge, $0, $1) }
        registry.add("pow", ["input", "exponent"], topic: t, method: true, summary: "input ** exponent", aliases: ["power", "float_power"]) { a in
            let (x, y) = try self.broadcastPair(a.value("input")!, a.value("exponent")!, range: a.range)
            return .tensor(try Operand.binary(.pow, x, y))
        }
        registry.add("clamp", ["input", "min=None", "max=None"], topic: t, method: true, summary: "limit values to [min, max]",
                     aliases: ["clip"]) { a in
            let x = try a.tensor("input")
            func bound(_ n: String) throws -> Operand? {
                guard a.has(n) else { return nil }
                if let s = try self.scalarOperand(a.value(n)!, like: x) { return s }
                return try a.tensor(n)
            }
            return .tensor(try x.clamp(min: try bound("min"), max: try bound("max")))
        }
        registry.add("where", ["condition", "input", "other"], topic: t, summary: "input where condition is True, else other") { a in
            let c = try a.tensor("condition")
            let (x, y) = try self.broadcastPair(a.value("input")!, a.value("other")!, range: a.range)
            return .tensor(try Operand.select(c.dtype == .bool ? c : Operand.compare(.ne, c, c.constant(0)), x, y))
        }

        // Reductions
        func reduction(_ name: String, _ summary: String, _ f: @escaping (Operand, [Int]?, Bool) throws -> Operand) {
            registry.add(name, ["input", "dim=None", "keepdim=False", "|dtype=None"], topic: t, method: true, summary: summary) { a in
                var x = try a.tensor("input")
                if let d = try a.dtype("dtype") { x = try x.converted(to: d) }
                return .tensor(try f(x, try a.intList("dim"), try a.bool("keepdim")))
            }
        }
        reduction("sum", "sum over dim (all dims when None)") { try $0.sum($1, keepdim: $2) }
        reduction("mean", "mean over dim (all dims when None)") { try $0.mean($1, keepdim: $2) }
        reduction("amax", "maximum over dim") { try $0.extremum(max: true, $1, keepdim: $2) }
        reduction("amin", "minimum over dim") { try $0.extremum(max: false, $1, keepdim: $2) }
        registry.add("var", ["input", "dim=None", "|correction=1", "|keepdim=False", "|unbiased=None"], topic: t, method: true,
                     summary: "variance (Bessel-corrected unless correction=0)") { a in
            var correction = try a.int("correction")
            if a.has("unbiased") { correction = try a.bool("unbiased") ? 1 : 0 }
            return .tensor(try a.tensor("input").variance(try a.intList("dim"), correction: correction, keepdim: try a.bool("keepdim")))
        }
        registry.add("std", ["input", "dim=None", "|correction=1", "|keepdim=False", "|unbiased=None"], topic: t, method: true,
                     summary: "standard deviation") { a in
            var correction = try a.int("correction")
            if a.has("unbiased") { correction = try a.bool("unbiased") ? 1 : 0 }
            return .tensor(try a.tensor("input").variance(try a.intList("dim"), correction: correction, keepdim: try a.bool("keepdim")).unary(.sqrt))
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            registry.add(name, ["input", "dim=None", "keepdim=False"], topic: t, method: true,
                         summary: isMax ? "largest value; with dim, (values, indices); of two tensors, maximum" : "smallest value; with dim, (values, indices)") { a in
                let x = try a.tensor("input")
                if case .tensor(let y)? = a.value("dim") {
                    return .tensor(try Operand.binary(isMax ? .max : .min, x, y.value))
                }
                guard let dim = try a.optionalInt("dim") else { return .tensor(try x.extremum(max: isMax)) }
                let keep = try a.bool("keepdim")
                let values = try x.extremum(max: isMax, [dim], keepdim: keep)
                let indices = try x.argmax(dim, max: isMax, keepdim: keep)
                return self.namedTuple(self.returnType(name, fields: ["values", "indices"]), [.tensor(values), .tensor(indices)])
            }
        }
        for (name, isMax) in [("argmax", true), ("argmin", false)] {
            registry.add(name, ["input", "dim=None", "keepdim=False"], topic: t, method: true, summary: "index of the \(isMax ? "largest" : "smallest") value") { a in
                .tensor(try a.tensor("input").argmax(try a.optionalInt("dim"), max: isMax, keepdim: try a.bool("keepdim")))
            }
        }
        for (name, every) in [("any", false), ("all", true)] {
            registry.add(name, ["input", "dim=None", "keepdim=False"], topic: t, method: true,
                         summary: every ? "True if every element is non-zero" : "True if any element is non-zero") { a in
                let x = try a.tensor("input")
                let b = x.dtype == .bool ? x : try Operand.compare(.ne, x, x.constant(0))
                return .tensor(try b.extremum(max: !every, try a.intList("dim"), keepdim: try a.bool("keepdim")))
            }
        }

        // Products
        registry.add("matmul", ["input", "other"], topic: t, method: true, summary: "matrix product with torch.matmul's broadcasting") { a in
            .tensor(try a.tensor("input").matmul(try a.tensor("other")))
        }
        for (name, ranks, what) in [("mm", (2, 2), "matrices"), ("bmm", (3, 3), "batches of matrices"), ("mv", (2, 1), "a matrix and a vector")] {
            registry.add(name, ["input", name == "mv" ? "vec" : "mat2"], topic: t, method: true, summary: "product of \(what)") { a in
                let x = try a.tensor("input"), y = try a.tensor(name == "mv" ? "vec" : "mat2")
                guard x.rank == ranks.0 else { throw PythonError(.RuntimeError, "\(name): expected \(ranks.0)-D input, got \(x.rank)-D", at: a.range) }
                guard y.rank == ranks.1 else { throw PythonError(.RuntimeError, "\(name): expected \(ranks.1)-D second argument, got \(y.rank)-D", at: a.range) }
                return .tensor(try x.matmul(y))
            }
        }
        registry.add("dot", ["input", "other"], topic: t, method: true, summary: "inner product of two vectors", aliases: ["inner", "vdot"]) { a in
            let x = try a.tensor("input"), y = try a.tensor("other")
            guard x.rank == 1 && y.rank == 1 else { throw a.fail("expects two 1-D tensors, got \(x.shape) and \(y.shape)", hint: "use matmul (@) for matrices") }
            return .tensor(try x.matmul(y))
        }
        registry.add("outer", ["input", "vec2"], topic: t, method: true, summary: "outer product of two vectors", aliases: ["ger"]) { a in
            let x = try a.tensor("input"), y = try a.tensor("vec2")
            return .tensor(try x.unsqueeze(1) * y.unsqueeze(0))
        }

        // Comparison of whole tensors
        registry.add("allclose", ["input", "other", "rtol=1e-05", "atol=1e-08", "equal_nan=False"], topic: t, method: true,
                     summary: "True if |input - other| <= atol + rtol |other| everywhere") { a in
            .bool(try self.closeness(a).allSatisfy { $0 })
        }
        registry.add("isclose", ["input", "other", "rtol=1e-05", "atol=1e-08", "equal_nan=False"], topic: t, method: true,
                     summary: "elementwise |input - other| <= atol + rtol |other|") { a in
            let mask = try self.closeness(a)
            let shape = try Shape.broadcast(try a.tensor("input").shape, try a.tensor("other").shape, op: "isclose")
            return .tensor(.tensor(Tensor(shape: shape, bool: mask)))
        }
        registry.add("equal", ["input", "other"], topic: t, method: true, summary: "True if same shape and same values") { a in
            let x = try a.tensor("input").requireConcrete("equal"), y = try a.tensor("other").requireConcrete("equal")
            return .bool(x.shape == y.shape && x.doubles == y.doubles)
        }
    }

    /// Elementwise closeness as PyTorch's isclose computes it (in float64).
    func closeness(_ a: BoundArguments) throws -> [Bool] {
        let x = try a.tensor("input").requireConcrete("allclose"), y = try a.tensor("other").requireConcrete("allclose")
        let shape = try Shape.broadcast(x.shape, y.shape, op: "allclose")
        let xb = try x.broadcast(to: shape, dims: Array((shape.rank - x.rank)..<shape.rank)).doubles
        let yb = try y.broadcast(to: shape, dims: Array((shape.rank - y.rank)..<shape.rank)).doubles
        let rtol = try a.double("rtol"), atol = try a.double("atol")
        let equalNaN = try a.bool("equal_nan")
        return zip(xb, yb).map { p, q in
            if p.isNaN || q.isNaN { return equalNaN && p.isNaN && q.isNaN }
            if p == q { return true }
            return abs(p - q) <= atol + rtol * abs(q)
        }
    }
}

func pow10(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<abs(n) { r *= 10 }
    return n < 0 ? 1 / r : r
}

extension Operand {
    /// Integer tensors become float32 (as PyTorch's float-only functions promote them).
    func floating() throws -> Operand { dtype.isFloatingPoint ? self : try converted(to: .float32) }
    /// A floating-point-only elementwise function.
    func floatingUnary(_ op: UnaryOp) throws -> Operand { try floating().unary(op) }
}
