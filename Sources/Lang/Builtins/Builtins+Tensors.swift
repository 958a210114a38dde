import Tensor
import AD

extension Interpreter {
    func registerAllBuiltins() {
        registerCreationBuiltins()
        registerMathBuiltins()
        registerShapeBuiltins()
        registerViewBuiltins()
        registerTransformBuiltins()
        registerNNBuiltins()
        registerJacobianBuiltins()
        registerFileBuiltins()
        registerPictureBuiltins()
        registerGradcheckBuiltins()
        registerLinearAlgebraBuiltins()
        registerMatrixBuiltins()
    }

    // MARK: - Creation

    func registerCreationBuiltins() {
        let t = "tensors"
        registry.add("tensor", ["data", "|dtype=None", "|device=None", "|requires_grad=False", "|pin_memory=False"], topic: t,
                     summary: "a tensor from (nested) lists of numbers",
                     doc: "tensor(data, dtype=None) copies nested lists into a tensor. Ints give int64, any float gives float32\n(PyTorch's default), bools give bool.\n\n  >>> tensor([[1, 2], [3, 4.5]])\n  tensor([[1.0000, 2.0000],\n          [3.0000, 4.5000]])",
                     aliases: ["as_tensor", "asarray", "array"]) { a in
            try self.checkFactoryOptions(a)
            // A copy: a new tensor without the data's history, as torch.tensor(t) makes.
            return .tensor(try self.toOperand(a.value("data")!, what: "tensor", range: a.range, dtype: try a.dtype("dtype")).untracked)
        }
        func creation(_ name: String, _ summary: String, _ make: @escaping ([Int], DType, BoundArguments) throws -> Tensor) {
            registry.add(name, ["*size", "|out=None", "|dtype=None", "|layout=None", "|device=None", "|requires_grad=False",
                                "|generator=None", "|pin_memory=False"], topic: t, summary: summary,
                         doc: "\(name)(*size, dtype=None): \(summary). The size may be given as ints or as one tuple.\n\n  >>> \(name)(2, 3).shape\n  torch.Size([2, 3])") { a in
                try self.checkFactoryOptions(a)
                let shape = try self.checkedShape(try a.sizes("size"))
                let dtype = try a.dtype("dtype") ?? .float32
                try self.checkAllocation(elements: shape.elementCount, bytesPerElement: dtype.byteSize, what: "\(name)(\(shape.dims.map(String.init).joined(separator: ", ")))")
                return .tensor(.tensor(try make(shape.dims, dtype, a)))
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
        registry.add("full", ["size", "fill_value", "|out=None", "|dtype=None", "|layout=None", "|device=None", "|requires_grad=False"],
                     topic: t, summary: "a tensor filled with one value") { a in
            try self.checkFactoryOptions(a)
            let v = a.value("fill_value")!
            if case .bigInt = v { throw PythonError(.OverflowError, "int too big to convert", at: a.range) }
            let dtype = try a.dtype("dtype") ?? (self.isIntLike(v) ? (v.pyType === BuiltinTypes.bool ? .bool : .int64) : .float32)
            let shape = try self.checkedShape(try a.sizes("size"))
            try self.checkAllocation(elements: shape.elementCount, bytesPerElement: dtype.byteSize, what: "full((\(shape.dims.map(String.init).joined(separator: ", "))\(shape.rank == 1 ? "," : "")))")
            return .tensor(.tensor(Tensor.full(shape, try a.double("fill_value"), dtype: dtype)))
        }
        registry.add("eye", ["n", "m=None", "|out=None", "|dtype=None", "|layout=None", "|device=None", "|requires_grad=False"],
                     topic: t, summary: "the identity matrix") { a in
            try self.checkFactoryOptions(a)
            let n = try a.int("n"), m = try a.optionalInt("m") ?? n
            guard n >= 0 else { throw PythonError(.RuntimeError, "n must be greater or equal to 0, got \(n)", at: a.range) }
            guard m >= 0 else { throw PythonError(.RuntimeError, "m must be greater or equal to 0, got \(m)", at: a.range) }
            let d = try a.dtype("dtype") ?? .float32
            try self.checkAllocation(elements: Shape([n, m]).elementCount, bytesPerElement: d.byteSize, what: "eye(\(n), \(m))")
            var v = [Double](repeating: 0, count: n * m)
            for i in 0..<min(n, m) { v[i * m + i] = 1 }
            return .tensor(.tensor(Tensor(shape: [n, m], doubles: v, dtype: d)))
        }
        registry.add("arange", ["start", "end=None", "step=1", "|out=None", "|dtype=None", "|layout=None", "|device=None",
                                 "|requires_grad=False"], topic: t,
                     summary: "values from start up to end (exclusive) by step") { a in
            try self.checkFactoryOptions(a)
            var start = try a.double("start"), end = a.has("end") ? try a.double("end") : .nan
            if end.isNaN { end = start; start = 0 }
            let allInt = [a.value("start"), a.value("end"), a.value("step")].allSatisfy { $0 == nil || $0!.isNone || self.isIntLike($0!) }
            let dtype = try a.dtype("dtype") ?? (allInt ? .int64 : .float32)
            let step = try a.double("step")
            guard step != 0 else { throw PythonError(.RuntimeError, "step must be nonzero", at: a.range) }
            let count = ((end - start) / step).rounded(.up)
            if count > 0 { try self.checkAllocation(bytes: count >= 1e18 ? -1 : Int(count) * dtype.byteSize, what: "arange") }
            return .tensor(.tensor(try Tensor.arange(start, end, step: step, dtype: dtype)))
        }
        registry.add("linspace", ["start", "end", "steps", "|out=None", "|dtype=None", "|layout=None", "|device=None", "|requires_grad=False"],
                     topic: t, summary: "steps evenly spaced values from start to end") { a in
            try self.checkFactoryOptions(a)
            let steps = try a.int("steps")
            guard steps >= 0 else { throw PythonError(.RuntimeError, "number of steps must be non-negative", at: a.range) }
            try self.checkAllocation(elements: steps, bytesPerElement: 8, what: "linspace")
            return .tensor(.tensor(try Tensor.linspace(try a.double("start"), try a.double("end"), steps: try a.int("steps"),
                                                dtype: try a.dtype("dtype") ?? .float32)))
        }
        func like(_ name: String, _ summary: String, _ make: @escaping (Shape, DType) -> Tensor) {
            registry.add(name, ["input", "|dtype=None", "|layout=None", "|device=None", "|requires_grad=False", "|memory_format=None"],
                         topic: t, summary: summary) { a in
                try self.checkFactoryOptions(a)
                let x = try a.tensor("input")
                return .tensor(.tensor(make(x.shape, try a.dtype("dtype") ?? x.dtype)))
            }
        }
        like("zeros_like", "zeros with the shape and dtype of input") { Tensor.full($0, 0, dtype: $1) }
        like("ones_like", "ones with the shape and dtype of input") { Tensor.full($0, 1, dtype: $1) }
        like("randn_like", "normal samples with the shape of input") { Tensor.randn($0, dtype: $1, generator: &self.generator) }
        like("rand_like", "uniform samples with the shape of input") { Tensor.uniform($0, dtype: $1, generator: &self.generator) }
        registry.add("full_like", ["input", "fill_value", "|dtype=None", "|layout=None", "|device=None", "|requires_grad=False",
                                   "|memory_format=None"], topic: t, summary: "a constant with the shape of input") { a in
            try self.checkFactoryOptions(a)
            let x = try a.tensor("input")
            return .tensor(.tensor(Tensor.full(x.shape, try a.double("fill_value"), dtype: try a.dtype("dtype") ?? x.dtype)))
        }
        registry.add("manual_seed", ["seed"], topic: t, summary: "reseeds the random generator (randn, rand, layer initialisation)",
                     aliases: ["seed"]) { a in
            let v = a.value("seed")!
            guard let n = Number(v)?.bigInt else { throw a.fail("seed must be an int, not \(v.pyType.name)") }
            self.generator = Generator(seed: UInt64(truncatingIfNeeded: Int(truncatingIfNeeded: n)))
            return .none
        }
    }

    /// The options every tensor factory takes: a device other than the CPU is refused.
    /// (`requires_grad=True` is applied to the result by the call, for every builtin that takes it.)
    func checkFactoryOptions(_ a: BoundArguments) throws {
        if let d = a.value("device"), !d.isNone {
            let name: String
            switch d {
            case .string(let s): name = s
            case .instance(let i) where i.cls === BuiltinTypes.device: name = "cpu"
            case .none, .bool, .int, .bigInt, .float, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance,
                 .module, .namespace, .slice, .shape, .dtype, .ellipsis:
                name = "?"
            }
            guard name == "cpu" || name.hasPrefix("cpu:") else {
                throw PythonError(.RuntimeError, "Jacobi runs on the CPU: there is no '\(name)' device", at: a.range, hint: "use device='cpu' or leave it out")
            }
        }
    }

    func isIntLike(_ v: Value) -> Bool {
        switch v {
        case .int, .bool, .bigInt: return true
        case .none, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace,
             .slice, .shape, .dtype, .ellipsis:
            return false
        }
    }
}
