import CKernels

/// Branch-free elementwise functions for float32 arrays, evaluated in double precision so that
/// the float32 result is the correctly rounded value (`tanh`: on every float32; `exp`, `logistic`:
/// in all but about one case in a million, then one ulp off), and written so that the compiler
/// vectorises the loop: selects instead of branches, no calls into the C library but `fma` (which
/// the AVX2 kernels in `CKernels` run as one instruction; this portable code is their fallback).
/// They replace one `libm` call per element (`tanhf` cost about 20 ns here; the AVX2 `tanh` costs
/// 1.9 ns).
///
/// ```swift
/// let y = float32Tanh([0.5, -2, .nan])   // [0.46211717, -0.9640276, nan]
/// ```

/// `e^x` in double precision (relative error below 1e-13) for any `x`; NaN propagates.
@inline(__always)
func vectorExp(_ x: Double) -> Double {
    // Clamp to where e^x is a normal double (beyond, float32 results are 0 or inf anyway).
    let c = x < -708 ? -708 : (x > 709 ? 709 : x)
    // n = round(c / ln 2) by the 1.5 * 2^52 trick: the integer lands in the low mantissa bits.
    let shifter = 6755399441055744.0
    let t = c * 1.4426950408889634 + shifter
    let n = t - shifter
    // r = c - n ln 2 with ln 2 in two parts (Cody and Waite), |r| <= 0.35.
    let r = (c - n * 0.6931471803691238) - n * 1.9082149292705877e-10
    // e^r by its Taylor series to r^11 / 11! (truncation below 3e-14 relative).
    var p = 1.0 / 39916800
    p = p * r + 1.0 / 3628800
    p = p * r + 1.0 / 362880
    p = p * r + 1.0 / 40320
    p = p * r + 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2^n from its exponent bits: (n + 1023) << 52, n read from t's low bits.
    let scale = Double(bitPattern: (t.bitPattern &+ 1023) << 52)
    let e = p * scale
    return x.isNaN ? x : e
}

/// `tanh` of a float32 value, computed in double precision through `e^{2|x|} - 1` (no
/// cancellation near 0): correctly rounded on every float32 (checked against `tanhl`,
/// docs/performance.md). The steps, fused multiply-adds included, are those of the C kernel
/// (`CKernels`), so the two agree bit for bit.
@inline(__always)
func tanhViaDouble(_ v: Float) -> Float {
    let x = Double(v)
    let a = Swift.abs(x)
    // y = 2|x| = n ln 2 + r, |r| <= ln 2 / 2 (tanh(20) is 1 in double precision).
    let y = 2 * (a < 20 ? a : 20)
    let shifter = 6755399441055744.0
    let t = shifter.addingProduct(y, 1.4426950408889634)
    let n = t - shifter
    let r = y.addingProduct(-n, 0.6931471803691238).addingProduct(-n, 1.9082149292705877e-10)
    // e^r - 1 = r + r^2 (1/2! + r/3! + ... + r^11/13!), the bracket by Estrin's scheme.
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let p01 = (1.0 / 2).addingProduct(r, 1.0 / 6), p23 = (1.0 / 24).addingProduct(r, 1.0 / 120)
    let p45 = (1.0 / 720).addingProduct(r, 1.0 / 5040), p67 = (1.0 / 40320).addingProduct(r, 1.0 / 362880)
    let p89 = (1.0 / 3628800).addingProduct(r, 1.0 / 39916800)
    let p1011 = (1.0 / 479001600).addingProduct(r, 1.0 / 6227020800)
    let p03 = p01.addingProduct(r2, p23), p47 = p45.addingProduct(r2, p67), p811 = p89.addingProduct(r2, p1011)
    let q = p03.addingProduct(r4, p47).addingProduct(r8, p811)
    let p = r.addingProduct(r2, q)
    // e^y - 1 = 2^n p + (2^n - 1); 2^n from its exponent bits, n read from t's low bits.
    let scale = Double(bitPattern: (t.bitPattern &+ 1023) << 52)
    let em = (scale - 1).addingProduct(scale, p)
    let th = em / (em + 2)
    let signed = Double(signOf: x, magnitudeOf: th)
    return Float(x.isNaN ? x : signed)
}

/// `1 / (1 + e^{-x})` of a float32 value, computed in double precision.
@inline(__always)
func logisticViaDouble(_ v: Float) -> Float {
    Float(1 / (1 + vectorExp(-Double(v))))
}

/// `e^x` of a float32 value, computed in double precision.
@inline(__always)
func expViaDouble(_ v: Float) -> Float { Float(vectorExp(Double(v))) }

/// `tanh` of every element.
func float32Tanh(_ a: [Float]) -> [Float] { withAVX2(a, jc_tanh_f32, tanhViaDouble) }
/// `logistic` (sigmoid) of every element.
func float32Logistic(_ a: [Float]) -> [Float] { withAVX2(a, jc_logistic_f32, logisticViaDouble) }
/// `exp` of every element.
func float32Exp(_ a: [Float]) -> [Float] { withAVX2(a, jc_exp_f32, expViaDouble) }

/// `f` of every element: by the C kernel (the same formulas four doubles at a time, when the CPU
/// has AVX2; `CKernels`), else by the Swift loop.
@inline(__always)
private func withAVX2(_ a: [Float], _ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Int32,
                      _ f: (Float) -> Float) -> [Float] {
    [Float](unsafeUninitializedCapacity: a.count) { out, n in
        a.withUnsafeBufferPointer { p in
            if let x = p.baseAddress, let y = out.baseAddress { float32Run(x, y, p.count, kernel, f) }
        }
        n = a.count
    }
}

/// `y[j] = f(x[j])` for `j < n`, by the C kernel when the CPU has AVX2, else by the Swift loop
/// (also the fused loops' path to these functions).
@inline(__always)
func float32Run(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                _ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Int32, _ f: (Float) -> Float) {
    if kernel(x, y, n) == 0 {
        for j in 0..<n { (y + j).initialize(to: f(x[j])) }
    }
}
