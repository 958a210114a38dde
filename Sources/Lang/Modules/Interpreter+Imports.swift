import Tensor
import AD

// `import` and the modules users import: each module is built once, on first import, by the
// builder of its name (`Module+Torch.swift`, `Module+Python.swift`, ...), and kept in
// `modules` (Python's `sys.modules`).

extension Interpreter {
    /// The builders of importable modules by dotted name.
    var moduleBuilders: [String: (Interpreter) -> Namespace] {
        if let b = Interpreter.builderTable { return b }
        var b: [String: (Interpreter) -> Namespace] = [:]
        for (name, builder) in torchModuleBuilders { b[name] = builder }
        for (name, builder) in pythonModuleBuilders { b[name] = builder }
        for (name, builder) in jaxModuleBuilders { b[name] = builder }
        Interpreter.builderTable = b
        return b
    }

    /// The builders, made once (they take the interpreter as their argument).
    nonisolated(unsafe) private static var builderTable: [String: (Interpreter) -> Namespace]?

    /// A module by dotted name, built on first use; nil when there is no such module.
    func module(named name: String) -> Namespace? {
        if let m = modules[name] { return m }
        let canonical = moduleAliases[name] ?? name
        if canonical != name, let m = module(named: canonical) { modules[name] = m; return m }
        guard let build = moduleBuilders[name] else { return nil }
        let m = build(self)
        modules[name] = m
        return m
    }

    /// Names that are the same module under another name.
    private var moduleAliases: [String: String] { Interpreter.aliasTable }

    private static let aliasTable = ["functorch": "torch.func", "torch.functional": "torch", "torch.nn.modules": "torch.nn",
                                     "numpy": "numpy", "np": "numpy"]

    /// Short names Jacobi knows without an import (a convenience at the prompt): `torch`, `nn`,
    /// `F`, `functorch`, `jax`, `jnp`, `np`, `numpy`, `linalg`, `func`.
    func shorthandNamespace(_ n: String) -> Namespace? {
        switch n {
        case "torch", "functorch", "jax", "numpy": return module(named: n)
        case "np": return module(named: "numpy")
        case "jnp": return module(named: "jax.numpy")
        case "F": return module(named: "torch.nn.functional")
        case "nn": return module(named: "torch.nn")
        case "linalg": return module(named: "torch.linalg")
        case "func": return module(named: "torch.func")
        default: return nil
        }
    }

    /// Every importable module name, for messages.
    var importableModules: [String] { moduleBuilders.keys.sorted() }

    /// `import a.b [as c]` and `from a.b import x [as y], *`.
    func executeImport(_ module: String, alias: String?, names: [(String, String?)], range: SourceRange, in scope: Scope) throws {
        guard let m = self.module(named: module) else {
            let root = String(module.split(separator: ".").first ?? "")
            let missing = self.module(named: root) == nil ? root : module
            let guess = closestName(module, among: importableModules)
            let e = PythonError(.ModuleNotFoundError, "No module named '\(missing)'", at: range,
                                hint: guess.map { "did you mean '\($0)'?" } ?? "Jacobi provides torch, functorch, jax, numpy and Python's sys, math, functools, itertools, collections, random, time, copy, typing, os, warnings")
            e.exception.setAttribute("name", .string(missing))
            e.exception.setAttribute("path", Value.none)
            throw e
        }
        if names.isEmpty {
            if let alias {
                try bind(alias, .namespace(m), in: scope)
            } else {
                let root = String(module.split(separator: ".").first ?? "")
                try bind(root, .namespace(self.module(named: root) ?? m), in: scope)
            }
            return
        }
        for (name, alias) in names {
            if name == "*" {
                for n in m.attributeOrder where !n.hasPrefix("_") { try bind(n, m.attributes[n]!, in: scope) }
                for n in m.resolvableNames?(self) ?? [] where !n.hasPrefix("_") {
                    if let v = m.attribute(n, self) { try bind(n, v, in: scope) }
                }
                continue
            }
            if let sub = self.module(named: module + "." + name) {
                try bind(alias ?? name, .namespace(sub), in: scope)
                continue
            }
            guard let v = m.attribute(name, self) else {
                let known = m.attributeOrder + (m.resolvableNames?(self) ?? [])
                let e = PythonError(.ImportError, "cannot import name '\(name)' from '\(module)'", at: range,
                                    hint: closestName(name, among: known).map { "did you mean '\($0)'?" })
                e.exception.setAttribute("name", .string(module))
                e.exception.setAttribute("path", Value.none)
                throw e
            }
            try bind(alias ?? name, v, in: scope)
        }
    }

    /// A native function value with a signature.
    func function(_ name: String, _ params: [String], qualname: String? = nil, _ body: @escaping (BoundArguments) throws -> Value) -> Value {
        .function(Function(name: name, qualname: qualname, signature: Signature(name: name, spec: params), body: body))
    }
}
