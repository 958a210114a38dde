import Tensor
import AD
import NN
import Printer

// `nn.Module` and the builtin layers: attributes that are children, parameters or plain values;
// assignment that registers modules and `nn.Parameter`s in order, as PyTorch's `__setattr__`;
// calls through `forward`; the containers' indexing; and `nn.Module`'s methods.

func makeModuleType(name: String, moduleName: String, base: TypeObject) -> TypeObject {
    let t = TypeObject(name: name, moduleName: moduleName, base: base, slots: moduleSlots()) { interp, cls, args in
        guard let b = interp.registry.byName[cls.name] else {
            throw PythonError(.TypeError, "cannot create '\(cls.qualifiedName)' instances")
        }
        return try b.run(try interp.registry.bind(b, args, interpreter: interp))
    }
    if name == "Module" { addModuleMethods(t) }
    if name == "Sequential" || name == "ModuleList" {
        t.method("append", ["module"]) { a in
            guard case .module(let m)? = a.value("self"), case .module(let c)? = a.value("module") else {
                throw PythonError(.TypeError, "\(name).append() expects a module")
            }
            if let s = m as? Sequential { s.append(c) } else if let l = m as? ModuleList { l.append(c) }
            a.interpreter.globalsChanged()
            return a.value("self")!
        }
        t.method("extend", ["modules"]) { a in
            guard case .module(let m)? = a.value("self") else { return .none }
            for v in try a.interpreter.collect(a.value("modules")!, range: a.range) {
                guard case .module(let c) = v else { throw PythonError(.TypeError, "\(name).extend() expects modules, got \(v.pyType.name)") }
                if let s = m as? Sequential { s.append(c) } else if let l = m as? ModuleList { l.append(c) }
            }
            a.interpreter.globalsChanged()
            return a.value("self")!
        }
        t.method("insert", ["index", "module"]) { a in
            guard case .module(let m)? = a.value("self"), case .module(let c)? = a.value("module") else {
                throw PythonError(.TypeError, "\(name).insert() expects a module")
            }
            if let l = m as? ModuleList {
                var i = try a.int("index")
                if i < 0 { i += l.children.count }
                l.insert(c, at: min(max(0, i), l.children.count))
            } else {
                throw PythonError(.NotImplementedError, "Sequential.insert is not supported in Jacobi; build a new Sequential")
            }
            return .none
        }
    }
    if name == "ModuleDict" {
        func dict(_ a: BoundArguments) -> Module? {
            if case .module(let m)? = a.value("self") { return m }
            return nil
        }
        t.method("keys", []) { a in .list(dict(a)?.children.map { .string($0.0) } ?? []) }
        t.method("values", []) { a in .list(dict(a)?.children.map { .module($0.1) } ?? []) }
        t.method("items", []) { a in .list(dict(a)?.children.map { .tuple([.string($0.0), .module($0.1)]) } ?? []) }
        t.method("update", ["modules"]) { a in
            guard let m = dict(a) else { return .none }
            for (k, v) in try a.interpreter.mappingPairs(a.value("modules")!, range: a.range) {
                guard case .string(let key) = k, case .module(let c) = v else { throw PythonError(.TypeError, "ModuleDict.update expects names and modules") }
                m.setChild(key, c)
            }
            return .none
        }
        t.method("pop", ["key"]) { a in
            guard let m = dict(a) else { return .none }
            let key = try a.string("key")
            guard let c = m.child(key) else { throw PythonError(.KeyError, arguments: [.string(key)]) }
            m.setChild(key, nil)
            return .module(c)
        }
    }
    return t
}

