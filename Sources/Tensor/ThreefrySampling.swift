#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The distributions of `jax.random` on `Threefry` bits, computed as JAX 0.10's CPU backend
/// computes them, so that the same key gives the same numbers: `uniform` and `randint` bit for
/// bit, `normal` to an ulp (XLA evaluates `erf_inv`'s logarithm with its own approximation).
///
/// ```swift
/// ThreefrySampling.uniform32(Threefry.seed(0), count: 2, min: 0, max: 1)   // jax.random.uniform(key, (2,))
/// ```
public enum ThreefrySampling {
    /// Uniform float32 in [min, max): 23 random mantissa bits under the exponent of 1.0 give a
    /// float in [1, 2); minus 1, scaled and shifted, and clamped below at `min`.
    public static func uniform32(_ key: Threefry.Key, count: Int, min lo: Float, max hi: Float) -> [Float] {
        Threefry.bits32(key, count: count).map { bits in
            let f = Float(bitPattern: bits >> 9 | 0x3F80_0000) - 1
            return Swift.max(lo, lo.addingProduct(f, hi - lo))   // XLA fuses f * span + lo
        }
    }

    /// Uniform float64 in [min, max), from 64-bit words (52 mantissa bits).
    public static func uniform64(_ key: Threefry.Key, count: Int, min lo: Double, max hi: Double) -> [Double] {
        Threefry.bits64(key, count: count).map { bits in
            let f = Double(bitPattern: bits >> 12 | 0x3FF0_0000_0000_0000) - 1
            return Swift.max(lo, lo.addingProduct(f, hi - lo))
        }
    }

    /// Standard normal float32: `sqrt(2) * erf_inv(u)` for `u` uniform in (-1, 1).
    public static func normal32(_ key: Threefry.Key, count: Int) -> [Float] {
        uniform32(key, count: count, min: Float(-1).nextUp, max: 1).map { Float(2).squareRoot() * erfInv32($0) }
    }

    /// Standard normal float64.
    public static func normal64(_ key: Threefry.Key, count: Int) -> [Double] {
        uniform64(key, count: count, min: Double(-1).nextUp, max: 1).map { Double(2).squareRoot() * erfInv64($0) }
    }

