import XCTest
@testable import AD
import Tensor

/// Transformations composed: jacfwd/jacrev/vmap(grad) agree, hessians, higher orders,
/// vmap(jacrev) against the diagonal blocks of the full Jacobian, optimizer effects.
final class CompositionTests: XCTestCase {
    let w1 = op(randomTensor([5, 3], seed: 11)), b1 = op(randomTensor([5], seed: 12))
    let w2 = op(randomTensor([2, 5], seed: 13)), b2 = op(randomTensor([2], seed: 14))

    func mlp(_ xs: [Operand]) throws -> [Operand] {
        let h = try xs[0].linear(w1, b1).unary(.tanh)
        return [try h.linear(w2, b2)]
    }

    func testForwardReverseAndVmapGradAgree() throws {
        let x = op(randomTensor([3], seed: 20))
        let rev = value(try jacrev(mlp, argnums: [0])([x])[0])
        let fwd = value(try jacfwd(mlp, argnums: [0])([x])[0])
        assertClose(rev, fwd, rtol: 1e-12, atol: 1e-14)
        // Rows by vmap(grad) over output selectors.
        let selectors = op(Tensor.identity(2, dtype: .float64))
        let rows = try vmap({ s in
            try grad({ xs in [try (self.mlp(xs)[0] * s[0]).sum()] }, argnums: [0])([x])
        }, inDims: [0], outDims: { [0] })([selectors])
        assertClose(value(rows[0]), rev, rtol: 1e-12, atol: 1e-14)
    }

    func testVmapJacrevEqualsDiagonalBlocksOfFullJacobian() throws {
        let xs = op(randomTensor([4, 3], seed: 21))
        let perSample = value(try vmap(jacrev(mlp, argnums: [0]), inDims: [0], outDims: { [0] })([xs])[0])
        XCTAssertEqual(perSample.shape, [4, 2, 3])
        let full = value(try jacrev(mlp, argnums: [0])([xs])[0])
        XCTAssertEqual(full.shape, [4, 2, 4, 3])
        let f = full.doubles, p = perSample.doubles
        for i in 0..<4 { for a in 0..<2 { for j in 0..<4 { for c in 0..<3 {
            let v = f[((i * 2 + a) * 4 + j) * 3 + c]
            if i == j { XCTAssertEqual(v, p[(i * 2 + a) * 3 + c], accuracy: 1e-14) } else { XCTAssertEqual(v, 0) }
        } } } }
        let fwd = value(try vmap(jacfwd(mlp, argnums: [0]), inDims: [0], outDims: { [0] })([xs])[0])
        assertClose(fwd, perSample, rtol: 1e-12, atol: 1e-14)
    }