private func moduleSlots() -> Slots {
    var s = Slots()
    s.call = { interp, v, args in
        guard case .module(let m) = v else { return .none }
        return try interp.callModule(m, args)
    }
    s.getAttribute = { interp, v, name in
        guard case .module(let m) = v else { return nil }
        return interp.moduleAttribute(m, name)
    }
    s.setAttribute = { interp, v, name, value in
        guard case .module(let m) = v else { return }
        try interp.setModuleAttribute(m, name, value)
    }
    s.repr = { _, v in
        guard case .module(let m) = v else { return "" }
        return m.repr
    }
    s.iterate = { _, v in
        guard case .module(let m) = v else { return PyIterator([]) }
        if m is Sequential || m is ModuleList { return PyIterator(m.children.map { .module($0.1) }) }
        if m is ModuleDict { return PyIterator(m.children.map { .string($0.0) }) }
        throw PythonError(.TypeError, "'\(v.pyType.name)' object is not iterable")
    }
    s.length = { _, v in
        guard case .module(let m) = v else { return 0 }
        guard m is Sequential || m is ModuleList || m is ModuleDict else {
            throw PythonError(.TypeError, "object of type '\(v.pyType.name)' has no len()")
        }
        return m.children.count
    }
    s.truth = { _, _ in true }
    s.contains = { _, v, item in
        guard case .module(let m) = v else { return false }
        if m is ModuleDict, case .string(let key) = item { return m.child(key) != nil }
        if case .module(let c) = item { return m.children.contains { $0.1 === c } }
        return false
    }
    s.getItem = { interp, v, key in
        guard case .module(let m) = v else { return .none }
        return try interp.moduleItem(m, key, typeName: v.pyType.name)
    }
    s.setItem = { interp, v, key, value in
        guard case .module(let m) = v else { return }
        if m is ModuleDict, case .string(let k) = key {
            guard let value else { m.setChild(k, nil); return }
            guard case .module(let c) = value else { throw PythonError(.TypeError, "ModuleDict values must be modules, not \(value.pyType.name)") }
            m.setChild(k, c)
            return
        }
        guard m is Sequential || m is ModuleList, let i = try interp.indexValue(key) else {
            throw PythonError(.TypeError, "'\(v.pyType.name)' object does not support item assignment")
        }
        let j = try sequenceIndex(i, count: m.children.count, what: v.pyType.name)
        guard let value, case .module(let c) = value else {
            throw PythonError(.TypeError, "\(v.pyType.name) items must be modules")
        }
        m.setChild(m.children[j].0, c)
    }
    s.attributeNames = { _, v in
        guard case .module(let m) = v else { return [] }
        var names = m.children.map(\.0) + m.parameters.map(\.0) + ["training"]
        if let u = m as? UserModule { names += u.attributes.keys.sorted() }
        return names
    }
    return s
}

extension Interpreter {
    /// Calls a module: a user class's `forward`, a `Sequential`'s layers in order, or a layer's
    /// computation, with the arguments bound to `forward(self, input)` as PyTorch binds them.
    func callModule(_ m: Module, _ args: CallArguments) throws -> Value {
        if let u = m as? UserModule {
            guard let owner = u.cls.owner(of: "forward"), owner.isUserDefined, let f = owner.attributes["forward"] else {
                throw PythonError(.NotImplementedError, "Module [\(u.cls.name)] is missing the required \"forward\" function", at: args.range)
            }
            return try call(try bindAttribute(f, to: .module(m), cls: u.cls, name: "forward"), args, range: args.range)
        }
        if m is ModuleList || m is ModuleDict {
            throw PythonError(.NotImplementedError, "Module [\(m.typeName)] is missing the required \"forward\" function", at: args.range)
        }
        let values = try Signature(name: "\(m.typeName).forward", spec: ["self", "input"]).bind(args.prepending(.module(m)))
        if let s = m as? Sequential {
            var h = values[1]
            for (_, c) in s.children { h = try call(.module(c), CallArguments([h], range: args.range), range: args.range) }
            return h
        }
        let x = try toOperand(values[1], what: "\(m.typeName) input", range: args.range)
        return try named(layerGradFnName(m, inputRank: x.rank)) { .tensor(try m([x])) }
    }

    /// `module.name`: a child, a parameter (a `functional_call` value while one is active), the
    /// training flag, a plain attribute, or a layer's configuration.
    func moduleAttribute(_ m: Module, _ name: String) -> Value? {
        if let c = m.child(name) { return .module(c) }
        if let h = m.parameterHandle(name) {
            if let o = m.override(name) { return .tensor(TensorHandle(o, isParameter: true)) }
            return .tensor(h)
        }
        if let u = m as? UserModule, let v = u.attributes[name] { return v }
        if let v = m.languageAttributes[name] as? Value { return v }
        switch name {
        case "training": return .bool(m.training)
        case "__class__": return .type(Value.module(m).pyType)
        default: break
        }
        if let l = m as? Linear {
            switch name {
            case "in_features": return .int(l.inFeatures)
            case "out_features": return .int(l.outFeatures)
            case "bias": return Value.none   // a Linear without bias
            default: return nil
            }
        }
        if let n = m as? LayerNorm {
            switch name {
            case "normalized_shape": return .tuple(n.normalizedShape.map { .int($0) })
            case "eps": return .float(n.eps)
            case "elementwise_affine": return .bool(n.elementwiseAffine)
            default: return nil
            }
        }
        if let a = m as? Activation { return activationAttribute(a.kind, name) }
        return nil
    }

