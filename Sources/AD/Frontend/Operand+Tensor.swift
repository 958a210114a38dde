import Tensor

// The PyTorch-style tensor API of the language, as compositions of primitives. Everything here
// works the same on concrete tensors (run at once) and on tracers (recorded), so each operation
// is defined once for eager use and for every transformation.

extension Operand {
    // MARK: - Shapes

    /// `x.view(shape)` / `x.reshape(shape)`, with at most one `-1`.
    public func view(_ dims: [Int]) throws -> Operand {
        let known = Shape(dims.filter { $0 != -1 }).elementCount
        let unknown = dims.filter { $0 == -1 }.count
        guard unknown <= 1, !dims.contains(where: { $0 < -1 }) else {
            throw TensorError(dims.filter({ $0 == -1 }).count > 1 ? "only one dimension can be inferred"
                              : "invalid shape dimension \(dims.first { $0 < -1 } ?? -1) at index \(dims.firstIndex { $0 < -1 } ?? 0) of shape \(Shape(dims))")
        }
        var resolved = dims
        if unknown == 1 {
            guard known > 0, shape.elementCount % known == 0 else {
                throw TensorError("shape '\(Shape(dims))' is invalid for input of size \(shape.elementCount)")
            }
            resolved = dims.map { $0 == -1 ? shape.elementCount / known : $0 }
        }
        guard Shape(resolved).elementCount == shape.elementCount else {
            throw TensorError("shape '\(Shape(dims))' is invalid for input of size \(shape.elementCount)")
        }
        return try reshaped(Shape(resolved))
    }

    /// `x.transpose(d0, d1)`: swaps two dimensions.
    public func transpose(_ d0: Int, _ d1: Int) throws -> Operand {
        let a = try shape.axis(d0, op: "transpose"), b = try shape.axis(d1, op: "transpose")
        if rank == 0 { return self }
        var perm = Array(0..<rank)
        perm.swapAt(a, b)
        return try permuted(perm)
    }

    /// `x.permute(*dims)` with negative dims allowed.
    public func permute(_ dims: [Int]) throws -> Operand {
        let p = try dims.map { try shape.axis($0, op: "permute") }
        guard p.count == rank, Set(p).count == rank else {
            throw TensorError("permute: \(dims) is not a permutation of the \(rank) dimensions of a tensor of shape \(shape)")
        }
        return try permuted(p)
    }

    /// `x.unsqueeze(d)`.
    public func unsqueeze(_ d: Int) throws -> Operand {
        let r = d < 0 ? d + rank + 1 : d
        guard r >= 0 && r <= rank else {
            throw TensorError("unsqueeze: dimension \(d) out of range for a tensor of shape \(shape)")
        }
        var dims = shape.dims
        dims.insert(1, at: r)
        return try reshaped(Shape(dims))
    }

    /// `x.squeeze()` or `x.squeeze(d)`.
    public func squeeze(_ d: Int? = nil) throws -> Operand {
        guard let d else { return try reshaped(Shape(shape.dims.filter { $0 != 1 })) }
        if rank == 0 { return self }
        let a = try shape.axis(d, op: "squeeze")
        guard shape[a] == 1 else { return self }
        var dims = shape.dims
        dims.remove(at: a)
        return try reshaped(Shape(dims))
    }

    /// `x.flatten(start_dim, end_dim)`.
    public func flatten(_ start: Int = 0, _ end: Int = -1) throws -> Operand {
        if rank == 0 { return try reshaped([1]) }
        let s = try shape.axis(start, op: "flatten"), e = try shape.axis(end, op: "flatten")
        guard s <= e else { throw TensorError("flatten: start_dim \(start) comes after end_dim \(end)") }
        let dims = Array(shape.dims[..<s]) + [shape.dims[s...e].reduce(1, *)] + Array(shape.dims[(e + 1)...])
        return try reshaped(Shape(dims))
    }

