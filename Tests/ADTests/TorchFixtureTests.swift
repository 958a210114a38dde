import XCTest
import Foundation
import AD
import Lang
import Tensor

/// Reference tests against PyTorch: every case of `Fixtures/ad_cases.json` (written by
/// `Fixtures/make_ad_fixtures.py` with `torch.func`, in float32 and in float64) is computed
/// twice by Jacobi and compared element by element with PyTorch's values:
///
/// - through the language: the case's own source (the same text PyTorch ran) is run by an
///   `Interpreter` whose globals hold the case's inputs;
/// - through the AD API: the same functions are built from `Operand` operations and
///   transformed with `jvp`, `vjp`, `grad`, `jacrev`, `jacfwd`, `hessian` and `vmap`.
///
/// Tolerance (`FixtureTolerance`): with `b` PyTorch's element, `a` Jacobi's and
/// `scale = max |b|` over the whole expected tensor, an element matches when
/// `|a - b| <= rtol * max(|b|, floor * scale)`, with `rtol = 1e-5`, `floor = 2e-2` for float32
/// and `rtol = 1e-10`, `floor = 1e-2` for float64. That is a relative test for every element larger than 1% of the tensor's largest;
/// smaller ones (exact zeros of a Jacobian included) may differ by `rtol * floor * scale`.
/// Shapes and dtypes must match exactly; NaN or infinity never match.
final class TorchFixtureTests: XCTestCase {
    // MARK: - The cases

