import XCTest
@testable import AD
import Tensor

/// The LAPACK-backed `linalg` primitive: the Moore-Penrose conditions, decompositions that
/// reconstruct their input, every derivative against central finite differences and the
/// adjoint identity `<ct, J t> = <Jᵀ ct, t>`, batching against a loop, and the issues reported
/// for NaN, singular, rank-deficient and ill-conditioned matrices. (Values against PyTorch:
/// the `linalg_*` cases of TorchFixtureTests.)
final class LinalgTests: XCTestCase {
    /// A matrix of rank 2, `[5, 4]`: a 3x2 block padded with zeros.
    func rankTwo(_ dtype: DType = .float64) throws -> Operand {
        let block = op(randomTensor([3, 2], seed: 77, dtype: dtype))
        return try bind1(.pad(low: [0, 0], high: [2, 2], interior: [0, 0]), block)
    }

    func testMoorePenroseConditions() throws {
        for dtype in [DType.float64, .float32] {
            let tol = dtype == .float64 ? 1e-12 : 2e-5
            let cases: [(String, Operand)] = [
                ("tall", op(randomTensor([5, 3], seed: 1, dtype: dtype))),
                ("wide", op(randomTensor([3, 5], seed: 2, dtype: dtype))),
                ("batched", op(randomTensor([4, 3, 5], seed: 3, dtype: dtype))),
                ("rank-deficient", try rankTwo(dtype)),
            ]
            for (name, a) in cases {
                let p = try a.pinv()
                let ap = try a.matmul(p), pa = try p.matmul(a)
                let context = "\(name) \(dtype)"
                assertClose(value(try ap.matmul(a)), value(a), rtol: 0, atol: tol, "A P A = A (\(context))")
                assertClose(value(try pa.matmul(p)), value(p), rtol: 0, atol: tol * 10, "P A P = P (\(context))")
                assertClose(value(try ap.mT()), value(ap), rtol: 0, atol: tol, "(A P)ᵀ = A P (\(context))")
                assertClose(value(try pa.mT()), value(pa), rtol: 0, atol: tol, "(P A)ᵀ = P A (\(context))")
            }
        }
    }

    func testDecompositionsReconstructTheirInput() throws {
        let a = op(randomTensor([2, 5, 3], seed: 4))
        for full in [false, true] {
            let (u, s, vh) = try a.svd(fullMatrices: full)
            XCTAssertEqual(u.shape, full ? [2, 5, 5] : [2, 5, 3])
            XCTAssertEqual(vh.shape, [2, 3, 3])
            let k = 3
            let uk = try bind1(.slice(start: [0, 0, 0], limit: [2, 5, k], stride: [1, 1, 1]), u)
            let rebuilt = try (uk * s.unsqueeze(1)).matmul(vh)
            assertClose(value(rebuilt), value(a), rtol: 0, atol: 1e-13, "U diag(S) Vh (full: \(full))")
            let eye = try u.mT().matmul(u)
            assertClose(value(eye), value(try Operand.tensor(Tensor.identity(u.shape[2], dtype: .float64))
                .broadcast(to: eye.shape)), rtol: 0, atol: 1e-13, "Uᵀ U = I (full: \(full))")
            for row in stride(from: 0, to: 6, by: 3) {
                let sv = Array(value(s).doubles[row..<(row + 3)])
                XCTAssertEqual(sv, sv.sorted(by: >), "singular values descend")
            }
        }
        let m = op(randomTensor([3, 4, 4], seed: 5))
        assertClose(value(try m.matmul(m.inverse())), value(try Operand.tensor(Tensor.identity(4, dtype: .float64))
            .broadcast(to: [3, 4, 4])), rtol: 0, atol: 1e-12, "A A⁻¹ = I")
        let (sign, logabs) = try m.slogdet()
        assertClose(value(try sign * logabs.unary(.exp)), value(try m.det()), rtol: 1e-12, atol: 0, "sign exp(logabsdet) = det")
        let b = op(randomTensor([3, 4, 2], seed: 6))
        assertClose(value(try m.matmul(m.solve(b))), value(b), rtol: 0, atol: 1e-12, "A solve(A, B) = B")
        XCTAssertEqual(value(try rankTwo().matrixRank()).doubles, [2])
    }

