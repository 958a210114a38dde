import Tensor
import AD

/// `nn.Linear(in_features, out_features, bias=True)`: `y = x W^T + b`, initialised as PyTorch
/// does (Kaiming-uniform weight and uniform bias, both in `±1/sqrt(in_features)`, drawn in that
/// order from the generator).
///
/// ```swift
/// let layer = Linear(4, 8, generator: &g)   // Linear(in_features=4, out_features=8, bias=True)
/// ```
public final class Linear: Module {
    /// Size of each input sample.
    public let inFeatures: Int
    /// Size of each output sample.
    public let outFeatures: Int

    /// Creates a layer with PyTorch's default initialisation.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float32,
                generator g: inout Generator) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init(typeName: "Linear")
        // kaiming_uniform_(a=sqrt(5)) computed as PyTorch does (the float64 bits depend on it),
        // and the bias bound 1/sqrt(fan_in).
        let a = 5.0.squareRoot()
        let gain = (2 / (1 + a * a)).squareRoot()
        let weightBound = inFeatures > 0 ? 3.0.squareRoot() * (gain / Double(inFeatures).squareRoot()) : 0
        let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
        parameters.append(("weight", TensorHandle(.tensor(Tensor.uniform([outFeatures, inFeatures], from: -weightBound, to: weightBound, dtype: dtype, generator: &g)), isParameter: true, requiresGrad: true)))
        if bias {
            parameters.append(("bias", TensorHandle(.tensor(Tensor.uniform([outFeatures], from: -bound, to: bound, dtype: dtype, generator: &g)), isParameter: true, requiresGrad: true)))
        }
    }

    private init(copying other: Linear) {
        inFeatures = other.inFeatures
        outFeatures = other.outFeatures
        super.init(typeName: "Linear")
        other.copyState(into: self)
    }

    override public func deepCopy() -> Module { Linear(copying: self) }

    override public var extraRepr: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(parameter("bias") == nil ? "False" : "True")"
    }

    override public func forward(_ inputs: [Operand]) throws -> Operand {
        try inputs[0].linear(parameter("weight")!, parameter("bias"))
    }
}

/// `nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True)`.
public final class LayerNorm: Module {
    /// The trailing dimensions normalised over.
    public let normalizedShape: [Int]
    /// Added to the variance for numerical stability.
    public let eps: Double

    /// Creates a layer with weight ones and bias zeros, as PyTorch.
    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                dtype: DType = .float32) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        self.elementwiseAffine = elementwiseAffine
        super.init(typeName: "LayerNorm")
        if elementwiseAffine {
            parameters.append(("weight", TensorHandle(.tensor(Tensor.full(Shape(normalizedShape), 1, dtype: dtype)), isParameter: true, requiresGrad: true)))
            if bias { parameters.append(("bias", TensorHandle(.tensor(Tensor.full(Shape(normalizedShape), 0, dtype: dtype)), isParameter: true, requiresGrad: true))) }
        }
    }

    private init(copying other: LayerNorm) {
        normalizedShape = other.normalizedShape
        eps = other.eps
        elementwiseAffine = other.elementwiseAffine
        super.init(typeName: "LayerNorm")
        other.copyState(into: self)
    }

    override public func deepCopy() -> Module { LayerNorm(copying: self) }

    /// Whether the layer has a learnable weight (and bias).
    public let elementwiseAffine: Bool

    override public var extraRepr: String {
        "(" + normalizedShape.map(String.init).joined(separator: ", ") + (normalizedShape.count == 1 ? ",)" : ")")
            + ", eps=\(pythonRepr(eps)), elementwise_affine=\(elementwiseAffine ? "True" : "False")"
            + (elementwiseAffine ? ", bias=\(parameter("bias") == nil ? "False" : "True")" : "")
    }

    override public func forward(_ inputs: [Operand]) throws -> Operand {
        try inputs[0].layerNorm(normalizedShape, weight: parameter("weight"), bias: parameter("bias"), eps: eps)
    }
}

/// `nn.Sequential`: children applied in order. Children are named `0`, `1`, ... or given names.
public final class Sequential: Module {
    /// Creates a container from named children.
    public init(_ layers: [(String, Module)]) {
        super.init(typeName: "Sequential")
        children = layers
    }

    override public func deepCopy() -> Module {
        let m = Sequential([])
        copyState(into: m)
        return m
    }

    override public func forward(_ inputs: [Operand]) throws -> Operand {
        var h = inputs[0]
        for (_, c) in children { h = try c([h]) }
        return h
    }

    /// Appends a layer named by its position (`append`).
    public func append(_ m: Module) { children.append((String(children.count), m)) }
}

/// `nn.ModuleList(modules)`: children named `0`, `1`, ... that the user calls in their own
/// `forward`; it has no forward of its own.
public final class ModuleList: Module {
    /// Creates a list of modules.
    public init(_ modules: [Module]) {
        super.init(typeName: "ModuleList")
        children = modules.enumerated().map { (String($0.offset), $0.element) }
    }

    override public func deepCopy() -> Module {
        let m = ModuleList([])
        copyState(into: m)
        return m
    }

    /// Appends a module named by its position.
    public func append(_ m: Module) { children.append((String(children.count), m)) }

    /// Inserts a module at a position and renames the children by position.
    public func insert(_ m: Module, at i: Int) {
        var modules = children.map(\.1)
        modules.insert(m, at: i)
        children = modules.enumerated().map { (String($0.offset), $0.element) }
    }
}