    private func activationAttribute(_ kind: ActivationKind, _ name: String) -> Value? {
        switch (kind, name) {
        case (.softmax(let d), "dim"), (.logSoftmax(let d), "dim"): return d.map { .int($0) } ?? Value.none
        case (.leakyRelu(let s), "negative_slope"): return .float(s)
        case (.elu(let a), "alpha"): return .float(a)
        case (.softplus(let b, _), "beta"): return .float(b)
        case (.softplus(_, let t), "threshold"): return .float(t)
        case (.gelu(let a), "approximate"): return .string(a ? "tanh" : "none")
        case (.dropout(let p), "p"): return .float(p)
        case (.flatten(let s, _), "start_dim"): return .int(s)
        case (.flatten(_, let e), "end_dim"): return .int(e)
        case (_, "inplace"): return .bool(false)
        default: return nil
        }
    }

    /// `module.name = value` with PyTorch's registration rules.
    func setModuleAttribute(_ m: Module, _ name: String, _ value: Value?) throws {
        let user = m as? UserModule
        func requireInitialized(_ what: String) throws {
            if let user, !user.initialized {
                throw PythonError(.AttributeError, "cannot assign \(what) before Module.__init__() call",
                                  hint: "call super().__init__() first in \(user.cls.name).__init__")
            }
        }
        guard let value else {
            if m.child(name) != nil { m.setChild(name, nil); return }
            if m.parameterHandle(name) != nil { m.setParameter(name, nil); return }
            if user?.attributes.removeValue(forKey: name) != nil { return }
            if m.languageAttributes.removeValue(forKey: name) != nil { return }
            throw PythonError(.AttributeError, "'\(Value.module(m).pyType.name)' object has no attribute '\(name)'")
        }
        switch value {
        case .module(let c):
            try requireInitialized("module")
            m.setParameter(name, nil)
            user?.attributes.removeValue(forKey: name)
            m.setChild(name, c)
        case .tensor(let h) where h.isParameter:
            try requireInitialized("parameters")
            m.setChild(name, nil)
            user?.attributes.removeValue(forKey: name)
            m.setParameter(name, h)
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type,
             .instance, .namespace, .slice, .shape, .dtype, .ellipsis:
            if name == "training", case .bool(let b) = value {
                m.setTraining(b)
                for (_, c) in m.children { c.setTraining(b) }
                m.setTraining(b)
                return
            }
            if m.parameterHandle(name) != nil {
                if case .none = value { m.setParameter(name, nil); return }
                let shown = value.pyType === BuiltinTypes.tensor ? "torch.FloatTensor" : value.pyType.name
                throw PythonError(.TypeError, "cannot assign '\(shown)' as parameter '\(name)' (torch.nn.Parameter or None expected)")
            }
            if m.child(name) != nil {
                if case .none = value { m.setChild(name, nil); return }
                throw PythonError(.TypeError, "cannot assign '\(value.pyType.name)' as child module '\(name)' (torch.nn.Module or None expected)")
            }
            if let user { user.attributes[name] = value } else { m.languageAttributes[name] = value }
        }
    }

    /// `seq[i]`, `seq[a:b]`, `modules_dict["name"]`.
    func moduleItem(_ m: Module, _ key: Value, typeName: String) throws -> Value {
        if m is ModuleDict {
            guard case .string(let k) = key else { throw PythonError(.TypeError, "ModuleDict keys must be strings") }
            guard let c = m.child(k) else { throw PythonError(.KeyError, arguments: [key]) }
            return .module(c)
        }
        guard m is Sequential || m is ModuleList else {
            throw PythonError(.TypeError, "'\(typeName)' object is not subscriptable")
        }
        if case .slice(let a, let b, let c) = key {
            let picked = try sliceIndices(m.children.count, a, b, c).map { m.children[$0] }
            if m is Sequential { return .module(Sequential(picked)) }
            return .module(ModuleList(picked.map(\.1)))
        }
        guard let i = try indexValue(key) else {
            throw PythonError(.TypeError, "\(typeName) indices must be integers or slices, not \(key.pyType.name)")
        }
        let n = m.children.count
        let j = i < 0 ? i + n : i
        guard j >= 0 && j < n else { throw PythonError(.IndexError, "index \(i) is out of range") }
        return .module(m.children[j].1)
    }
}

// MARK: - nn.Module's methods