    /// XLA's float32 inverse error function (Giles, "Approximating the erfinv function", 2010): a
    /// degree-8 polynomial in `w = -log1p(-x^2)` on two ranges, evaluated with fused multiply-adds
    /// as XLA's CPU backend contracts it; +-inf at +-1.
    public static func erfInv32(_ x: Float) -> Float {
        let small: [Float] = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]
        let large: [Float] = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]
        if Swift.abs(x) == 1 { return x * .infinity }
        var w = -xlaLog1p(x * -x)
        let c: [Float]
        if w < 5 { w -= 2.5; c = small } else { w = w.squareRoot() - 3; c = large }
        var p = c[0]
        for i in 1..<c.count { p = c[i].addingProduct(p, w) }
        return p * x
    }

    /// XLA's CPU `log1p` for float32: a Cephes rational approximation for |x| < sqrt(2) - 1, else
    /// `log(1 + x)`; subnormal inputs read as zero.
    public static func xlaLog1p(_ x: Float) -> Float {
        let x = x.isSubnormal ? 0 : x
        let large = xlaLog(x + 1)
        let n: [Float] = [4.5270000862445199635215E-5, 4.9854102823193375972212E-1, 6.5787325942061044846969E0,
                          2.9911919328553073277375E1, 6.0949667980987787057556E1, 5.7112963590585538103336E1,
                          2.0039553499201281259648E1]
        let d: [Float] = [1.0, 1.5062909083469192043167E1, 8.3047565967967209469434E1, 2.2176239823732856465394E2,
                          3.0909872225312059774938E2, 2.1642788614495947685003E2, 6.0118660497603843919306E1]
        let x2 = x * x
        var num: Float = 0, den: Float = 0
        for c in n { num = c.addingProduct(num, x) }
        for c in d { den = c.addingProduct(den, x) }
        var small = (x * x2) * (num / den)
        small = small.addingProduct(-0.5, x2)
        small = x + small
        return Swift.abs(x) < 0.41421356237309504880 ? small : large
    }

    /// XLA's CPU `log` for float32 (Cephes' polynomial in Eigen's arrangement, with XLA's fused
    /// multiply-adds); subnormal inputs read as zero.
    public static func xlaLog(_ v: Float) -> Float {
        let x = v.isSubnormal ? 0 : v
        if x == 0 { return -.infinity }
        if x < 0 || x.isNaN { return .nan }
        if x == .infinity { return .infinity }
        let bits = x.bitPattern
        var e = Float(Int((bits >> 23) & 0xFF) - 126)
        let m = Float(bitPattern: (bits & 0x807F_FFFF) | 0x3F00_0000)
        let r: Float
        if m < 0.707106781186547524 { e -= 1; r = (m - 1) + m } else { r = m - 1 }
        let p: [Float] = [7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
                          -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1]
        let r2 = r * r, r3 = r2 * r
        var y = p[1].addingProduct(r, p[0]), y1 = p[4].addingProduct(r, p[3]), y2 = p[7].addingProduct(r, p[6])
        y = p[2].addingProduct(y, r); y1 = p[5].addingProduct(y1, r); y2 = p[8].addingProduct(y2, r)
        y = y1.addingProduct(y, r3); y = y2.addingProduct(y, r3)
        y = (e * -2.12194440e-4).addingProduct(y, r3)
        var out = r - 0.5 * r2
        out = out + y
        out = out + e * 0.693359375
        return out
    }

    /// The float64 inverse error function: Giles' single-precision start refined by two Newton
    /// steps on `erf` (within an ulp of XLA's float64 approximation).
    public static func erfInv64(_ x: Double) -> Double {
        if Swift.abs(x) == 1 { return x * .infinity }
        if Swift.abs(x) > 1 || x.isNaN { return .nan }
        var y = Double(erfInv32(Float(x)))
        for _ in 0..<3 {
            let e = erf(y) - x
            y -= e / (2 / Double.pi.squareRoot() * exp(-y * y))
        }
        return y
    }

    /// `jax.random.randint` for a 32-bit type: two words per element (from the two halves of a
    /// split key) reduced modulo the span without overflow: `(hi % span * (2^32 % span) + lo % span)
    /// % span`, in uint32 arithmetic. `maxval` past the type's largest value counts one more.
    public static func randint32(_ key: Threefry.Key, count: Int, min lo: Int64, max hi: Int64,
                                 typeMin: Int64 = Int64(Int32.min), typeMax: Int64 = Int64(Int32.max)) -> [Int64] {
        let keys = Threefry.split(key, count: 2)
        let higher = Threefry.bits32(keys[0], count: count), lower = Threefry.bits32(keys[1], count: count)
        let outOfRange = hi > typeMax
        let minval = Swift.min(Swift.max(lo, typeMin), typeMax), maxval = Swift.min(Swift.max(hi, typeMin), typeMax)
        var span = UInt32(truncatingIfNeeded: maxval &- minval)
        if maxval <= minval { span = 1 } else if outOfRange { span &+= 1 }
        var multiplier = (UInt32(1) << 16) % span
        multiplier = (multiplier &* multiplier) % span
        return (0..<count).map { i in
            let offset = ((higher[i] % span) &* multiplier &+ lower[i] % span) % span
            return wrap(minval &+ Int64(offset), typeMin: typeMin, typeMax: typeMax)
        }
    }

    private static func wrap(_ v: Int64, typeMin: Int64, typeMax: Int64) -> Int64 {
        typeMin == Int64(Int32.min) ? Int64(Int32(truncatingIfNeeded: v)) : v
    }

    /// `jax.random.permutation(key, n)`: `ceil(3 ln n / ln(2^32 - 1))` rounds, each splitting the
    /// key and stably sorting the indices by 32 random bits of the second half.
    public static func permutation(_ key: Threefry.Key, count n: Int) -> [Int] {
        var order = Array(0..<n)
        var key = key
        let rounds = Int((3 * log(Double(Swift.max(1, n))) / log(Double(UInt32.max))).rounded(.up))
        for _ in 0..<rounds {
            let keys = Threefry.split(key, count: 2)
            key = keys[0]
            let sortKeys = Threefry.bits32(keys[1], count: n)
            order = order.indices.sorted { (sortKeys[$0], $0) < (sortKeys[$1], $1) }.map { order[$0] }
        }
        return order
    }
    /// `jax.random.choice` with probabilities `p`: with replacement, `searchsorted(cumsum(p),
    /// cumsum(p)[-1] * (1 - u))`; without, the `count` largest of Gumbel noise plus `log p` (ties
    /// to the lower index).
    public static func choice(_ key: Threefry.Key, p: [Float], count: Int, replace: Bool) -> [Int] {
        if replace {
            let cum = xlaCumulativeSum(p)
            let total = cum.last ?? 0
            return uniform32(key, count: count, min: 0, max: 1).map { u in
                let r = total * (1 - u)
                return cum.filter { $0 < r }.count
            }
        }
        let tiny = Float.leastNormalMagnitude
        let u = uniform32(key, count: p.count, min: tiny, max: 1)
        let g = (0..<p.count).map { -xlaLog(-xlaLog(u[$0])) + xlaLog(p[$0]) }
        let order = g.indices.sorted { g[$0] > g[$1] || (g[$0] == g[$1] && $0 < $1) }
        return Array(order.prefix(count))
    }

    /// `jnp.cumsum` of float32 as XLA's CPU backend sums: a running sum for up to 16 elements;
    /// longer, running sums within rows of 16 plus the (recursive) running sum of the row totals.
    public static func xlaCumulativeSum(_ x: [Float]) -> [Float] {
        if x.count <= 16 {
            var out = x
            for i in out.indices.dropFirst() { out[i] = out[i - 1] + out[i] }
            return out
        }
        let rows = (x.count + 15) / 16
        var out = [Float](repeating: 0, count: rows * 16)
        for i in x.indices { out[i] = x[i] }
        var totals = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            for i in (r * 16 + 1)..<(r * 16 + 16) { out[i] = out[i - 1] + out[i] }
            totals[r] = out[r * 16 + 15]
        }
        let prefix = xlaCumulativeSum(totals)
        for r in 1..<rows { for i in (r * 16)..<(r * 16 + 16) { out[i] = prefix[r - 1] + out[i] } }
        return Array(out.prefix(x.count))
    }
}
