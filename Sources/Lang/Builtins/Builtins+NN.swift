import Tensor
import AD
import NN
import Printer

extension Interpreter {
    // MARK: - Layers and networks (torch.nn)

    func registerNNBuiltins() {
        let t = "nn"
        registry.add("Linear", ["in_features", "out_features", "bias=True", "device=None", "dtype=None"], topic: t,
                     summary: "y = x W^T + b, initialised as PyTorch (seeded by manual_seed)",
                     doc: "Linear(in_features, out_features, bias=True) is torch.nn.Linear: weight [out, in] and bias [out]\ndrawn uniformly in ±1/sqrt(in_features), in PyTorch's order, so manual_seed(0) gives PyTorch's weights.\n\n  >>> layer = Linear(4, 8)\n  >>> layer(randn(32, 4)).shape\n  [32, 8]") { a in
            let inFeatures = try a.int("in_features"), outFeatures = try a.int("out_features")
            _ = try self.checkedShape([outFeatures, inFeatures])
            let dtype = try a.dtype("dtype") ?? .float32
            guard dtype.isFloatingPoint else { throw a.fail("Linear: dtype must be floating point, not \(dtype.torchName)") }
            return .module(Linear(inFeatures, outFeatures, bias: try a.bool("bias"), dtype: dtype, generator: &self.generator))
        }
        let simple: [(String, ActivationKind, String)] = [
            ("Tanh", .tanh, "tanh as a layer"), ("ReLU", .relu, "max(x, 0) as a layer"),
            ("Sigmoid", .sigmoid, "logistic function as a layer"), ("SiLU", .silu, "x * sigmoid(x) as a layer"),
            ("Identity", .identity, "the identity as a layer"),
        ]
        for (name, kind, summary) in simple {
            registry.add(name, ["*args", "|**kwargs"], topic: t, summary: summary) { _ in .module(Activation(kind)) }
        }
        registry.add("GELU", ["approximate='none'"], topic: t, summary: "GELU as a layer (approximate='none' or 'tanh')") { a in
            let mode = try a.string("approximate")
            guard mode == "none" || mode == "tanh" else { throw a.fail("approximate must be 'none' or 'tanh'") }
            return .module(Activation(.gelu(approximate: mode == "tanh")))
        }
        registry.add("Softplus", ["beta=1.0", "threshold=20.0"], topic: t, summary: "softplus as a layer") { a in
            .module(Activation(.softplus(beta: try a.double("beta"), threshold: try a.double("threshold"))))
        }
        registry.add("ELU", ["alpha=1.0"], topic: t, summary: "ELU as a layer") { a in
            .module(Activation(.elu(alpha: try a.double("alpha"))))
        }
        registry.add("LeakyReLU", ["negative_slope=0.01"], topic: t, summary: "leaky ReLU as a layer") { a in
            .module(Activation(.leakyRelu(slope: try a.double("negative_slope"))))
        }
        registry.add("Softmax", ["dim=None"], topic: t, summary: "softmax along dim as a layer") { a in
            .module(Activation(.softmax(dim: try a.optionalInt("dim"))))
        }
        registry.add("LogSoftmax", ["dim=None"], topic: t, summary: "log-softmax along dim as a layer") { a in
            .module(Activation(.logSoftmax(dim: try a.optionalInt("dim"))))
        }
        registry.add("Flatten", ["start_dim=1", "end_dim=-1"], topic: t, summary: "flatten dimensions as a layer") { a in
            .module(Activation(.flatten(start: try a.int("start_dim"), end: try a.int("end_dim"))))
        }
        registry.add("Dropout", ["p=0.5", "inplace=False"], topic: t, summary: "the identity (Jacobi evaluates in eval mode)") { a in
            .module(Activation(.dropout(p: try a.double("p"))))
        }
        registry.add("LayerNorm", ["normalized_shape", "eps=1e-05", "elementwise_affine=True", "bias=True", "device=None", "dtype=None"], topic: t,
                     summary: "layer normalisation over the trailing dimensions") { a in
            let normalized = try a.intList("normalized_shape") ?? []
            _ = try self.checkedShape(normalized)
            return .module(LayerNorm(normalized, eps: try a.double("eps"),
                              elementwiseAffine: try a.bool("elementwise_affine"),
                              bias: try a.bool("bias"), dtype: try a.dtype("dtype") ?? .float32))
        }
        registry.add("ModuleList", ["modules=None"], topic: t, summary: "a list of layers for your own forward") { a in
            let items = a.has("modules") ? try self.collect(a.value("modules")!, range: a.range) : []
            return .module(ModuleList(try items.enumerated().map { i, v in
                guard case .module(let m) = v else { throw a.fail("ModuleList item \(i) is a \(v.pyType.name), not a module") }
                return m
            }))
        }
        registry.add("ModuleDict", ["modules=None"], topic: t, summary: "layers by name for your own forward") { a in
            let pairs = a.has("modules") ? try self.mappingPairsOrList(a.value("modules")!, range: a.range) : []
            return .module(ModuleDict(try pairs.map { k, v in
                guard case .string(let name) = k, case .module(let m) = v else { throw a.fail("ModuleDict maps names to modules") }
                return (name, m)
            }))
        }
        registry.add("Sequential", ["*layers", "|**named"], topic: t,
                     summary: "layers applied in order; children by position or by name",
                     doc: "Sequential(*layers) or Sequential(name=layer, ...) is torch.nn.Sequential.\n\n  >>> net = Sequential(block1=Sequential(Linear(4, 8), Tanh()), head=Linear(8, 2))\n  >>> net.block1[0].weight.shape\n  [8, 4]") { a in
            var layers: [(String, Module)] = []
            // Sequential(OrderedDict([("block1", ...), ...])), as PyTorch names children.
            if a.rest.count == 1, case .dict(let d) = a.rest[0] {
                for (k, v) in d.pairs {
                    guard case .string(let name) = k, case .module(let m) = v else { throw a.fail("a dict of layers must map names to modules") }
                    layers.append((name, m))
                }
                return .module(Sequential(layers))
            }
            for (i, v) in a.rest.enumerated() {
                guard case .module(let m) = v else { throw a.fail("layer \(i) is a \(v.pyType.name), not a module") }
                layers.append((String(i), m))
            }
            for (k, v) in a.keywordExtras {
                guard case .module(let m) = v else { throw a.fail("layer '\(k)' is a \(v.pyType.name), not a module") }
                layers.append((k, m))
            }
            return .module(Sequential(layers))
        }
        registry.add("mlp", ["*widths", "|act='tanh'", "|bias=True", "|dtype=None"], topic: t,
                     summary: "a multilayer perceptron: mlp(4, 16, 16, 2, act='tanh')") { a in
            let widths = try a.sizes("widths")
            guard widths.count >= 2 else { throw a.fail("give at least an input and an output width, e.g. mlp(4, 16, 2)") }
            let act = try a.string("act")
            let kinds: [String: ActivationKind] = ["tanh": .tanh, "relu": .relu, "sigmoid": .sigmoid, "gelu": .gelu(approximate: false),
                                                   "silu": .silu, "softplus": .softplus(beta: 1, threshold: 20), "elu": .elu(alpha: 1)]
            guard let kind = kinds[act] else { throw a.fail("act must be one of \(kinds.keys.sorted().joined(separator: ", ")), got '\(act)'") }
            return .module(multilayerPerceptron(widths, activation: kind, bias: try a.bool("bias"),
                                                dtype: try a.dtype("dtype") ?? .float32, generator: &self.generator))
        }
        registry.add("functional_call", ["module", "parameter_and_buffer_dicts", "args", "kwargs=None"], topic: t,
                     summary: "call a module with the given parameters (for Jacobians w.r.t. parameters)",
                     doc: "functional_call(net, params, (x,)) runs net on x with its parameters replaced by the dict params\n(torch.func.functional_call).\n\n  >>> params = dict(net.named_parameters())\n  >>> jacrev(lambda p: functional_call(net, p, (x,)))(params)") { a in
            guard case .module(let m) = a.value("module")! else { throw a.fail("the first argument must be a module") }
            var dicts: [DictObject] = []
            switch a.value("parameter_and_buffer_dicts")! {
            case .dict(let d): dicts = [d]
            case .tuple(let items):
                dicts = try items.map { v in
                    guard case .dict(let d) = v else { throw a.fail("parameters must be a dict of name -> tensor") }
                    return d
                }
            case let v: throw a.fail("parameters must be a dict of name -> tensor, not \(v.pyType.name)")
            }
            let values = try dicts.flatMap(\.pairs).map { k, v -> (String, Operand) in
                guard case .string(let name) = k, case .tensor(let h) = v else { throw a.fail("parameters must map names to tensors") }
                return (name, h.value)
            }
            var args: [Value]
            switch a.value("args")! {
            case .tuple(let xs): args = xs
            case .list(let l): args = l.items
            case let v: args = [v]
            }
            var callArgs = CallArguments(args, range: a.range)
            if case .dict(let kw)? = a.value("kwargs") {
                callArgs.keywords = kw.pairs.compactMap { k, v in if case .string(let s) = k { return (s, v) }; return nil }
            }
            return try m.withParameters(values) { try self.callModule(m, callArgs) }
        }
    }

}