    /// `x.expand(*sizes)`: broadcast, `-1` keeps a size.
    public func expand(_ sizes: [Int]) throws -> Operand {
        guard sizes.count >= rank else {
            throw TensorError("expand: the number of sizes (\(sizes.count)) must be at least the number of dimensions (\(rank))")
        }
        let lead = sizes.count - rank
        for (i, s) in sizes.enumerated() where s < 0 && (i < lead || s != -1) {
            throw TensorError(i < lead ? "The expanded size of the tensor (\(s)) isn't allowed in a leading, non-existing dimension \(i)"
                                       : "expand: size \(s) at dimension \(i) is negative (only -1 keeps a size)")
        }
        let target = sizes.enumerated().map { i, s in s == -1 && i >= lead ? shape[i - lead] : s }
        for i in 0..<rank where shape[i] != 1 && shape[i] != target[lead + i] {
            throw TensorError("expand: the expanded size \(target[lead + i]) must match the existing size \(shape[i]) at dimension \(lead + i) (shape \(shape))")
        }
        return try broadcast(to: Shape(target))
    }

    /// Moves dimension `source` to `destination` (`torch.movedim`).
    public func movedim(_ source: Int, _ destination: Int) throws -> Operand {
        let s = try shape.axis(source, op: "movedim"), d = try shape.axis(destination, op: "movedim")
        return rank == 0 ? self : try movingAxis(s, to: d)
    }

    // MARK: - Reductions

    /// `x.sum(dim, keepdim)`; `dims == nil` sums everything.
    public func sum(_ dims: [Int]? = nil, keepdim: Bool = false) throws -> Operand {
        try reduction(.sum, dims, keepdim: keepdim, name: "sum")
    }

    /// `x.mean(dim, keepdim)`.
    public func mean(_ dims: [Int]? = nil, keepdim: Bool = false) throws -> Operand {
        guard dtype.isFloatingPoint else {
            throw TensorError("mean: expected a floating point tensor, got \(dtype.torchName)", hint: "use x.float().mean()")
        }
        let axes = try normalizedAxes(dims, name: "mean")
        let count = axes.reduce(1) { $0 * shape[$1] }
        return try sum(dims, keepdim: keepdim) / constant(Double(count))
    }

    /// `x.amax(dim, keepdim)` / `x.amin(dim, keepdim)`.
    public func extremum(max isMax: Bool, _ dims: [Int]? = nil, keepdim: Bool = false) throws -> Operand {
        try reduction(isMax ? .max : .min, dims, keepdim: keepdim, name: isMax ? "amax" : "amin")
    }

    /// `x.argmax(dim)`; without a dim, over the flattened tensor.
    public func argmax(_ dim: Int?, max isMax: Bool = true, keepdim: Bool = false) throws -> Operand {
        guard let dim else { return try flatten().argmax(0, max: isMax) }
        let a = try shape.axis(dim, op: isMax ? "argmax" : "argmin")
        if rank == 0 { return .tensor(Tensor(scalar: 0, dtype: .int64)) }
        let r = try bind1(.argReduce(max: isMax, axis: a), self)
        return keepdim ? try r.unsqueeze(a) : r
    }

    /// `x.var(dim, correction=1)` (Bessel's correction by default, as PyTorch).
    public func variance(_ dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Operand {
        let axes = try normalizedAxes(dims, name: "var")
        let count = axes.reduce(1) { $0 * shape[$1] }
        let centered = try self - mean(dims, keepdim: true)
        return try (centered * centered).sum(dims, keepdim: keepdim) / constant(Double(max(0, count - correction)))
    }

    func normalizedAxes(_ dims: [Int]?, name: String) throws -> [Int] {
        guard let dims else { return Array(0..<rank) }
        let axes = try dims.map { try shape.axis($0, op: name) }
        // A 0-d tensor takes dim 0 or -1 and has nothing to reduce over.
        if rank == 0 { return [] }
        guard Set(axes).count == axes.count else { throw TensorError("\(name): dimension repeated in \(dims)") }
        return axes.sorted()
    }

    func reduction(_ op: ReduceOp, _ dims: [Int]?, keepdim: Bool, name: String) throws -> Operand {
        let axes = try normalizedAxes(dims, name: name)
        var source = self
        if op == .sum && dtype == .bool { source = try converted(to: .int64) }
        let r = try bind1(.reduce(op, axes: axes), source)
        guard keepdim else { return r }
        return try r.reshaped(Shape(shape.dims.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }))
    }

