import Tensor
import AD

/// A layer or network, as `torch.nn.Module`: named parameters, named children, a forward
/// function, and PyTorch's printed tree. Modules are shared by reference, so `net.block1`
/// is the same object that `net` calls. Parameters are `TensorHandle`s (PyTorch's
/// `nn.Parameter`): the live objects `parameters()` returns.
///
/// ```swift
/// var g = Generator(seed: 0)
/// let net = Sequential([("0", Linear(4, 8, generator: &g)), ("1", Activation(.tanh))])
/// let y = try net.callAsFunction([x])
/// ```
open class Module {
    /// PyTorch's class name, e.g. `Linear`.
    public let typeName: String
    /// Own parameters in registration order (`weight`, `bias`).
    public internal(set) var parameters: [(String, TensorHandle)] = []
    /// Direct children in order (`0`, `1`, or names such as `block1`).
    public internal(set) var children: [(String, Module)] = []
    /// Whether the module is in training mode (`train()`, `eval()`); modules start in training mode.
    public internal(set) var training = true
    /// Parameters replaced for the duration of a `functional_call`, by full name.
    private var overrides: [String: Operand]? = nil
    /// Attributes the language sets on a module that are neither parameters nor children.
    public var languageAttributes: [String: Any] = [:]

    /// Creates a module with PyTorch's class name.
    public init(typeName: String) { self.typeName = typeName }

    /// The computation on tensors; layers override it.
    open func forward(_ inputs: [Operand]) throws -> Operand {
        throw TensorError("Module [\(typeName)] is missing the required \"forward\" function", kind: .notImplemented)
    }

    /// How many tensor inputs `forward` takes (PyTorch's `forward(self, input)` has one).
    open var forwardArity: Int { 1 }

    /// The text between the parentheses of the printed module, e.g. `in_features=4, out_features=8, bias=True`.
    open var extraRepr: String { "" }

    /// A copy with its own parameters (`copy.deepcopy`): the same values in new handles.
    open func deepCopy() -> Module {
        let m = Module(typeName: typeName)
        copyState(into: m)
        return m
    }

    /// Copies parameters (into new handles), children (deep copies), mode and attributes.
    public func copyState(into m: Module) {
        m.parameters = parameters.map { ($0.0, TensorHandle($0.1.value, isParameter: $0.1.isParameter, requiresGrad: $0.1.requiresGrad)) }
        m.children = children.map { ($0.0, $0.1.deepCopy()) }
        m.training = training
        m.languageAttributes = languageAttributes
    }

    /// Runs the module on its inputs.
    public func callAsFunction(_ inputs: [Operand]) throws -> Operand { try forward(inputs) }

    /// A parameter's value by its own name, honouring `functional_call` overrides.
    public func parameter(_ name: String) -> Operand? {
        if let o = overrides?[name] { return o }
        return parameters.first { $0.0 == name }?.1.operand
    }

    /// The parameter object (not its override) by its own name.
    public func parameterHandle(_ name: String) -> TensorHandle? { parameters.first { $0.0 == name }?.1 }

    /// The value `functional_call` installed for a parameter, if one is active.
    public func override(_ name: String) -> Operand? { overrides?[name] }

    /// Registers, replaces (in place, keeping its position) or removes (nil) a parameter.
    public func setParameter(_ name: String, _ handle: TensorHandle?) {
        if let i = parameters.firstIndex(where: { $0.0 == name }) {
            if let handle { parameters[i].1 = handle } else { parameters.remove(at: i) }
        } else if let handle {
            parameters.append((name, handle))
        }
    }

    /// Registers, replaces (keeping its position) or removes (nil) a child module.
    public func setChild(_ name: String, _ module: Module?) {
        if let i = children.firstIndex(where: { $0.0 == name }) {
            if let module { children[i].1 = module } else { children.remove(at: i) }
        } else if let module {
            children.append((name, module))
        }
    }

    /// Sets training mode here and in every descendant (`train(mode)`, `eval()`).
    public func setTraining(_ mode: Bool) {
        training = mode
        for (_, c) in children { c.setTraining(mode) }
    }

