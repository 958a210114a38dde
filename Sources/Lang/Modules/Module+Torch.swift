import Tensor
import AD
import NN
import Printer

// The torch modules: `torch`, `torch.nn`, `torch.nn.functional`, `torch.func`/`functorch`,
// `torch.autograd`, `torch.linalg`, `torch.utils.benchmark`, `torch.cuda`, `torch.testing`, and the
// NumPy names that resolve to the same builtins.

extension Interpreter {
    var torchModuleBuilders: [String: (Interpreter) -> Namespace] {
        [
            "torch": { $0.makeTorchModule() },
            "torch.nn": { $0.makeNNModule() },
            "torch.nn.functional": { interp in interp.registryModule("torch.nn.functional", extra: interp.functionalExtras()) },
            "torch.nn.init": { interp in interp.makeInitModule() },
            "torch.nn.parameter": { _ in Namespace(name: "torch.nn.parameter", attributes: [("Parameter", .type(BuiltinTypes.parameter))]) },
            "torch.func": { interp in interp.registryModule("torch.func") },
            "torch.autograd": { interp in interp.makeAutogradModule() },
            "torch.optim": { interp in interp.makeOptimModule() },
            "torch.autograd.functional": { interp in interp.registryModule("torch.autograd.functional") },
            "torch.linalg": { interp in interp.registryModule("torch.linalg", extra: [("norm", interp.registryValue("linalg_norm")!)]) },
            "torch.special": { interp in interp.registryModule("torch.special") },
            "torch.utils": { _ in Namespace(name: "torch.utils") { interp, n in interp.module(named: "torch.utils." + n).map { .namespace($0) } } },
            "torch.utils.benchmark": { interp in interp.makeBenchmarkModule() },
            "torch.cuda": { interp in interp.makeCudaModule() },
            "torch.backends": { _ in Namespace(name: "torch.backends") { interp, n in interp.module(named: "torch.backends." + n).map { .namespace($0) } } },
            "torch.backends.cudnn": { _ in Namespace(name: "torch.backends.cudnn", attributes: [("deterministic", .bool(false)), ("benchmark", .bool(false)), ("enabled", .bool(false))]) },
            "torch.backends.mps": { interp in Namespace(name: "torch.backends.mps", attributes: [("is_available", interp.function("is_available", []) { _ in .bool(false) })]) },
            "torch.testing": { interp in interp.makeTestingModule() },
            "torch.return_types": { interp in Namespace(name: "torch.return_types") { interp, n in .type(interp.returnType(n, fields: ["values", "indices"])) } },
            "numpy": { interp in interp.registryModule("numpy") },
            "numpy.linalg": { interp in interp.registryModule("numpy.linalg") },
        ]
    }

    /// A module whose names are Jacobi's builtins (the torch functions), plus `extra`; its
    /// submodules are the known modules under its name.
    func registryModule(_ name: String, extra: [(String, Value)] = []) -> Namespace {
        Namespace(name: name, attributes: extra, resolve: { interp, n in
            if let sub = interp.module(named: name + "." + n) { return .namespace(sub) }
            return interp.registryValue(n)
        }, resolvableNames: { interp in interp.registry.names })
    }

    /// A builtin by name as a value: layers are their classes (`nn.Linear`), other builtins functions.
    func registryValue(_ n: String) -> Value? {
        guard let b = registry.byName[n] else { return nil }
        if b.topic == "nn", n.first?.isUppercase == true, b.name == n { return .type(BuiltinTypes.moduleType(n)) }
        return registry.function(n).map { .function($0) }
    }

    // MARK: - torch