    // MARK: - Products

    /// `torch.matmul` semantics: vector-vector dot, matrix-vector, matrix-matrix, and batched
    /// products with broadcast batch dimensions.
    public func matmul(_ other: Operand) throws -> Operand {
        let a = self, b = other
        guard a.rank >= 1 && b.rank >= 1 else {
            throw TensorError("matmul: both arguments need at least 1 dimension, got \(a.shape) and \(b.shape)")
        }
        let ka = a.shape[a.rank - 1]
        let kb = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
        guard ka == kb else {
            let hint = "matmul: \(a.shape) @ \(b.shape): the last dimension of the left operand must equal the "
                + (b.rank == 1 ? "length of the right vector" : "second-to-last dimension of the right operand")
            func matrix(_ s: Shape) -> String { s.rank == 1 ? "1x\(s[0])" : "\(s[s.rank - 2])x\(s[s.rank - 1])" }
            if a.rank == 1 && b.rank == 1 {
                throw TensorError("inconsistent tensor size, expected tensor [\(ka)] and src [\(kb)] to have the same number of elements, but got \(ka) and \(kb) elements respectively", hint: hint)
            }
            if b.rank == 1 {
                throw TensorError("size mismatch, got input (\(a.shape[a.rank - 2])), mat (\(matrix(a.shape))), vec (\(kb))", hint: hint)
            }
            if a.rank <= 2 && b.rank == 2 {
                throw TensorError("mm: mat1 and mat2 shapes cannot be multiplied (\(matrix(a.shape)) and \(matrix(b.shape)))", hint: hint)
            }
            throw TensorError("Expected size for first two dimensions of batch2 tensor to be: [\(b.rank > 2 ? b.shape[0] : a.shape[0]), \(ka)] but got: [\(b.rank > 2 ? b.shape[0] : a.shape[0]), \(kb)].", hint: hint)
        }
        if a.rank == 1 && b.rank == 1 { return try Operand.dot(a, b, DotDimensions(lhsContracting: [0], rhsContracting: [0])) }
        if b.rank == 1 {
            return try Operand.dot(a, b, DotDimensions(lhsContracting: [a.rank - 1], rhsContracting: [0]))
        }
        if a.rank == 1 {
            // [k] @ [..., k, n] -> [..., n]
            let r = try Operand.dot(a, b, DotDimensions(lhsContracting: [0], rhsContracting: [b.rank - 2]))
            return r
        }
        if b.rank == 2 {
            // [..., m, k] @ [k, n]: the batch folds into the GEMM's rows.
            return try Operand.dot(a, b, DotDimensions(lhsContracting: [a.rank - 1], rhsContracting: [0]))
        }
        // Batched: broadcast the batch dimensions, then one batched dot product.
        let batchA = Shape(Array(a.shape.dims.dropLast(2))), batchB = Shape(Array(b.shape.dims.dropLast(2)))
        let batch = try Shape.broadcast(batchA, batchB, op: "matmul")
        let aa = try a.broadcast(to: Shape(batch.dims + a.shape.dims.suffix(2)))
        let bb = try b.broadcast(to: Shape(batch.dims + b.shape.dims.suffix(2)))
        let nb = batch.rank
        return try Operand.dot(aa, bb, DotDimensions(lhsContracting: [nb + 1], rhsContracting: [nb],
                                                     lhsBatch: Array(0..<nb), rhsBatch: Array(0..<nb)))
    }

    // MARK: - Activations and friends

