import XCTest
import Foundation
@testable import AD
import Tensor

/// The imperative autograd against the functional transforms: for every primitive, the
/// gradient `backward` computes equals `vjp`'s; recorded backward passes (`create_graph`) give
/// the Hessian; a staged program recorded as one node differentiates like its equations; writes
/// through views are differentiated; and the derivative rules live in one place.
final class AutogradTests: XCTestCase {
    override func tearDown() {
        Autograd.isEnabled = true
    }

    /// A leaf that requires grad.
    func leaf(_ t: Tensor) -> TensorHandle { TensorHandle(.tensor(t), requiresGrad: true) }

    func testBackwardEqualsVJPForEveryPrimitive() throws {
        let x = randomTensor([3, 4], seed: 1)
        for (name, f) in primitiveCases {
            let h = leaf(x)
            let y = try f([h.operand])[0]
            guard let out = y.trackedHandle else { XCTFail("\(name): the result was not recorded"); continue }
            XCTAssertNotNil(out.gradFn, name)
            let ct = Operand.tensor(randomTensor(y.shape, seed: 7))
            let g = try Autograd.grad(roots: [(out, ct)], inputs: [h])[0]
            let (_, pullback, _) = try vjp(f, primals: [.tensor(x)])
            let expected = try pullback([ct])[0]
            assertClose(value(try XCTUnwrap(g, name).untracked), value(expected), rtol: 1e-12, atol: 1e-12, name)
        }
    }

    func testBackwardAccumulatesIntoLeaves() throws {
        let x = leaf(randomTensor([3, 4], seed: 2))
        for _ in 0..<2 {
            let y = try (x.operand * x.operand).reduceSum([0, 1])
            try Autograd.backward(roots: [(y.trackedHandle!, .scalar(1, .float64))])
        }
        assertClose(value(x.grad!.value), value(try x.value * .scalar(4, .float64)), rtol: 1e-14, atol: 0)
    }

    func testCreateGraphSecondDerivativesEqualTheHessian() throws {
        let x = randomTensor([4], seed: 3)
        let w = op(randomTensor([4], seed: 4))
        // A scalar function mixing several primitives.
        let f: TensorFunction = { xs in
            let v = xs[0]
            return [try ((v.unary(.tanh) * w).unary(.exp) + v * v * v + v.unary(.sin) * v).reduceSum([0])]
        }
        let h = leaf(x)
        let y = try f([h.operand])[0].trackedHandle!
        let g = try Autograd.grad(roots: [(y, .scalar(1, .float64))], inputs: [h], retainGraph: true, createGraph: true)[0]!
        guard let gh = g.trackedHandle else { return XCTFail("a create_graph gradient must be recorded") }
        var rows: [Operand] = []
        for i in 0..<4 {
            let basis = Operand.tensor(Tensor(shape: [4], doubles: (0..<4).map { $0 == i ? 1 : 0 }, dtype: .float64))
            rows.append(try Autograd.grad(roots: [(gh, basis)], inputs: [h], retainGraph: true)[0]!.untracked)
        }
        let numericRows = try Operand.stack(rows, dim: 0)
        let expected = try hessian(f, argnums: [0])([.tensor(x)])[0]
        assertClose(value(numericRows), value(expected), rtol: 1e-12, atol: 1e-12, "create_graph Hessian")
    }

