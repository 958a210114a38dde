import Tensor
import AD
import NN

// PyTorch's names for the backward of the operation a user called, shown as `grad_fn=<Name>`.
// The AD core records primitives (a `mean` is a sum and a division); the node that produces an
// operation's result is renamed after the operation, as PyTorch names it.

extension Interpreter {
    /// The topics of the builtins that are tensor operations (their results are named after them).
    static let tensorTopics: Set<String> = ["tensors", "math", "shapes", "linalg", "nn"]

    /// Runs an operation and gives the autograd node it made for its result PyTorch's name.
    func named(_ name: @autoclosure () -> String?, _ body: () throws -> Value) throws -> Value {
        let before = Autograd.newestSerial
        let result = try body()
        if Autograd.newestSerial > before, let name = name() { rename(result, madeAfter: before, to: name) }
        return result
    }

    /// Renames the nodes that produced the tensors of `v` (made after serial `serial`).
    func rename(_ v: Value, madeAfter serial: Int, to name: String) {
        switch v {
        case .tensor(let h):
            if let f = h.gradFn, f.serial > serial { f.name = name }
        case .tuple(let items):
            for x in items { rename(x, madeAfter: serial, to: name) }
        case .instance(let i):
            if let p = i.payload as? NamedTuplePayload { for x in p.values { rename(x, madeAfter: serial, to: name) } }
        case .none, .bool, .int, .bigInt, .float, .string, .list, .dict, .set, .function, .type, .module, .namespace,
             .slice, .shape, .dtype, .ellipsis:
            break
        }
    }

    /// The name of the node a builtin's result comes from, when the builtin's name alone decides it
    /// (`.some(nil)`: keep the primitive's), or nil when its arguments do (`argumentGradFnName`). Worked out once per builtin
    /// (`BuiltinTraits`): this switch of strings was a fifth of a recorded `torch.tanh(x)`.
    static func fixedGradFnName(_ name: String) -> String?? {
        switch name {
        case "sum", "mean", "max", "min", "matmul", "linear", "squeeze", "pow", "float_power", "power":
            return nil
        case "amax": return "AmaxBackward0"
        case "amin": return "AminBackward0"
        case "mm": return "MmBackward0"
        case "bmm": return "BmmBackward0"
        case "mv": return "MvBackward0"
        case "dot", "vdot", "inner": return "DotBackward0"
        case "outer", "ger": return "MulBackward0"
        case "reshape", "view", "flatten", "einsum": return "ViewBackward0"
        case "t": return "TBackward0"
        case "transpose", "swapaxes", "swapdims": return "TransposeBackward0"
        case "permute", "moveaxis", "movedim": return "PermuteBackward0"
        case "unsqueeze", "expand_dims": return "UnsqueezeBackward0"
        case "expand", "broadcast_to": return "ExpandBackward0"
        case "cat", "concat", "concatenate": return "CatBackward0"
        case "stack": return "StackBackward0"
        case "clone", "contiguous": return "CloneBackward0"
        case "sigmoid", "expit": return "SigmoidBackward0"
        case "clamp", "clip": return "ClampBackward1"
        case "maximum": return "MaximumBackward0"
        case "minimum": return "MinimumBackward0"
        case "where": return "WhereBackward0"
        case "abs", "absolute": return "AbsBackward0"
        case "square": return "PowBackward0"
        case "add": return "AddBackward0"
        case "sub", "subtract": return "SubBackward0"
        case "mul", "multiply": return "MulBackward0"
        case "div", "divide", "true_divide": return "DivBackward0"
        case "log1p": return "Log1PBackward0"
        case "expm1": return "Expm1Backward0"
        case "layer_norm": return "NativeLayerNormBackward0"
        case "softmax": return "SoftmaxBackward0"
        case "log_softmax": return "LogSoftmaxBackward0"
        case "leaky_relu": return "LeakyReluBackward0"
        case "norm", "linalg_norm", "vector_norm": return "LinalgVectorNormBackward0"
        case "matrix_norm": return "LinalgMatrixNormBackward0"
        case "pinverse", "pinv": return "LinalgPinvBackward0"
        case "inverse", "inv": return "LinalgInvExBackward0"
        case "det": return "LinalgDetBackward0"
        case "slogdet": return "LinalgSlogdetBackward0"
        case "solve": return "LinalgSolveExBackward0"
        case "svd", "svdvals": return "LinalgSvdBackward0"
        case "diagonal": return "DiagonalBackward0"
        case "to", "float", "double", "half", "bfloat16", "type": return "ToCopyBackward0"
        case "std": return "StdBackward0"
        case "var": return "VarBackward0"
        case "mse_loss": return "MseLossBackward0"
        case "l1_loss": return "MeanBackward0"
        case "nll_loss", "cross_entropy": return "NllLossBackward0"
        default:
            // tanh -> TanhBackward0, relu -> ReluBackward0, gelu -> GeluBackward0, ...
            let camel = name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return camel + "Backward0"
        }
    }

