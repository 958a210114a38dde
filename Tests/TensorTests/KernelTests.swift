import XCTest
import Foundation
import CBLAS
import CKernels
@testable import Tensor

/// Kernels against hand-computed values, broadcasting, error messages, and the BLAS check.
final class KernelTests: XCTestCase {
    func f32(_ shape: Shape, _ v: [Float]) -> Tensor { Tensor(shape: shape, float32: v) }

    func testBroadcastingBinary() throws {
        let a = f32([2, 3], [1, 2, 3, 4, 5, 6])
        let row = f32([3], [10, 20, 30])
        let col = f32([2, 1], [100, 200])
        XCTAssertEqual(try Tensor.binary(.add, a, row).doubles, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try Tensor.binary(.mul, a, col).doubles, [100, 200, 300, 800, 1000, 1200])
        let outer = try Tensor.binary(.sub, f32([3, 1], [1, 2, 3]), f32([1, 2], [1, 10]))
        XCTAssertEqual(outer.shape, [3, 2])
        XCTAssertEqual(outer.doubles, [0, -9, 1, -8, 2, -7])
        XCTAssertEqual(try Tensor.binary(.div, a, Tensor(scalar: 2)).doubles, [0.5, 1, 1.5, 2, 2.5, 3])
        XCTAssertThrowsError(try Tensor.binary(.add, a, f32([2], [1, 2]))) { e in
            XCTAssertEqual("\(e)", "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1")
            XCTAssertEqual((e as? TensorError)?.hint, "add: shapes [2, 3] and [2] cannot be broadcast together")
        }
        XCTAssertThrowsError(try Tensor.binary(.add, a, a.converted(to: .float64)))
    }

    /// Every pattern of broadcast strides (each operand's row contiguous, broadcast or a single
    /// element; leading dimensions broadcast or not, empty results) against an index-by-index
    /// reference: binary operations, comparisons, `where` and sums over each axis.
    func testBroadcastKernelsAgreeWithIndexByIndexReference() throws {
        var rng = SystemRandomNumberGenerator()
        func random(_ s: Shape) -> Tensor {
            Tensor(shape: s, float32: (0..<s.elementCount).map { _ in Float(Int.random(in: -50...50, using: &rng)) / 8 })
        }
        func reference(_ a: Tensor, _ b: Tensor, _ out: Shape, _ f: (Double, Double) -> Double) -> [Double] {
            let av = a.doubles, bv = b.doubles
            func at(_ t: Tensor, _ v: [Double], _ index: [Int]) -> Double {
                var o = 0
                for d in 0..<t.rank {
                    let i = index[index.count - t.rank + d]
                    o += (t.shape[d] == 1 ? 0 : i) * t.shape.strides[d]
                }
                return v[o]
            }
            return (0..<out.elementCount).map { flat in
                var index = [Int](repeating: 0, count: out.rank), r = flat
                for d in stride(from: out.rank - 1, through: 0, by: -1) { index[d] = r % out[d]; r /= out[d] }
                return f(at(a, av, index), at(b, bv, index))
            }
        }
        let pairs: [([Int], [Int])] = [
            ([4, 3, 5], [4, 1, 5]), ([4, 3, 5], [4, 3, 1]), ([4, 1, 5], [1, 3, 5]), ([4, 3, 1], [1, 1, 5]),
            ([2, 3, 4, 5], [3, 1, 5]), ([1, 5], [3, 1]), ([6, 1], [6, 7]), ([0, 3], [1, 3]), ([2, 0, 3], [2, 1, 3]),
        ]
        for (x, y) in pairs {
            let a = random(Shape(x)), b = random(Shape(y))
            let out = try Shape.broadcast(a.shape, b.shape, op: "test")
            for (op, f) in [(BinaryOp.add, { (p: Double, q: Double) in p + q }), (.mul, { $0 * $1 }), (.sub, { $0 - $1 })] {
                XCTAssertEqual(try Tensor.binary(op, a, b).doubles, reference(a, b, out, f), "\(op) \(x) \(y)")
                XCTAssertEqual(try Tensor.binary(op, b, a).doubles, reference(b, a, out, f), "\(op) \(y) \(x)")
            }
            let mask = try Tensor.compare(.gt, a, b)
            XCTAssertEqual(mask.doubles, reference(a, b, out) { $0 > $1 ? 1 : 0 }, "gt \(x) \(y)")
            let chosen = try Tensor.select(mask, b, a)
            XCTAssertEqual(chosen.doubles, reference(a, b, out) { $0 > $1 ? $1 : $0 }, "where \(x) \(y)")
            let c = random(out)
            for axis in 0..<out.rank {
                let s = try Tensor.reduce(.sum, c, axes: [axis])
                // Sums of eighths are exact: compare against a reference sum in any order.
                var ref = [Double](repeating: 0, count: s.shape.elementCount)
                let cv = c.doubles
                let pre = out.dims[..<axis].reduce(1, *), n = out[axis], post = out.dims[(axis + 1)...].reduce(1, *)
                for i in 0..<pre { for j in 0..<n { for k in 0..<post { ref[i * post + k] += cv[(i * n + j) * post + k] } } }
                XCTAssertEqual(s.doubles, ref, "sum \(out) axis \(axis)")
            }
        }
    }