    /// Every differentiable function of one matrix: jacrev and jacfwd against central finite
    /// differences, and the adjoint identity with random tangent and cotangent.
    func testDerivativesAgainstFiniteDifferences() throws {
        let square = randomTensor([3, 3], seed: 8)
        let shifted = try value(op(square) + Operand.tensor(Tensor.identity(3, dtype: .float64)) * op(Tensor(scalar: 2, dtype: .float64)))
        let rect = randomTensor([4, 3], seed: 9)
        let rhs = op(randomTensor([3, 2], seed: 10))
        let functions: [(String, Tensor, (Operand) throws -> Operand)] = [
            ("inv", shifted, { try $0.inverse() }),
            ("solve(A, B)", shifted, { try $0.solve(rhs) }),
            ("solve(M, A)", randomTensor([3, 2], seed: 11), { try op(shifted).solve($0) }),
            ("det", shifted, { try $0.det() }),
            ("logabsdet", shifted, { try $0.slogdet().logabsdet }),
            ("pinv tall", rect, { try $0.pinv() }),
            ("pinv wide", try value(op(rect).mT()), { try $0.pinverse() }),
            ("svdvals", rect, { try $0.svdvals() }),
            ("nuclear norm", rect, { try $0.matrixNorm(.nuclear) }),
            ("spectral norm", rect, { try $0.matrixNorm(.spectral(largest: true)) }),
            ("cond", shifted, { try $0.cond() }),
            ("cond fro", shifted, { try $0.cond(.frobenius) }),
        ]
        for (name, x, g) in functions {
            let f: TensorFunction = { a in [try g(a[0])] }
            let numeric = try numericJacobian(f, x)
            let reverse = value(try jacrev(f, argnums: [0])([op(x)])[0])
            let forward = value(try jacfwd(f, argnums: [0])([op(x)])[0])
            assertClose(reverse, numeric, rtol: 1e-6, atol: 1e-7, "\(name): jacrev vs finite differences")
            assertClose(forward, reverse, rtol: 1e-10, atol: 1e-12, "\(name): jacfwd vs jacrev")

            let y = value(try f([op(x)])[0])
            let t = randomTensor(x.shape, seed: 12), ct = randomTensor(y.shape, seed: 13)
            let jt = value(try jvp(f, primals: [op(x)], tangents: [op(t)]).1[0])
            let pullback = try vjp(f, primals: [op(x)]).pullback
            let jtct = value(try pullback([op(ct)])[0])
            let lhs = zip(ct.doubles, jt.doubles).reduce(0) { $0 + $1.0 * $1.1 }
            let rhs = zip(jtct.doubles, t.doubles).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-10 * Swift.max(1, abs(lhs)), "\(name): <ct, J t> = <Jᵀ ct, t>")
        }
    }

    func testBatchingMatchesALoop() throws {
        let a = op(randomTensor([5, 3, 3], seed: 14)), b = op(randomTensor([5, 3], seed: 15))
        let loopInv = try Operand.stack((0..<5).map { i in try a.subscripted([.index(i)]).inverse() }, dim: 0)
        let vmapped = try vmap({ x in [try x[0].inverse()] }, inDims: [0], outDims: { [0] })([a])[0]
        assertClose(value(vmapped), value(loopInv), rtol: 1e-14, atol: 0, "vmap(inv)")
        // A shared (unbatched) matrix against a batch of right-hand sides, and the reverse.
        let shared = try a.subscripted([.index(0)])
        let solved = try vmap({ x in [try shared.solve(x[0])] }, inDims: [0], outDims: { [0] })([b])[0]
        let loopSolve = try Operand.stack((0..<5).map { i in try shared.solve(b.subscripted([.index(i)])) }, dim: 0)
        assertClose(value(solved), value(loopSolve), rtol: 1e-14, atol: 0, "vmap(solve) over B")
        let jac = try vmap(jacrev({ x in [try x[0].det()] }, argnums: [0]), inDims: [0], outDims: { [0] })([a])[0]
        let loopJac = try Operand.stack((0..<5).map { i in
            try jacrev({ x in [try x[0].det()] }, argnums: [0])([a.subscripted([.index(i)])])[0]
        }, dim: 0)
        assertClose(value(jac), value(loopJac), rtol: 1e-12, atol: 1e-14, "vmap(jacrev(det))")
    }

    func testIssuesAreReportedPerBatchElementAndResultsStay() throws {
        let good = randomTensor([3, 3], seed: 16).doubles
        let singular = [Double](repeating: 0, count: 9)
        var withNaN = good
        withNaN[4] = .nan
        let batch = op(Tensor(shape: [3, 3, 3], float64: good + singular + withNaN))
        let report = LinalgReport()
        let inverse = try LinalgReport.$current.withValue(report) { try batch.inverse() }
        let values = value(inverse).doubles
        XCTAssertTrue(values[0..<9].allSatisfy(\.isFinite), "the good matrix is inverted")
        XCTAssertTrue(values[9...].allSatisfy(\.isNaN), "singular and NaN matrices give NaN")
        XCTAssertEqual(report.issues.map(\.index), [1, 2])
        XCTAssertEqual(report.issues.map(\.kind), [.singular(pivot: 1), .nonFinite])

        let rank = LinalgReport()
        _ = try LinalgReport.$current.withValue(rank) { try Operand.stack([op(randomTensor([5, 4], seed: 17)), try rankTwo()], dim: 0).pinv() }
        XCTAssertEqual(rank.issues, [LinalgIssue(op: "pinv", index: 1, batchShape: [2], kind: .rankDeficient(rank: 2, full: 4))])

        let nearlySingular = op(Tensor(shape: [2, 2], float64: [1, 2, 1, 2 + 1e-12]))
        let ill = LinalgReport()
        _ = try LinalgReport.$current.withValue(ill) { try nearlySingular.solve(op(Tensor(shape: [2], float64: [1, 1]))) }
        guard case .illConditioned(let cond)? = ill.issues.first?.kind else { return XCTFail("expected ill-conditioned, got \(ill.issues)") }
        XCTAssertGreaterThan(cond, 1e12)
    }

    func testClearErrors() throws {
        XCTAssertThrowsError(try op(randomTensor([3, 4], seed: 1)).inverse()) { e in
            XCTAssertTrue("\(e)".contains("square"), "\(e)")
        }
        XCTAssertThrowsError(try op(Tensor(shape: [2, 2], int64: [1, 0, 0, 1])).det()) { e in
            XCTAssertTrue("\(e)".contains("floating point"), "\(e)")
        }
        XCTAssertThrowsError(try op(randomTensor([3, 3], seed: 1)).solve(op(randomTensor([4, 2], seed: 2)))) { e in
            XCTAssertTrue("\(e)".contains("[3, 3]") && "\(e)".contains("[4, 2]"), "\(e)")
        }
        let f: TensorFunction = { a in [try a[0].svd().u] }
        XCTAssertThrowsError(try jacrev(f, argnums: [0])([op(randomTensor([3, 3], seed: 1))])) { e in
            XCTAssertTrue((e as? TensorError)?.hint?.contains("svdvals") == true, "the hint suggests what to differentiate instead: \(e)")
        }
    }
}