    /// `relu(x) = max(x, 0)`.
    /// `atan2(y, x)`, the angle of the point (x, y) in (-pi, pi]: `2 atan(y / (sqrt(x^2 + y^2) + x))`
    /// (the half-angle form, accurate in every quadrant), pi on the negative x axis and 0 at the
    /// origin, as C's `atan2` for a positive zero `y`.
    public static func atan2(_ y: Operand, _ x: Operand) throws -> Operand {
        let (p, q) = try promoted(y.dtype.isFloatingPoint ? y : y.converted(to: .float32),
                                  x.dtype.isFloatingPoint ? x : x.converted(to: .float32))
        let r = try (p * p + q * q).unary(.sqrt)
        let angle = try (p / (r + q)).unary(.atan) * p.constant(2)
        let onAxis = try Operand.compare(.eq, p, p.constant(0))
        let origin = try Operand.binary(.and, onAxis, Operand.compare(.eq, q, q.constant(0)))
        let negativeAxis = try Operand.binary(.and, onAxis, Operand.compare(.lt, q, q.constant(0)))
        // On the negative x axis the half-angle form is 0/0: the angle is pi there (the sign of a
        // zero y is not looked at); at the origin it is 0.
        let straight = try Operand.select(negativeAxis, p * p.constant(0) + p.constant(Double.pi), angle)
        return try Operand.select(origin, p * p.constant(0), straight)
    }

    public func relu() throws -> Operand { try Operand.binary(.max, self, constant(0)) }

    /// `gelu(x)`, exact (`erf`) or with the tanh approximation.
    public func gelu(approximate: Bool = false) throws -> Operand {
        if approximate {
            let inner = try constant((2 / Double.pi).squareRoot()) * (self + constant(0.044715) * self * self * self)
            return try constant(0.5) * self * (constant(1) + inner.unary(.tanh))
        }
        return try constant(0.5) * self * (constant(1) + (self * constant(1 / 2.0.squareRoot())).unary(.erf))
    }

    /// `silu(x) = x * sigmoid(x)`.
    public func silu() throws -> Operand { try self * unary(.logistic) }

    /// `softplus(x) = log(1 + exp(beta x)) / beta`, linear above `threshold` (as PyTorch).
    public func softplus(beta: Double = 1, threshold: Double = 20) throws -> Operand {
        let bx = try self * constant(beta)
        // log1p(exp(-|bx|)) + max(bx, 0) is stable everywhere.
        let stable = try ((-(bx.unary(.abs))).unary(.exp).unary(.log1p) + bx.relu()) / constant(beta)
        return try Operand.select(Operand.compare(.gt, bx, constant(threshold)), self, stable)
    }

    /// `elu(x) = x if x > 0 else alpha (exp(x) - 1)`.
    public func elu(alpha: Double = 1) throws -> Operand {
        try Operand.select(Operand.compare(.gt, self, constant(0)), self, constant(alpha) * unary(.expm1))
    }

    /// `leaky_relu(x) = x if x > 0 else slope x`.
    public func leakyRelu(_ slope: Double = 0.01) throws -> Operand {
        try Operand.select(Operand.compare(.gt, self, constant(0)), self, self * constant(slope))
    }

    /// `softmax(x, dim)`, stabilised by subtracting the (gradient-free) max.
    public func softmax(_ dim: Int) throws -> Operand {
        let a = try shape.axis(dim, op: "softmax")
        if rank == 0 { return try reshaped([1]).softmax(0).reshaped([]) }
        let shifted = try self - bind1(.stopGradient, extremum(max: true, [a], keepdim: true))
        let e = try shifted.unary(.exp)
        return try e / e.sum([a], keepdim: true)
    }

    /// `log_softmax(x, dim)`.
    public func logSoftmax(_ dim: Int) throws -> Operand {
        let a = try shape.axis(dim, op: "log_softmax")
        if rank == 0 { return try reshaped([1]).logSoftmax(0).reshaped([]) }
        let shifted = try self - bind1(.stopGradient, extremum(max: true, [a], keepdim: true))
        return try shifted - shifted.unary(.exp).sum([a], keepdim: true).unary(.log)
    }