    /// A direct child by name.
    public func child(_ name: String) -> Module? { children.first { $0.0 == name }?.1 }

    /// This module and its descendants with dotted names (`""` for itself), as `named_modules()`.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out = [(prefix, self)]
        for (name, c) in children { out += c.namedModules(prefix: prefix.isEmpty ? name : prefix + "." + name) }
        return out
    }

    /// Every parameter of this module and its descendants, with dotted names (`block1.0.weight`),
    /// as PyTorch's `named_parameters()`: values, with `functional_call` overrides applied.
    public func namedParameters(prefix: String = "") -> [(String, Operand)] {
        var out = parameters.map { (prefix + $0.0, parameter($0.0)!) }
        for (name, c) in children { out += c.namedParameters(prefix: prefix + name + ".") }
        return out
    }

    /// Every parameter object of this module and its descendants, with dotted names; a parameter
    /// shared by two modules is listed once, as PyTorch does.
    public func namedParameterHandles(prefix: String = "") -> [(String, TensorHandle)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, TensorHandle)] = []
        func walk(_ m: Module, _ p: String) {
            for (n, h) in m.parameters where seen.insert(ObjectIdentifier(h)).inserted { out.append((p + n, h)) }
            for (n, c) in m.children { walk(c, p + n + ".") }
        }
        walk(self, prefix)
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

    /// Sets the value of the parameter at a dotted path (in place: its handle is kept).
    func assign(path: [String], value: Operand) throws {
        if path.count == 1 {
            guard let i = parameters.firstIndex(where: { $0.0 == path[0] }) else {
                throw TensorError("\(typeName) has no parameter '\(path[0])'")
            }
            try Autograd.withMode(false) { try parameters[i].1.write(value.untracked) }
            return
        }
        guard let c = child(path[0]) else { throw TensorError("\(typeName) has no child '\(path[0])'") }
        try c.assign(path: Array(path.dropFirst()), value: value)
    }

    /// Converts every parameter to a dtype (`net.double()`, `net.to(torch.float64)`).
    public func convert(to dtype: DType) throws {
        for (_, h) in parameters where h.dtype != dtype {
            try Autograd.withMode(false) {
                try h.write(try h.value.converted(to: dtype))
                if let g = h.grad { try g.write(try g.value.converted(to: dtype)) }
            }
        }
        for (_, c) in children { try c.convert(to: dtype) }
    }

    /// PyTorch's printed form: `Linear(in_features=4, out_features=8, bias=True)`, or a tree of
    /// children for containers.
    public var repr: String {
        if self is ModuleList { return groupedRepr }
        let extra = extraRepr
        let extraLines = extra.isEmpty ? [] : extra.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let childLines = children.map { name, c in Module.indented("(\(name)): " + c.repr) }
        let lines = extraLines + childLines
        var main = typeName + "("
        if !lines.isEmpty {
            if extraLines.count == 1 && childLines.isEmpty {
                main += extraLines[0]
            } else {
                main += "\n  " + lines.joined(separator: "\n  ") + "\n"
            }
        }
        return main + ")"
    }

    /// `ModuleList`'s printed form: runs of identical layers as `(0-2): 3 x Linear(...)`.
    private var groupedRepr: String {
        guard !children.isEmpty else { return typeName + "()" }
        var blocks: [(start: Int, end: Int, text: String)] = []
        for (i, (_, c)) in children.enumerated() {
            let r = c.repr
            if let last = blocks.last, last.text == r { blocks[blocks.count - 1].end = i } else { blocks.append((i, i, r)) }
        }
        let lines = blocks.map { b in
            Module.indented(b.start == b.end ? "(\(b.start)): \(b.text)" : "(\(b.start)-\(b.end)): \(b.end - b.start + 1) x \(b.text)")
        }
        return typeName + "(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }

    /// PyTorch's `_addindent(s, 2)`: lines after the first indented by two spaces, blank lines kept empty.
    static func indented(_ s: String) -> String {
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return s }
        return String(lines[0]) + "\n" + lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}

import Foundation
