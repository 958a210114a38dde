/// Google's bfloat16: the upper 16 bits of an IEEE float32 (8 exponent bits, 7 fraction
/// bits), rounded to nearest even as PyTorch's `c10::BFloat16` rounds, NaN kept quiet.
///
/// ```swift
/// BFloat16(Float(1.0 / 3.0)).float   // 0.333984375
/// ```
public struct BFloat16: Sendable, Hashable {
    /// The 16 bits as stored.
    public var bits: UInt16

    /// A value from its bits.
    public init(bits: UInt16) { self.bits = bits }

    /// The nearest bfloat16 to `x` (ties to even); NaN becomes the quiet NaN 0x7FC0.
    public init(_ x: Float) {
        if x.isNaN { bits = 0x7FC0; return }
        let u = x.bitPattern
        let roundingBias = ((u >> 16) & 1) &+ 0x7FFF
        bits = UInt16(truncatingIfNeeded: (u &+ roundingBias) >> 16)
    }

    /// The value as a float32 (exact).
    public var float: Float { Float(bitPattern: UInt32(bits) << 16) }
}
