import XCTest
@testable import AD
@testable import Tensor

/// Elementwise fusion (`Optimizer/Fusion.swift`, `Tensor/Kernels/FusedLoop.swift`): fused and
/// unfused plans of the same program give the same bits, on random elementwise programs and on the
/// programs of the batched Jacobians and Hessians; the plan fuses what it should and keeps what is
/// read outside a loop.
final class FusionTests: XCTestCase {
    /// Runs `program` planned both ways; asserts that the outputs are bit for bit the same and
    /// that `Cost.peakBytes` predicts both peaks, and returns the fused plan.
    @discardableResult
    func assertFusedAgrees(_ program: Program, _ inputs: [Tensor], _ context: String,
                           file: StaticString = #filePath, line: UInt = #line) throws -> ExecutionPlan {
        let fused = ExecutionPlan(program, fusing: true), plain = ExecutionPlan(program, fusing: false)
        var ev = Evaluator(shouldStop: { false })
        let a = try ev.run(fused, inputs)
        // The estimates from types alone equal the peaks the evaluator measures, fused or not.
        XCTAssertEqual(Cost.peakBytes(fused), ev.peakBytes, "\(context): fused peak estimate", file: file, line: line)
        let b = try ev.run(plain, inputs)
        XCTAssertEqual(Cost.peakBytes(plain), ev.peakBytes, "\(context): unfused peak estimate", file: file, line: line)
        XCTAssertEqual(Cost.peakBytes(program), ev.peakBytes, "\(context): program peak estimate", file: file, line: line)
        XCTAssertEqual(a.count, b.count, context, file: file, line: line)
        for (k, (x, y)) in zip(a, b).enumerated() {
            XCTAssertEqual(x.shape, y.shape, "\(context): output \(k)", file: file, line: line)
            XCTAssertEqual(x.dtype, y.dtype, "\(context): output \(k)", file: file, line: line)
            // Bits, so that NaN == NaN and -0 != 0.
            XCTAssertEqual(bits(x), bits(y), "\(context): output \(k) differs", file: file, line: line)
        }
        return fused
    }

    func bits(_ t: Tensor) -> [UInt64] {
        switch t.storage {
        case .float32(let a): return a.map { UInt64($0.bitPattern) }
        case .float64(let a): return a.map(\.bitPattern)
        default: return t.doubles.map(\.bitPattern)
        }
    }

    /// SplitMix64, so that every run tests the same programs.
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    /// 300 random programs of elementwise equations over operands of broadcast-compatible shapes
    /// (full, broadcast along some dimensions, rows read in place, scalars, with reshapes that add
    /// size-1 dimensions),
    /// every unary and binary float operation, comparisons and selects, some intermediates read by
    /// a reduction or returned: fused and unfused agree bit for bit.
    func testRandomElementwiseProgramsAgreeBitForBit() throws {
        var rng = Random(state: 17)
        let unary: [UnaryOp] = UnaryOp.allCases.filter { $0 != .not }
        let binary: [BinaryOp] = [.add, .sub, .mul, .div, .pow, .max, .min, .remainder]
        var fusedLoops = 0
        for trial in 0..<300 {
            let dtype: DType = rng.next(3) == 0 ? .float64 : .float32
            // ([3, 16, 64], [2, 8, 3, 40] and [4, 300] are long enough for operands broadcast
            // along all but the last dimension to be read in place as rows.)
            let full = [[5, 7], [3, 4, 33], [2, 3, 5, 2], [1100], [4, 300], [3, 16, 64], [2, 8, 3, 40]][rng.next(7)]
            // Input shapes: the full shape, or with some dimensions 1, or fewer dimensions, or a scalar.
            let inputShapes: [Shape] = (0..<3).map { _ in
                switch rng.next(4) {
                case 0: return Shape(full)
                case 1: return Shape(full.map { rng.next(2) == 0 ? 1 : $0 })
                case 2: return Shape(Array(full.suffix(max(1, full.count - 1))))
                default: return Shape([])
                }
            }
            let types = inputShapes.map { TensorType(shape: $0, dtype: dtype) }
            let steps = 3 + rng.next(10)
            var seedCounter: UInt64 = UInt64(trial) * 10
            let inputs = inputShapes.map { s -> Tensor in
                seedCounter += 1
                // Values in (-2, 2), some exactly 0 and some negative, for the edges of log, pow, div.
                let t = randomTensor(s, seed: seedCounter, dtype: .float64)
                let edged = t.doubles.enumerated().map { i, v in i % 7 == 3 ? 0 : 2 * v }
                return Tensor(shape: s, doubles: edged, dtype: dtype)
            }
            var plan = rng  // the same choices while tracing
            let closed = try trace(inputTypes: types) { xs in
                var values = xs
                var outputs: [Operand] = []
                for _ in 0..<steps {
                    let a = values[plan.next(values.count)], b = values[plan.next(values.count)]
                    let r: Operand
                    switch plan.next(6) {
                    case 0, 1: r = try a.unary(unary[plan.next(unary.count)])
                    case 2, 3: r = try Operand.binary(binary[plan.next(binary.count)], a, b)
                    case 4:
                        let c = try Operand.compare([.lt, .le, .gt, .ge, .eq, .ne][plan.next(6)], a, b)
                        r = try Operand.select(c, a, b)
                    default:
                        // A reshape that adds a leading dimension of size 1, then a product.
                        r = try Operand.binary(.mul, try a.reshaped(Shape([1] + a.shape.dims)), b)
                    }
                    values.append(r)
                    if plan.next(5) == 0 { outputs.append(try r.reduceSum(Array(0..<r.rank))) }
                }
                return outputs + [values.last!]
            }
            rng = plan
            let program = try closed.program.optimized()
            let fused = try assertFusedAgrees(program, inputs, "program \(trial)\n\(program)")
            fusedLoops += fused.fusedLoopCount
        }
        XCTAssertGreaterThan(fusedLoops, 150, "the random programs should exercise fused loops")
    }

