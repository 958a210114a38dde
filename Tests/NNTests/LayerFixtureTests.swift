import XCTest
import Foundation
@testable import Lang
@testable import NN
import AD
import Tensor

/// Every layer against PyTorch (forward, vmap(jacrev), vmap(jacfwd), printed form), parameter
/// Jacobians through functional_call against PyTorch and against finite differences.
/// Criterion: |a - b| <= 1e-5 * max(|b|, 1e-2 * max|b|) elementwise (float32).
final class LayerFixtureTests: XCTestCase {
    struct Case {
        let name: String
        let source: String?
        let inputs: [String: Tensor]
        let outputs: [String: Tensor]
        let state: [(String, Tensor)]
        let repr: String
    }

    /// The cases of layer_cases.json (written by make_layer_fixtures.py with PyTorch).
    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "Fixtures/layer_cases", withExtension: "json")!
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func tensors(_ values: [String: Any]?, _ shapes: [String: Any]?) -> [String: Tensor] {
            var out: [String: Tensor] = [:]
            for (k, v) in values ?? [:] {
                let shape = (shapes![k] as! [Int])
                let flat = flatten(v)
                out[k] = Tensor(shape: Shape(shape), doubles: flat, dtype: .float32)
            }
            return out
        }
        func flatten(_ v: Any) -> [Double] {
            if let n = v as? NSNumber { return [n.doubleValue] }
            return (v as! [Any]).flatMap(flatten)
        }
        return (root["cases"] as! [[String: Any]]).map { c in
            let state = tensors(c["state"] as? [String: Any], c["state_shapes"] as? [String: Any])
            return Case(name: c["name"] as! String, source: c["source"] as? String,
                        inputs: tensors(c["inputs"] as? [String: Any], c["input_shapes"] as? [String: Any]),
                        outputs: tensors(c["outputs"] as? [String: Any], c["output_shapes"] as? [String: Any]),
                        state: state.keys.sorted().map { ($0, state[$0]!) }, repr: c["repr"] as! String)
        }
    }()

    func interpreter() -> Interpreter { Interpreter(output: { _ in }, warn: { _ in }) }

    func compare(_ got: Tensor, _ expected: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.shape, expected.shape, what, file: file, line: line)
        guard got.shape == expected.shape else { return }
        let e = expected.doubles, g = got.doubles
        let scale = e.map(abs).max() ?? 0
        for i in e.indices where abs(g[i] - e[i]) > 1e-5 * max(abs(e[i]), 1e-2 * scale) {
            XCTFail("\(what): flat index \(i): Jacobi \(g[i]), PyTorch \(e[i])", file: file, line: line)
            return
        }
    }

    func testEveryLayerMatchesPyTorch() throws {
        let layers = Self.cases.filter { $0.source != nil }
        XCTAssertEqual(layers.count, 18)
        for c in layers {
            let interp = interpreter()
            for (k, v) in c.inputs { interp[k] = .tensor(.tensor(v)) }
            let result = interp.run("import torch\nfrom torch import nn\nfrom torch.func import vmap, jacrev, jacfwd, functional_call\n" + c.source!,
                                    file: c.name)
            for d in result.diagnostics { XCTFail("\(c.name): " + d.render(source: c.source!, file: c.name)) }
            guard result.succeeded else { continue }
            for (k, expected) in c.outputs {
                compare(interp[k]!.operand!.concrete!, expected, "\(c.name).\(k)")
            }
            guard case .module(let m)? = interp["layer"] else { XCTFail("\(c.name): no module"); continue }
            XCTAssertEqual(m.repr, c.repr, "\(c.name): printed form")
        }
    }

    func testParameterJacobiansMatchPyTorch() throws {
        let c = Self.cases.first { $0.name == "parameter_jacobians" }!
        let interp = interpreter()
        interp["x"] = .tensor(.tensor(c.inputs["x"]!))
        interp["state"] = .dict(DictObject(strings: c.state.map { ($0.0, Value.tensor(.tensor($0.1))) }))
        let source = """
            net = Sequential(block1=Sequential(Linear(4, 8), Tanh()), head=Linear(8, 2))
            net.load_state_dict(state)
            params = dict(net.named_parameters())
            J0 = jacrev(lambda p: functional_call(net, p, (x[0],)))(params)
            per = vmap(lambda xi: jacrev(lambda p: functional_call(net, p, (xi,)))(params))(x)
            """
        let r = interp.run(source, file: "params")
        for d in r.diagnostics { XCTFail(d.render(source: source, file: "params")) }
        guard r.succeeded, case .dict(let j0)? = interp["J0"], case .dict(let per)? = interp["per"] else { return }
        XCTAssertEqual(j0.count, 4)
        for (k, v) in j0.pairs {
            guard case .string(let name) = k, let expected = c.outputs["J0.\(name)"] else { XCTFail("unexpected key \(k)"); continue }
            compare(v.operand!.concrete!, expected, "J0.\(name)")
        }
        for (k, v) in per.pairs {
            guard case .string(let name) = k, let expected = c.outputs["per.\(name)"] else { XCTFail("unexpected key \(k)"); continue }
            compare(v.operand!.concrete!, expected, "per.\(name)")
        }
        guard case .module(let net)? = interp["net"] else { return XCTFail() }
        XCTAssertEqual(net.repr, c.repr)
    }

    /// Central differences on parameter entries of a float64 network against jacrev over params.
    func testParameterJacobiansMatchFiniteDifferences() throws {
        let interp = interpreter()
        let setup = """
            manual_seed(5)
            net = Sequential(block1=Sequential(Linear(3, 5), Tanh()), head=Linear(5, 2)).double()
            x = randn(3, dtype=float64)
            params = dict(net.named_parameters())
            J = jacrev(lambda p: functional_call(net, p, (x,)))(params)
            """
        let r = interp.run(setup, file: "fd")
        for d in r.diagnostics { XCTFail(d.render(source: setup, file: "fd")) }
        guard case .module(let net)? = interp["net"], case .dict(let jac)? = interp["J"],
              let x = interp["x"]?.operand else { return XCTFail() }
        let eps = 1e-6
        for (name, p) in net.namedParameters() {
            let analytic = jac[.string(name)]!.operand!.concrete!      // [2, *p.shape]
            let n = p.shape.elementCount
            for j in Set([0, n / 2, n - 1]) {
                func output(_ delta: Double) throws -> [Double] {
                    var v = p.concrete!.doubles
                    v[j] += delta
                    let shifted = Operand.tensor(Tensor(shape: p.shape, float64: v))
                    return try net.withParameters([(name, shifted)]) { try net([x]).concrete!.doubles }
                }
                let plus = try output(eps), minus = try output(-eps)
                for i in 0..<2 {
                    let numeric = (plus[i] - minus[i]) / (2 * eps)
                    let exact = analytic.doubles[i * n + j]
                    XCTAssertEqual(exact, numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(name)[\(j)] output \(i)")
                }
            }
        }
    }

    func testInitialisationMatchesPyTorch() throws {
        // torch.manual_seed(0); nn.Linear(3, 2): weight and bias as PyTorch 2.15 prints them.
        let interp = interpreter()
        _ = interp.run("manual_seed(0)\nl = Linear(3, 2)", file: "init")
        guard case .module(let l)? = interp["l"] else { return XCTFail() }
        let w = l.namedParameters()[0].1.concrete!.float32Values, b = l.namedParameters()[1].1.concrete!.float32Values
        XCTAssertEqual(w, [-0.004322517663240433, 0.3097158372402191, -0.4751853346824646,
                           -0.4248946011066437, -0.2223689705133438, 0.15482072532176971])
        XCTAssertEqual(b, [-0.011439144611358643, 0.45777493715286255])
        // float64 too (PyTorch's Kaiming bound and fused multiply-add): weight then bias of
        // torch.manual_seed(0); nn.Linear(5, 3, dtype=torch.float64), as PyTorch 2.15 gives them.
        _ = interp.run("manual_seed(0)\nd = Linear(5, 3, dtype=float64)", file: "init64")
        guard case .module(let d)? = interp["d"] else { return XCTFail() }
        let got = d.namedParameters().flatMap { $0.1.concrete!.float64Values }
        XCTAssertEqual(got, [0.42042818602691356, 0.1858797375490857, -0.03632900008519794, 0.3763281692289248, 0.12971351638863884, 0.26041059136837535, -0.2874633759199114, -0.133173389274643, 0.07275353041683828, -0.18940757615126635, -0.04215538310385754, -0.2890792919074539, -0.12945334678288614, 0.10903536914457614, -0.016235283900972695, -0.05294964334835039, -0.08292988099514711, -0.2634637314271369])
    }
}
