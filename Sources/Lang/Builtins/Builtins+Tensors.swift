import Tensor
import AD

extension Interpreter {
    func registerAllBuiltins() {
        registerCreationBuiltins()
        registerMathBuiltins()
        registerShapeBuiltins()
        registerTransformBuiltins()
        registerNNBuiltins()
        registerJacobianBuiltins()
        registerFileBuiltins()
        registerPictureBuiltins()
        registerGradcheckBuiltins()
        registerLinearAlgebraBuiltins()
        registerMatrixBuiltins()
        registerPythonBuiltins()
    }

    // MARK: - Creation

    func registerCreationBuiltins() {
        let t = "tensors"
        registry.add("tensor", ["data", "|dtype=None", "|requires_grad=False"], topic: t,
                     summary: "a tensor from (nested) lists of numbers",
                     doc: "tensor(data, dtype=None) copies nested lists into a tensor. Ints give int64, any float gives float32\n(PyTorch's default), bools give bool.\n\n  >>> tensor([[1, 2], [3, 4.5]])\n  tensor([[1.0000, 2.0000],\n          [3.0000, 4.5000]])",
                     aliases: ["as_tensor", "asarray", "array"]) { a in
            .tensor(try self.toOperand(a.value("data")!, what: "tensor", range: a.range, dtype: try a.dtype("dtype")))
        }
        func creation(_ name: String, _ summary: String, _ make: @escaping ([Int], DType, BoundArguments) throws -> Tensor) {
            registry.add(name, ["*size", "|dtype=None"], topic: t, summary: summary,
                         doc: "\(name)(*size, dtype=None): \(summary). The size may be given as ints or as one tuple.\n\n  >>> \(name)(2, 3).shape\n  [2, 3]") { a in
                .tensor(.tensor(try make(try a.sizes("size"), try a.dtype("dtype") ?? .float32, a)))
            }
        }
        creation("zeros", "a tensor of zeros") { s, d, _ in Tensor.full(Shape(s), 0, dtype: d) }
        creation("ones", "a tensor of ones") { s, d, _ in Tensor.full(Shape(s), 1, dtype: d) }
        creation("empty", "an uninitialised tensor (zeros in Jacobi)") { s, d, _ in Tensor.full(Shape(s), 0, dtype: d) }
        creation("randn", "standard normal samples (seeded by manual_seed)") { s, d, _ in
            Tensor.randn(Shape(s), dtype: d, generator: &self.generator)
        }
        creation("rand", "uniform samples in [0, 1) (seeded by manual_seed)") { s, d, _ in
            Tensor.uniform(Shape(s), dtype: d, generator: &self.generator)
        }
        registry.add("full", ["size", "fill_value", "|dtype=None"], topic: t, summary: "a tensor filled with one value") { a in
            let v = a.value("fill_value")!
            let dtype = try a.dtype("dtype") ?? (self.isIntLike(v) ? .int64 : .float32)
            return .tensor(.tensor(Tensor.full(Shape(try a.sizes("size")), try a.double("fill_value"), dtype: dtype)))
        }
        registry.add("eye", ["n", "m=None", "|dtype=None"], topic: t, summary: "the identity matrix") { a in
            let n = try a.int("n"), m = try a.optionalInt("m") ?? n
            let d = try a.dtype("dtype") ?? .float32
            var v = [Double](repeating: 0, count: n * m)
            for i in 0..<min(n, m) { v[i * m + i] = 1 }
            return .tensor(.tensor(Tensor(shape: [n, m], doubles: v, dtype: d)))
        }
        registry.add("arange", ["start", "end=None", "step=1", "|dtype=None"], topic: t,
                     summary: "values from start up to end (exclusive) by step") { a in
            var start = try a.double("start"), end = try a.double("end", default: .nan)
            if end.isNaN { end = start; start = 0 }
            let allInt = [a.value("start"), a.value("end"), a.value("step")].allSatisfy { $0 == nil || self.isIntLike($0!) }
            let dtype = try a.dtype("dtype") ?? (allInt ? .int64 : .float32)
            return .tensor(.tensor(try Tensor.arange(start, end, step: try a.double("step", default: 1), dtype: dtype)))
        }
        registry.add("linspace", ["start", "end", "steps", "|dtype=None"], topic: t,
                     summary: "steps evenly spaced values from start to end") { a in
            .tensor(.tensor(try Tensor.linspace(try a.double("start"), try a.double("end"), steps: try a.int("steps"),
                                                dtype: try a.dtype("dtype") ?? .float32)))
        }
        func like(_ name: String, _ summary: String, _ make: @escaping (Shape, DType) -> Tensor) {
            registry.add(name, ["input", "|dtype=None"], topic: t, summary: summary) { a in
                let x = try a.tensor("input")
                return .tensor(.tensor(make(x.shape, try a.dtype("dtype") ?? x.dtype)))
            }
        }
        like("zeros_like", "zeros with the shape and dtype of input") { Tensor.full($0, 0, dtype: $1) }
        like("ones_like", "ones with the shape and dtype of input") { Tensor.full($0, 1, dtype: $1) }
        like("randn_like", "normal samples with the shape of input") { Tensor.randn($0, dtype: $1, generator: &self.generator) }
        like("rand_like", "uniform samples with the shape of input") { Tensor.uniform($0, dtype: $1, generator: &self.generator) }
        registry.add("full_like", ["input", "fill_value", "|dtype=None"], topic: t, summary: "a constant with the shape of input") { a in
            let x = try a.tensor("input")
            return .tensor(.tensor(Tensor.full(x.shape, try a.double("fill_value"), dtype: try a.dtype("dtype") ?? x.dtype)))
        }
        registry.add("manual_seed", ["seed"], topic: t, summary: "reseeds the random generator (randn, rand, layer initialisation)",
                     aliases: ["seed"]) { a in
            self.generator = Generator(seed: UInt64(truncatingIfNeeded: try a.int("seed")))
            return .none
        }
    }

    func isIntLike(_ v: Value) -> Bool {
        switch v {
        case .int, .bool: return true
        default: return false
        }
    }
}