/// `load_state_dict`'s result: `<All keys matched successfully>` or the keys that did not.
struct IncompatibleKeys {
    let missing: [String]
    let unexpected: [String]
}

extension BuiltinTypes {
    static let incompatibleKeys: TypeObject = {
        var s = Slots()
        func keys(_ v: Value) -> IncompatibleKeys {
            if case .instance(let i) = v, let k = i.payload as? IncompatibleKeys { return k }
            return IncompatibleKeys(missing: [], unexpected: [])
        }
        s.repr = { interp, v in
            let k = keys(v)
            if k.missing.isEmpty && k.unexpected.isEmpty { return "<All keys matched successfully>" }
            return "_IncompatibleKeys(missing_keys=\(interp.repr(.list(k.missing.map { .string($0) }))), unexpected_keys=\(interp.repr(.list(k.unexpected.map { .string($0) }))))"
        }
        s.getAttribute = { _, v, name in
            let k = keys(v)
            switch name {
            case "missing_keys": return .list(k.missing.map { .string($0) })
            case "unexpected_keys": return .list(k.unexpected.map { .string($0) })
            default: return nil
            }
        }
        s.iterate = { _, v in
            let k = keys(v)
            return PyIterator([.list(k.missing.map { .string($0) }), .list(k.unexpected.map { .string($0) })])
        }
        return TypeObject(name: "_IncompatibleKeys", moduleName: "torch.nn.modules.module", base: tuple, slots: s)
    }()
}

