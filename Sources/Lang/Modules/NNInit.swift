import Tensor
import AD
#if canImport(Glibc)
import Glibc
#endif

// `torch.nn.init`: PyTorch's initialisers as in-place writes under no_grad, with PyTorch's fan
// and gain rules, drawing from the same generator (so `torch.manual_seed` gives PyTorch's values).

extension Interpreter {
    func makeNNInitModule() -> Namespace {
        func tensorArgument(_ a: BoundArguments) throws -> TensorHandle {
            guard case .tensor(let h)? = a.value("tensor") else { throw a.fail("expects a tensor") }
            return h
        }
        /// Calls the tensor's in-place method under no_grad.
        func fill(_ h: TensorHandle, _ method: String, _ args: [Value], _ a: BoundArguments) throws -> Value {
            try Autograd.withMode(false) {
                let m = try a.interpreter.getAttribute(.tensor(h), method, range: a.range)
                return try a.interpreter.call(m, CallArguments(args, range: a.range), range: a.range)
            }
        }
        func fans(_ h: TensorHandle) throws -> (Double, Double) {
            guard h.rank >= 2 else {
                throw PythonError(.ValueError, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
            }
            let receptive = h.shape.dims.dropFirst(2).reduce(1, *)
            return (Double(h.shape[1] * receptive), Double(h.shape[0] * receptive))
        }
        func gain(_ nonlinearity: String, _ param: Double?) throws -> Double {
            switch nonlinearity {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid":
                return 1
            case "tanh": return 5.0 / 3
            case "relu": return 2.0.squareRoot()
            case "leaky_relu": let s = param ?? 0.01; return (2.0 / (1 + s * s)).squareRoot()
            case "selu": return 3.0 / 4
            default: throw PythonError(.ValueError, "Unsupported nonlinearity \(nonlinearity)")
            }
        }
        func fan(_ h: TensorHandle, _ mode: String) throws -> Double {
            let (fanIn, fanOut) = try fans(h)
            switch mode {
            case "fan_in": return fanIn
            case "fan_out": return fanOut
            default: throw PythonError(.ValueError, "Mode \(mode) not supported, please use one of fan_in, fan_out")
            }
        }
        let functions: [(String, [String], (BoundArguments) throws -> Value)] = [
            ("calculate_gain", ["nonlinearity", "param=None"], { a in
                .float(try gain(try a.string("nonlinearity"), a.has("param") ? try a.double("param") : nil))
            }),
            ("zeros_", ["tensor"], { a in try fill(try tensorArgument(a), "zero_", [], a) }),
            ("ones_", ["tensor"], { a in try fill(try tensorArgument(a), "fill_", [.int(1)], a) }),
            ("constant_", ["tensor", "val"], { a in try fill(try tensorArgument(a), "fill_", [a.value("val")!], a) }),
            ("uniform_", ["tensor", "a=0.0", "b=1.0", "generator=None"], { a in
                try fill(try tensorArgument(a), "uniform_", [a.value("a")!, a.value("b")!], a)
            }),
            ("normal_", ["tensor", "mean=0.0", "std=1.0", "generator=None"], { a in
                try fill(try tensorArgument(a), "normal_", [a.value("mean")!, a.value("std")!], a)
            }),
            ("xavier_uniform_", ["tensor", "gain=1.0", "generator=None"], { a in
                let h = try tensorArgument(a)
                let (fanIn, fanOut) = try fans(h)
                let bound = 3.0.squareRoot() * (try a.double("gain")) * (2 / (fanIn + fanOut)).squareRoot()
                return try fill(h, "uniform_", [.float(-bound), .float(bound)], a)
            }),
            ("xavier_normal_", ["tensor", "gain=1.0", "generator=None"], { a in
                let h = try tensorArgument(a)
                let (fanIn, fanOut) = try fans(h)
                return try fill(h, "normal_", [.float(0), .float(try a.double("gain") * (2 / (fanIn + fanOut)).squareRoot())], a)
            }),
            ("kaiming_uniform_", ["tensor", "a=0", "mode='fan_in'", "nonlinearity='leaky_relu'", "generator=None"], { a in
                let h = try tensorArgument(a)
                let std = try gain(try a.string("nonlinearity"), try a.double("a")) / (try fan(h, try a.string("mode"))).squareRoot()
                let bound = 3.0.squareRoot() * std
                return try fill(h, "uniform_", [.float(-bound), .float(bound)], a)
            }),
            ("kaiming_normal_", ["tensor", "a=0", "mode='fan_in'", "nonlinearity='leaky_relu'", "generator=None"], { a in
                let h = try tensorArgument(a)
                let std = try gain(try a.string("nonlinearity"), try a.double("a")) / (try fan(h, try a.string("mode"))).squareRoot()
                return try fill(h, "normal_", [.float(0), .float(std)], a)
            }),
            ("eye_", ["tensor"], { a in
                let h = try tensorArgument(a)
                guard h.rank == 2 else { throw PythonError(.ValueError, "Only tensors with 2 dimensions are supported") }
                let (n, m) = (h.shape[0], h.shape[1])
                let eye = Tensor(shape: [n, m], doubles: (0..<(n * m)).map { $0 / m == $0 % m ? 1 : 0 }, dtype: h.dtype)
                return try fill(h, "copy_", [.tensor(.tensor(eye))], a)
            }),
        ]
        return Namespace(name: "torch.nn.init", attributes: functions.map { name, spec, body in
            (name, function(name, spec, qualname: "torch.nn.init." + name, body))
        })
    }
}