    func testMLPTanh() throws {
        try check("mlp_tanh") { v in
            let (W1, b1, W2, b2, W3, b3) = (v["W1"]!, v["b1"]!, v["W2"]!, v["b2"]!, v["W3"]!, v["b3"]!)
            let f: TensorFunction = { a in
                var h = try (a[0].matmul(W1.transpose(0, 1)) + b1).unary(.tanh)
                h = try (h.matmul(W2.transpose(0, 1)) + b2).unary(.tanh)
                return [try h.matmul(W3.transpose(0, 1)) + b3]
            }
            let x = v["x"]!
            return [
                "y": try f([x])[0],
                "J": try vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })([x])[0],
                "J_fwd": try vmap(jacfwd(f, argnums: [0]), inDims: [0], outDims: { [0] })([x])[0],
                "J_full": try jacrev(f, argnums: [0])([x])[0],
            ]
        }
    }

    func testMLPGeluSoftplus() throws {
        try check("mlp_gelu_softplus") { v in
            let (W1, b1, W2, b2, W3, b3) = (v["W1"]!, v["b1"]!, v["W2"]!, v["b2"]!, v["W3"]!, v["b3"]!)
            let f: TensorFunction = { a in
                var h = try a[0].linear(W1, b1).gelu(approximate: false)
                h = try h.linear(W2, b2).softplus(beta: 2, threshold: 1.5)
                return [try h.linear(W3, b3)]
            }
            let x = v["x"]!
            return [
                "y": try f([x])[0],
                "J": try vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })([x])[0],
                "J_fwd": try jacfwd(f, argnums: [0])([x])[0],
            ]
        }
    }

    func testSoftmaxLinear() throws {
        try check("softmax_linear") { v in
            let (W, b) = (v["W"]!, v["b"]!)
            let logits: (Operand) throws -> Operand = { x in try x.matmul(W.transpose(0, 1)) + b }
            let f: TensorFunction = { a in [try logits(a[0]).softmax(-1)] }
            let x = v["x"]!
            return [
                "p": try f([x])[0],
                "J": try vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })([x])[0],
                "J_softmax": try jacrev({ a in [try a[0].softmax(-1)] }, argnums: [0])([v["z"]!])[0],
                "J_log": try vmap(jacrev({ a in [try a[0].logSoftmax(-1)] }, argnums: [0]),
                                  inDims: [0], outDims: { [0] })([logits(x)])[0],
            ]
        }
    }

    func testLayerNorm() throws {
        try check("layer_norm") { v in
            let f: TensorFunction = { a in [try a[0].layerNorm([6], weight: v["g"]!, bias: v["beta"]!, eps: 1e-5)] }
            let f2: TensorFunction = { a in [try a[0].layerNorm([2, 4], weight: v["g2"]!, bias: v["beta2"]!)] }
            let x = v["x"]!
            return [
                "y": try f([x])[0],
                "J": try vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })([x])[0],
                "J_full": try jacrev(f, argnums: [0])([x])[0],
                "J2": try jacfwd(f2, argnums: [0])([v["x2"]!])[0],
            ]
        }
    }

    func testHessianTanhSquared() throws {
        try check("hessian_tanh_sq") { v in
            let W = v["W"]!
            let g: TensorFunction = { a in
                let t = try W.matmul(a[0]).unary(.tanh)
                return [try Operand.binary(.pow, t, t.constant(2)).sum()]
            }
            let x0 = v["x0"]!
            return [
                "v": try g([x0])[0],
                "gx": try grad(g, argnums: [0])([x0])[0],
                "H": try hessian(g, argnums: [0])([x0])[0],
                "H_rev": try jacrev(jacrev(g, argnums: [0]), argnums: [0])([x0])[0],
                "H_batch": try vmap(hessian(g, argnums: [0]), inDims: [0], outDims: { [0] })([v["X"]!])[0],
            ]
        }
    }

    func testJacobianWithRespectToWeights() throws {
        try check("jac_weights") { v in
            let f: TensorFunction = { a in [try a[0].matmul(a[1].transpose(0, 1)).unary(.tanh)] }
            let args = [v["x"]!, v["W"]!]
            let both = try jacrev(f, argnums: [0, 1])(args)
            return [
                "J_W": try jacrev(f, argnums: [1])(args)[0],
                "J_W_fwd": try jacfwd(f, argnums: [1])(args)[0],
                "J_x": both[0],
                "J_W2": both[1],
            ]
        }
    }

    func testElementwiseJVPAndVJP() throws {
        try check("elementwise_jvp_vjp") { v in
            let h: TensorFunction = { a in
                let x = a[0]
                return [try x.unary(.sin) * (x.constant(-0.5) * x).unary(.exp)
                            + (x * x).unary(.log1p) * x.unary(.logistic)]
            }
            let forward = try jvp(h, primals: [v["x"]!], tangents: [v["t"]!])
            let reverse = try vjp(h, primals: [v["x"]!])
            return [
                "y": forward.outputs[0],
                "jt": forward.tangents[0],
                "y_vjp": reverse.outputs[0],
                "ct_x": try reverse.pullback([v["ct"]!])[0],
            ]
        }
    }

    func testMeanSquaredErrorGradients() throws {
        try check("mse_grad") { v in
            // loss(x, y, W1, b1, W2, b2)
            let loss: TensorFunction = { a in
                let h = try (a[0].matmul(a[2].transpose(0, 1)) + a[3]).unary(.tanh)
                let d = try h.matmul(a[4].transpose(0, 1)) + a[5] - a[1]
                return [try Operand.binary(.pow, d, d.constant(2)).mean()]
            }
            let args = ["x", "target", "W1", "b1", "W2", "b2"].map { v[$0]! }
            let grads = try grad(loss, argnums: [2, 3, 4, 5])(args)
            return [
                "L": try loss(args)[0],
                "gW1": grads[0], "gb1": grads[1], "gW2": grads[2], "gb2": grads[3],
                "per_sample": try vmap(grad(loss, argnums: [2]), inDims: [0, 0, nil, nil, nil, nil],
                                       outDims: { [0] })(args)[0],
            ]
        }
    }

    func testLinalgPinv() throws {
        try check("linalg_pinv") { v in
            let A = v["A"]!, Ab = v["Ab"]!
            // R: A's top-left 3x2 block padded with zeros to 5x4 (rank 2, exactly).
            let block = try bind1(.slice(start: [0, 0], limit: [3, 2], stride: [1, 1]), A)
            let R = try bind1(.pad(low: [0, 0], high: [2, 2], interior: [0, 0]), block)
            let pinvF: TensorFunction = { a in [try a[0].pinv()] }
            let pinverseF: TensorFunction = { a in [try a[0].pinverse()] }
            let svdvalsF: TensorFunction = { a in [try a[0].svdvals()] }
            return [
                "P": try A.pinverse(),
                "P_rcond": try Ab.pinverse(rcond: 0.45),
                "Pb": try Ab.pinv(),
                "Pb_atol": try Ab.pinv(atol: 1.0),
                "P_R": try R.pinv(),
                "S": try Ab.svdvals(),
                "rank_R": try R.matrixRank().converted(to: A.dtype),
                "ranks": try Ab.matrixRank(atol: 1.0).converted(to: A.dtype),
                "J_P": try jacrev(pinvF, argnums: [0])([A])[0],
                "J_Pf": try jacfwd(pinverseF, argnums: [0])([A])[0],
                "J_S": try vmap(jacrev(svdvalsF, argnums: [0]), inDims: [0], outDims: { [0] })([Ab])[0],
            ]
        }
    }

    func testLinalgSquare() throws {
        try check("linalg_square") { v in
            let I = Operand.tensor(Tensor.identity(4, dtype: v["M0"]!.dtype))
            let M = try v["M0"]! + I * I.constant(2), Mb = try v["Mb0"]! - I * I.constant(2)
            let B = v["B"]!, b = v["b"]!
            let inv: TensorFunction = { a in [try a[0].inverse()] }
            let det: TensorFunction = { a in [try a[0].det()] }
            let logdet: TensorFunction = { a in [try a[0].slogdet().logabsdet] }
            let solve: TensorFunction = { a in [try a[0].solve(a[1])] }
            let (sign, logabsdet) = try Mb.slogdet()
            let norms = try Operand.stack([M.matrixNorm(.nuclear), M.matrixNorm(.spectral(largest: true)),
                                           M.matrixNorm(.spectral(largest: false)), M.matrixNorm(.columnSum(largest: true)),
                                           M.matrixNorm(.rowSum(largest: true)), M.matrixNorm(.frobenius)], dim: 0)
            let jSolve = try jacrev(solve, argnums: [0, 1])([M, B])
            return [
                "Mi": try M.inverse(), "Mbi": try Mb.inverse(), "d": try M.det(), "db": try Mb.det(),
                "sign": sign, "logabsdet": logabsdet, "X": try M.solve(B), "xv": try Mb.solve(b),
                "c2": try M.cond(), "c_fro": try Mb.cond(.frobenius), "norms": norms,
                "J_inv": try jacrev(inv, argnums: [0])([M])[0],
                "J_inv_fwd": try jacfwd(inv, argnums: [0])([M])[0],
                "g_det": try grad(det, argnums: [0])([M])[0],
                "g_logdet": try vmap(grad(logdet, argnums: [0]), inDims: [0], outDims: { [0] })([Mb])[0],
                "J_solve_A": jSolve[0], "J_solve_B": jSolve[1],
                "J_solve_fwd": try jacfwd(solve, argnums: [0])([M, B])[0],
                "J_det_b": try vmap(jacrev(det, argnums: [0]), inDims: [0], outDims: { [0] })([Mb])[0],
                "H_logdet": try hessian(logdet, argnums: [0])([M])[0],
            ]
        }
    }

    /// The names of the cases that the test methods above check; every case of the fixture
    /// file must be one of them.
    static let checkedCases: Set<String> = [
        "mlp_tanh", "mlp_gelu_softplus", "softmax_linear", "layer_norm",
        "hessian_tanh_sq", "jac_weights", "elementwise_jvp_vjp", "mse_grad", "linalg_pinv", "linalg_square",
    ]

    func testFixtureFileIsCompleteAndExact() throws {
        let file = try Self.fixtures()
        let names = Set(file.cases.map(\.name))
        XCTAssertGreaterThanOrEqual(names.count, 6, "fewer than six reference cases")
        XCTAssertEqual(names, Self.checkedCases, "every case of ad_cases.json needs a test method, and every test method a case")
        for name in names {
            XCTAssertEqual(Set(file.cases.filter { $0.name == name }.map(\.dtype)), ["float32", "float64"],
                           "\(name) must be stored in float32 and in float64, once each")
        }
        for c in file.cases {
            XCTAssertNotNil(FixtureTolerance(dtype: c.dtype), "\(c.name): unknown dtype \(c.dtype)")
            for t in c.inputs + c.outputs {
                XCTAssertEqual(t.shape.reduce(1, *), t.data.count, "\(c.name) (\(c.dtype)) \(t.name): shape \(t.shape) and data disagree")
                if c.dtype == "float32" {
                    // A float32 case stores each value as the double equal to a float32.
                    let inexact = t.data.firstIndex { Double(Float($0)) != $0 }
                    XCTAssertNil(inexact, "\(c.name) (float32) \(t.name): element \(inexact ?? -1) is not a float32 value")
                }
            }
        }
    }

    // MARK: - Running a case

    /// Runs every stored dtype of the case `name` through the interpreter (the case's source)
    /// and through `api` (the same computation with the AD API, given the inputs by name and
    /// returning the outputs by name), and compares both with PyTorch's outputs.
    func check(_ name: String, api: ([String: Operand]) throws -> [String: Operand],
               file: StaticString = #filePath, line: UInt = #line) throws {
        let fixtures = try Self.fixtures()
        let cases = fixtures.cases.filter { $0.name == name }
        XCTAssertEqual(cases.count, 2, "\(name): expected a float32 and a float64 case in ad_cases.json", file: file, line: line)
        for c in cases {
            var tolerance = try XCTUnwrap(FixtureTolerance(dtype: c.dtype), "\(name): unknown dtype \(c.dtype)")
            if name.hasPrefix("linalg"), tolerance.dtype == .float32 {
                // LAPACK's algorithms are backward stable, not elementwise exact: Jacobi's OpenBLAS
                // and PyTorch's LAPACK agree to a few float32 ulps of the tensor's scale (the
                // singular vectors behind pinv and svdvals' derivatives move by eps * cond / gap),
                // so small elements are compared against 10% of the largest instead of 1%.
                tolerance.floorFraction = 0.1
            }
            let inputs = Dictionary(uniqueKeysWithValues: c.inputs.map { ($0.name, $0.tensor(tolerance.dtype)) })

            // Through the language.
            let interpreted = try runInterpreter(c, prelude: fixtures.prelude, inputs: inputs, file: file, line: line)
            // Through the AD API.
            var viaAPI: [String: Tensor] = [:]
            do {
                for (k, o) in try api(inputs.mapValues { Operand.tensor($0) }) {
                    viaAPI[k] = try XCTUnwrap(o.concrete, "\(name) (\(c.dtype)) AD API: output \(k) is not concrete", file: file, line: line)
                }
            } catch {
                XCTFail("\(name) (\(c.dtype)) AD API: \(error)", file: file, line: line)
            }
            XCTAssertEqual(Set(viaAPI.keys), Set(c.outputs.map(\.name)),
                           "\(name) (\(c.dtype)) AD API: computed outputs differ from the stored ones", file: file, line: line)

            for expected in c.outputs {
                for (path, results) in [("interpreter", interpreted), ("AD API", viaAPI)] {
                    guard let actual = results[expected.name] else { continue }
                    let report = tolerance.compare(actual, expected)
                    if !report.isEmpty {
                        XCTFail("\(name) (\(c.dtype)) via \(path), output \(expected.name):\n" + report.joined(separator: "\n"),
                                file: file, line: line)
                    }
                }
            }
        }
    }

    /// Runs the case's source in a fresh interpreter whose globals are the case's inputs, and
    /// returns the tensors bound to the case's output names.
    func runInterpreter(_ c: FixtureCase, prelude: String, inputs: [String: Tensor],
                        file: StaticString, line: UInt) throws -> [String: Tensor] {
        var printed = ""
        let interp = Interpreter(output: { printed += $0 }, warn: { printed += $0 })
        for (k, t) in inputs { interp[k] = .tensor(.tensor(t)) }
        let source = prelude + c.source
        let result = interp.run(source, file: "<\(c.name)>")
        for d in result.diagnostics {
            XCTFail("\(c.name) (\(c.dtype)) interpreter:\n" + d.render(source: source, file: "<\(c.name)>"), file: file, line: line)
        }
        var outputs: [String: Tensor] = [:]
        for o in c.outputs {
            guard case .tensor(let operand)? = interp[o.name], let t = operand.concrete else {
                XCTFail("\(c.name) (\(c.dtype)) interpreter: \(o.name) is not a tensor (\(interp[o.name]?.pyType.name ?? "unset"))",
                        file: file, line: line)
                continue
            }
            outputs[o.name] = t
        }
        return outputs
    }

    /// The parsed fixture file (read once).
    static func fixtures() throws -> FixtureFile {
        if let cached = cachedFixtures { return cached }
        let url = try XCTUnwrap(Bundle.module.url(forResource: "ad_cases", withExtension: "json", subdirectory: "Fixtures"),
                                "Fixtures/ad_cases.json is missing from the test bundle")
        let parsed = try JSONDecoder().decode(FixtureFile.self, from: Data(contentsOf: url))
        cachedFixtures = parsed
        return parsed
    }

    nonisolated(unsafe) private static var cachedFixtures: FixtureFile?
}

