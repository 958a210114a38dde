import Tensor
import AD

extension Interpreter {
    // MARK: - gradcheck

    func registerGradcheckBuiltins() {
        registry.add("gradcheck", ["func", "inputs", "|eps=1e-06", "|atol=1e-05", "|rtol=0.001", "|raise_exception=True"], topic: "transforms",
                     summary: "compare the Jacobian from reverse mode with central finite differences",
                     doc: """
                     gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3) is torch.autograd.gradcheck: for every floating
                     point input and every output, the Jacobian from reverse mode must match central differences with step
                     eps, |analytic - numeric| <= atol + rtol |numeric|. Returns True, or raises an error naming the worst
                     entry (index, analytic, numeric); with raise_exception=False prints it and returns False. Use float64
                     inputs: float32 differences are too coarse for these tolerances.

                       >>> gradcheck(lambda x: (x ** 3).sum(), (randn(4, dtype=float64),))
                       True
                     """) { a in
            try self.runGradcheck(a)
        }
    }

    func runGradcheck(_ a: BoundArguments) throws -> Value {
        let f = try a.function("func")
        let eps = try a.double("eps"), atol = try a.double("atol"), rtol = try a.double("rtol")
        let raise = try a.bool("raise_exception")
        let inputs: [Value]
        switch a.value("inputs")! {
        case .tuple(let xs): inputs = xs
        case .list(let l): inputs = l.items
        case let v: inputs = [v]
        }
        let flat = FlatArguments(inputs)
        let box = OutputStructure()
        let g = tensorFunction(f, flat, hasAux: false, box: box, name: "gradcheck", range: a.range)
        let leaves = try flat.leaves.map { try $0.requireConcrete("gradcheck") }
        let differentiable = leaves.indices.filter { leaves[$0].dtype.isFloatingPoint }
        guard !differentiable.isEmpty else { throw a.fail("no floating point input to check") }
        let analytic = try AD.jacrev(g, argnums: differentiable)(flat.leaves)   // [output][input]
        let outputs = try g(flat.leaves).map { try $0.requireConcrete("gradcheck") }
        for (k, y) in outputs.enumerated() {
            for (j, i) in differentiable.enumerated() {
                let jac = try analytic[k * differentiable.count + j].requireConcrete("gradcheck").doubles
                let x = leaves[i]
                let n = x.elementCount, m = y.elementCount
                var worst: (excess: Double, row: Int, column: Int, analytic: Double, numeric: Double)? = nil
                for c in 0..<n {
                    if shouldStop() { throw Interrupted() }
                    func shifted(_ delta: Double) throws -> [Double] {
                        var v = x.doubles
                        v[c] += delta
                        var args = flat.leaves
                        args[i] = .tensor(Tensor(shape: x.shape, doubles: v, dtype: x.dtype))
                        return try g(args)[k].requireConcrete("gradcheck").doubles
                    }
                    let plus = try shifted(eps), minus = try shifted(-eps)
                    for r in 0..<m {
                        let numeric = (plus[r] - minus[r]) / (2 * eps)
                        let exact = jac[r * n + c]
                        let excess = abs(exact - numeric) - (atol + rtol * abs(numeric))
                        if excess > 0 || exact.isNaN != numeric.isNaN, excess > (worst?.excess ?? -Double.infinity) || worst == nil {
                            worst = (excess, r, c, exact, numeric)
                        }
                    }
                }
                if let w = worst {
                    func index(_ flatIndex: Int, _ s: Shape) -> String {
                        var rest = flatIndex, idx: [Int] = []
                        for d in s.dims.reversed() { idx.append(d == 0 ? 0 : rest % d); rest /= max(d, 1) }
                        return "(" + idx.reversed().map(String.init).joined(separator: ", ") + (s.rank == 1 ? ",)" : ")")
                    }
                    let message = "gradcheck: Jacobian mismatch for output \(k) with respect to input \(i): worst entry at output index \(index(w.row, y.shape)), input index \(index(w.column, x.shape)): analytic \(pythonFloat(w.analytic)), numeric \(pythonFloat(w.numeric)) (atol=\(pythonFloat(atol)), rtol=\(pythonFloat(rtol)), eps=\(pythonFloat(eps)))"
                    if raise {
                        throw PythonError(.ValueError, message, at: a.range,
                                         hint: x.dtype == .float32 ? "use float64 inputs: float32 differences are too coarse" : nil)
                    }
                    output(message + "\n")
                    return .bool(false)
                }
            }
        }
        return .bool(true)
    }
}
