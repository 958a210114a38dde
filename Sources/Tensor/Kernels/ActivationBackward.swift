/// The backward of `tanh` and `sigmoid` in one pass (PyTorch's `tanh_backward` and
/// `sigmoid_backward`): `grad * (1 - y*y)` and `grad * (y * (1 - y))` from the output `y`, each
/// element rounded after every operation in the order of the three operations one by one, so the
/// bits are theirs, with one array and one pass instead of three.
extension Tensor {
    /// `grad` times the derivative of `op` (`.tanh` or `.logistic`) at its output `output`; nil for
    /// other operations, for shapes that differ, and for dtypes other than float32 and float64 (the
    /// caller then runs the operations one by one).
    ///
    /// ```swift
    /// let g = Tensor.activationBackward(.tanh, grad: ct, output: y)   // ct * (1 - y*y)
    /// ```
    public static func activationBackward(_ op: UnaryOp, grad: Tensor, output: Tensor) -> Tensor? {
        guard op == .tanh || op == .logistic, grad.shape == output.shape else { return nil }
        switch (grad.storage, output.storage) {
        case (.float32(let g), .float32(let y)): return Tensor(shape: grad.shape, float32: derivativeProduct(op, g, y))
        case (.float64(let g), .float64(let y)): return Tensor(shape: grad.shape, float64: derivativeProduct(op, g, y))
        default: return nil
        }
    }
}

private func derivativeProduct<T: BinaryFloatingPoint>(_ op: UnaryOp, _ g: [T], _ y: [T]) -> [T] {
    [T](unsafeUninitializedCapacity: g.count) { out, written in
        g.withUnsafeBufferPointer { pg in
            y.withUnsafeBufferPointer { py in
                if op == .tanh {
                    for i in 0..<pg.count {
                        let square = py[i] * py[i]
                        let d = 1 - square
                        out[i] = pg[i] * d
                    }
                } else {
                    for i in 0..<pg.count {
                        let complement = 1 - py[i]
                        let d = py[i] * complement
                        out[i] = pg[i] * d
                    }
                }
            }
        }
        written = g.count
    }
}