    private func makeTorchModule() -> Namespace {
        var attrs: [(String, Value)] = torchDTypeNames.map { ($0.0, .dtype($0.1)) }
        attrs += [
            ("Tensor", .type(BuiltinTypes.tensor)), ("Size", .type(BuiltinTypes.size)), ("dtype", .type(BuiltinTypes.dtype)),
            ("device", .type(BuiltinTypes.device)),
            ("pi", .float(Double.pi)), ("e", .float(2.718281828459045)), ("inf", .float(.infinity)), ("nan", .float(.nan)),
            ("__version__", .string("2.15.0 (Jacobi)")),
            ("no_grad", .type(gradModeType("no_grad"))), ("enable_grad", .type(gradModeType("enable_grad"))),
            ("set_grad_enabled", .type(gradModeType("set_grad_enabled"))), ("inference_mode", .type(gradModeType("inference_mode"))),
            ("is_grad_enabled", function("is_grad_enabled", []) { a in .bool(a.interpreter.gradEnabled) }),
            ("is_inference_mode_enabled", function("is_inference_mode_enabled", []) { a in .bool(a.interpreter.inferenceMode) }),
            ("set_printoptions", function("set_printoptions", ["precision=None", "threshold=None", "edgeitems=None", "linewidth=None",
                                                               "profile=None", "sci_mode=None"]) { a in try a.interpreter.setPrintOptions(a) }),
            ("get_default_dtype", function("get_default_dtype", []) { _ in .dtype(.float32) }),
            ("set_default_dtype", function("set_default_dtype", ["d"]) { a in
                guard case .dtype(.float32)? = a.value("d") else {
                    throw PythonError(.NotImplementedError, "set_default_dtype: Jacobi's default dtype is float32",
                                      hint: "pass dtype=torch.float64 to the factories, or convert with .double()")
                }
                return .none
            }),
            ("is_tensor", function("is_tensor", ["obj"]) { a in
                if case .tensor? = a.value("obj") { return .bool(true) }
                return .bool(false)
            }),
            ("is_floating_point", function("is_floating_point", ["input"]) { a in .bool(try a.tensor("input").dtype.isFloatingPoint) }),
            ("from_numpy", function("from_numpy", ["ndarray"]) { a in .tensor(try a.tensor("ndarray")) }),
            ("get_num_threads", function("get_num_threads", []) { _ in .int(BLASInfo.chosenThreads ?? BLASInfo.threads) }),
            ("set_num_threads", function("set_num_threads", ["int"]) { a in
                if case .float? = a.value("int") { throw PythonError(.RuntimeError, "set_num_threads expects an int, but got float") }
                BLASInfo.choose(threads: try Interpreter.threadCount(try a.int("int")))
                return .none
            }),
        ]
        return Namespace(name: "torch", attributes: attrs, resolve: { interp, n in
            if let sub = interp.module(named: "torch." + n) { return .namespace(sub) }
            return interp.registryValue(n)
        }, resolvableNames: { interp in interp.registry.names + ["nn", "func", "autograd", "optim", "linalg", "utils", "cuda", "testing", "special"] })
    }

    private func makeNNModule() -> Namespace {
        var attrs: [(String, Value)] = [("Module", .type(BuiltinTypes.nnModule)), ("Parameter", .type(BuiltinTypes.parameter))]
        for n in registry.names where registry.byName[n]!.topic == "nn" && n.first?.isUppercase == true {
            attrs.append((n, .type(BuiltinTypes.moduleType(n))))
        }
        return Namespace(name: "torch.nn", attributes: attrs, resolve: { interp, n in
            interp.module(named: "torch.nn." + n).map { .namespace($0) }
        }, resolvableNames: { _ in ["functional", "init", "parameter"] })
    }

    private func makeAutogradModule() -> Namespace {
        let grad = function("grad", ["outputs", "inputs", "grad_outputs=None", "retain_graph=None", "create_graph=False",
                                     "only_inputs=True", "allow_unused=None", "is_grads_batched=False", "materialize_grads=False"],
                            qualname: "torch.autograd.grad") { a in try a.interpreter.autogradGrad(a) }
        let backward = function("backward", ["tensors", "grad_tensors=None", "retain_graph=None", "create_graph=False",
                                             "grad_variables=None", "inputs=None"], qualname: "torch.autograd.backward") { a in
            try a.interpreter.runBackward(tensors: [a.value("tensors")!], a, gradientsName: "grad_tensors")
            return Value.none
        }
        return Namespace(name: "torch.autograd", attributes: [("grad", grad), ("backward", backward)],
                         resolve: { interp, n in
            if let sub = interp.module(named: "torch.autograd." + n) { return .namespace(sub) }
            return interp.registryValue(n)
        }, resolvableNames: { interp in interp.registry.names })
    }

    private func makeInitModule() -> Namespace {
        makeNNInitModule()
    }

    private func makeCudaModule() -> Namespace {
        Namespace(name: "torch.cuda", attributes: [
            ("is_available", function("is_available", []) { _ in .bool(false) }),
            ("device_count", function("device_count", []) { _ in .int(0) }),
            ("is_initialized", function("is_initialized", []) { _ in .bool(false) }),
            ("synchronize", function("synchronize", ["device=None"]) { _ in .none }),
            ("manual_seed", function("manual_seed", ["seed"]) { _ in .none }),
            ("manual_seed_all", function("manual_seed_all", ["seed"]) { _ in .none }),
        ])
    }

    private func makeTestingModule() -> Namespace {
        Namespace(name: "torch.testing", attributes: [
            ("assert_close", function("assert_close", ["actual", "expected", "|rtol=None", "|atol=None", "|equal_nan=False",
                                                       "|check_dtype=True", "|msg=None"]) { a in
                let x = try a.tensor("actual"), y = try a.tensor("expected")
                let loose = x.dtype == .float64 ? (1e-7, 1e-7) : (1.3e-6, 1e-5)
                let rtol = a.has("rtol") ? try a.double("rtol") : loose.0, atol = a.has("atol") ? try a.double("atol") : loose.1
                if try a.bool("check_dtype"), x.dtype != y.dtype {
                    throw PythonError(.AssertionError, "The values for attribute 'dtype' do not match: \(x.dtype.torchName) != \(y.dtype.torchName).")
                }
                guard x.shape == y.shape else {
                    throw PythonError(.AssertionError, "The values for attribute 'shape' do not match: \(formatShape(x.shape)) != \(formatShape(y.shape)).")
                }
                let p = try x.requireConcrete("assert_close").doubles, q = try y.requireConcrete("assert_close").doubles
                let equalNaN = try a.bool("equal_nan")
                var mismatched = 0, worst = 0.0, worstIndex = 0
                for (i, (u, v)) in zip(p, q).enumerated() {
                    if u.isNaN && v.isNaN && equalNaN { continue }
                    let d = abs(u - v)
                    if !(d <= atol + rtol * abs(v)) { mismatched += 1; if !(d <= worst) { worst = d; worstIndex = i } }
                }
                guard mismatched == 0 else {
                    if a.has("msg") { throw PythonError(.AssertionError, try a.string("msg")) }
                    throw PythonError(.AssertionError, "Tensor-likes are not close!\n\nMismatched elements: \(mismatched) / \(p.count) (\(pythonFloat((Double(mismatched) / Double(p.count) * 1000).rounded() / 10))%)\nGreatest absolute difference: \(pythonFloat(worst)) at index \(worstIndex) (up to \(pythonFloat(atol)) allowed)")
                }
                return .none
            }),
        ])
    }

