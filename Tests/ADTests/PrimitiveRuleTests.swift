import XCTest
@testable import AD
import Tensor

/// Every primitive's JVP and VJP against central finite differences, the identity
/// <ct, J t> = <J^T ct, t>, and its batching rule against a loop over the batch.
final class PrimitiveRuleTests: XCTestCase {
    let cases = primitiveCases

    func testJacobiansMatchFiniteDifferences() throws {
        let x = randomTensor([3, 4], seed: 1)
        for (name, f) in cases {
            let numeric = try numericJacobian(f, x)
            let rev = value(try jacrev(f, argnums: [0])([op(x)])[0])
            let fwd = value(try jacfwd(f, argnums: [0])([op(x)])[0])
            let scale = max(1, numeric.doubles.map(abs).max() ?? 1)
            assertClose(rev, numeric, rtol: 1e-6, atol: 1e-6 * scale, name)
            assertClose(fwd, numeric, rtol: 1e-6, atol: 1e-6 * scale, name)
        }
    }

    func testBatchingOfNonDifferentiablePrimitives() throws {
        // compare, argReduce, convert, stopGradient and identity under vmap, against a loop.
        let fs: [(String, TensorFunction)] = [
            ("compare", { xs in [try Operand.compare(.gt, xs[0], xs[0].constant(0))] }),
            ("argReduce", { xs in [try bind1(.argReduce(max: true, axis: 1), xs[0])] }),
            ("convert", { xs in [try xs[0].converted(to: .int64)] }),
            ("stopGradient", { xs in [try xs[0].detach()] }),
            ("identity", { xs in [try xs[0].matmul(bind(.identity(n: 4, dtype: .float64), [])[0])] }),
        ]
        let xs = randomTensor([5, 3, 4], seed: 8)
        for (name, f) in fs {
            let batched = value(try vmap(f, inDims: [0], outDims: { [0] })([op(xs)])[0])
            let looped = value(try Operand.stack(try (0..<5).map { try f([try op(xs).subscripted([.index($0)])])[0] }, dim: 0))
            XCTAssertEqual(batched.shape, looped.shape, name)
            XCTAssertEqual(batched.doubles, looped.doubles, name)
            XCTAssertEqual(batched.dtype, looped.dtype, name)
        }
    }

    func testConvertAndStopGradientDerivatives() throws {
        // Derivatives a finite difference cannot see: conversion rounding and blocked gradients.
        let x = randomTensor([3], seed: 6)
        let w = op(randomTensor([3], seed: 7))
        let roundTrip: TensorFunction = { xs in [try xs[0].converted(to: .float32).converted(to: .float64) * w] }
        let j = value(try jacrev(roundTrip, argnums: [0])([op(x)])[0])
        let expected = value(try w.broadcast(to: [3, 3]) * op(Tensor.identity(3, dtype: .float64)))
        // The cotangent passes through float32, so it is w rounded to float32.
        assertClose(j, expected, rtol: 1e-7, atol: 0)
        let stopped: TensorFunction = { xs in [try xs[0] * xs[0].detach()] }   // d/dx = diag(x), not 2x
        let js = value(try jacfwd(stopped, argnums: [0])([op(x)])[0])
        assertClose(js, value(try op(x).broadcast(to: [3, 3]) * op(Tensor.identity(3, dtype: .float64))), rtol: 0, atol: 0)
        let jr = value(try jacrev(stopped, argnums: [0])([op(x)])[0])
        assertClose(jr, js, rtol: 0, atol: 0)
    }

    func testDotProductIdentity() throws {
        // <ct, J t> == <J^T ct, t> for random t and ct.
        let x = randomTensor([3, 4], seed: 2), t = randomTensor([3, 4], seed: 3)
        for (name, f) in cases {
            let (outs, tangents, _) = try jvp(f, primals: [op(x)], tangents: [op(t)])
            let ct = randomTensor(outs[0].shape, seed: 4)
            let (_, pullback, _) = try vjp(f, primals: [op(x)])
            let back = value(try pullback([op(ct)])[0])
            let lhs = zip(ct.doubles, value(tangents[0]).doubles).reduce(0) { $0 + $1.0 * $1.1 }
            let rhs = zip(back.doubles, t.doubles).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-10 * max(1, abs(lhs)), name)
        }
    }

    func testBatchingMatchesLoop() throws {
        let xs = randomTensor([5, 3, 4], seed: 5)
        for (name, f) in cases {
            let batched = value(try vmap(f, inDims: [0], outDims: { [0] })([op(xs)])[0])
            var rows: [Operand] = []
            for b in 0..<5 {
                rows.append(try f([try op(xs).subscripted([.index(b)])])[0])
            }
            let looped = value(try Operand.stack(rows, dim: 0))
            assertClose(batched, looped, rtol: 1e-12, atol: 1e-12)
            if batched.shape != looped.shape { XCTFail(name) }
            // and along another axis
            let moved = try op(xs).movingAxis(0, to: 2)
            let batched2 = value(try vmap(f, inDims: [2], outDims: { [1] })([moved])[0])
            assertClose(batched2, value(try op(looped).movingAxis(0, to: 1)), rtol: 1e-12, atol: 1e-12)
        }
    }
}