// MARK: - Fixture file

/// `ad_cases.json`: the generator's versions, the source prepended to every case, the cases.
struct FixtureFile: Decodable {
    var generator: String
    var torch: String
    var prelude: String
    var cases: [FixtureCase]
}

/// One case in one dtype: the program PyTorch ran, its inputs and its outputs.
struct FixtureCase: Decodable {
    var name: String
    var dtype: String
    var description: String
    var source: String
    var inputs: [FixtureTensor]
    var outputs: [FixtureTensor]
}

/// A named tensor as stored: shape and row-major elements (float32 values stored as the
/// doubles equal to them).
struct FixtureTensor: Decodable {
    var name: String
    var shape: [Int]
    var data: [Double]

    /// The tensor in `dtype` (exact: float32 data holds float32 values).
    func tensor(_ dtype: DType) -> Tensor {
        Tensor(shape: Shape(shape), doubles: data, dtype: dtype)
    }
}

// MARK: - Comparison

/// The comparison criterion of a dtype: `|a - b| <= rtol * max(|b|, floorFraction * max|b|)`,
/// the max taken over the whole expected tensor.
struct FixtureTolerance {
    var dtype: DType
    var rtol: Double
    /// Elements smaller than this fraction of the tensor's largest are compared against it instead.
    var floorFraction = 1e-2
    /// At most this many mismatching elements are listed per tensor.
    var maxListed = 10