    /// `layer_norm(x, normalized_shape, weight, bias, eps)` over the trailing dimensions.
    public func layerNorm(_ normalizedShape: [Int], weight: Operand?, bias: Operand?, eps: Double = 1e-5) throws -> Operand {
        guard normalizedShape.count <= rank, Array(shape.dims.suffix(normalizedShape.count)) == normalizedShape else {
            throw TensorError("layer_norm: normalized_shape \(Shape(normalizedShape)) does not match the trailing dimensions of input \(shape)")
        }
        let dims = Array((rank - normalizedShape.count)..<rank)
        let mu = try mean(dims, keepdim: true)
        let centered = try self - mu
        let v = try (centered * centered).mean(dims, keepdim: true)
        var y = try centered * (v + constant(eps)).unary(.rsqrt)
        if let weight { y = try y * weight }
        if let bias { y = try y + bias }
        return y
    }

    /// `linear(x, W, b) = x W^T + b`.
    public func linear(_ weight: Operand, _ bias: Operand?) throws -> Operand {
        guard weight.rank == 2, shape.dims.last == weight.shape[1] else {
            let rows = shape.dims.dropLast().reduce(1, *)
            throw TensorError((bias != nil && rank == 2 ? "addmm" : "mm") + ": mat1 and mat2 shapes cannot be multiplied (\(rows)x\(shape.dims.last ?? 0) and \(weight.rank == 2 ? "\(weight.shape[1])x\(weight.shape[0])" : "\(weight.shape)"))",
                              hint: "linear: input \(shape) and weight \(weight.shape): the input's last dimension must equal the weight's in_features (dimension 1)")
        }
        // Half types: PyTorch's addmm adds the bias to the float32 product and rounds once.
        if let bias, dtype.isFloatingPoint, dtype != dtype.computeType, weight.dtype == dtype, bias.dtype == dtype {
            let wide = dtype.computeType
            return try (try converted(to: wide).linear(weight.converted(to: wide), bias.converted(to: wide))).converted(to: dtype)
        }
        let y = try Operand.dot(self, weight, DotDimensions(lhsContracting: [rank - 1], rhsContracting: [1]))
        guard let bias else { return y }
        return try y + bias
    }

    /// `clamp(x, min, max)`.
    public func clamp(min lo: Operand?, max hi: Operand?) throws -> Operand {
        var r = self
        if let lo { r = try Operand.binary(.max, r, lo) }
        if let hi { r = try Operand.binary(.min, r, hi) }
        return r
    }

    /// `x.detach()`: same values, no derivative.
    public func detach() throws -> Operand {
        // Outside a trace, a tensor that requires grad detaches to its value (no history).
        if case .tracked(let h) = self, !(Builder.current?.isActive ?? false) { return h.value }
        return try bind1(.stopGradient, self)
    }

    // MARK: - Joining

    /// `torch.cat(tensors, dim)`.
    public static func cat(_ parts: [Operand], dim: Int) throws -> Operand {
        guard let first = parts.first else { throw TensorError("cat: expected a non-empty list of tensors") }
        if let k = parts.firstIndex(where: { $0.rank == 0 }) {
            throw TensorError("zero-dimensional tensor (at position \(k)) cannot be concatenated")
        }
        let axis = try first.shape.axis(dim, op: "cat")
        let dtype = parts.map(\.dtype).reduce(first.dtype, DType.promote)
        return try bind(.concatenate(axis: axis), try parts.map { try $0.converted(to: dtype) })[0]
    }

    /// `torch.stack(tensors, dim)`.
    public static func stack(_ parts: [Operand], dim: Int) throws -> Operand {
        guard let first = parts.first else { throw TensorError("stack: expected a non-empty list of tensors") }
        for (i, p) in parts.enumerated() where p.shape != first.shape {
            throw TensorError("stack expects each tensor to be equal size, but got \(first.shape) at entry 0 and \(p.shape) at entry \(i)")
        }
        let d = dim < 0 ? dim + first.rank + 1 : dim
        return try cat(try parts.map { try $0.unsqueeze(d) }, dim: d)
    }
}
