import XCTest
@testable import AD
import Tensor

/// A deterministic float64 tensor with entries in (-1, 1).
func randomTensor(_ shape: Shape, seed: UInt64, dtype: DType = .float64) -> Tensor {
    var g = Generator(seed: seed)
    return Tensor.uniform(shape, from: -1, to: 1, dtype: dtype, generator: &g)
}

func op(_ t: Tensor) -> Operand { .tensor(t) }

func value(_ o: Operand, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    guard let t = o.concrete else { XCTFail("expected a concrete tensor", file: file, line: line); return Tensor(scalar: 0) }
    return t
}

func assertClose(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-6, atol: Double = 1e-9, _ context: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shapes differ", file: file, line: line)
    guard a.shape == b.shape else { return }
    var worst = 0.0, at = -1
    for (i, (x, y)) in zip(a.doubles, b.doubles).enumerated() {
        let err = abs(x - y) - (atol + rtol * abs(y))
        if err > worst || x.isNaN != y.isNaN { worst = max(err, 1); at = i }
    }
    if at >= 0 {
        XCTFail("\(context) tensors differ at flat index \(at): \(a.doubles[at]) vs \(b.doubles[at])", file: file, line: line)
    }
}

/// Central finite-difference Jacobian of f at x, shaped out.shape + x.shape.
func numericJacobian(_ f: TensorFunction, _ x: Tensor, eps: Double = 1e-6) throws -> Tensor {
    let y0 = value(try f([op(x)])[0])
    var cols: [[Double]] = []
    for i in 0..<x.elementCount {
        var plus = x.doubles, minus = x.doubles
        plus[i] += eps; minus[i] -= eps
        let yp = value(try f([op(Tensor(shape: x.shape, float64: plus))])[0]).doubles
        let ym = value(try f([op(Tensor(shape: x.shape, float64: minus))])[0]).doubles
        cols.append(zip(yp, ym).map { ($0 - $1) / (2 * eps) })
    }
    let m = y0.elementCount, n = x.elementCount
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { out[i * n + j] = cols[j][i] } }
    return Tensor(shape: Shape(y0.shape.dims + x.shape.dims), float64: out)
}

/// Functions of one [3, 4] float64 input, each exercising one primitive (plus what it needs).
nonisolated(unsafe) let primitiveCases: [(String, TensorFunction)] = {
    var c: [(String, TensorFunction)] = []
    let positive: (Operand) throws -> Operand = { x in try x * x + x.constant(0.5) }
    for u in UnaryOp.allCases where ![.not, .sign, .floor, .ceil, .round].contains(u) {
        let needsPositive: Set<UnaryOp> = [.log, .sqrt, .rsqrt, .log1p]
        let needsUnitInterval: Set<UnaryOp> = [.asin, .acos]
        c.append(("unary.\(u)", { xs in
            let x = needsPositive.contains(u) ? try positive(xs[0]) : needsUnitInterval.contains(u) ? try xs[0].unary(.tanh) * xs[0].constant(0.9) : xs[0]
            return [try x.unary(u)]
        }))
    }
    let w = op(randomTensor([3, 4], seed: 9))
    let row = op(randomTensor([4], seed: 10))
    c.append(("add.broadcast", { xs in [try xs[0] + row] }))
    c.append(("sub", { xs in [try w - xs[0]] }))
    c.append(("mul.broadcast", { xs in [try xs[0] * row] }))
    c.append(("div", { xs in [try w / (xs[0] * xs[0] + xs[0].constant(1))] }))
    c.append(("div.numerator", { xs in [try xs[0] / (w * w + w.constant(1))] }))
    c.append(("pow", { xs in [try Operand.binary(.pow, positive(xs[0]), w)] }))
    c.append(("pow.exponent", { xs in [try Operand.binary(.pow, positive(w), xs[0])] }))
    c.append(("max", { xs in [try Operand.binary(.max, xs[0], w)] }))
    c.append(("min", { xs in [try Operand.binary(.min, xs[0], w)] }))
    c.append(("select", { xs in [try Operand.select(Operand.compare(.gt, w, w.constant(0)), xs[0], xs[0] * xs[0])] }))
    c.append(("broadcast", { xs in [try xs[0].broadcast(to: [2, 3, 4], dims: [1, 2]) * xs[0].constant(2)] }))
    c.append(("reshape", { xs in [try xs[0].reshaped([2, 6])] }))
    c.append(("transpose", { xs in [try xs[0].permuted([1, 0])] }))
    c.append(("slice", { xs in [try bind1(.slice(start: [1, 0], limit: [3, 4], stride: [1, 2]), xs[0])] }))
    c.append(("pad", { xs in [try bind1(.pad(low: [1, 0], high: [0, 2], interior: [1, 0]), xs[0])] }))
    c.append(("concatenate", { xs in [try bind(.concatenate(axis: 1), [xs[0], w, xs[0] * xs[0]])[0]] }))
    c.append(("reduce.sum", { xs in [try xs[0].sum([1])] }))
    c.append(("reduce.max", { xs in [try xs[0].extremum(max: true, [0])] }))
    c.append(("reduce.min", { xs in [try xs[0].extremum(max: false, [1])] }))
    c.append(("dot.matmul", { xs in [try xs[0].matmul(w.permuted([1, 0]))] }))
    c.append(("dot.transposed", { xs in [try xs[0].permuted([1, 0]).matmul(w)] }))
    c.append(("dot.batched", { xs in
        [try Operand.dot(xs[0].reshaped([3, 2, 2]), xs[0].reshaped([3, 2, 2]),
                         DotDimensions(lhsContracting: [2], rhsContracting: [1], lhsBatch: [0], rhsBatch: [0]))] }))
    return c
}()