    func testHessianSymmetricAndMatchesFiniteDifferencesOfGrad() throws {
        let f: TensorFunction = { xs in [try (self.mlp(xs)[0].unary(.sin)).sum()] }
        let x = randomTensor([3], seed: 22)
        let h = value(try hessian(f, argnums: [0])([op(x)])[0])
        XCTAssertEqual(h.shape, [3, 3])
        let v = h.doubles
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(v[i * 3 + j], v[j * 3 + i], accuracy: 1e-12) } }
        let g = grad(f, argnums: [0])
        let numeric = try numericJacobian(g, x)
        assertClose(h, numeric, rtol: 1e-6, atol: 1e-7)
        let rr = value(try jacrev(jacrev(f, argnums: [0]), argnums: [0])([op(x)])[0])
        assertClose(rr, h, rtol: 1e-12, atol: 1e-13)
    }

    func testVmapOfHessianEqualsPerSampleHessians() throws {
        let f: TensorFunction = { xs in [try (self.mlp(xs)[0].unary(.tanh) * self.mlp(xs)[0]).sum()] }
        let xs = op(randomTensor([3, 3], seed: 29))
        let batched = value(try vmap(hessian(f, argnums: [0]), inDims: [0], outDims: { [0] })([xs])[0])
        XCTAssertEqual(batched.shape, [3, 3, 3])
        for b in 0..<3 {
            let one = value(try hessian(f, argnums: [0])([try xs.subscripted([.index(b)])])[0])
            assertClose(value(try op(batched).subscripted([.index(b)])), one, rtol: 1e-12, atol: 1e-13)
        }
    }

    func testThirdDerivativesOfTanhAndSin() throws {
        let x = randomTensor([4], seed: 23)
        let elementwise: (UnaryOp) -> TensorFunction = { u in { xs in [try xs[0].unary(u).sum()] } }
        // d3/dx3 tanh = -2 (1 - t^2)(1 - 3 t^2) ... derived: f''' = 6 t^2 sech^2 - 2 sech^4 ... use closed form:
        // tanh''' = -2 sech^2(x) (sech^2(x) - 2 tanh^2(x)) ; sin''' = -cos.
        for (u, closed) in [(UnaryOp.tanh, { (v: Double) -> Double in
                                let s2 = 1 - Foundation_tanh(v) * Foundation_tanh(v)
                                return -2 * s2 * (s2 - 2 * Foundation_tanh(v) * Foundation_tanh(v)) }),
                            (UnaryOp.sin, { (v: Double) -> Double in -Foundation_cos(v) })] {
            let third = jacrev(jacrev(grad(elementwise(u), argnums: [0]), argnums: [0]), argnums: [0])
            let t = value(try third([op(x)])[0])
            XCTAssertEqual(t.shape, [4, 4, 4])
            let d = t.doubles
            for i in 0..<4 {
                for j in 0..<4 { for k in 0..<4 {
                    let expected = (i == j && j == k) ? closed(x.doubles[i]) : 0
                    XCTAssertEqual(d[(i * 4 + j) * 4 + k], expected, accuracy: 1e-12)
                } }
            }
        }
    }

    func testGradOfJacobianSumAndNestedVmap() throws {
        let x = op(randomTensor([3], seed: 24))
        let f: TensorFunction = { xs in [try jacrev(self.mlp, argnums: [0])(xs)[0].sum()] }
        let g = value(try grad(f, argnums: [0])([x])[0])
        let numeric = try numericJacobian(f, x.concrete!)
        assertClose(g, numeric.reshaped([3]), rtol: 1e-6, atol: 1e-8)
        let xs = op(randomTensor([2, 4, 3], seed: 25))
        let nested = value(try vmap(vmap(mlp, inDims: [0], outDims: { [0] }), inDims: [0], outDims: { [0] })([xs])[0])
        let flat = value(try mlp([try xs.reshaped([8, 3])])[0])
        assertClose(nested.reshaped([8, 2]), flat, rtol: 1e-14, atol: 1e-15)
    }

    func testClosureOverOuterTracer() throws {
        // d/dx [ jacrev(y -> x * y)(x) summed ] = d/dx sum(diag(x)) = ones
        let x = op(randomTensor([3], seed: 26))
        let f: TensorFunction = { xs in
            [try jacrev({ ys in [try xs[0] * ys[0]] }, argnums: [0])(xs)[0].sum()]
        }
        let g = value(try grad(f, argnums: [0])([x])[0])
        assertClose(g, Tensor(shape: [3], float64: [1, 1, 1]))
    }

    func testOptimizerDropsIdentityProductAndVerifies() throws {
        let stager = Stager()
        let xs = op(randomTensor([8, 3], seed: 27, dtype: .float32))
        let w1f = op(w1.concrete!.converted(to: .float32)), w2f = op(w2.concrete!.converted(to: .float32))
        let net: TensorFunction = { xs in [try xs[0].linear(w1f, nil).unary(.tanh).linear(w2f, nil)] }
        _ = try stager.run(key: "J", [xs]) { args in
            try vmap(jacrev(net, argnums: [0]), inDims: [0], outDims: { [0] })(args)
        }
        let program = stager.last!.program
        try program.verify()
        XCTAssertFalse(program.equations.contains { if case .identity = $0.primitive { return true }; return false },
                       "the identity basis should be folded away:\n\(program)")
        let dots = program.equations.filter { if case .dotGeneral = $0.primitive { return true }; return false }
        XCTAssertEqual(dots.count, 2, "forward h = x W1^T and one backward product:\n\(program)")
        _ = try stager.run(key: "J", [xs]) { args in
            try vmap(jacrev(net, argnums: [0]), inDims: [0], outDims: { [0] })(args)
        }
        XCTAssertTrue(stager.last!.cacheHit)
    }

    /// The Jacobian of a whole batch starts with products of the reshaped identity basis; they
    /// become copies placed on the block diagonal, and the results are the same bits as the
    /// unoptimised program's dense products (jacrev and jacfwd; float32 and float64; one batch
    /// dimension or two; one contracted dimension or two; every dimension contracted, A = 1).
    func testFullJacobianPlacesTheBasisProductsWithoutGEMMs() throws {
        let w = randomTensor([5, 4], seed: 50), u = randomTensor([3, 5], seed: 53)
        let v = randomTensor([3, 4, 5], seed: 51), q = randomTensor([5, 2, 3], seed: 54)
        func isBasisProduct(_ e: Equation, _ p: Program) -> Bool {
            guard case .dotGeneral = e.primitive else { return false }
            return p.equations.contains { d in
                if case .reshape = d.primitive, d.outputs[0] == e.inputs[0],
                   p.equations.contains(where: { i in
                       if case .identity = i.primitive { return i.outputs[0] == d.inputs[0] }
                       return false
                   }) { return true }
                return false
            }
        }
        // (name, x's shape, dtype, reverse mode). "two": the products contract two dimensions
        // (jacfwd: x's last two; jacrev: the output's last two).
        let cases: [(String, Shape, DType, Bool)] = [
            ("[6, 4] jacrev", [6, 4], .float32, true), ("[6, 4] jacfwd", [6, 4], .float32, false),
            ("[2, 3, 4] jacrev float64", [2, 3, 4], .float64, true), ("[2, 3, 4] jacfwd", [2, 3, 4], .float32, false),
            ("[2, 3, 4] two jacrev", [2, 3, 4], .float32, true), ("[2, 3, 4] two jacfwd", [2, 3, 4], .float64, false),
            ("[3, 4] two jacfwd (A = 1)", [3, 4], .float32, false), ("[3, 4] two jacrev (A = 1)", [3, 4], .float32, true),
        ]
        for (name, shape, dtype, reverse) in cases {
            let x = randomTensor(shape, seed: 52, dtype: dtype)
            let (wt, ut, vt, qt) = (op(w.converted(to: dtype)), op(u.converted(to: dtype)),
                                    op(v.converted(to: dtype)), op(q.converted(to: dtype)))
            let f: TensorFunction = name.contains("two")
                ? { a in
                    let r = shape.rank
                    let h = try Operand.dot(a[0], vt, DotDimensions(lhsContracting: [r - 2, r - 1], rhsContracting: [0, 1])).unary(.tanh)
                    return [try Operand.dot(h, qt, DotDimensions(lhsContracting: [r - 2], rhsContracting: [0]))]
                }
                : { a in [try a[0].linear(wt, nil).unary(.tanh).linear(ut, nil)] }
            let jac = reverse ? jacrev(f, argnums: [0]) : jacfwd(f, argnums: [0])
            let traced = try trace(inputTypes: [TensorType(of: x)], jac).program
            let optimized = try traced.optimized()
            try optimized.verify()
            XCTAssertTrue(traced.equations.contains { isBasisProduct($0, traced) }, "\(name): the traced program\n\(traced)")
            XCTAssertFalse(optimized.equations.contains { isBasisProduct($0, optimized) }, "\(name):\n\(optimized)")
            XCTAssertLessThan(Cost.flops(optimized), Cost.flops(traced), name)
            var ev = Evaluator()
            let fast = try ev.run(optimized, [x])[0], dense = try ev.run(traced, [x])[0]
            XCTAssertEqual(fast.shape, dense.shape, name)
            XCTAssertEqual(fast.doubles.map(\.bitPattern), dense.doubles.map(\.bitPattern), "\(name): not the same bits")
            XCTAssertFalse(fast.doubles.contains { $0 == 0 && $0.sign == .minus }, "\(name): zeros are positive")
        }
    }

    func testPerSampleParameterJacobiansAreOuterProductsWithoutTransposes() throws {
        // d tanh(W x) / dW per sample is an outer product; the optimizer swaps the operands of the
        // product instead of transposing its result, and the values are those of one sample at a time.
        let x = randomTensor([5, 3], seed: 40), w = randomTensor([4, 3], seed: 41)
        let f: TensorFunction = { a in [try a[0].linear(a[1], nil).unary(.tanh)] }
        let g = vmap(jacrev(f, argnums: [1]), inDims: [0, nil], outDims: { [0] })
        let program = try trace(inputTypes: [TensorType(of: x), TensorType(of: w)], g).program.optimized()
        XCTAssertFalse(program.equations.contains { if case .transpose = $0.primitive { return true }; return false },
                       "no transpose of the outer products:\n\(program)")
        var ev = Evaluator()
        let batched = try ev.run(program, [x, w])[0]
        XCTAssertEqual(batched.shape, [5, 4, 4, 3])
        for i in 0..<5 {
            let xi = try x.sliced(start: [i, 0], limit: [i + 1, 3], stride: [1, 1]).reshaped([3])
            let single = value(try jacrev(f, argnums: [1])([op(xi), op(w)])[0])
            let row = try batched.sliced(start: [i, 0, 0, 0], limit: [i + 1, 4, 4, 3], stride: [1, 1, 1, 1]).reshaped([4, 4, 3])
            assertClose(row, single, rtol: 1e-12, atol: 1e-15, "sample \(i)")
        }
    }

    func testTransposesAtTheLastUseOfAValueRunInPlace() throws {
        // tanh(x)^T for square matrices: in place on the intermediate; a transpose of the input
        // itself leaves the caller's tensor as it was.
        let x = randomTensor([2, 20, 20], seed: 44)
        let original = x.doubles
        let program = try trace(inputTypes: [TensorType(of: x)]) { a in
            [try a[0].unary(.tanh).permuted([0, 2, 1]), try a[0].permuted([0, 2, 1])]
        }.program.optimized()
        var ev = Evaluator()
        let outs = try ev.run(program, [x])
        XCTAssertEqual(outs[0].doubles, try Tensor.unary(.tanh, x).transposed([0, 2, 1]).doubles)
        XCTAssertEqual(outs[1].doubles, try x.transposed([0, 2, 1]).doubles)
        XCTAssertEqual(x.doubles, original)
    }

    func testCostEstimatesMatchTheEvaluator() throws {
        // FLOPs counted by the cost rules and the peak estimated from types equal what runs.
        let stager = Stager()
        let xs = op(randomTensor([8, 3], seed: 30))
        _ = try stager.run(key: "cost", [xs]) { try vmap(jacrev(self.mlp, argnums: [0]), inDims: [0], outDims: { [0] })($0) }
        let report = stager.last!
        XCTAssertEqual(Cost.peakBytes(ExecutionPlan(report.program)), report.peakBytes)
        XCTAssertGreaterThanOrEqual(Cost.peakBytes(report.program), report.peakBytes)
        // dot_general flops: 2 * M * N * K for the forward [8,3]x[3,5] product is among them.
        XCTAssertTrue(report.program.equations.contains { Cost.flops($0, report.program) == 2 * 8 * 5 * 3 })
    }

    func testErrors() throws {
        let x = op(randomTensor([3], seed: 28))
        XCTAssertThrowsError(try grad(mlp, argnums: [0])([x])) { e in
            XCTAssertTrue("\(e)".contains("one scalar"), "\(e)")
        }
        XCTAssertThrowsError(try vmap(mlp, inDims: [0, nil], outDims: { [0] })([x])) { e in
            XCTAssertTrue("\(e)".contains("in_dims has 2 entries"), "\(e)")
        }
        let ints = op(Tensor(shape: [3], int64: [1, 2, 3]))
        XCTAssertThrowsError(try jacrev(mlp, argnums: [0])([ints])) { e in
            XCTAssertTrue("\(e)".contains("only floating point"), "\(e)")
        }
        let branching: TensorFunction = { xs in
            _ = try xs[0].requireConcrete("if")
            return xs
        }
        XCTAssertThrowsError(try jacrev(branching, argnums: [0])([x])) { e in
            XCTAssertTrue("\(e)".contains("traced"), "\(e)")
        }
    }
}

