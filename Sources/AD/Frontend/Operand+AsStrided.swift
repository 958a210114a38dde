import Tensor

extension Operand {
    /// `torch.as_strided` of a 1-D operand, for the regular layouts a saved tensor has in its
    /// storage (row-major, transposed, sliced with an offset): the elements at `offset +
    /// sum(i_d * strides[d])`, written with a slice, a pad, a reshape, slices and a transpose, so
    /// that the result is a view whose writes reach the storage. Nil when the layout is not
    /// nested (strides that overlap or interleave), which callers copy instead.
    ///
    /// ```swift
    /// let flat = Operand.tensor(Tensor(shape: [12], float32: (0..<12).map(Float.init)))
    /// try flat.asStrided(sizes: [4, 3], strides: [1, 4], offset: 0)   // the transpose of a [3, 4]
    /// ```
    public func asStrided(sizes: [Int], strides: [Int], offset: Int) throws -> Operand? {
        guard rank == 1, sizes.count == strides.count else { return nil }
        let n = shape[0]
        // Dimensions of size 1 do not move through the storage: drop them, restore at the end.
        let kept = sizes.indices.filter { sizes[$0] != 1 }
        if sizes.contains(0) || kept.isEmpty {
            let count = sizes.reduce(1, *)
            guard offset + count <= n else { return nil }
            return try bind1(.slice(start: [offset], limit: [offset + count], stride: [1]), self).reshaped(Shape(sizes))
        }
        let order = kept.sorted { strides[$0] > strides[$1] }
        let s = order.map { strides[$0] }, z = order.map { sizes[$0] }
        guard let smallest = s.last, smallest >= 1 else { return nil }
        for i in 0..<(order.count - 1) where s[i] % s[i + 1] != 0 || s[i] < s[i + 1] * z[i + 1] {
            return nil
        }
        // The dense array that encloses the view: [z0, s0/s1, ..., s(k-2)/s(k-1), s(k-1)].
        var enclosing = [z[0]]
        for i in 1..<order.count { enclosing.append(s[i - 1] / s[i]) }
        enclosing.append(smallest)
        let total = z[0] * s[0]
        let available = min(total, n - offset)
        guard available > 0 else { return nil }
        var flat = try bind1(.slice(start: [offset], limit: [offset + available], stride: [1]), self)
        if available < total { flat = try bind1(.pad(low: [0], high: [total - available], interior: [0]), flat) }
        let dense = try flat.reshaped(Shape(enclosing))
        let picked = try bind1(.slice(start: enclosing.map { _ in 0 }, limit: z + [1], stride: enclosing.map { _ in 1 }), dense)
            .reshaped(Shape(z))
        // Back from stride order to the tensor's own order of dimensions.
        var perm = [Int](repeating: 0, count: order.count)
        for (position, d) in kept.enumerated() { perm[position] = order.firstIndex(of: d)! }
        return try picked.permuted(perm).reshaped(Shape(sizes))
    }
}
