import Tensor

// Thin wrappers that bind one primitive each, plus the broadcasting helpers every rule needs.
// Transformation rules are written with these, so they work on concrete and traced operands alike.

extension Operand {
    // MARK: - Elementwise

    /// Applies an elementwise unary primitive.
    public func unary(_ op: UnaryOp) throws -> Operand { try bind1(.unary(op), self) }

    /// Applies an elementwise binary primitive (dtypes converted to their promotion first).
    public static func binary(_ op: BinaryOp, _ a: Operand, _ b: Operand) throws -> Operand {
        let (x, y) = try promoted(a, b)
        return try bind1(.binary(op), x, y)
    }

    /// Elementwise comparison (dtypes promoted first).
    public static func compare(_ op: CompareOp, _ a: Operand, _ b: Operand) throws -> Operand {
        let (x, y) = try promoted(a, b)
        return try bind1(.compare(op), x, y)
    }

    /// `where(condition, a, b)`.
    public static func select(_ condition: Operand, _ a: Operand, _ b: Operand) throws -> Operand {
        let (x, y) = try promoted(a, b)
        return try bind1(.select, condition, x, y)
    }

    /// Converts both operands to their promoted dtype.
    public static func promoted(_ a: Operand, _ b: Operand) throws -> (Operand, Operand) {
        if a.dtype == b.dtype { return (a, b) }
        let t = DType.promote(a.dtype, b.dtype)
        return (try a.converted(to: t), try b.converted(to: t))
    }

    /// Converts to another element type (no-op if it already has it).
    public func converted(to t: DType) throws -> Operand {
        if dtype == t { return self }
        return try bind1(.convert(t), self)
    }

    /// A 0-d constant with this operand's dtype.
    public func constant(_ v: Double) -> Operand { .scalar(v, dtype) }

    /// Elementwise sum (broadcasting, dtypes promoted).
    public static func + (a: Operand, b: Operand) throws -> Operand { try binary(.add, a, b) }
    /// Elementwise difference.
    public static func - (a: Operand, b: Operand) throws -> Operand { try binary(.sub, a, b) }
    /// Elementwise product.
    public static func * (a: Operand, b: Operand) throws -> Operand { try binary(.mul, a, b) }
    /// Elementwise quotient.
    public static func / (a: Operand, b: Operand) throws -> Operand { try binary(.div, a, b) }
    public static prefix func - (a: Operand) throws -> Operand { try a.unary(.neg) }

    // MARK: - Structure

    /// Same elements, new shape (no `-1` here: see `view` in the frontend).
    public func reshaped(_ s: Shape) throws -> Operand {
        if s == shape { return self }
        return try bind1(.reshape(s), self)
    }

    /// Permutes dimensions (result dimension `i` is dimension `perm[i]`).
    public func permuted(_ perm: [Int]) throws -> Operand {
        if perm == Array(0..<rank) { return self }
        return try bind1(.transpose(perm), self)
    }

    /// Moves dimension `from` to position `to`, keeping the order of the others.
    public func movingAxis(_ from: Int, to: Int) throws -> Operand {
        if from == to { return self }
        var perm = Array(0..<rank)
        perm.remove(at: from)
        perm.insert(from, at: to)
        return try permuted(perm)
    }

    /// `broadcast_in_dim`.
    public func broadcast(to s: Shape, dims: [Int]) throws -> Operand {
        if s == shape && dims == Array(0..<rank) { return self }
        return try bind1(.broadcast(shape: s, dims: dims), self)
    }

    /// NumPy-style broadcast to `s` (trailing dimensions aligned).
    public func broadcast(to s: Shape) throws -> Operand {
        if s == shape { return self }
        guard s.rank >= rank else {
            throw TensorError("expand: cannot broadcast \(shape) to the smaller rank \(s)")
        }
        return try broadcast(to: s, dims: Array((s.rank - rank)..<s.rank))
    }

    /// Sums a broadcast result back to `s` (the transpose of NumPy broadcasting).
    public func summed(to s: Shape) throws -> Operand {
        if s == shape { return self }
        let lead = rank - s.rank
        var axes = Array(0..<lead)
        for i in 0..<s.rank where s[i] == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        var r = self
        if !axes.isEmpty { r = try bind1(.reduce(.sum, axes: axes), self) }
        return try r.reshaped(s)
    }

    /// Sum over axes (removed).
    public func reduceSum(_ axes: [Int]) throws -> Operand {
        if axes.isEmpty { return self }
        return try bind1(.reduce(.sum, axes: axes), self)
    }

    /// Zeros of a type.
    public static func zeros(_ t: TensorType) throws -> Operand {
        try Operand.scalar(0, t.dtype).broadcast(to: t.shape, dims: [])
    }

    /// The general dot product.
    public static func dot(_ a: Operand, _ b: Operand, _ d: DotDimensions) throws -> Operand {
        let (x, y) = try promoted(a, b)
        return try bind1(.dotGeneral(d), x, y)
    }
}