/// `nn.ModuleDict(modules)`: children by name, for the user's own `forward`.
public final class ModuleDict: Module {
    /// Creates a dict of modules in the given order.
    public init(_ modules: [(String, Module)]) {
        super.init(typeName: "ModuleDict")
        children = modules
    }

    override public func deepCopy() -> Module {
        let m = ModuleDict([])
        copyState(into: m)
        return m
    }
}

/// Parameter-free layers, each with PyTorch's name and printed form.
public enum ActivationKind {
    case tanh, relu, sigmoid, silu, identity
    case gelu(approximate: Bool)
    case softplus(beta: Double, threshold: Double)
    case elu(alpha: Double)
    case leakyRelu(slope: Double)
    case softmax(dim: Int?)
    case logSoftmax(dim: Int?)
    case flatten(start: Int, end: Int)
    /// The identity in eval mode (`net.eval()`); refused in training mode with p > 0.
    case dropout(p: Double)
}

/// A parameter-free layer (`nn.Tanh()`, `nn.GELU()`, `nn.Softmax(dim=-1)`, ...).
public final class Activation: Module {
    /// Which function the layer applies.
    public let kind: ActivationKind

    /// Creates the layer.
    public init(_ kind: ActivationKind) {
        self.kind = kind
        super.init(typeName: Activation.name(kind))
    }

    override public func deepCopy() -> Module {
        let m = Activation(kind)
        copyState(into: m)
        return m
    }

    static func name(_ k: ActivationKind) -> String {
        switch k {
        case .tanh: return "Tanh"
        case .relu: return "ReLU"
        case .sigmoid: return "Sigmoid"
        case .silu: return "SiLU"
        case .identity: return "Identity"
        case .gelu: return "GELU"
        case .softplus: return "Softplus"
        case .elu: return "ELU"
        case .leakyRelu: return "LeakyReLU"
        case .softmax: return "Softmax"
        case .logSoftmax: return "LogSoftmax"
        case .flatten: return "Flatten"
        case .dropout: return "Dropout"
        }
    }

    override public var extraRepr: String {
        switch kind {
        case .tanh, .relu, .sigmoid, .silu, .identity: return ""
        case .gelu(let a): return "approximate='\(a ? "tanh" : "none")'"
        case .softplus(let b, let t): return "beta=\(pythonRepr(b)), threshold=\(pythonRepr(t))"
        case .elu(let a): return "alpha=\(pythonRepr(a))"
        case .leakyRelu(let s): return "negative_slope=\(pythonRepr(s))"
        case .softmax(let d), .logSoftmax(let d): return "dim=\(d.map(String.init) ?? "None")"
        case .flatten(let s, let e): return "start_dim=\(s), end_dim=\(e)"
        case .dropout(let p): return "p=\(pythonRepr(p)), inplace=False"
        }
    }

    override public func forward(_ inputs: [Operand]) throws -> Operand {
        let x = inputs[0]
        switch kind {
        case .tanh: return try x.unary(.tanh)
        case .relu: return try x.relu()
        case .sigmoid: return try x.unary(.logistic)
        case .silu: return try x.silu()
        case .identity: return x
        case .dropout(let p):
            // Identity in eval mode, as in PyTorch; Jacobi has no dropout masks.
            guard training && p > 0 else { return x }
            throw TensorError("Dropout(p=\(pythonRepr(p))) in training mode would zero random elements, which Jacobi does not do",
                              hint: "call net.eval() (PyTorch's Dropout is the identity in eval mode), or use p=0", kind: .notImplemented)
        case .gelu(let a): return try x.gelu(approximate: a)
        case .softplus(let b, let t): return try x.softplus(beta: b, threshold: t)
        case .elu(let a): return try x.elu(alpha: a)
        case .leakyRelu(let s): return try x.leakyRelu(s)
        case .softmax(let d): return try x.softmax(d ?? Activation.legacyDim(x.rank))
        case .logSoftmax(let d): return try x.logSoftmax(d ?? Activation.legacyDim(x.rank))
        case .flatten(let s, let e): return try x.flatten(s, e)
        }
    }

    /// PyTorch's implicit softmax dimension when `dim=None`: 0 for 0-, 1- and 3-d input, else 1.
    static func legacyDim(_ rank: Int) -> Int { (rank == 0 || rank == 1 || rank == 3) ? 0 : 1 }
}

/// `mlp(4, 16, 16, 2, act="tanh")`: Linear layers with an activation between them.
public func multilayerPerceptron(_ widths: [Int], activation: ActivationKind, bias: Bool = true, dtype: DType = .float32,
                                 generator g: inout Generator) -> Sequential {
    var layers: [(String, Module)] = []
    for (k, (i, o)) in zip(widths, widths.dropFirst()).enumerated() {
        layers.append((String(layers.count), Linear(i, o, bias: bias, dtype: dtype, generator: &g)))
        if k < widths.count - 2 { layers.append((String(layers.count), Activation(activation))) }
    }
    return Sequential(layers)
}

/// Python's repr of a float (`1.0`, `1e-05`, `0.01`): Swift's shortest round-trip digits,
/// with `.0` on integral values.
func pythonRepr(_ d: Double) -> String {
    if d == d.rounded() && abs(d) < 1e16 { return String(Int(d)) + ".0" }
    return "\(d)"
}