    /// float32 arithmetic between operands broadcast along leading dimensions runs by rows through
    /// the AVX2 kernel: each element is the one float32 operation (checked on values that round).
    func testFloat32BroadcastArithmeticRoundsEachElementOnce() throws {
        var g = Generator(seed: 31)
        for (x, y) in [([16, 64], [64, 1, 64]), ([3, 5, 7, 9], [5, 1, 9]), ([2, 1, 3, 20], [4, 1, 20]), ([8, 33], [8, 33])] {
            let a = Tensor.randn(Shape(x), generator: &g), b = Tensor.randn(Shape(y), generator: &g)
            let out = try Shape.broadcast(a.shape, b.shape, op: "test")
            let av = a.doubles.map(Float.init), bv = b.doubles.map(Float.init)
            /// The flat index into `t` of the result element at `flat`.
            func at(_ t: Tensor, _ flat: Int) -> Int {
                var o = 0, r = flat
                for d in stride(from: out.rank - 1, through: 0, by: -1) {
                    let i = r % out[d]; r /= out[d]
                    let td = d - (out.rank - t.rank)
                    if td >= 0 && t.shape[td] != 1 { o += i * t.shape.strides[td] }
                }
                return o
            }
            for (op, f) in [(BinaryOp.add, { (p: Float, q: Float) in p + q }), (.sub, { $0 - $1 }), (.mul, { $0 * $1 }), (.div, { $0 / $1 })] {
                let got = try Tensor.binary(op, a, b).doubles.map { Float($0).bitPattern }
                let expected = (0..<out.elementCount).map { f(av[at(a, $0)], bv[at(b, $0)]).bitPattern }
                XCTAssertEqual(got, expected, "\(op) \(x) \(y)")
            }
        }
    }

    /// `Timer(num_threads=n)`'s bound: every kernel sees at most `n` threads while it runs, and the
    /// session's choice (or the deferred start of OpenBLAS's threads) comes back after it.
    func testWithThreadsBoundsTheKernelsAndRestoresTheChoice() throws {
        let (threads, chosen) = (BLASInfo.threads, BLASInfo.chosenThreads)
        BLASInfo.withThreads(1) {
            XCTAssertEqual(BLASInfo.threads, 1)
            XCTAssertEqual(BLASInfo.chosenThreads, 1)
        }
        XCTAssertEqual(BLASInfo.threads, threads)
        XCTAssertEqual(BLASInfo.chosenThreads, chosen)
        BLASInfo.withThreads(64) { XCTAssertEqual(BLASInfo.threads, min(64, BLASInfo.cores), "never more than the cores") }
        XCTAssertEqual(BLASInfo.threads, threads)
    }

