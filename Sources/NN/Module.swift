import Tensor
import AD

/// A layer or network, as `torch.nn.Module`: named parameters, named children, a forward
/// function, and PyTorch's printed tree. Modules are shared by reference, so `net.block1`
/// is the same object that `net` calls.
///
/// ```swift
/// var g = Generator(seed: 0)
/// let net = Sequential([("0", Linear(4, 8, generator: &g)), ("1", Activation(.tanh))])
/// let y = try net.callAsFunction([x])
/// ```
public class Module {
    /// PyTorch's class name, e.g. `Linear`.
    public let typeName: String
    /// Own parameters in registration order (`weight`, `bias`).
    public internal(set) var parameters: [(String, Operand)] = []
    /// Direct children in order (`0`, `1`, or names such as `block1`).
    public internal(set) var children: [(String, Module)] = []
    /// Parameters replaced for the duration of a `functional_call`, by full name.
    private var overrides: [String: Operand]? = nil

    init(typeName: String) { self.typeName = typeName }

    /// The computation; subclasses override.
    func forward(_ inputs: [Operand]) throws -> Operand {
        throw TensorError("\(typeName) has no forward computation")
    }

    /// The text between the parentheses of the printed module, e.g. `in_features=4, out_features=8, bias=True`.
    var extraRepr: String { "" }

    /// Runs the module on its inputs.
    public func callAsFunction(_ inputs: [Operand]) throws -> Operand { try forward(inputs) }

    /// A parameter by its own name, honouring `functional_call` overrides.
    func parameter(_ name: String) -> Operand? {
        if let o = overrides?[name] { return o }
        return parameters.first { $0.0 == name }?.1
    }

    /// A direct child by name.
    public func child(_ name: String) -> Module? { children.first { $0.0 == name }?.1 }

    /// Every parameter of this module and its descendants, with dotted names (`block1.0.weight`),
    /// as PyTorch's `named_parameters()`.
    public func namedParameters(prefix: String = "") -> [(String, Operand)] {
        var out = parameters.map { (prefix + $0.0, parameter($0.0)!) }
        for (name, c) in children { out += c.namedParameters(prefix: prefix + name + ".") }
        return out
    }

    /// Total number of parameter elements.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.1.shape.elementCount } }

    /// Replaces parameters by full dotted name while `body` runs (`torch.func.functional_call`).
    /// Names that are not parameters of this module are an error; missing ones keep their value.
    public func withParameters<T>(_ values: [(String, Operand)], _ body: () throws -> T) throws -> T {
        let known = Dictionary(uniqueKeysWithValues: namedParameters().map { ($0.0, $0.1) })
        for (name, v) in values {
            guard let current = known[name] else {
                throw TensorError("functional_call: \(typeName) has no parameter '\(name)'",
                                  hint: "its parameters are: \(known.keys.sorted().joined(separator: ", "))")
            }
            guard current.shape == v.shape else {
                throw TensorError("functional_call: parameter '\(name)' has shape \(current.shape), the value given has shape \(v.shape)")
            }
        }
        var saved: [(Module, [String: Operand]?)] = []
        func install(_ m: Module, prefix: String) {
            saved.append((m, m.overrides))
            var own: [String: Operand] = m.overrides ?? [:]
            for (name, v) in values where name.hasPrefix(prefix) {
                let rest = String(name.dropFirst(prefix.count))
                if !rest.contains(".") { own[rest] = v }
            }
            m.overrides = own.isEmpty ? nil : own
            for (n, c) in m.children { install(c, prefix: prefix + n + ".") }
        }
        install(self, prefix: "")
        defer { for (m, o) in saved { m.overrides = o } }
        return try body()
    }

    /// Concrete parameter values by dotted name (`state_dict()`).
    public func stateDict() throws -> [(String, Tensor)] {
        try namedParameters().map { ($0.0, try $0.1.requireConcrete("state_dict")) }
    }

    /// Loads parameters by dotted name after checking every key and shape, so that a bad
    /// dict leaves the module unchanged. With `strict`, missing and unexpected keys are errors.
    /// Values are converted to each parameter's dtype.
    public func loadStateDict(_ dict: [(String, Tensor)], strict: Bool = true, source: String = "state_dict") throws {
        let mine = namedParameters()
        let given = Dictionary(dict, uniquingKeysWith: { _, b in b })
        let names = Set(mine.map(\.0))
        var problems: [String] = []
        if strict {
            let missing = mine.map(\.0).filter { given[$0] == nil }
            let unexpected = dict.map(\.0).filter { !names.contains($0) }
            if !missing.isEmpty { problems.append("missing key(s): " + missing.joined(separator: ", ")) }
            if !unexpected.isEmpty { problems.append("unexpected key(s): " + unexpected.joined(separator: ", ")) }
        }
        for (name, current) in mine {
            if let t = given[name], t.shape != current.shape {
                problems.append("size mismatch for \(name): \(source) has shape \(t.shape), the model's parameter has shape \(current.shape)")
            }
        }
        guard problems.isEmpty else {
            throw TensorError("load_state_dict: error(s) loading \(source) into \(typeName): " + problems.joined(separator: "; "),
                              hint: strict ? "pass strict=False to load only the matching keys" : nil)
        }
        for (name, current) in mine {
            guard let t = given[name] else { continue }
            try assign(path: name.split(separator: ".").map(String.init), value: .tensor(t.converted(to: current.dtype)))
        }
    }

    /// Sets the parameter at a dotted path.
    func assign(path: [String], value: Operand) throws {
        if path.count == 1 {
            guard let i = parameters.firstIndex(where: { $0.0 == path[0] }) else {
                throw TensorError("\(typeName) has no parameter '\(path[0])'")
            }
            parameters[i].1 = value
            return
        }
        guard let c = child(path[0]) else { throw TensorError("\(typeName) has no child '\(path[0])'") }
        try c.assign(path: Array(path.dropFirst()), value: value)
    }

    /// Converts every parameter to a dtype (`net.double()`, `net.to(torch.float64)`).
    public func convert(to dtype: DType) throws {
        parameters = try parameters.map { ($0.0, try $0.1.converted(to: dtype)) }
        for (_, c) in children { try c.convert(to: dtype) }
    }

    /// PyTorch's printed form: `Linear(in_features=4, out_features=8, bias=True)`, or a tree of
    /// children for containers.
    public var repr: String {
        if children.isEmpty { return "\(typeName)(\(extraRepr))" }
        var lines = ["\(typeName)("]
        for (name, c) in children {
            let inner = c.repr.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("  (\(name)): " + inner[0])
            for l in inner.dropFirst() { lines.append("  " + l) }
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}
