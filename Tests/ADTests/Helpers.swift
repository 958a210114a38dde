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
