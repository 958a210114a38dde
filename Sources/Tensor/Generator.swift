#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic random number generator: the 32-bit Mersenne Twister (MT19937) that
/// PyTorch's CPU generator uses, with PyTorch's recipes for uniform and normal samples.
///
/// ```swift
/// var g = Generator(seed: 0)        // like torch.manual_seed(0)
/// let x = Tensor.randn([2, 3], generator: &g)
/// ```
public struct Generator: Sendable {
    private var engine: MersenneTwister
    /// The seed this generator was started from.
    public private(set) var seed: UInt64
    /// The second normal sample of the last Box-Muller pair, kept for the next one (PyTorch's
    /// `next_double_normal_sample`, which outlives a call: `randn(3)` then `randn(3)` uses it).
    var cachedNormal: Double?

    /// Creates a generator seeded as `torch.manual_seed(seed)` seeds PyTorch's.
    public init(seed: UInt64) {
        self.seed = seed
        engine = MersenneTwister(seed: UInt32(truncatingIfNeeded: seed))
    }

    /// The next 32 random bits.
    public mutating func next32() -> UInt32 {
        engine.next32()
    }

    /// The next 64 random bits (two 32-bit draws, the first in the high half, as PyTorch does).
    public mutating func next64() -> UInt64 {
        let hi = UInt64(next32()), lo = UInt64(next32())
        return (hi << 32) | lo
    }

    /// A uniform sample in `[from, to)` with the resolution of `dtype` (24 or 53 random bits).
    /// As in PyTorch, the bounds are first converted to the tensor's type, so float32 samples
    /// (e.g. `nn.Linear`'s initial weights) agree with PyTorch's to the last bit.
    public mutating func uniform(_ from: Double, _ to: Double, dtype: DType) -> Double {
        if dtype == .float64 {
            let x = Double(next64() & ((1 << 53) - 1)) * 0x1p-53
            return from.addingProduct(x, to - from)   // a fused multiply-add, as PyTorch's kernel compiles

        }
        let x = Double(next32() & ((1 << 24) - 1)) * 0x1p-24
        let lo = Double(Float(from)), hi = Double(Float(to))
        return x * (hi - lo) + lo
    }
}

extension Tensor {
    /// Uniform samples in `[from, to)`.
    ///
    /// ```swift
    /// let w = Tensor.uniform([8, 4], from: -0.5, to: 0.5, generator: &g)
    /// ```
    public static func uniform(_ shape: Shape, from: Double = 0, to: Double = 1, dtype: DType = .float32,
                               generator g: inout Generator) -> Tensor {
        let values = (0..<shape.elementCount).map { _ in g.uniform(from, to, dtype: dtype) }
        return Tensor(shape: shape, doubles: values, dtype: dtype)
    }

    /// Standard normal samples (Box-Muller on pairs of uniform samples, in blocks of 16 as
    /// PyTorch's CPU `normal_` does for tensors of 16 or more elements).
    public static func randn(_ shape: Shape, mean: Double = 0, std: Double = 1, dtype: DType = .float32,
                             generator g: inout Generator) -> Tensor {
        let n = shape.elementCount
        var v = [Double](repeating: 0, count: n)
        if n >= 16 {
            for i in 0..<n { v[i] = g.uniform(0, 1, dtype: dtype) }
            func fill16(_ start: Int) {
                for j in 0..<8 {
                    let u1 = 1 - v[start + j], u2 = v[start + j + 8]
                    let radius = (-2 * log(u1)).squareRoot()
                    let theta = 2 * Double.pi * u2
                    v[start + j] = radius * cos(theta) * std + mean
                    v[start + j + 8] = radius * sin(theta) * std + mean
                }
            }
            var i = 0
            while i + 16 <= n { fill16(i); i += 16 }
            if n % 16 != 0 {
                let start = n - 16
                for j in start..<n { v[j] = g.uniform(0, 1, dtype: dtype) }
                fill16(start)
            }
        } else {
            for i in 0..<n {
                if let c = g.cachedNormal {
                    v[i] = c * std + mean
                    g.cachedNormal = nil
                    continue
                }
                let u1 = g.uniform(0, 1, dtype: .float64), u2 = g.uniform(0, 1, dtype: .float64)
                let r = (-2 * log1p(-u2)).squareRoot()
                let theta = 2 * Double.pi * u1
                g.cachedNormal = r * sin(theta)
                v[i] = r * cos(theta) * std + mean
            }
        }
        return Tensor(shape: shape, doubles: v, dtype: dtype)
    }

    /// `start, start + step, ...` up to (excluding) `end`.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType) throws -> Tensor {
        guard step != 0 else { throw TensorError("arange: step must be non-zero") }
        let count = ((end - start) / step).rounded(.up)
        guard start.isFinite, end.isFinite, step.isFinite, count.isFinite else {
            throw TensorError("unsupported range: \(start) -> \(end)")
        }
        guard (step > 0 && end >= start) || (step < 0 && end <= start) else {
            throw TensorError("upper bound and larger bound inconsistent with step sign")
        }
        guard count < 1e12 else {
            throw TensorError("arange: the range \(start) to \(end) by \(step) has too many elements (\(count))", kind: .memory)
        }
        let n = count <= 0 ? 0 : Int(count)
        return Tensor(shape: [n], doubles: (0..<n).map { start + Double($0) * step }, dtype: dtype)
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) throws -> Tensor {
        guard steps >= 0 else { throw TensorError("linspace: number of steps must be non-negative, got \(steps)") }
        if steps == 1 { return Tensor(shape: [1], doubles: [start], dtype: dtype) }
        let step = (end - start) / Double(steps - 1)
        // PyTorch fills the first half from the start and the second half from the end.
        let values = (0..<steps).map { i -> Double in
            i < steps / 2 ? start + step * Double(i) : end - step * Double(steps - 1 - i)
        }
        return Tensor(shape: [steps], doubles: values, dtype: dtype)
    }

    /// A tensor filled with one value.
    public static func full(_ shape: Shape, _ value: Double, dtype: DType = .float32) -> Tensor {
        Tensor(shape: shape, doubles: [Double](repeating: value, count: shape.elementCount), dtype: dtype)
    }
}