    /// Extra `torch.nn.functional` functions that are not tensor builtins of their own.
    func functionalExtras() -> [(String, Value)] {
        func reduce(_ x: Operand, _ reduction: String) throws -> Operand {
            switch reduction {
            case "mean": return try x.mean()
            case "sum": return try x.sum()
            case "none": return x
            default: throw PythonError(.ValueError, "\(reduction) is not a valid value for reduction")
            }
        }
        return [
            ("mse_loss", function("mse_loss", ["input", "target", "size_average=None", "reduce=None", "reduction='mean'"]) { a in
                let (x, y) = try a.interpreter.broadcastPair(a.value("input")!, a.value("target")!, range: a.range)
                let d = try x - y
                return .tensor(try reduce(try d * d, try a.string("reduction")))
            }),
            ("l1_loss", function("l1_loss", ["input", "target", "size_average=None", "reduce=None", "reduction='mean'"]) { a in
                let (x, y) = try a.interpreter.broadcastPair(a.value("input")!, a.value("target")!, range: a.range)
                return .tensor(try reduce(try (x - y).unary(.abs), try a.string("reduction")))
            }),
            ("nll_loss", function("nll_loss", ["input", "target", "weight=None", "size_average=None", "ignore_index=-100",
                                               "reduce=None", "reduction='mean'"]) { a in
                .tensor(try reduce(try a.interpreter.negativeLogLikelihood(try a.tensor("input"), try a.tensor("target")), try a.string("reduction")))
            }),
            ("cross_entropy", function("cross_entropy", ["input", "target", "weight=None", "size_average=None", "ignore_index=-100",
                                                         "reduce=None", "reduction='mean'", "label_smoothing=0.0"]) { a in
                let logp = try a.tensor("input").floating().logSoftmax(1)
                return .tensor(try reduce(try a.interpreter.negativeLogLikelihood(logp, try a.tensor("target")), try a.string("reduction")))
            }),
            ("dropout", function("dropout", ["input", "p=0.5", "training=True", "inplace=False"]) { a in
                let x = try a.tensor("input")
                if try a.bool("training") && (try a.double("p")) > 0 {
                    throw PythonError(.NotImplementedError, "F.dropout with training=True zeroes random elements, which Jacobi does not do",
                                      hint: "pass training=False (or self.training in a module in eval mode), or use p=0")
                }
                return .tensor(x)
            }),
        ]
    }

    /// `-input[i, target[i]]` for log-probabilities `[N, C]` and class indices `[N]`.
    func negativeLogLikelihood(_ logp: Operand, _ target: Operand) throws -> Operand {
        guard logp.rank == 2, target.rank == 1, !target.dtype.isFloatingPoint else {
            throw PythonError(.RuntimeError, "nll_loss expects input [N, C] and integer targets [N], got \(formatShape(logp.shape)) and \(formatShape(target.shape))")
        }
        let classes = Operand.tensor(try Tensor.arange(0, Double(logp.shape[1]), dtype: target.dtype))
        let oneHot = try Operand.compare(.eq, target.unsqueeze(1), classes).converted(to: logp.dtype)
        return try (logp * oneHot).sum([1]).unary(.neg)
    }

    // MARK: - Printing options

    /// `torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode)`.
    func setPrintOptions(_ a: BoundArguments) throws -> Value {
        var o = printOptions
        if a.has("profile") {
            o = PrintOptions()
            switch try a.string("profile") {
            case "default": break
            case "short": o.precision = 2; o.edgeItems = 2
            case "full": o.threshold = Int.max
            case let p: throw PythonError(.ValueError, "unknown print profile '\(p)' (default, short or full)")
            }
        }
        if a.has("precision") { o.precision = try a.int("precision") }
        if a.has("threshold") {
            let t = try a.double("threshold")
            o.threshold = t.isInfinite || t > Double(Int.max / 2) ? Int.max : Int(t)
        }
        if a.has("edgeitems") { o.edgeItems = try a.int("edgeitems") }
        if a.has("linewidth") { o.lineWidth = try a.int("linewidth") }
        o.sciMode = a.has("sci_mode") ? try a.bool("sci_mode") : nil
        printOptions = o
        return .none
    }
}
