import XCTest
import CKernels
@testable import Tensor

/// The batched one-sided Jacobi pseudo-inverse (`JacobiPinv`, CKernels/JacobiPinv.c) against
/// float64 LAPACK: its error against the float64 pseudo-inverse stays within the condition
/// number times float32's epsilon and near the float32 LAPACK route's; ranks and issues as
/// LAPACK's; exact power-of-two scaling; and each matrix's bits independent of its neighbours.
final class JacobiPinvTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(jc_has_avx2_fma() != 0, "the Jacobi kernel needs AVX2 and FMA")
    }

    /// torch.linalg.pinv's default relative cut-off: max(m, n) times the dtype's epsilon.
    func rtol(_ m: Int, _ n: Int) -> Double { Double(Swift.max(m, n)) * Double(Float.ulpOfOne) }

    /// The Frobenius norm of `a - b` over that of `b`, per matrix.
    func relativeErrors(_ a: [Double], _ b: [Double], per: Int) -> [Double] {
        stride(from: 0, to: b.count, by: per).map { s in
            var d = 0.0, n = 0.0
            for i in s..<(s + per) { d += (a[i] - b[i]) * (a[i] - b[i]); n += b[i] * b[i] }
            return (d / n).squareRoot()
        }
    }

    /// Per matrix at most (2 cond + 8) eps (LAPACK's own reached 3 eps at cond 1.1), and the
    /// median at most twice the float32 LAPACK route's.
    func testErrorAgainstFloat64StaysWithinConditionTimesEpsilon() throws {
        var g = Generator(seed: 17)
        // 64 x 64 (the pinverse workload's shape), tall, wide, a group and a single wide matrix
        // (k <= 16 goes through the kernel alone), a partial group of seven.
        // (The last with pinverse's default cut-off, rcond = 1e-15.)
        for (batch, m, n, cut) in [(16, 64, 64, 0), (8, 40, 12, 0), (9, 12, 40, 0), (7, 24, 24, 0), (8, 200, 3, 0), (8, 48, 32, 1e-15)] {
            let rtol = cut > 0 ? cut : rtol(m, n)
            XCTAssertTrue(JacobiPinv.takes(m: m, n: n, rtol: rtol))
            let a = Tensor.randn([batch, m, n], dtype: .float32, generator: &g)
            let p = try Tensor.linalg(.pinv(rtol: rtol, atol: 0), [a])
            let a64 = a.converted(to: .float64)
            let exact = try Tensor.linalg(.pinv(rtol: rtol, atol: 0), [a64]).doubles
            let s = try Tensor.linalg(.svd(.s, fullMatrices: false), [a64]).doubles
            let k = Swift.min(m, n)
            // The float32 LAPACK route, one matrix at a time.
            var lapack = [Float](repeating: 0, count: batch * m * n)
            a.float32Values.withUnsafeBufferPointer { src in
                lapack.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<batch {
                        _ = LinalgKernel<Float>.pinv(UnsafeBufferPointer(rebasing: src[(i * m * n)..<((i + 1) * m * n)]), m, n,
                                                     rtol: rtol, atol: 0,
                                                     into: UnsafeMutableBufferPointer(rebasing: dst[(i * m * n)..<((i + 1) * m * n)]))
                    }
                }
            }
            let jacobi = relativeErrors(p.doubles, exact, per: m * n)
            let reference = relativeErrors(lapack.map(Double.init), exact, per: m * n)
            for i in 0..<batch {
                let cond = s[i * k] / s[i * k + k - 1]
                XCTAssertLessThanOrEqual(jacobi[i], (2 * cond + 8) * Double(Float.ulpOfOne),
                                         "[\(batch), \(m), \(n)] matrix \(i): cond \(cond), LAPACK's error \(reference[i])")
            }
            let median = { (e: [Double]) in e.sorted()[e.count / 2] }
            XCTAssertLessThanOrEqual(median(jacobi), 2 * median(reference), "[\(batch), \(m), \(n)]: median errors")
        }
    }

    func testRanksScalingAndIssuesAsLapack() throws {
        let m = 20, n = 16
        var g = Generator(seed: 5)
        let base = Tensor.randn([m, n], dtype: .float32, generator: &g).float32Values
        // Rank 3 in float64, rounded to float32: the other singular values are rounding noise,
        // far below the cut-off.
        let left = Tensor.randn([m, 3], dtype: .float64, generator: &g).doubles
        let right = Tensor.randn([3, n], dtype: .float64, generator: &g).doubles
        let rank3 = (0..<(m * n)).map { e in Float((0..<3).reduce(0.0) { $0 + left[e / n * 3 + $1] * right[$1 * n + e % n] }) }
        var ill = base
        for r in 0..<m { ill[r * n + 1] = ill[r * n] * 1.0001 + ill[r * n + 1] * 1e-4 }  // cond about 1e4
        var withNaN = base
        withNaN[7] = .nan
        let matrices: [[Float]] = [
            [Float](repeating: 0, count: m * n), rank3, base.map { $0 * 0x1p100 }, base.map { $0 * 0x1p-100 },
            withNaN, base, ill, Tensor.randn([m, n], dtype: .float32, generator: &g).float32Values,
        ]
        let a = Tensor(shape: [8, m, n], float32: matrices.flatMap { $0 })
        let report = LinalgReport()
        let p = try LinalgReport.$current.withValue(report) { try Tensor.linalg(.pinv(rtol: rtol(m, n), atol: 0), [a]) }
        let out = p.float32Values, per = m * n
        func matrix(_ i: Int) -> ArraySlice<Float> { out[(i * per)..<((i + 1) * per)] }
        XCTAssertTrue(matrix(0).allSatisfy { $0 == 0 && $0.sign == .plus }, "the zero matrix's pseudo-inverse is zero")
        XCTAssertTrue(matrix(4).allSatisfy(\.isNaN), "NaN in, NaN out")
        // Scaling by 2^100 and 2^-100 is exact: the pseudo-inverse is scaled by the inverse, bit for bit.
        XCTAssertEqual(Array(matrix(2)), matrix(5).map { $0 * 0x1p-100 })
        XCTAssertEqual(Array(matrix(3)), matrix(5).map { $0 * 0x1p100 })
        // The rank-3 matrix against float64 LAPACK with the same cut-off.
        let exact3 = try Tensor.linalg(.pinv(rtol: rtol(m, n), atol: 0), [Tensor(shape: [m, n], float32: rank3).converted(to: .float64)])
        XCTAssertLessThan(relativeErrors(matrix(1).map(Double.init), exact3.doubles, per: per)[0], 1e-5)
        let kinds = report.issues.map { "\($0.index): \($0.kind)" }
        XCTAssertEqual(report.issues.map(\.op), Array(repeating: "pinv", count: kinds.count))
        XCTAssertEqual(kinds.filter { !$0.hasPrefix("6:") }, [
            "0: rankDeficient(rank: 0, full: 16)", "1: rankDeficient(rank: 3, full: 16)", "4: nonFinite",
        ])
        // The ill-conditioned one as LAPACK reports it (cond within float32 rounding of LAPACK's).
        let lapackReport = LinalgReport()
        try LinalgReport.$current.withValue(lapackReport) {
            _ = try Tensor.linalg(.pinv(rtol: rtol(m, n), atol: 0), [Tensor(shape: [1, m, n], float32: ill)])
        }
        guard case .illConditioned(let expected)? = lapackReport.issues.first?.kind,
              let mine = report.issues.first(where: { $0.index == 6 }), case .illConditioned(let cond) = mine.kind else {
            return XCTFail("ill-conditioned: \(lapackReport.issues), \(report.issues)")
        }
        XCTAssertEqual(cond, expected, accuracy: expected * 1e-3)
    }

    func testEachMatrixGetsTheSameBitsWhateverItsNeighbours() throws {
        var g = Generator(seed: 9)
        let m = 32, n = 24, per = m * n
        let a = Tensor.randn([8, m, n], dtype: .float32, generator: &g)
        let p = try Tensor.linalg(.pinv(rtol: rtol(m, n), atol: 0), [a]).float32Values
        let order = [5, 2, 7, 0, 3, 6, 1, 4]
        let values = a.float32Values
        let shuffled = Tensor(shape: [8, m, n], float32: order.flatMap { values[($0 * per)..<(($0 + 1) * per)] })
        let q = try Tensor.linalg(.pinv(rtol: rtol(m, n), atol: 0), [shuffled]).float32Values
        for (j, i) in order.enumerated() {
            XCTAssertEqual(q[(j * per)..<((j + 1) * per)].map(\.bitPattern), p[(i * per)..<((i + 1) * per)].map(\.bitPattern), "matrix \(i)")
        }
        // Six of them (a partial group, still through the kernel) give the same bits too.
        let six = Tensor(shape: [6, m, n], float32: Array(values[(2 * per)...]))
        let r = try Tensor.linalg(.pinv(rtol: rtol(m, n), atol: 0), [six]).float32Values
        XCTAssertEqual(r.map(\.bitPattern), p[(2 * per)...].map(\.bitPattern))
    }
}