import Foundation
func Foundation_tanh(_ x: Double) -> Double { Foundation.tanh(x) }
func Foundation_cos(_ x: Double) -> Double { Foundation.cos(x) }

/// `atan2(y, x)` built from `atan` (the half-angle form): C's values in all four quadrants, on the
/// axes and at the origin, and the analytic gradient `(x, -y) / (x^2 + y^2)` from reverse mode.
final class Atan2Tests: XCTestCase {
    func testValuesAndGradientAgreeWithTheFormulas() throws {
        let ys: [Double] = [1, -1, 0, -2, 0, 3, 0.5, -0.25, 0]
        let xs: [Double] = [1, -1, -1, 0.5, 0, -4, 0, 0, 2]
        let y = Operand.tensor(Tensor(shape: [9], float64: ys)), x = Operand.tensor(Tensor(shape: [9], float64: xs))
        let got = try Operand.atan2(y, x).requireConcrete("test").doubles
        for i in 0..<9 { XCTAssertEqual(got[i], Foundation.atan2(ys[i], xs[i]), accuracy: 1e-15, "atan2(\(ys[i]), \(xs[i]))") }
        let points = [(0.3, 1.5), (-2.0, -0.5), (1.0, -1.0), (-0.5, 2.0)]
        let f: TensorFunction = { v in [try Operand.atan2(v[0], v[1])] }
        for (py, px) in points {
            let g = try grad(f, argnums: [0, 1])([.tensor(Tensor(scalar: py, dtype: .float64)), .tensor(Tensor(scalar: px, dtype: .float64))])
            let r2 = px * px + py * py
            XCTAssertEqual(try g[0].requireConcrete("dy").scalarValue!, px / r2, accuracy: 1e-12)
            XCTAssertEqual(try g[1].requireConcrete("dx").scalarValue!, -py / r2, accuracy: 1e-12)
        }
    }
}