    /// The tolerance of a fixture dtype name, or nil for an unknown one.
    init?(dtype name: String) {
        switch name {
        case "float32":
            // Small elements that come from cancellation carry PyTorch's own float32 rounding:
            // mse_grad's gW1[1, 0] is 2.41391e-5 in float64, Jacobi (correctly rounded tanh) gives
            // 2.41659e-5 and PyTorch 2.40356e-5; so they are compared against 2% of the scale.
            dtype = .float32; rtol = 1e-5; floorFraction = 2e-2
        case "float64": dtype = .float64; rtol = 1e-10
        default: return nil
        }
    }

    /// Compares Jacobi's tensor with the expected one; returns one line per problem (empty when
    /// they match): a shape or dtype difference, or each mismatching element with its flat
    /// index, index per dimension, both values, the difference and the allowed difference.
    func compare(_ actual: Tensor, _ expected: FixtureTensor) -> [String] {
        guard actual.shape.dims == expected.shape else {
            return ["shape \(actual.shape.dims), expected \(expected.shape)"]
        }
        guard actual.dtype == dtype else { return ["dtype \(actual.dtype), expected \(dtype)"] }
        let a = actual.doubles, b = expected.data
        let scale = b.reduce(0) { Swift.max($0, abs($1)) }
        var lines: [String] = [], mismatches = 0, worst = 0.0
        for i in b.indices {
            let allowed = rtol * Swift.max(abs(b[i]), floorFraction * scale)
            let diff = abs(a[i] - b[i])
            guard a[i].isFinite && diff <= allowed else {
                mismatches += 1
                worst = Swift.max(worst, allowed > 0 && diff.isFinite ? diff / allowed : .infinity)
                if lines.count < maxListed {
                    lines.append("  [\(i)] \(multiIndex(i, expected.shape)): jacobi \(a[i]), torch \(b[i]), |diff| \(diff), allowed \(allowed)")
                }
                continue
            }
        }
        if mismatches > 0 {
            lines.append("  \(mismatches) of \(b.count) elements differ; worst |diff| / allowed = \(worst); max |torch| = \(scale)")
        }
        return lines
    }

    /// The index per dimension of a row-major flat index, as `(i, j, ...)`.
    func multiIndex(_ flat: Int, _ shape: [Int]) -> String {
        var rest = flat, index = [Int](repeating: 0, count: shape.count)
        for d in shape.indices.reversed() where shape[d] > 0 {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return "(" + index.map(String.init).joined(separator: ", ") + ")"
    }
}