    /// The name for the builtins whose arguments decide it (`fixedGradFnName` is nil for them).
    func argumentGradFnName(_ name: String, _ a: BoundArguments) -> String? {
        func given(_ key: String) -> Bool { a.has(key) }
        func rank(_ key: String) -> Int? { a.value(key)?.operand?.rank }
        switch name {
        case "sum": return given("dim") ? "SumBackward1" : "SumBackward0"
        case "mean": return given("dim") ? "MeanBackward1" : "MeanBackward0"
        case "max", "min": return given("dim") ? (name == "max" ? "MaxBackward0" : "MinBackward0") : (name == "max" ? "MaxBackward1" : "MinBackward1")
        case "matmul": return matmulName(rank("input"), rank("other"))
        case "linear":
            guard let r = rank("input") else { return nil }
            return r == 2 ? (given("bias") ? "AddmmBackward0" : "MmBackward0") : "UnsafeViewBackward0"
        case "squeeze": return given("dim") ? "SqueezeBackward1" : "SqueezeBackward0"
        case "pow", "float_power", "power": return (a.value("exponent")?.operand != nil) ? "PowBackward1" : "PowBackward0"
        default: return nil
        }
    }

    /// The name for a layer's output, as the functional form it calls names it.
    func layerGradFnName(_ m: Module, inputRank: Int) -> String? {
        switch m.typeName {
        case "Linear":
            let bias = m.parameterHandle("bias") != nil
            return inputRank == 2 ? (bias ? "AddmmBackward0" : "MmBackward0") : "UnsafeViewBackward0"
        case "LayerNorm": return "NativeLayerNormBackward0"
        case "Softmax": return "SoftmaxBackward0"
        case "LogSoftmax": return "LogSoftmaxBackward0"
        case "Flatten": return "ViewBackward0"
        case "ReLU": return "ReluBackward0"
        case "GELU": return "GeluBackward0"
        case "SiLU": return "SiluBackward0"
        case "ELU": return "EluBackward0"
        case "LeakyReLU": return "LeakyReluBackward0"
        case "Softplus": return "SoftplusBackward0"
        case "Sigmoid": return "SigmoidBackward0"
        case "Tanh": return "TanhBackward0"
        default: return nil
        }
    }

    /// `a @ b` by the operands' ranks, as PyTorch's matmul dispatches.
    func matmulName(_ ra: Int?, _ rb: Int?) -> String? {
        switch (ra, rb) {
        case (1?, 1?): return "DotBackward0"
        case (2?, 2?): return "MmBackward0"
        case (2?, 1?): return "MvBackward0"
        case (1?, 2?): return "SqueezeBackward4"
        case (.some, .some): return "UnsafeViewBackward0"
        default: return nil
        }
    }

    /// The name for `x op y` on tensors.
    func operatorGradFnName(_ op: BinaryOperator, reflected: Bool, _ x: Operand, _ y: Operand) -> String? {
        switch op {
        case .add: return "AddBackward0"
        case .subtract: return reflected && y.trackedHandle == nil && y.rank == 0 ? "RsubBackward1" : "SubBackward0"
        case .multiply: return "MulBackward0"
        case .divide: return reflected && x.trackedHandle != nil && y.trackedHandle == nil ? "MulBackward0" : "DivBackward0"
        case .power:
            if reflected { return y.trackedHandle == nil ? "PowBackward2" : "PowBackward1" }
            return y.trackedHandle == nil && y.rank == 0 ? "PowBackward0" : "PowBackward1"
        case .matmul: return reflected ? matmulName(y.rank, x.rank) : matmulName(x.rank, y.rank)
        case .floorDivide, .modulo, .leftShift, .rightShift, .bitAnd, .bitOr, .bitXor: return nil
        }
    }

    /// The name for `x[key]`: an int selects, a slice slices, None unsqueezes, tensors and
    /// lists index.
    func indexGradFnName(_ key: Value) -> String? {
        let items: [Value]
        if case .tuple(let t) = key { items = t } else { items = [key] }
        var name: String? = nil
        for item in items {
            switch item {
            case .int, .bool: name = "SelectBackward0"
            case .slice: if name == nil { name = "SliceBackward0" }
            case .none: if name == nil { name = "UnsqueezeBackward0" }
            case .tensor, .list: return "IndexBackward0"
            case .bigInt, .float, .string, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .shape,
                 .dtype, .ellipsis:
                break
            }
        }
        return name
    }
}