    /// From `FusedLoop.threadedElements` elements on, float32 arithmetic runs on two threads
    /// (blocks of the last two dimensions, or runs of 64 elements): the values are still each
    /// element's one rounding, written over an operand or not, and one thread gives the same bits.
    func testTwoThreadArithmeticGivesTheBitsOfOne() throws {
        var g = Generator(seed: 32)
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads) }
        for (x, y) in [([16, 64], [65, 1, 64]), ([65, 16, 64], [65, 1, 64]), ([300, 201], [300, 201]), ([3, 7, 41, 40], [7, 1, 40])] {
            let a = Tensor.randn(Shape(x), generator: &g), b = Tensor.randn(Shape(y), generator: &g)
            let out = try Shape.broadcast(a.shape, b.shape, op: "test")
            XCTAssertGreaterThanOrEqual(out.elementCount, FusedLoop.threadedElements)
            for op in [BinaryOp.add, .sub, .mul, .div] {
                BLASInfo.setThreads(1)
                let one = try Tensor.binary(op, a, b).doubles.map(\.bitPattern)
                BLASInfo.setThreads(2)
                XCTAssertTrue(try Tensor.binary(op, a, b).doubles.map(\.bitPattern) == one, "\(op) \(x) \(y)")
                // Written over the operand of the result's shape, when there is one.
                guard a.shape == out || b.shape == out else { continue }
                let left = a.shape == out, target = left ? a : b
                var t = Tensor(shape: target.shape, float32: target.doubles.map(Float.init))   // its own storage
                XCTAssertTrue(Tensor.binary(op, into: &t, other: left ? b : a, targetIsLeft: left))
                XCTAssertTrue(t.doubles.map(\.bitPattern) == one, "in place: \(op) \(x) \(y)")
            }
        }
    }

    /// Products with nothing contracted (outer products, batched or not) take a loop of their own;
    /// their values are the products, and a product of -0 is +0 as BLAS's beta = 0 gives it.
    /// Products zero C themselves and pass beta = 1 to BLAS: the same bits as BLAS with beta = 0
    /// (which zeroes C one scalar store at a time), transposed operands and zero rows included.
    /// The float32 products that `SmallGemm` takes give the in-order sums of fused multiply-adds
    /// instead (`inOrderProduct`).
    func testProductsGiveTheBitsOfBLASWithBetaZero() throws {
        var g = Generator(seed: 12)
        var small = 0
        for (m, k, n) in [(37, 19, 23), (64, 8, 32), (5, 1, 7), (130, 70, 3), (130, 20, 16)] {
            for dtype in [DType.float32, .float64] {
                var a = Tensor.randn([m, k], dtype: dtype, generator: &g)
                a = try Tensor.binary(.mul, a, Tensor(shape: [m, 1], float64: (0..<m).map { $0 == 2 ? 0 : 1 }).converted(to: dtype))
                let b = Tensor.randn([k, n], dtype: dtype, generator: &g)
                let c = try Tensor.dotGeneral(a, b, DotDimensions(lhsContracting: [1], rhsContracting: [0]))
                let bt = try b.transposed([1, 0])
                let ct = try Tensor.dotGeneral(a, bt, DotDimensions(lhsContracting: [1], rhsContracting: [1]))
                var reference = [Double](repeating: .nan, count: m * n)
                if dtype == .float32 {
                    var r = [Float](repeating: .nan, count: m * n)
                    let x = a.doubles.map(Float.init), y = b.doubles.map(Float.init)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k), 1, x, blasint(k),
                                y, blasint(n), 0, &r, blasint(n))
                    reference = r.map(Double.init)
                } else {
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k), 1, a.doubles,
                                blasint(k), b.doubles, blasint(n), 0, &reference, blasint(n))
                }
                for (product, transB) in [(c, false), (ct, true)] {
                    var expected = reference
                    if dtype == .float32 && SmallGemm.fits(GemmShape(batch: 1, m: m, n: n, k: k, transA: false, transB: transB)) {
                        expected = inOrderProduct(a, b).doubles
                        small += 1
                    }
                    XCTAssertEqual(product.doubles.map(\.bitPattern), expected.map(\.bitPattern),
                                   "\(m)x\(k)x\(n) \(dtype)\(transB ? ", B transposed" : "")")
                }
            }
        }
        // Both paths were checked (where the CPU has AVX2 and FMA).
        if jc_has_avx2_fma() != 0 { XCTAssertEqual(small, 4) }
    }

    /// `a @ b` for [m, k] and [k, n] float32 matrices as `SmallGemm` computes it: each element one
    /// running sum of fused multiply-adds over k in order, from +0.
    func inOrderProduct(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        let x = a.doubles.map(Float.init), y = b.doubles.map(Float.init)
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s = s.addingProduct(x[i * k + p], y[p * n + j]) }
                c[i * n + j] = s
            }
        }
        return Tensor(shape: [m, n], float32: c)
    }

    /// Small float32 products (CKernels/SmallGemm.c) on one thread and split between two: the same
    /// in-order sums, for both layouts of each operand, rows that are not a multiple of the 6-row
    /// tile, columns not a multiple of 16, and batches.
    /// `ParallelUnits` (the fused loops' two threads) runs every unit exactly once, and the
    /// helper thread takes some of them when each unit takes a while (80 ms in all: time for a
    /// sleeping helper to wake even on a loaded machine).
    func testParallelUnitsRunEachUnitOnceOnTwoThreads() throws {
        let units = 80
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: units)
        let threads = UnsafeMutablePointer<pthread_t>.allocate(capacity: units)
        defer { counts.deallocate(); threads.deallocate() }
        counts.initialize(repeating: 0, count: units)
        // Woken ahead of the work (as a plan's run does), repeatedly: still one run of each unit.
        for _ in 0..<3 { HelperThread.prewake(); usleep(200) }
        let work = ParallelUnits { u in
            counts[u] += 1
            threads[u] = pthread_self()
            usleep(1000)
        }
        XCTAssertTrue(work.run(units: units), "the helper thread could not start")
        XCTAssertEqual(Array(UnsafeBufferPointer(start: counts, count: units)), Array(repeating: 1, count: units))
        let me = pthread_self()
        let helped = (0..<units).filter { pthread_equal(threads[$0], me) == 0 }.count
        XCTAssertGreaterThan(helped, 0, "the helper took no unit")
        XCTAssertLessThan(helped, units, "the caller took no unit")
    }

    func testSmallProductsAreInOrderSumsOnAnySplit() throws {
        guard jc_has_avx2_fma() != 0 else { throw XCTSkip("the small-product kernel needs AVX2 and FMA") }
        var g = Generator(seed: 21)
        let threads = BLASInfo.threads
        defer { BLASInfo.setThreads(threads) }
        var ran = 0
        for (batch, m, k, n) in [(1, 1024, 64, 64), (1, 131, 70, 37), (3, 200, 33, 30), (2, 9, 256, 100)] {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                let shape = GemmShape(batch: batch, m: m, n: n, k: k, transA: transA, transB: transB)
                guard SmallGemm.fits(shape) else { continue }
                ran += 1
                let a = Tensor.randn([batch, m, k], generator: &g), b = Tensor.randn([batch, k, n], generator: &g)
                // The operands as the product reads them: [batch, k, m] when transposed.
                let x = transA ? try a.transposed([0, 2, 1]) : a, y = transB ? try b.transposed([0, 2, 1]) : b
                guard case .float32(let xs) = x.storage, case .float32(let ys) = y.storage else { return XCTFail("float32") }
                var results: [[Float]] = []
                for t in [1, 2] {
                    BLASInfo.setThreads(t)
                    results.append(try XCTUnwrap(try SmallGemm.product(xs, ys, shape)))
                }
                XCTAssertEqual(results[0].map(\.bitPattern), results[1].map(\.bitPattern), "\(shape)")
                for i in 0..<batch {
                    let ai = try a.sliced(start: [i, 0, 0], limit: [i + 1, m, k], stride: [1, 1, 1]).reshaped([m, k])
                    let bi = try b.sliced(start: [i, 0, 0], limit: [i + 1, k, n], stride: [1, 1, 1]).reshaped([k, n])
                    let expected = inOrderProduct(ai, bi).doubles.map { Float($0).bitPattern }
                    XCTAssertEqual(Array(results[1][(i * m * n)..<((i + 1) * m * n)]).map(\.bitPattern), expected, "\(shape) matrix \(i)")
                }
            }
        }
        // Every layout of the first three shapes; the last one (9 rows) only with B as it is.
        XCTAssertEqual(ran, 14)
    }

    /// Float32 sums accumulate in double precision and round once: over adjacent dimensions
    /// together (a full sum of [16, 64, 64] was three passes, each rounding to float32), and along
    /// contiguous rows.
    func testFloat32SumsRoundOnce() throws {
        var g = Generator(seed: 13)
        let x = Tensor.randn([16, 64, 64], generator: &g)
        let v = x.doubles
        let all = try Tensor.reduce(.sum, x, axes: [0, 1, 2])
        XCTAssertEqual(all.doubles, [Double(Float(v.reduce(0, +)))])
        let inner = try Tensor.reduce(.sum, x, axes: [1, 2])
        XCTAssertEqual(inner.doubles, (0..<16).map { i in Double(Float(v[(i * 4096)..<((i + 1) * 4096)].reduce(0, +))) })
        let rows = try Tensor.reduce(.sum, x, axes: [2])
        XCTAssertEqual(rows.doubles, (0..<1024).map { r in Double(Float(v[(r * 64)..<((r + 1) * 64)].reduce(0, +))) })
        // Dimensions that are not adjacent are summed one after the other.
        let outer = try Tensor.reduce(.sum, x, axes: [0, 2])
        XCTAssertEqual(outer.shape, [64])
        let expected = (0..<64).map { j in (0..<16).map { i in v[(i * 4096 + j * 64)..<(i * 4096 + j * 64 + 64)].reduce(0, +) }.reduce(0, +) }
        for (got, want) in zip(outer.doubles, expected) { XCTAssertEqual(got, want, accuracy: 1e-4 * max(1, abs(want))) }
    }

    /// `binary(_:into:other:targetIsLeft:)` gives `binary`'s values, written over the target's own
    /// storage when it holds the only reference (and copies it when it does not).
    func testBinaryIntoTheOperandsStorage() throws {
        func address(_ t: Tensor) -> UnsafeRawPointer? {
            switch t.storage {
            case .float32(let a): return a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            case .float64(let a): return a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            default: return nil
            }
        }
        var g = Generator(seed: 14)
        for dtype in [DType.float32, .float64] {
            for (op, otherShape) in [(BinaryOp.mul, Shape([4, 1, 6])), (.sub, [6]), (.div, []), (.add, [4, 5, 6]),
                                     (.max, [1, 5, 1]), (.min, [4, 5, 6])] {
                for left in [true, false] {
                    var t = Tensor.randn([4, 5, 6], dtype: dtype, generator: &g)
                    let o = Tensor.randn(otherShape, dtype: dtype, generator: &g)
                    let expected = try left ? Tensor.binary(op, t, o) : Tensor.binary(op, o, t)
                    let before = address(t)
                    XCTAssertTrue(Tensor.binary(op, into: &t, other: o, targetIsLeft: left))
                    XCTAssertEqual(t.doubles.map(\.bitPattern), expected.doubles.map(\.bitPattern), "\(op) \(otherShape) \(left)")
                    XCTAssertEqual(address(t), before, "\(op) \(dtype): written in place")
                }
            }
            var x = Tensor.randn([3, 7], dtype: dtype, generator: &g)
            let square = try Tensor.binary(.mul, x, x)
            let kept = x   // a second reference: the write copies, the kept tensor is unchanged
            XCTAssertTrue(Tensor.binary(.mul, into: &x, other: nil, targetIsLeft: true))
            XCTAssertEqual(x.doubles, square.doubles)
            XCTAssertNotEqual(address(x), address(kept))
            XCTAssertNotEqual(kept.doubles, square.doubles)
            XCTAssertFalse(Tensor.binary(.pow, into: &x, other: nil, targetIsLeft: true))
            XCTAssertFalse(Tensor.binary(.add, into: &x, other: Tensor.randn([4, 3, 7], dtype: dtype, generator: &g), targetIsLeft: true),
                           "the other operand must broadcast to the target's shape")
        }
    }

    /// A worker's result comes back as the only reference to its storage (the dispatched block,
    /// which the worker releases a little later, holds nothing), so the evaluator's in-place
    /// writes that follow do not copy it.
    func testInterruptibleResultsAreUniquelyReferenced() throws {
        var copies = 0
        for _ in 0..<200 {
            var r = try Cancellation.runInterruptibly { [Float](repeating: 1, count: 4096) }
            let before = r.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
            let after = r.withUnsafeMutableBufferPointer { UnsafeRawPointer($0.baseAddress!) }
            if before != after { copies += 1 }
        }
        XCTAssertEqual(copies, 0, "writes copied the worker's result")
    }

    /// Square transposes in place (float32 by 4 x 4 SSE tiles and scalar edges) equal the
    /// out-of-place transpose, for sizes that are and are not multiples of 4.
    func testSquareTransposesInPlace() throws {
        var g = Generator(seed: 15)
        for dtype in [DType.float32, .float64] {
            for n in [1, 2, 3, 4, 5, 7, 8, 13, 16, 64] {
                var t = Tensor.randn([3, n, n], dtype: dtype, generator: &g)
                let expected = try t.transposed([0, 2, 1])
                t.transposeSquareLastTwoInPlace()
                XCTAssertEqual(t.shape, [3, n, n])
                XCTAssertEqual(t.doubles, expected.doubles, "\(dtype) n = \(n)")
            }
        }
    }

    /// Transposes of the last two dimensions (float32 through CKernels' blocked 8 x 8 tiles, the
    /// others through the strided copy) put every element where an index-by-index transpose does,
    /// for sizes around the tiles' 8 and the squares' 32, with and without batch dimensions.
    func testMatrixTransposesMoveEveryElementWhereItBelongs() throws {
        var g = Generator(seed: 16)
        for dtype in [DType.float32, .float64] {
            for (rows, cols) in [(1, 1), (1, 9), (8, 8), (7, 9), (16, 40), (33, 8), (64, 128), (70, 37)] {
                for batch in [[], [1], [3], [2, 2]] as [[Int]] {
                    let t = Tensor.randn(Shape(batch + [rows, cols]), dtype: dtype, generator: &g)
                    let r = batch.count
                    let y = try t.transposed(Array(0..<r) + [r + 1, r])
                    XCTAssertEqual(y.shape.dims, batch + [cols, rows])
                    let x = t.doubles, got = y.doubles
                    var expected = [Double](repeating: 0, count: x.count)
                    let size = rows * cols
                    for m in 0..<(x.count / size) {
                        for i in 0..<rows {
                            for j in 0..<cols {
                                let from: Int = m * size + i * cols + j, to: Int = m * size + j * rows + i
                                expected[to] = x[from]
                            }
                        }
                    }
                    XCTAssertEqual(got, expected, "\(dtype) \(batch + [rows, cols])")
                }
            }
        }
    }

    /// Each thread's scratch for the fused loops' registers is on a cache line, the same buffer
    /// from one call to the next while it is large enough, and another thread's is another buffer.
    func testThreadScratchIsKeptPerThreadAndAligned() throws {
        let a = try XCTUnwrap(jc_thread_scratch_f32(1000))
        XCTAssertEqual(Int(bitPattern: a) % 64, 0)
        a[999] = 1
        XCTAssertEqual(jc_thread_scratch_f32(500), a, "kept while large enough")
        let b = try XCTUnwrap(jc_thread_scratch_f32(100_000))
        XCTAssertEqual(Int(bitPattern: b) % 64, 0)
        b[99_999] = 2
        final class Address: @unchecked Sendable { var bits = 0 }
        let other = Address()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { other.bits = Int(bitPattern: jc_thread_scratch_f32(100)); done.signal() }
        done.wait()
        XCTAssertNotEqual(other.bits, 0)
        XCTAssertNotEqual(other.bits, Int(bitPattern: b), "another thread has its own")
        XCTAssertEqual(jc_thread_scratch_f32(100_000), b)
    }

    func testOuterProductsWithoutContraction() throws {
        let a = f32([2, 3], [1, -2, 0, 4, 0.5, -1]), b = f32([2, 2], [3, -0.0, -1, 2])
        let batched = try Tensor.dotGeneral(a, b, DotDimensions(lhsContracting: [], rhsContracting: [], lhsBatch: [0], rhsBatch: [0]))
        XCTAssertEqual(batched.shape, [2, 3, 2])
        XCTAssertEqual(batched.doubles, [3, -0.0, -6, 0, 0, 0, -4, 8, -0.5, 1, 1, -2])
        XCTAssertTrue(batched.float32Values.allSatisfy { $0 != 0 || $0.sign == .plus }, "zeros are +0: \(batched.float32Values)")
        let outer = try Tensor.dotGeneral(f32([3], [1, 2, 3]), f32([2], [10, 20]), DotDimensions(lhsContracting: [], rhsContracting: []))
        XCTAssertEqual(outer.shape, [3, 2])
        XCTAssertEqual(outer.doubles, [10, 20, 20, 40, 30, 60])
        // Contracting a dimension of size 1 is the same product.
        let k1 = try Tensor.dotGeneral(f32([3, 1], [1, 2, 3]), f32([1, 2], [10, 20]), DotDimensions(lhsContracting: [1], rhsContracting: [0]))
        XCTAssertEqual(k1.doubles, outer.doubles)
    }

    /// Square last-two-dimension transposes in place: the values of `transposed`, for every size
    /// around the 16 x 16 blocks, and a storage shared with another tensor is copied, not changed.
    func testInPlaceSquareTransposes() throws {
        for n in [1, 2, 15, 16, 17, 33] {
            let x = Tensor(shape: [3, n, n], float64: (0..<(3 * n * n)).map(Double.init))
            var y = x
            XCTAssertTrue(y.isSquareLastTwoSwap([0, 2, 1]))
            y.transposeSquareLastTwoInPlace()
            XCTAssertEqual(y.shape, [3, n, n])
            XCTAssertEqual(y.doubles, try x.transposed([0, 2, 1]).doubles, "n = \(n)")
            XCTAssertEqual(x.doubles, (0..<(3 * n * n)).map(Double.init), "the shared storage is untouched")
        }
        XCTAssertFalse(f32([2, 3], [1, 2, 3, 4, 5, 6]).isSquareLastTwoSwap([1, 0]))
        XCTAssertFalse(f32([2, 2, 2], Array(repeating: 0, count: 8)).isSquareLastTwoSwap([1, 0, 2]))
    }

    func testIntegerAndBoolSemantics() throws {
        let x = Tensor(shape: [4], int64: [7, -7, 7, -7]), y = Tensor(shape: [4], int64: [2, 2, -2, -2])
        XCTAssertEqual(try Tensor.binary(.div, x, y).doubles, [3, -4, -4, 3])        // floor division
        XCTAssertEqual(try Tensor.binary(.remainder, x, y).doubles, [1, 1, -1, -1])  // sign of divisor
        XCTAssertEqual(try Tensor.binary(.pow, Tensor(shape: [2], int64: [3, 2]), Tensor(shape: [2], int64: [4, 10])).doubles, [81, 1024])
        let fr = try Tensor.binary(.remainder, Tensor(shape: [2], float64: [-7.5, 7.5]), Tensor(shape: [2], float64: [2, -2]))
        XCTAssertEqual(fr.doubles, [0.5, -0.5])
        let b = try Tensor.compare(.gt, x, Tensor(scalar: 0, dtype: .int64))
        XCTAssertEqual(b.dtype, .bool)
        XCTAssertEqual(try Tensor.unary(.not, b).doubles, [0, 1, 0, 1])
        XCTAssertThrowsError(try Tensor.unary(.tanh, x))
    }

    func testFloatPowHasCSemanticsForNegativeBases() throws {
        // C pow: negative bases to integral powers and 0 ** 0 are defined, in both float types.
        for dtype in [DType.float32, .float64] {
            let base = Tensor(shape: [4], doubles: [-2, -0.5, 0, 3], dtype: dtype)
            let exponent = Tensor(shape: [4], doubles: [2, 3, 0, -1], dtype: dtype)
            XCTAssertEqual(try Tensor.binary(.pow, base, exponent).doubles, [4, -0.125, 1, 1.0 / 3.0].map {
                dtype == .float32 ? Double(Float($0)) : $0
            }, "\(dtype)")
        }
    }

    func testUnaryValues() throws {
        let x = Tensor(shape: [3], float64: [-1, 0, 2])
        XCTAssertEqual(try Tensor.unary(.logistic, x).doubles[1], 0.5)
        XCTAssertEqual(try Tensor.unary(.tanh, x).doubles[2], 0.9640275800758169, accuracy: 1e-16)
        XCTAssertEqual(try Tensor.unary(.round, Tensor(shape: [4], float64: [0.5, 1.5, 2.5, -0.5])).doubles, [0, 2, 2, -0])
        XCTAssertEqual(try Tensor.unary(.sign, Tensor(shape: [3], float64: [-3, 0, 4])).doubles, [-1, 0, 1])
        let big = Tensor(shape: [2], float32: [-100, 100])
        let s = try Tensor.unary(.logistic, big).doubles
        XCTAssertTrue(s[0] > 0 && s[0] < 1e-40 && s[1] == 1, "no overflow in the stable logistic: \(s)")
    }

    func testReductions() throws {
        let x = Tensor(shape: [2, 3, 2], float64: (0..<12).map(Double.init))
        XCTAssertEqual(try Tensor.reduce(.sum, x, axes: [1]).doubles, [6, 9, 24, 27])
        XCTAssertEqual(try Tensor.reduce(.sum, x, axes: [0, 2]).doubles, [14, 22, 30])
        XCTAssertEqual(try Tensor.reduce(.max, x, axes: [0, 1, 2]).doubles, [11])
        XCTAssertEqual(try Tensor.reduce(.min, x, axes: [2]).shape, [2, 3])
        let nan = Tensor(shape: [3], float64: [1, .nan, 3])
        XCTAssertTrue(try Tensor.reduce(.max, nan, axes: [0]).doubles[0].isNaN, "max propagates NaN as torch.max")
        XCTAssertEqual(try Tensor.argReduce(max: true, Tensor(shape: [2, 3], float64: [1, 5, 5, 9, 2, 3]), axis: 1).doubles, [1, 0])
        // float32 sums accumulate in float64: 1e8 + 1 + ... stays exact.
        let many = Tensor(shape: [3], float32: [1e8, 1, -1e8])
        XCTAssertEqual(try Tensor.reduce(.sum, many, axes: [0]).doubles, [1])
        XCTAssertThrowsError(try Tensor.reduce(.sum, x, axes: [3]))
    }

    func testStructuralKernels() throws {
        let x = Tensor(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try x.transposed([1, 0]).doubles, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(try x.broadcast(to: [2, 2, 3], dims: [1, 2]).doubles, [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try x.sliced(start: [0, 1], limit: [2, 3], stride: [1, 2]).doubles, [2, 5])
        let padded = try Tensor(shape: [2], float64: [1, 2]).padded(low: [1], high: [2], interior: [1])
        XCTAssertEqual(padded.doubles, [0, 1, 0, 2, 0, 0])
        let c = try Tensor.concatenate([x, Tensor(shape: [2, 1], float64: [7, 8])], axis: 1)
        XCTAssertEqual(c.doubles, [1, 2, 3, 7, 4, 5, 6, 8])
        XCTAssertThrowsError(try Tensor.concatenate([x, Tensor(shape: [3, 1], float64: [7, 8, 9])], axis: 1)) { e in
            XCTAssertEqual("\(e)", "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.")
            XCTAssertTrue((e as? TensorError)?.hint?.contains("[2, 3] and [3, 1]") == true, "\(e)")
        }
        XCTAssertThrowsError(try x.transposed([0, 0]))
    }

    func testDotGeneralLayoutsAndBatches() throws {
        let a = Tensor(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], float64: [7, 8, 9, 10, 11, 12])
        let mm = try Tensor.dotGeneral(a, b, DotDimensions(lhsContracting: [1], rhsContracting: [0]))
        XCTAssertEqual(mm.doubles, [58, 64, 139, 154])
        // a^T a through the transpose flag
        let ata = try Tensor.dotGeneral(a, a, DotDimensions(lhsContracting: [0], rhsContracting: [0]))
        XCTAssertEqual(ata.doubles, [17, 22, 27, 22, 29, 36, 27, 36, 45])
        // batched
        let p = Tensor(shape: [2, 1, 2], float64: [1, 2, 3, 4]), q = Tensor(shape: [2, 2, 1], float64: [5, 6, 7, 8])
        let bat = try Tensor.dotGeneral(p, q, DotDimensions(lhsContracting: [2], rhsContracting: [1], lhsBatch: [0], rhsBatch: [0]))
        XCTAssertEqual(bat.shape, [2, 1, 1])
        XCTAssertEqual(bat.doubles, [17, 53])
        XCTAssertThrowsError(try Tensor.dotGeneral(a, a, DotDimensions(lhsContracting: [1], rhsContracting: [0]))) { e in
            XCTAssertEqual("\(e)", "matmul: [2, 3] @ [2, 3]: contracted dimensions have sizes 3 and 2")
        }
        let ints = try Tensor.dotGeneral(a.converted(to: .int64), b.converted(to: .int64), DotDimensions(lhsContracting: [1], rhsContracting: [0]))
        XCTAssertEqual(ints.doubles, [58, 64, 139, 154])
    }

    func testBLASAgreesWithNaiveLoopForAllTransposesAndOddSizes() {
        let r = BLASCheck.run()
        XCTAssertTrue(r.passed, r.text)
    }

    /// Values printed by PyTorch 2.15 after torch.manual_seed(0).
    func testGeneratorMatchesPyTorch() {
        var g = Generator(seed: 0)
        let r = Tensor.randn([2, 3], generator: &g).float32Values
        XCTAssertEqual(r, [1.5409960746765137, -0.293428897857666, -2.1787893772125244,
                           0.5684312582015991, -1.0845223665237427, -1.3985954523086548])
        g = Generator(seed: 0)
        XCTAssertEqual(Tensor.uniform([3], generator: &g).float32Values, [0.49625658988952637, 0.7682217955589294, 0.08847743272781372])
        g = Generator(seed: 0)
        let d = Tensor.randn([3], dtype: .float64, generator: &g).float64Values
        XCTAssertEqual(d, [1.5409961082440433, -0.2934289057609464, -2.1787893820745574])
        g = Generator(seed: 0)
        let long = Tensor.randn([17], dtype: .float64, generator: &g).float64Values
        XCTAssertEqual(Array(long.suffix(2)), [-0.8910030351707375, 0.6748575435940039])
    }

    func testKernelPreferenceLogic() {
        XCTAssertEqual(BLASInfo.preferredCoreType(current: "Prescott", cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx512_bf16", "avx2", "fma"]), "Cooperlake")
        XCTAssertEqual(BLASInfo.preferredCoreType(current: "Prescott", cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx2", "fma"]), "SkylakeX")
        XCTAssertEqual(BLASInfo.preferredCoreType(current: "Prescott", cpuFlags: ["avx2", "fma"]), "Haswell")
        XCTAssertNil(BLASInfo.preferredCoreType(current: "Zen", cpuFlags: ["avx2", "fma"]))
        XCTAssertNil(BLASInfo.preferredCoreType(current: "Prescott", cpuFlags: ["sse3"]))
    }

    /// Products of a few MFLOP run on one OpenBLAS thread (`BLASInfo.withGemmThreads`) and give
    /// OpenBLAS its thread count back; larger ones run with it.
    func testSmallProductsRunOnOneThreadAndRestoreTheCount() throws {
        let saved = BLASInfo.threads
        defer { BLASInfo.setThreads(saved) }
        BLASInfo.setThreads(2)
        var seen: Int32 = 0
        BLASInfo.withGemmThreads(forFlops: 4e6) { seen = openblas_get_num_threads() }
        XCTAssertEqual(seen, 1)
        XCTAssertEqual(BLASInfo.threads, 2)
        BLASInfo.withGemmThreads(forFlops: 64e6) { seen = openblas_get_num_threads() }
        XCTAssertEqual(seen, 2)
        var g = Generator(seed: 1)
        let a = Tensor.randn([2048, 32], generator: &g), b = Tensor.randn([32, 32], generator: &g)
        let c = try Tensor.dotGeneral(a, b, DotDimensions(lhsContracting: [1], rhsContracting: [0]))
        XCTAssertEqual(c.shape, [2048, 32])
        XCTAssertEqual(BLASInfo.threads, 2)
    }
}