private func addModuleMethods(_ t: TypeObject) {
    func module(_ a: BoundArguments) -> Module {
        if case .module(let m)? = a.value("self") { return m }
        return Module(typeName: "?")
    }
    t.method("__init__", ["*args", "**kwargs"]) { a in
        if let u = module(a) as? UserModule { u.initialized = true }
        return .none
    }
    t.method("forward", ["*args", "**kwargs"]) { a in
        let m = module(a)
        if m is UserModule {
            throw PythonError(.NotImplementedError, "Module [\(m.typeName)] is missing the required \"forward\" function")
        }
        return try a.interpreter.callModule(m, CallArguments(a.rest, keywords: a.keywordExtras, range: a.range))
    }
    t.method("parameters", ["recurse=True"]) { a in
        let m = module(a)
        let handles = try a.bool("recurse") ? m.namedParameterHandles() : m.parameters
        return a.interpreter.makeIterator(PyIterator(handles.map { .tensor($0.1) }), typeName: "generator")
    }
    t.method("named_parameters", ["prefix=''", "recurse=True", "remove_duplicate=True"]) { a in
        let m = module(a)
        let prefix = try a.string("prefix")
        let handles = try a.bool("recurse") ? m.namedParameterHandles(prefix: prefix.isEmpty ? "" : prefix + ".") : m.parameters
        return a.interpreter.makeIterator(PyIterator(handles.map { .tuple([.string($0.0), .tensor($0.1)]) }), typeName: "generator")
    }
    t.method("buffers", ["recurse=True"]) { a in
        a.interpreter.makeIterator(PyIterator(try a.interpreter.buffers(module(a)).map { $0.1 }), typeName: "generator")
    }
    t.method("named_buffers", ["prefix=''", "recurse=True", "remove_duplicate=True"]) { a in
        a.interpreter.makeIterator(PyIterator(try a.interpreter.buffers(module(a)).map { .tuple([.string($0.0), $0.1]) }), typeName: "generator")
    }
    t.method("children", []) { a in
        a.interpreter.makeIterator(PyIterator(module(a).children.map { .module($0.1) }), typeName: "generator")
    }
    t.method("named_children", []) { a in
        a.interpreter.makeIterator(PyIterator(module(a).children.map { .tuple([.string($0.0), .module($0.1)]) }), typeName: "generator")
    }
    t.method("modules", []) { a in
        a.interpreter.makeIterator(PyIterator(module(a).namedModules().map { .module($0.1) }), typeName: "generator")
    }
    t.method("named_modules", ["memo=None", "prefix=''", "remove_duplicate=True"]) { a in
        let prefix = try a.string("prefix")
        return a.interpreter.makeIterator(PyIterator(module(a).namedModules(prefix: prefix).map { .tuple([.string($0.0), .module($0.1)]) }),
                                          typeName: "generator")
    }
    t.method("state_dict", ["*args", "destination=None", "prefix=''", "keep_vars=False"]) { a in
        let m = module(a)
        let keep = try a.bool("keep_vars")
        let prefix = try a.string("prefix")
        let d = DictObject(flavor: .ordered)
        for (n, h) in m.namedParameterHandles(prefix: prefix) {
            d[string: n] = keep ? .tensor(h) : .tensor(TensorHandle(h.value))
        }
        for (n, v) in try a.interpreter.buffers(m) { d[string: prefix + n] = v }
        return .dict(d)
    }
    t.method("load_state_dict", ["state_dict", "strict=True", "assign=False"]) { a in
        try a.interpreter.loadStateDict(module(a), a.value("state_dict")!, strict: try a.bool("strict"))
    }
    t.method("train", ["mode=True"]) { a in
        module(a).setTraining(try a.bool("mode"))
        a.interpreter.globalsChanged()
        return a.value("self")!
    }
    t.method("eval", []) { a in
        module(a).setTraining(false)
        a.interpreter.globalsChanged()
        return a.value("self")!
    }
    t.method("zero_grad", ["set_to_none=True"]) { a in
        let toNone = try a.bool("set_to_none")
        for (_, h) in module(a).namedParameterHandles() {
            guard let g = h.grad else { continue }
            if toNone { h.grad = nil } else { try Autograd.withMode(false) { try g.write(.tensor(Tensor.full(g.shape, 0, dtype: g.dtype))) } }
        }
        return .none
    }
    t.method("requires_grad_", ["requires_grad=True"]) { a in
        let b = try a.bool("requires_grad")
        for (_, h) in module(a).namedParameterHandles() { try a.interpreter.setRequiresGrad(h, b) }
        return a.value("self")!
    }
    for (name, dtype) in [("double", DType.float64), ("float", .float32), ("half", .float16), ("bfloat16", .bfloat16)] {
        t.method(name, []) { a in
            try module(a).convert(to: dtype)
            a.interpreter.globalsChanged()
            return a.value("self")!
        }
    }
    t.method("cpu", []) { a in a.value("self")! }
    t.method("cuda", ["device=None"]) { _ in
        throw PythonError(.RuntimeError, "Jacobi runs on the CPU: there is no CUDA device", hint: "remove .cuda(); modules are already on the CPU")
    }
    t.method("to", ["*args", "**kwargs"]) { a in
        let m = module(a)
        for v in a.rest + a.keywordExtras.map(\.1) {
            switch v {
            case .dtype(let d): try m.convert(to: d)
            case .string(let s) where s.hasPrefix("cuda"):
                throw PythonError(.RuntimeError, "Jacobi runs on the CPU: there is no CUDA device", hint: "use .to('cpu') or leave it out")
            case .tensor(let h): try m.convert(to: h.dtype)
            case .none, .bool, .int, .bigInt, .float, .string, .list, .tuple, .dict, .set, .function, .type, .instance,
                 .module, .namespace, .slice, .shape, .ellipsis:
                break
            }
        }
        a.interpreter.globalsChanged()
        return a.value("self")!
    }
    t.method("apply", ["fn"]) { a in
        // As PyTorch: every child (recursively) first, then the module itself.
        func visit(_ m: Module) throws {
            for (_, c) in m.children { try visit(c) }
            _ = try a.interpreter.call(a.value("fn")!, CallArguments([.module(m)], range: a.range), range: a.range)
        }
        try visit(module(a))
        return a.value("self")!
    }
    for name in ["add_module", "register_module"] {
        t.method(name, ["name", "module"]) { a in
            try a.interpreter.setModuleAttribute(module(a), try a.string("name"), a.value("module")!)
            return .none
        }
    }
    t.method("register_parameter", ["name", "param"]) { a in
        let m = module(a)
        guard case .tensor(let h)? = a.value("param"), h.isParameter else {
            if case .none? = a.value("param") { m.setParameter(try a.string("name"), nil); return .none }
            throw PythonError(.TypeError, "cannot assign '\(a.value("param")!.pyType.name)' object to parameter '\(try a.string("name"))' (torch.nn.Parameter or None required)")
        }
        m.setParameter(try a.string("name"), h)
        return .none
    }
    t.method("register_buffer", ["name", "tensor", "persistent=True"]) { a in
        guard let u = module(a) as? UserModule else {
            throw PythonError(.NotImplementedError, "register_buffer is supported on your own nn.Module classes")
        }
        let name = try a.string("name")
        u.attributes[name] = a.value("tensor")!
        if try a.bool("persistent") { u.bufferNames.append(name) }
        return .none
    }
    t.method("get_submodule", ["target"]) { a in
        var m = module(a)
        let target = try a.string("target")
        for part in target.split(separator: ".") where !target.isEmpty {
            guard let c = m.child(String(part)) else {
                throw PythonError(.AttributeError, "\(m.typeName) has no attribute `\(part)`")
            }
            m = c
        }
        return .module(m)
    }
    t.method("get_parameter", ["target"]) { a in
        let target = try a.string("target")
        guard let h = module(a).namedParameterHandles().first(where: { $0.0 == target })?.1 else {
            throw PythonError(.AttributeError, "\(module(a).typeName) has no parameter `\(target)`")
        }
        return .tensor(h)
    }
    t.method("extra_repr", []) { a in .string(module(a) is UserModule ? "" : module(a).extraRepr) }
    t.method("__repr__", []) { a in .string(module(a).repr) }
}