    /// Once a backward has gone through a staged program, its recorded calls run the forward half of
    /// its split reverse-mode program and keep the residuals: the outputs are the plain program's
    /// bits, the backward half gives the bits of the whole reverse-mode program, the residuals count
    /// in the graph's bytes and are freed by the backward, and a second backward is PyTorch's error.
    func testARecordedProgramKeepsItsResidualsOnceBackpropagated() throws {
        for dtype in [DType.float32, .float64] {
            let w1 = leaf(randomTensor([6, 4], seed: 21, dtype: dtype)), w2 = leaf(randomTensor([3, 6], seed: 22, dtype: dtype))
            let x = randomTensor([5, 4], seed: 23, dtype: dtype)
            let f: TensorFunction = { xs in
                let h = try xs[0].matmul(w1.operand.permuted([1, 0])).unary(.tanh)
                return [try h.matmul(w2.operand.permuted([1, 0])).unary(.logistic)]
            }
            let body = vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })
            let stager = Stager()
            let ct = Operand.tensor(randomTensor([5, 3, 4], seed: 24, dtype: dtype))
            func call() throws -> (J: Operand, node: GradNode, grads: [Tensor]) {
                let J = try stager.run(key: "J", [.tensor(x)], body)[0]
                let node = try XCTUnwrap(J.trackedHandle?.gradFn)
                let grads = try Autograd.grad(roots: [(J.trackedHandle!, ct)], inputs: [w1, w2]).map { try XCTUnwrap($0).untracked.requireConcrete("") }
                return (J, node, grads)
            }
            let first = try call()
            XCTAssertNil(first.node.residuals, "the first call recomputes in its backward")
            let J = try stager.run(key: "J", [.tensor(x)], body)[0]
            let node = try XCTUnwrap(J.trackedHandle?.gradFn)
            let residuals = try XCTUnwrap(node.residuals, "a program backpropagated through keeps its residuals")
            XCTAssertEqual(residuals.wrt, [false, true, true])
            let (now, then) = (try J.untracked.requireConcrete(""), try first.J.untracked.requireConcrete(""))
            XCTAssertTrue(now.doubles.map(\.bitPattern) == then.doubles.map(\.bitPattern), "\(dtype): the forward half's outputs are the program's bits")
            let before = Autograd.liveGraphBytes
            XCTAssertGreaterThan(residuals.bytes, 0)
            XCTAssertGreaterThanOrEqual(node.savedBytes, residuals.bytes)
            let grads = try Autograd.grad(roots: [(J.trackedHandle!, ct)], inputs: [w1, w2]).map { try XCTUnwrap($0).untracked.requireConcrete("") }
            for (g, e) in zip(grads, first.grads) {
                XCTAssertTrue(g.doubles.map(\.bitPattern) == e.doubles.map(\.bitPattern), "\(dtype): the backward half's bits")
            }
            XCTAssertNil(node.residuals, "freed by the backward")
            XCTAssertLessThan(Autograd.liveGraphBytes, before)
            XCTAssertThrowsError(try Autograd.grad(roots: [(J.trackedHandle!, ct)], inputs: [w1]), "a second backward without retain_graph")
            // Only some of the inputs wanted: the backward half keeps only their cotangents.
            let J3 = try stager.run(key: "J", [.tensor(x)], body)[0]
            let only = try Autograd.grad(roots: [(J3.trackedHandle!, ct)], inputs: [w2])[0]!.untracked.requireConcrete("")
            XCTAssertTrue(only.doubles.map(\.bitPattern) == first.grads[1].doubles.map(\.bitPattern))
        }
        // The forward half does only the function's work: the inverse in det's derivative waits
        // for a backward. A residual that is an output is counted once.
        let det = try trace(inputTypes: [TensorType(shape: [3, 3], dtype: .float64)]) { xs in [try bind1(.linalg(.determinant), xs[0])] }
        let detSplit = try det.program.residualSplit(wrt: [true])
        XCTAssertFalse(detSplit.forward.equations.contains { if case .linalg(.inverse) = $0.primitive { return true }; return false })
        XCTAssertTrue(detSplit.backward.equations.contains { if case .linalg(.inverse) = $0.primitive { return true }; return false })
        let exp = try trace(inputTypes: [TensorType(shape: [4], dtype: .float64)]) { xs in [try xs[0].unary(.exp)] }
        let expSplit = try exp.program.residualSplit(wrt: [true])
        XCTAssertEqual(expSplit.residualIsOutput, [true], "exp's backward reads its output")
        let r = GradNode.Residuals(wrt: [true], values: [randomTensor([4], seed: 1)], isOutput: expSplit.residualIsOutput)
        XCTAssertEqual(r.bytes, 0)
    }

    /// The backward of tanh and sigmoid in one pass gives the bits of the VJP rule's three
    /// operations, is recorded under create_graph as one node with PyTorch's name, and that node
    /// differentiates like the rule (the third derivative against forward mode).
    func testActivationBackwardIsTheRuleInOnePass() throws {
        for dtype in [DType.float32, .float64] {
            for (unary, name) in [(UnaryOp.tanh, "TanhBackwardBackward0"), (.logistic, "SigmoidBackwardBackward0")] {
                let x = randomTensor([5, 7], seed: 11, dtype: dtype)
                let y = try Tensor.unary(unary, x)
                let ct = randomTensor([5, 7], seed: 12, dtype: dtype)
                let onePass = try XCTUnwrap(Tensor.activationBackward(unary, grad: ct, output: y))
                let rule = try VJP.apply(.unary(unary), x: [.tensor(x)], y: [.tensor(y)], ct: .tensor(ct), need: [true])[0]!
                XCTAssertEqual(onePass.doubles, try rule.requireConcrete("").doubles, "\(unary) \(dtype): not the rule's bits")

                // d/dx of sum(grad(sum(f(x) * w), x, create_graph) * v): one recorded node, and
                // the third-order value of forward mode.
                let w = op(randomTensor([5, 7], seed: 13, dtype: dtype))
                let v = op(randomTensor([5, 7], seed: 14, dtype: dtype))
                let h = leaf(x)
                let out = try (h.operand.unary(unary) * w).reduceSum([0, 1]).trackedHandle!
                let g = try Autograd.grad(roots: [(out, .scalar(1, dtype))], inputs: [h], retainGraph: true, createGraph: true)[0]!
                XCTAssertEqual(g.trackedHandle?.gradFn?.name, name)
                let second = try (g * v).reduceSum([0, 1]).trackedHandle!
                let third = try Autograd.grad(roots: [(second, .scalar(1, dtype))], inputs: [h])[0]!.untracked
                let f: TensorFunction = { xs in [try (xs[0].unary(unary) * w).reduceSum([0, 1])] }
                let gradient: TensorFunction = { xs in [try (grad(f, argnums: [0])(xs)[0] * v).reduceSum([0, 1])] }
                let expected = try grad(gradient, argnums: [0])([.tensor(x)])[0]
                let tol = dtype == .float32 ? 1e-5 : 1e-12
                assertClose(value(third), value(expected), rtol: tol, atol: tol, "\(unary) \(dtype) third derivative")
            }
        }
    }

    func testAStagedProgramIsOneNodeThatDifferentiatesLikeItsEquations() throws {
        let w = leaf(randomTensor([3, 4], seed: 5))
        let x = randomTensor([5, 4], seed: 6)
        // vmap(jacrev(f)) where f reads a weight that requires grad.
        let f: TensorFunction = { xs in [try xs[0].matmul(w.operand.permuted([1, 0])).unary(.tanh)] }
        let body = vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })
        let stager = Stager()
        let J = try stager.run(key: "J", [.tensor(x)], body)[0]
        guard let node = J.trackedHandle?.gradFn, case .program = node.operation else {
            return XCTFail("the staged call must be recorded as one program node")
        }
        let ct = Operand.tensor(randomTensor(J.shape, seed: 8))
        let g = try Autograd.grad(roots: [(J.trackedHandle!, ct)], inputs: [w])[0]!
        // The same through the functional transforms: d <ct, vmap(jacrev(f_w))(x)> / dw.
        let asFunctionOfW: TensorFunction = { ws in
            let fw: TensorFunction = { xs in [try xs[0].matmul(ws[0].permuted([1, 0])).unary(.tanh)] }
            return [try (vmap(jacrev(fw, argnums: [0]), inDims: [0], outDims: { [0] })([.tensor(x)])[0] * ct).reduceSum([0, 1, 2])]
        }
        let expected = try grad(asFunctionOfW, argnums: [0])([w.value])[0]
        assertClose(value(g.untracked), value(expected), rtol: 1e-12, atol: 1e-12, "program node")
        // A second call reuses the cached program and reads the weight's current value.
        try Autograd.withMode(false) { try w.write(try w.value * .scalar(2, .float64)) }
        let J2 = try stager.run(key: "J", [.tensor(x)], body)[0]
        XCTAssertEqual(stager.last?.cacheHit, true)
        let fresh = try Autograd.withMode(false) { try vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })([.tensor(x)])[0] }
        assertClose(value(J2.untracked), value(fresh), rtol: 0, atol: 0, "cached program after a write")
    }

    func testWritesThroughAViewAreDifferentiated() throws {
        let w = leaf(randomTensor([2], seed: 9))
        // buf = zeros(3); buf[1:] = w * w; loss = sum(buf * [1, 2, 3])
        let buf = TensorHandle(.tensor(Tensor.full([3], 0, dtype: .float64)))
        let region = TensorHandle(try buf.value.subscripted([.slice(start: 1, stop: nil, step: nil)]))
        region.becomeView(of: buf, function: { try $0.subscripted([.slice(start: 1, stop: nil, step: nil)]) },
                          tracksHistory: true, layout: StridedLayout(contiguous: [2]))
        try region.write(try w.operand * w.operand)
        XCTAssertTrue(buf.requiresGrad)
        XCTAssertEqual(buf.gradFn?.name, "CopySlices")
        XCTAssertEqual(buf.version, 1)
        let weights = Operand.tensor(Tensor(shape: [3], doubles: [1, 2, 3], dtype: .float64))
        let loss = try (buf.operand * weights).reduceSum([0])
        let g = try Autograd.grad(roots: [(loss.trackedHandle!, .scalar(1, .float64))], inputs: [w])[0]!
        let wv = w.value.concrete!.doubles
        assertClose(value(g.untracked), Tensor(shape: [2], doubles: [4 * wv[0], 6 * wv[1]], dtype: .float64), rtol: 1e-14, atol: 0)
    }

    func testModifiedSavedValuesAndFreedGraphsAreErrors() throws {
        let x = leaf(randomTensor([3], seed: 10))
        let a = try x.operand * .scalar(2, .float64)
        let b = try a.unary(.sin)
        try a.trackedHandle!.write(try a * .scalar(2, .float64))
        XCTAssertThrowsError(try Autograd.backward(roots: [(try b.reduceSum([0]).trackedHandle!, .scalar(1, .float64))])) { e in
            XCTAssertTrue("\(e)".contains("modified by an inplace operation"), "\(e)")
        }
        let y = try x.operand.unary(.exp).reduceSum([0]).trackedHandle!
        try Autograd.backward(roots: [(y, .scalar(1, .float64))])
        XCTAssertThrowsError(try Autograd.backward(roots: [(y, .scalar(1, .float64))])) { e in
            XCTAssertTrue("\(e)".contains("backward through the graph a second time"), "\(e)")
        }
        XCTAssertThrowsError(try x.write(.tensor(Tensor.full([3], 0, dtype: .float64)))) { e in
            XCTAssertTrue("\(e)".contains("leaf Variable that requires grad"), "\(e)")
        }
    }

    func testNoGradRecordsNothing() throws {
        let x = leaf(randomTensor([3], seed: 11))
        let y = try Autograd.withMode(false) { try x.operand.unary(.tanh) }
        XCTAssertNil(y.trackedHandle)
    }

    /// One table of derivatives: the backward pass reaches derivatives only through the VJP
    /// rules, and no code outside `AD/Rules` uses the derivative helpers.
    func testDerivativeFormulasLiveOnlyInTheRules() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        var vjpCallers: [String] = []
        for f in files {
            let text = try String(contentsOf: sources.appendingPathComponent(f), encoding: .utf8)
            if !f.hasPrefix("AD/Rules/") {
                XCTAssertFalse(text.contains("Derivatives.") || text.contains("LinalgDerivatives."), "\(f) uses derivative formulas outside AD/Rules")
            }
            if text.contains("VJP.apply(") { vjpCallers.append(f) }
        }
        XCTAssertEqual(Set(vjpCallers), ["AD/Transforms/VJPTransform.swift", "AD/Autograd/Backward.swift", "AD/Autograd/ActivationBackward.swift"])
        let backward = try String(contentsOf: sources.appendingPathComponent("AD/Autograd/Backward.swift"), encoding: .utf8)
        for forbidden in [".unary(", "Operand.binary(", ".dotGeneral", "Operand.dot("] {
            XCTAssertFalse(backward.contains(forbidden), "Backward.swift computes derivatives itself (\(forbidden))")
        }
    }
}
