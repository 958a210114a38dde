import Tensor
import AD
import NN
import Printer

extension Interpreter {
    // MARK: - Layers and networks (torch.nn)

    func registerNNBuiltins() {
        let t = "nn"
        registry.add("Linear", ["in_features", "out_features", "bias=True", "|dtype=None"], topic: t,
                     summary: "y = x W^T + b, initialised as PyTorch (seeded by manual_seed)",
                     doc: "Linear(in_features, out_features, bias=True) is torch.nn.Linear: weight [out, in] and bias [out]\ndrawn uniformly in ±1/sqrt(in_features), in PyTorch's order, so manual_seed(0) gives PyTorch's weights.\n\n  >>> layer = Linear(4, 8)\n  >>> layer(randn(32, 4)).shape\n  [32, 8]") { a in
            .module(Linear(try a.int("in_features"), try a.int("out_features"), bias: try a.bool("bias", default: true),
                           dtype: try a.dtype("dtype") ?? .float32, generator: &self.generator))
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
            let mode = try a.string("approximate", default: "none")
            guard mode == "none" || mode == "tanh" else { throw a.fail("approximate must be 'none' or 'tanh'") }
            return .module(Activation(.gelu(approximate: mode == "tanh")))
        }
        registry.add("Softplus", ["beta=1.0", "threshold=20.0"], topic: t, summary: "softplus as a layer") { a in
            .module(Activation(.softplus(beta: try a.double("beta", default: 1), threshold: try a.double("threshold", default: 20))))
        }
        registry.add("ELU", ["alpha=1.0"], topic: t, summary: "ELU as a layer") { a in
            .module(Activation(.elu(alpha: try a.double("alpha", default: 1))))
        }
        registry.add("LeakyReLU", ["negative_slope=0.01"], topic: t, summary: "leaky ReLU as a layer") { a in
            .module(Activation(.leakyRelu(slope: try a.double("negative_slope", default: 0.01))))
        }
        registry.add("Softmax", ["dim=None"], topic: t, summary: "softmax along dim as a layer") { a in
            .module(Activation(.softmax(dim: try a.optionalInt("dim"))))
        }
        registry.add("LogSoftmax", ["dim=None"], topic: t, summary: "log-softmax along dim as a layer") { a in
            .module(Activation(.logSoftmax(dim: try a.optionalInt("dim"))))
        }
        registry.add("Flatten", ["start_dim=1", "end_dim=-1"], topic: t, summary: "flatten dimensions as a layer") { a in
            .module(Activation(.flatten(start: try a.int("start_dim", default: 1), end: try a.int("end_dim", default: -1))))
        }
        registry.add("Dropout", ["p=0.5", "inplace=False"], topic: t, summary: "the identity (Jacobi evaluates in eval mode)") { a in
            .module(Activation(.dropout(p: try a.double("p", default: 0.5))))
        }
        registry.add("LayerNorm", ["normalized_shape", "eps=1e-05", "elementwise_affine=True", "bias=True", "|dtype=None"], topic: t,
                     summary: "layer normalisation over the trailing dimensions") { a in
            .module(LayerNorm(try a.intList("normalized_shape") ?? [], eps: try a.double("eps", default: 1e-5),
                              elementwiseAffine: try a.bool("elementwise_affine", default: true),
                              bias: try a.bool("bias", default: true), dtype: try a.dtype("dtype") ?? .float32))
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
                guard case .module(let m) = v else { throw a.fail("layer \(i) is a \(v.typeName), not a module") }
                layers.append((String(i), m))
            }
            for (k, v) in a.keywordExtras {
                guard case .module(let m) = v else { throw a.fail("layer '\(k)' is a \(v.typeName), not a module") }
                layers.append((k, m))
            }
            return .module(Sequential(layers))
        }
        registry.add("mlp", ["*widths", "|act='tanh'", "|bias=True", "|dtype=None"], topic: t,
                     summary: "a multilayer perceptron: mlp(4, 16, 16, 2, act='tanh')") { a in
            let widths = try a.sizes("widths")
            guard widths.count >= 2 else { throw a.fail("give at least an input and an output width, e.g. mlp(4, 16, 2)") }
            let act = try a.string("act", default: "tanh")
            let kinds: [String: ActivationKind] = ["tanh": .tanh, "relu": .relu, "sigmoid": .sigmoid, "gelu": .gelu(approximate: false),
                                                   "silu": .silu, "softplus": .softplus(beta: 1, threshold: 20), "elu": .elu(alpha: 1)]
            guard let kind = kinds[act] else { throw a.fail("act must be one of \(kinds.keys.sorted().joined(separator: ", ")), got '\(act)'") }
            return .module(multilayerPerceptron(widths, activation: kind, bias: try a.bool("bias", default: true),
                                                dtype: try a.dtype("dtype") ?? .float32, generator: &self.generator))
        }
        registry.add("functional_call", ["module", "parameter_and_buffer_dicts", "args", "kwargs=None"], topic: t,
                     summary: "call a module with the given parameters (for Jacobians w.r.t. parameters)",
                     doc: "functional_call(net, params, (x,)) runs net on x with its parameters replaced by the dict params\n(torch.func.functional_call).\n\n  >>> params = dict(net.named_parameters())\n  >>> jacrev(lambda p: functional_call(net, p, (x,)))(params)") { a in
            guard case .module(let m) = a.value("module")! else { throw a.fail("the first argument must be a module") }
            guard case .dict(let d) = a.value("parameter_and_buffer_dicts")! else { throw a.fail("parameters must be a dict of name -> tensor") }
            let values = try d.pairs.map { k, v -> (String, Operand) in
                guard case .string(let name) = k, case .tensor(let o) = v else { throw a.fail("parameters must map names to tensors") }
                return (name, o)
            }
            var args: [Value]
            switch a.value("args")! {
            case .tuple(let xs), .list(let xs): args = xs
            case let v: args = [v]
            }
            let callArgs = CallArguments(args, range: a.range)
            return try m.withParameters(values) { try self.callModule(m, callArgs, range: a.range) }
        }
    }

    /// Calls a module on tensor arguments.
    func callModule(_ m: Module, _ args: CallArguments, range: SourceRange?) throws -> Value {
        guard !args.positional.isEmpty else {
            throw Diagnostic(.error, "\(m.typeName) expects an input tensor, e.g. net(x)", range: range)
        }
        let inputs = try args.positional.map { try toOperand($0, what: "\(m.typeName) input", range: range) }
        return .tensor(try wrap(range) { try m(inputs) })
    }

    /// Children, parameters and methods of modules.
    func moduleAttribute(_ m: Module, _ name: String, range: SourceRange) throws -> Value {
        if let c = m.child(name) { return .module(c) }
        if let p = m.namedParameters().first(where: { $0.0 == name }) { return .tensor(p.1) }
        func method(_ body: @escaping (CallArguments) throws -> Value) -> Value {
            .function(Function(name: name, summary: "\(m.typeName).\(name)") { args, _ in try body(args) })
        }
        switch name {
        case "parameters": return method { _ in .list(m.namedParameters().map { .tensor($0.1) }) }
        case "named_parameters": return method { _ in .list(m.namedParameters().map { .tuple([.string($0.0), .tensor($0.1)]) }) }
        case "state_dict":
            return method { _ in .dict(OrderedDict(try m.stateDict().map { (.string($0.0), .tensor(.tensor($0.1))) })) }
        case "load_state_dict":
            return method { args in
                guard case .dict(let d)? = args.positional.first else {
                    throw Diagnostic(.error, "load_state_dict expects a dict of name -> tensor, e.g. load('model.safetensors')", range: args.range)
                }
                var strict = true
                for (k, v) in args.keywords where k == "strict" { if case .bool(let b) = v { strict = b } }
                let tensors = try d.pairs.map { k, v -> (String, Tensor) in
                    guard case .tensor(let o) = v else { throw Diagnostic(.error, "load_state_dict: value for \(k) is not a tensor", range: args.range) }
                    return ("\(k)".trimmingCharacters(in: CharacterSet(charactersIn: "'")), try o.requireConcrete("load_state_dict"))
                }
                try m.loadStateDict(tensors, strict: strict)
                self.globalsChanged()
                return .none
            }
        case "forward": return method { args in try self.callModule(m, args, range: args.range ?? range) }
        case "eval", "train", "requires_grad_", "zero_grad": return method { _ in .module(m) }
        case "double", "float":
            return method { _ in try m.convert(to: name == "double" ? .float64 : .float32); self.globalsChanged(); return .module(m) }
        case "to":
            return method { args in
                for v in args.positional { if case .dtype(let d) = v { try m.convert(to: d); self.globalsChanged() } }
                for (_, v) in args.keywords { if case .dtype(let d) = v { try m.convert(to: d); self.globalsChanged() } }
                return .module(m)
            }
        case "children": return method { _ in .list(m.children.map { .module($0.1) }) }
        case "named_children": return method { _ in .list(m.children.map { .tuple([.string($0.0), .module($0.1)]) }) }
        case "in_features": if let l = m as? Linear { return .int(l.inFeatures) }
        case "out_features": if let l = m as? Linear { return .int(l.outFeatures) }
        default: break
        }
        let names = m.children.map(\.0) + m.parameters.map(\.0) + ["parameters", "named_parameters", "state_dict", "load_state_dict", "forward"]
        throw Diagnostic(.error, "'\(m.typeName)' object has no attribute '\(name)'", range: range,
                         hint: closestName(name, among: names).map { "did you mean '\($0)'?" } ?? "its children and parameters are: \(names.joined(separator: ", "))")
    }
}

import Foundation