extension UserModule {
    /// Names of persistent buffers (`register_buffer`), in order.
    var bufferNames: [String] {
        get { (languageAttributes["__buffers__"] as? [String]) ?? [] }
        set { languageAttributes["__buffers__"] = newValue }
    }
}

extension Interpreter {
    /// Persistent buffers of a module tree with dotted names.
    func buffers(_ m: Module) throws -> [(String, Value)] {
        var out: [(String, Value)] = []
        for (prefix, sub) in m.namedModules() {
            guard let u = sub as? UserModule else { continue }
            for n in u.bufferNames { if let v = u.attributes[n] { out.append(((prefix.isEmpty ? "" : prefix + ".") + n, v)) } }
        }
        return out
    }

    /// `load_state_dict` with PyTorch's checks and message: every key and shape is checked
    /// before anything changes, so a bad dict leaves the module as it was.
    func loadStateDict(_ m: Module, _ source: Value, strict: Bool) throws -> Value {
        let pairs = try mappingPairs(source, range: nil)
        var given: [(String, Operand)] = []
        for (k, v) in pairs {
            guard case .string(let name) = k else { throw PythonError(.TypeError, "state_dict keys must be strings") }
            guard case .tensor(let h) = v else {
                throw PythonError(.TypeError, "expected torch.Tensor or Tensor-like object from checkpoint but received \(v.pyType.name)")
            }
            given.append((name, h.value))
        }
        let params = m.namedParameterHandles()
        let buffers = try self.buffers(m)
        let mine = params.map(\.0) + buffers.map(\.0)
        let givenNames = Set(given.map(\.0))
        let missing = mine.filter { !givenNames.contains($0) }
        let unexpected = given.map(\.0).filter { !mine.contains($0) }
        var problems: [String] = []
        if strict && !unexpected.isEmpty {
            problems.append("Unexpected key(s) in state_dict: " + unexpected.map { "\"\($0)\"" }.joined(separator: ", ") + ". ")
        }
        if strict && !missing.isEmpty {
            problems.insert("Missing key(s) in state_dict: " + missing.map { "\"\($0)\"" }.joined(separator: ", ") + ". ", at: 0)
        }
        for (name, value) in given {
            if let h = params.first(where: { $0.0 == name })?.1, h.shape != value.shape {
                problems.append("size mismatch for \(name): copying a param with shape \(formatShape(value.shape)) from checkpoint, the shape in current model is \(formatShape(h.shape)).")
            }
        }
        guard problems.isEmpty else {
            let onlyNames = problems.allSatisfy { !$0.hasPrefix("size mismatch") }
            throw PythonError(.RuntimeError, "Error(s) in loading state_dict for \(Value.module(m).pyType.name):\n\t" + problems.joined(separator: "\n\t"),
                              hint: onlyNames ? "load_state_dict(sd, strict=False) loads only the keys that match, and returns the others"
                                              : "the checkpoint was saved from a network of other sizes; build the same layers as the one that saved it")
        }
        for (name, value) in given {
            if let h = params.first(where: { $0.0 == name })?.1 {
                try Autograd.withMode(false) { try h.write(try value.converted(to: h.dtype)) }
            } else if buffers.contains(where: { $0.0 == name }) {
                let parts = name.split(separator: ".").map(String.init)
                var owner = m
                for p in parts.dropLast() { owner = owner.child(p)! }
                (owner as? UserModule)?.attributes[parts.last!] = .tensor(value)
            }
        }
        globalsChanged()
        return .instance(Instance(cls: BuiltinTypes.incompatibleKeys, payload: IncompatibleKeys(missing: strict ? [] : missing, unexpected: strict ? [] : unexpected)))
    }
}
