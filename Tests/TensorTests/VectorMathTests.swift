import XCTest
import CKernels
@testable import Tensor
#if canImport(Glibc)
import Glibc
#endif

/// The vectorised float32 `tanh`, `exp` and `logistic` against the correctly rounded values
/// (the double-precision C library result rounded to float32): at most one ulp anywhere, and
/// equal on all but a handful of a dense sweep; NaN, infinities, signed zeros and the
/// overflow and underflow edges behave as the C library does.
final class VectorMathTests: XCTestCase {
    func ulps(_ a: Float, _ b: Float) -> Int {
        if a == b || (a.isNaN && b.isNaN) { return 0 }
        if a.isNaN || b.isNaN || a.sign != b.sign { return Int.max }
        return abs(Int(a.bitPattern) - Int(b.bitPattern))
    }

    func check(_ name: String, _ fast: ([Float]) -> [Float], _ reference: (Double) -> Double, range: ClosedRange<Float>) {
        var xs: [Float] = [0, -0, .infinity, -.infinity, .nan, 1e-30, -1e-30, .leastNonzeroMagnitude, 0.125, -0.125,
                           0.12499999, 19.9, 20.1, 88.72, 88.73, -87.3, -103.9, -104, -200, 200]
        let steps = 200_000
        for i in 0...steps { xs.append(range.lowerBound + (range.upperBound - range.lowerBound) * Float(i) / Float(steps)) }
        let ys = fast(xs)
        var differing = 0, worst = 0
        for (x, y) in zip(xs, ys) {
            let expected = Float(reference(Double(x)))
            let d = ulps(y, expected)
            XCTAssertLessThanOrEqual(d, 1, "\(name)(\(x)) = \(y), correctly rounded \(expected)")
            if d > 0 { differing += 1; worst = max(worst, d) }
        }
        XCTAssertLessThan(differing, xs.count / 10_000, "\(name): \(differing) of \(xs.count) values are not correctly rounded")
    }

    func testTanh() {
        check("tanh", float32Tanh, { tanh($0) }, range: -12...12)
        XCTAssertEqual(float32Tanh([-0.0])[0].sign, .minus, "tanh(-0) = -0")
    }

    /// `tanh` is correctly rounded: on every 97th float32 from 2^-13 to 10 (1.4 million values,
    /// where tanh is neither x nor 1 in float32) it equals `tanhl` (64-bit significand) rounded to
    /// float32, on both signs. (Every float32 was checked once the same way: docs/performance.md.)
    func testTanhIsCorrectlyRoundedOnADenseSweep() {
        #if arch(x86_64)
        var xs: [Float] = []
        var bits = Float(0x1p-13).bitPattern
        while bits <= Float(10).bitPattern { xs.append(Float(bitPattern: bits)); xs.append(-Float(bitPattern: bits)); bits += 97 }
        let ys = float32Tanh(xs)
        var wrong = 0
        for (x, y) in zip(xs, ys) where y != Float(tanh(Float80(x))) {
            if wrong < 5 { XCTFail("tanh(\(x)) = \(y), correctly rounded \(Float(tanh(Float80(x))))") }
            wrong += 1
        }
        XCTAssertEqual(wrong, 0, "of \(xs.count) values")
        #endif
    }

    func testExp() {
        check("exp", float32Exp, { exp($0) }, range: -110...90)
    }

    func testLogistic() {
        check("logistic", float32Logistic, { 1 / (1 + exp(-$0)) }, range: -110...40)
    }

    /// The AVX-512 and AVX2 kernels (where the CPU has them) give exactly the portable Swift
    /// results, over long arrays and over every length from 0 to 40 (the loops' tails).
    func testTheVectorKernelsEqualThePortableOnes() {
        var xs: [Float] = [0, -0, .infinity, -.infinity, .nan, 0.125, -0.125, 20, -20, 709, -708, 1e-40]
        var g = Generator(seed: 3)
        for _ in 0..<100_003 { xs.append(Float(g.uniform(-30, 30, dtype: .float64))) }
        func same(_ inputs: [Float], _ kernel: ([Float]) -> [Float], _ portable: (Float) -> Float, _ name: String) {
            let a = kernel(inputs)
            for (i, (x, y)) in zip(a, inputs.map(portable)).enumerated() where x.bitPattern != y.bitPattern && !(x.isNaN && y.isNaN) {
                XCTFail("\(name)(\(inputs[i])): kernel \(x), portable \(y)")
                return
            }
        }
        func all(_ label: String) {
            for n in [xs.count] + Array(0...40) {
                let part = Array(xs.prefix(n))
                same(part, float32Tanh, tanhViaDouble, "tanh (\(label), \(n) values)")
                same(part, float32Exp, expViaDouble, "exp (\(label), \(n) values)")
                same(part, float32Logistic, logisticViaDouble, "logistic (\(label), \(n) values)")
            }
        }
        all("widest kernel")
        let hadAVX512 = jc_use_avx512(0)
        defer { _ = jc_use_avx512(1) }
        all("AVX2")
        if hadAVX512 == 0 { print("VectorMathTests: no AVX-512 on this CPU; the AVX2 kernels were checked twice") }
    }
}