    /// A small tanh MLP's weights, as operands.
    func mlp(_ widths: [Int], dtype: DType = .float32) -> TensorFunction {
        var layers: [(Operand, Operand)] = []
        for (k, (i, o)) in zip(widths, widths.dropFirst()).enumerated() {
            layers.append((.tensor(randomTensor([o, i], seed: UInt64(10 + k), dtype: dtype)),
                           .tensor(randomTensor([o], seed: UInt64(20 + k), dtype: dtype))))
        }
        return { xs in
            var h = xs[0]
            for (k, (w, b)) in layers.enumerated() {
                h = try h.linear(w, b)
                if k < layers.count - 1 { h = try h.unary(.tanh) }
            }
            return [h]
        }
    }

    /// The programs the benchmarks run: per-sample Jacobians both ways and per-sample Hessians.
    /// Their elementwise chains (including those split by vmap's broadcasting reshapes) fuse, and
    /// the results do not change.
    func testBatchedJacobianAndHessianProgramsAgreeBitForBit() throws {
        let x = randomTensor([8, 6], seed: 3, dtype: .float32)
        let f = mlp([6, 16, 16, 3])
        let scalar: TensorFunction = { xs in [try f(xs)[0].reduceSum([0])] }
        let cases: [(String, TensorFunction)] = [
            ("vmap(jacrev)", vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })),
            ("vmap(jacfwd)", vmap(jacfwd(f, argnums: [0]), inDims: [0], outDims: { [0] })),
            ("vmap(hessian)", vmap(hessian(scalar, argnums: [0]), inDims: [0], outDims: { [0] })),
        ]
        for (name, g) in cases {
            let program = try trace(inputTypes: [TensorType(of: x)], g).program.optimized()
            let plan = try assertFusedAgrees(program, [x], name)
            XCTAssertGreaterThan(plan.fusedLoopCount, 0, "\(name) should fuse its elementwise chains")
        }
        // The Hessian's chains run through reshapes that add size-1 dimensions.
        let hessianProgram = try trace(inputTypes: [TensorType(of: x)], cases[2].1).program.optimized()
        XCTAssertGreaterThanOrEqual(ExecutionPlan(hessianProgram).fusedEquationCount, 10)
    }

    /// A plan wakes the helper thread at the start of a run when one of its steps may use it: a
    /// product of `SmallGemm.threadedFlops` or more, or a fused loop of
    /// `FusedLoop.threadedElements` elements or more. The Hessian of the peers' workload has both;
    /// a small batch has neither.
    func testPlansKnowWhetherTheyUseTheHelperThread() throws {
        let f = mlp([16, 64, 64, 1])
        let scalar: TensorFunction = { xs in [try f(xs)[0].reduceSum([0])] }
        let g = vmap(hessian(scalar, argnums: [0]), inDims: [0], outDims: { [0] })
        for (batch, uses) in [(64, true), (2, false)] {
            let x = randomTensor([batch, 16], seed: 5, dtype: .float32)
            let plan = ExecutionPlan(try trace(inputTypes: [TensorType(of: x)], g).program.optimized())
            XCTAssertEqual(plan.usesHelperThread, uses, "batch \(batch)")
            var ev = Evaluator(shouldStop: { false })
            XCTAssertEqual(try ev.run(plan, [x])[0].shape, [batch, 16, 16])
        }
    }

    /// `tanh(x) * (1 - tanh(x)^2)` with `tanh(x)` also returned: one loop, two outputs, and the
    /// intermediates `1 - tanh^2` are never materialised.
    func testPlanKeepsWhatIsReadOutsideTheLoop() throws {
        let t = TensorType(shape: [4, 5], dtype: .float32)
        let closed = try trace(inputTypes: [t]) { xs in
            let y = try xs[0].unary(.tanh)
            let d = try y.constant(1) - y * y
            return [y, try y * d]
        }
        let program = try closed.program.optimized()
        let plan = ExecutionPlan(program, fusing: true)
        XCTAssertEqual(plan.fusedLoopCount, 1)
        guard case .fused(let loop, _, let outputs, let members)? = plan.steps.first(where: {
            if case .fused = $0 { return true }; return false
        }) else { return XCTFail("no fused step") }
        XCTAssertEqual(members.count, program.equations.count)
        XCTAssertEqual(outputs.count, 2, "tanh(x) and the product are read outside the loop")
        XCTAssertEqual(loop.outputs.count, 2)
        try assertFusedAgrees(program, [randomTensor([4, 5], seed: 9, dtype: .float32)], "tanh chain")
        XCTAssertTrue(ProgramPrinter.text(program, plan: plan).contains("run as 1 fused loop"))
    }

    /// `-(t + t)`, the derivative of `-(t * t)` (in `tanh`'s second derivative), is one product by
    /// -2: the values of the unoptimised program, with overflow, signed zeros, subnormals and NaN.
    func testNegatedDoublingIsOneProduct() throws {
        let t = TensorType(shape: [2, 5], dtype: .float32)
        let closed = try trace(inputTypes: [t, t]) { xs in
            let p = try xs[0] * xs[1]
            return [try (p + p).unary(.neg), try (p * p.constant(3)).unary(.neg)]
        }
        let program = try closed.program.optimized()
        XCTAssertEqual(program.equations.map(\.primitive.name), ["mul", "mul", "mul"], "\(program)")
        let x = Tensor(shape: [2, 5], float32: [1.5, -0.0, 0, 3e38, -3e38, 1e-45, .nan, .infinity, -2.25, 7])
        let y = Tensor(shape: [2, 5], float32: [3, 2, -1, 2, 1, 0.5, 1, -1, 1e-38, 1])
        var ev = Evaluator(shouldStop: { false })
        let optimised = try ev.run(ExecutionPlan(program), [x, y])
        let plain = try ev.run(ExecutionPlan(closed.program, fusing: false), [x, y])
        for (a, b) in zip(optimised, plain) {
            // Bits, so that -0 != 0 (a NaN's sign bit may differ: compared as NaN).
            XCTAssertEqual(a.doubles.map { $0.isNaN ? 0x7ff8 : $0.bitPattern }, b.doubles.map { $0.isNaN ? 0x7ff8 : $0.bitPattern })
        }
        XCTAssertEqual(bits(optimised[0]).count, 10)
    }

    /// Two chains that nothing outside reads, the second after a product the first does not need,
    /// joined by one equation: one loop at the join (the Hessian's backward pass has this shape:
    /// its chain through the first layer, then a GEMM, then the sum of the two).
    func testIndependentChainsJoinIntoOneLoop() throws {
        let t = TensorType(shape: [4, 6], dtype: .float32), w = TensorType(shape: [6, 6], dtype: .float32)
        let closed = try trace(inputTypes: [t, w, t]) { xs in
            let first = try (xs[0].unary(.tanh) * xs[2]).unary(.neg)      // chain 1: tanh, mul, neg
            let product = try xs[0].matmul(xs[1])                         // not fusable, after chain 1
            let second = try product.unary(.sin) * xs[2]                  // chain 2 reads the product
            return [try first + second]                                   // the join
        }
        let program = try closed.program.optimized()
        let inputs = [randomTensor([4, 6], seed: 4, dtype: .float32), randomTensor([6, 6], seed: 5, dtype: .float32),
                      randomTensor([4, 6], seed: 6, dtype: .float32)]
        let plan = try assertFusedAgrees(program, inputs, "joined chains")
        XCTAssertEqual(plan.fusedLoopCount, 1, ProgramPrinter.text(program, plan: plan))
        XCTAssertEqual(plan.fusedEquationCount, 6)
        guard case .fused(_, _, let outputs, _)? = plan.steps.last else { return XCTFail("the loop runs last") }
        XCTAssertEqual(outputs.count, 1, "only the sum is written out")
    }

    /// `:cost`'s estimate follows the plan: fusing `tanh(w) * exp(w) * sin(w)` never allocates
    /// its intermediates (unfused, the three coexist with `w`: elementwise arithmetic writes over
    /// a value at its last use, but `w` is read by all three), and a square transpose at a
    /// computed value's last use reuses its storage; the evaluator measures the same peaks.
    func testPeakEstimatesFollowThePlan() throws {
        let t = TensorType(shape: [64, 64], dtype: .float32)
        let closed = try trace(inputTypes: [t]) { xs in
            let d = try (xs[0].unary(.tanh) * xs[0].unary(.exp) * xs[0].unary(.sin)).permuted([1, 0])
            return [d]
        }
        let program = try closed.program.optimized()
        let plan = try assertFusedAgrees(program, [randomTensor([64, 64], seed: 12, dtype: .float32)], "peaks")
        XCTAssertLessThan(Cost.peakBytes(plan), Cost.peakBytes(program), "fusion lowers the peak")
        let constants = program.constants.reduce(0) { $0 + $1.1.byteCount }
        XCTAssertEqual(Cost.peakBytes(plan), 2 * 64 * 64 * 4 + constants, "the input and one result: the transpose reuses the loop's")
    }

    /// A reshape of a fused value that is read outside the loop runs after the loop; one read
    /// only inside the loop is dropped.
    func testReshapesOfFusedValues() throws {
        let t = TensorType(shape: [3, 4], dtype: .float64)
        let closed = try trace(inputTypes: [t, TensorType(shape: [3, 2, 4], dtype: .float64)]) { xs in
            let a = try xs[0].unary(.sin) * xs[0]
            let r = try a.reshaped([3, 1, 4])                 // read by a product and returned
            let p = try Operand.binary(.mul, r, r)            // [3, 1, 4], fused with a
            let q = try Operand.binary(.add, r, xs[1])        // [3, 2, 4]: another shape, reads r
            return [r, p, q]
        }
        let program = try closed.program.optimized()
        let plan = try assertFusedAgrees(program, [randomTensor([3, 4], seed: 1), randomTensor([3, 2, 4], seed: 2)], "reshapes")
        XCTAssertEqual(plan.fusedLoopCount, 1)
    }

    /// `x ** e` with one exponent of 2, 3, -2, ... takes PyTorch's shortcut (`x * x`, ...) fused or
    /// not, also when the exponent has more dimensions than the base and when a one-element loop
    /// computes the exponent (the two paths once decided differently there).
    func testPowersByOneExponentAgreeFusedOrNot() throws {
        // Values where powf(x, 3) and x * x * x differ in the last bit for about a quarter of them.
        let xs = Tensor(shape: [64], float32: (0..<64).map { Float($0) / 17 - 1.9 })
        for e in [3.0, -2.0, 2.0, 2.5] {
            let higher = try trace(inputTypes: [TensorType(of: xs), TensorType(shape: [1, 1], dtype: .float32)]) { a in
                [try Operand.binary(.pow, try a[0].unary(.tanh), a[1])]
            }.program.optimized()
            try assertFusedAgrees(higher, [xs, Tensor(shape: [1, 1], float32: [Float(e)])], "exponent [1, 1] = \(e)")
            let computed = try trace(inputTypes: [TensorType(shape: [], dtype: .float32), TensorType(shape: [], dtype: .float32)]) { a in
                // The exponent a1 + 1 + (t - t), computed in the same loop as the base t.
                let t = try a[0].unary(.tanh)
                return [try Operand.binary(.pow, t, try (a[1] + a[1].constant(1)) + (t - t))]
            }.program.optimized()
            for v in stride(from: -1.9, to: 1.9, by: 0.1) {
                try assertFusedAgrees(computed, [Tensor(shape: [], float32: [Float(v)]), Tensor(shape: [], float32: [Float(e - 1)])],
                                      "computed exponent \(e) at \(v)")
            }
        }
    }

    /// Elementwise work on an empty tensor, and a one-element loop.
    func testEmptyAndScalarLoops() throws {
        for shape in [Shape([0, 3]), Shape([])] {
            let closed = try trace(inputTypes: [TensorType(shape: shape, dtype: .float32)]) { xs in
                [try (xs[0].unary(.exp) + xs[0]).unary(.neg)]
            }
            let program = try closed.program.optimized()
            try assertFusedAgrees(program, [Tensor(shape: shape, float32: [Float](repeating: 0.5, count: shape.elementCount))], "\(shape)")
        }
    }

    /// Loops of `FusedLoop.threadedElements` or more run in units on two threads: the same bits as
    /// on one, for a ragged last unit, rows read in place, one-element inputs, bool registers and
    /// two outputs, in float32 and float64.
    func testTwoThreadLoopsGiveTheBitsOfOne() throws {
        var g = Generator(seed: 31)
        for (shape, dtype) in [(Shape([65, 16, 64]), DType.float32), ([40, 33, 31], .float64), ([64, 16, 1, 64], .float32)] {
            let r = shape.rank
            var rowShape = shape.dims
            rowShape[r - 2] = 1
            let loop = FusedLoop(shape: shape, dtype: dtype, inputShapes: [shape, Shape(rowShape), Shape(Array(repeating: 1, count: r))],
                                 instructions: [.input(0), .input(1), .input(2), .binary(.mul, 0, 1), .unary(.tanh, 3),
                                                .binary(.sub, 2, 4), .compare(.gt, 5, 0), .select(6, 5, 3), .binary(.div, 7, 1)],
                                 outputs: [8, 5])
            let inputs = [Tensor.randn(shape, dtype: dtype, generator: &g), Tensor.randn(Shape(rowShape), dtype: dtype, generator: &g),
                          Tensor(shape: Shape(Array(repeating: 1, count: r)), float64: [0.25]).converted(to: dtype)]
            XCTAssertGreaterThanOrEqual(shape.elementCount, FusedLoop.threadedElements)
            let threads = BLASInfo.threads
            BLASInfo.setThreads(2)
            XCTAssertGreaterThan(FusedLoop.split(shape.elementCount, tile: FusedLoop.tile).units, 1)
            let two = try Tensor.fused(loop, inputs)
            BLASInfo.setThreads(1)
            XCTAssertEqual(FusedLoop.split(shape.elementCount, tile: FusedLoop.tile).units, 1)
            let one = try Tensor.fused(loop, inputs)
            BLASInfo.setThreads(threads)
            for (a, b) in zip(two, one) { XCTAssertEqual(a.doubles.map(\.bitPattern), b.doubles.map(\.bitPattern), "\(shape) \(dtype)") }
        }
    }

    /// A malformed loop is refused with an error, not a trap.
    func testMalformedLoopsThrow() {
        let x = Tensor(shape: [2], float32: [1, 2])
        let bad: [FusedLoop] = [
            FusedLoop(shape: [2], dtype: .float32, inputShapes: [[2]], instructions: [.input(0), .binary(.add, 0, 5)], outputs: [1]),
            FusedLoop(shape: [2], dtype: .float32, inputShapes: [[3]], instructions: [.input(0)], outputs: [0]),
            FusedLoop(shape: [2], dtype: .float32, inputShapes: [[2]], instructions: [.input(0), .select(0, 0, 0)], outputs: [1]),
            FusedLoop(shape: [2], dtype: .int64, inputShapes: [[2]], instructions: [.input(0)], outputs: [0]),
        ]
        for loop in bad { XCTAssertThrowsError(try Tensor.fused(loop, [x]), "\(loop)") }
    }
}
