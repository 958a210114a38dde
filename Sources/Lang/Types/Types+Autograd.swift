import Tensor
import AD
import Printer

// PyTorch's imperative autograd as the language shows it: a tensor's `requires_grad`,
// `is_leaf`, `grad`, `grad_fn`, `backward()`, `detach()`, `retain_grad()`; `grad_fn` objects
// (`<TanhBackward0 object at 0x...>`, `next_functions`); `torch.autograd.grad` and
// `torch.autograd.backward`. The recording and the backward pass are the AD core's
// (`AD/Autograd`); this file binds them to Python's names, arguments and messages.

extension Interpreter {
    /// The autograd attributes of a tensor, or nil for other names.
    func autogradAttribute(_ h: TensorHandle, _ name: String) throws -> Value? {
        switch name {
        case "requires_grad": return .bool(h.requiresGrad)
        case "is_leaf": return .bool(h.isLeaf)
        case "grad":
            if !h.isLeaf && !h.retainsGrad && h.grad == nil {
                warn("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead.")
            }
            return h.grad.map { .tensor($0) } ?? Value.none
        case "grad_fn": return h.gradFn.map { gradFnValue($0) } ?? Value.none
        case "retains_grad": return .bool(h.retainsGrad)
        case "data": return try detached(h)
        case "_version": return .int(h.version)
        case "output_nr": return .int(h.outputIndex)
        case "backward":
            return native("backward", ["gradient=None", "retain_graph=None", "create_graph=False", "inputs=None"]) { a in
                try a.interpreter.runBackward(tensors: [.tensor(h)], a, gradientsName: "gradient")
                return Value.none
            }
        case "requires_grad_":
            return native("requires_grad_", ["requires_grad=True"]) { a in
                try a.interpreter.setRequiresGrad(h, try a.bool("requires_grad"))
                return .tensor(h)
            }
        case "retain_grad":
            return native("retain_grad", []) { _ in
                guard h.requiresGrad else { throw PythonError(.RuntimeError, "can't retain_grad on Tensor that has requires_grad=False") }
                if !h.isLeaf { Autograd.retainGrad(h) }
                return Value.none
            }
        case "detach":
            return native("detach", []) { a in try a.interpreter.detached(h) }
        case "detach_":
            return native("detach_", []) { _ in
                h.detachInPlace()
                return .tensor(h)
            }
        default: return nil
        }
    }

    /// `x.detach()` / `x.data`: the same storage without history. Inside a transform (a traced
    /// value), the value with its derivative cut (`stop_gradient`).
    func detached(_ h: TensorHandle) throws -> Value {
        if case .tracer = h.value { return .tensor(try h.value.detach()) }
        return viewOf(h, .tensor(TensorHandle(h.value)), layout: h.layout, tracksHistory: false) { $0.untracked }
    }

    /// `x.requires_grad = b` / `x.grad = g` / `x.data = d`.
    func setAutogradAttribute(_ h: TensorHandle, _ name: String, _ value: Value?) throws -> Bool {
        switch name {
        case "requires_grad":
            try setRequiresGrad(h, try truthy(value ?? .bool(false), range: nil))
            return true
        case "grad":
            guard let value, !value.isNone else { h.grad = nil; return true }
            guard case .tensor(let g) = value else {
                throw PythonError(.TypeError, "assigned grad expected to be a Tensor or None but got grad of type \(value.pyType.name)")
            }
            guard g.shape == h.shape else {
                throw PythonError(.RuntimeError, "assigned grad has data of a different size")
            }
            h.grad = g
            return true
        case "data":
            guard case .tensor(let d)? = value else { throw PythonError(.TypeError, "data must be a Tensor") }
            try Autograd.withMode(false) { try h.write(d.value) }
            return true
        default:
            return false
        }
    }

    /// `requires_grad_(b)`: only for leaves, only for floating-point tensors (a factory's
    /// `requires_grad=True` says so in its own words).
    func setRequiresGrad(_ h: TensorHandle, _ b: Bool, factory: Bool = false) throws {
        if !h.isLeaf {
            guard b else {
                throw PythonError(.RuntimeError, "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
            }
            return
        }
        if b && !h.dtype.isFloatingPoint {
            throw PythonError(.RuntimeError, factory ? "Only Tensors of floating point and complex dtype can require gradients"
                                                     : "only Tensors of floating point dtype can require gradients")
        }
        if h.requiresGrad != b { stager.invalidate() }
        h.requiresGrad = b
    }

    // MARK: - grad_fn objects

    /// A `grad_fn` as a Python object: the node's object while one is alive.
    func gradFnValue(_ n: GradNode) -> Value {
        if let i = n.languageObject as? Instance { return .instance(i) }
        let i = Instance(cls: BuiltinTypes.gradNodeClass(n.name), payload: n)
        n.languageObject = i
        return .instance(i)
    }

    /// A leaf's `AccumulateGrad` as a Python object: the leaf's object while one is alive.
    func accumulatorValue(_ h: TensorHandle) -> Value {
        if let i = h.accumulatorObject as? Instance { return .instance(i) }
        let i = Instance(cls: BuiltinTypes.accumulateGrad, payload: h)
        h.accumulatorObject = i
        return .instance(i)
    }

    /// `next_functions`: `((node, index), ...)`, leaves as `AccumulateGrad`, constants as `(None, 0)`.
    func nextFunctions(_ n: GradNode) -> Value {
        .tuple(n.nextFunctions.map { e in
            switch e {
            case .node(let m, let i)?: return .tuple([gradFnValue(m), .int(i)])
            case .leaf(let h)?: return .tuple([accumulatorValue(h), .int(0)])
            case nil: return .tuple([Value.none, .int(0)])
            }
        })
    }

    // MARK: - backward and autograd.grad

    /// Tensors from one tensor or a sequence of them.
    func tensorList(_ v: Value, what: String, range: SourceRange?) throws -> [TensorHandle] {
        if case .tensor(let h) = v { return [h] }
        return try collect(v, range: range).map { x in
            guard case .tensor(let h) = x else {
                throw PythonError(.TypeError, "\(what) must be a Tensor or a sequence of Tensors, not \(x.pyType.name)", at: range)
            }
            return h
        }
    }

    /// The roots of a backward pass: each output with its gradient (ones for a scalar), checked
    /// as PyTorch checks them.
    func backwardRoots(_ outputs: [TensorHandle], _ gradients: Value?, range: SourceRange?) throws -> [(TensorHandle, Operand)] {
        var given: [Value?] = outputs.map { _ in nil }
        if let gradients, !gradients.isNone {
            if case .tensor = gradients { given = [gradients] } else { given = try collect(gradients, range: range).map { $0.isNone ? nil : $0 } }
            guard given.count == outputs.count else {
                throw PythonError(.RuntimeError, "got \(given.count) tensors and \(outputs.count) gradients", at: range)
            }
        }
        return try outputs.enumerated().map { i, h in
            guard h.requiresGrad else {
                throw PythonError(.RuntimeError, "element \(i) of tensors does not require grad and does not have a grad_fn", at: range)
            }
            guard let g = given[i] else {
                guard h.shape.elementCount == 1 else {
                    throw PythonError(.RuntimeError, "grad can be implicitly created only for scalar outputs", at: range,
                                      hint: "pass gradient= (a tensor of the output's shape), or reduce the output first, e.g. y.sum().backward()")
                }
                return (h, .tensor(Tensor.full(h.shape, 1, dtype: h.dtype)))
            }
            guard case .tensor(let gh) = g else {
                throw PythonError(.TypeError, "gradients can be either Tensors or None, but got \(g.pyType.name)", at: range)
            }
            guard gh.shape == h.shape else {
                throw PythonError(.RuntimeError, "Mismatch in shape: grad_output[\(i)] has a shape of \(formatShape(gh.shape)) and output[\(i)] has a shape of \(formatShape(h.shape)).", at: range)
            }
            return (h, gh.operand)
        }
    }

    /// `tensor.backward(...)` and `torch.autograd.backward(tensors, grad_tensors, ...)`.
    func runBackward(tensors: [Value], _ a: BoundArguments, gradientsName: String) throws {
        let outputs = try tensors.flatMap { try tensorList($0, what: "tensors", range: a.range) }
        let roots = try backwardRoots(outputs, a.value(gradientsName), range: a.range)
        let createGraph = try a.bool("create_graph")
        let retainGraph = a.has("retain_graph") ? try a.bool("retain_graph") : createGraph
        var inputs: [TensorHandle]? = nil
        if a.has("inputs") {
            inputs = try tensorList(a.value("inputs")!, what: "inputs", range: a.range)
            if inputs!.isEmpty { throw PythonError(.RuntimeError, "'inputs' argument to backward() cannot be empty.", at: a.range) }
        }
        try placed(a.range) {
            try Autograd.backward(roots: roots, inputs: inputs, retainGraph: retainGraph, createGraph: createGraph)
        }
    }

    /// `torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None,
    /// create_graph=False, allow_unused=None, is_grads_batched=False, materialize_grads=False)`.
    func autogradGrad(_ a: BoundArguments) throws -> Value {
        let outputs = try tensorList(a.value("outputs")!, what: "outputs", range: a.range)
        let inputs = try tensorList(a.value("inputs")!, what: "inputs", range: a.range)
        for h in inputs where !h.requiresGrad {
            throw PythonError(.RuntimeError, "One of the differentiated Tensors does not require grad", at: a.range)
        }
        let createGraph = try a.bool("create_graph")
        let retainGraph = a.has("retain_graph") ? try a.bool("retain_graph") : createGraph
        let materialize = try a.bool("materialize_grads")
        let allowUnused = a.has("allow_unused") ? try a.bool("allow_unused") : materialize
        if try a.bool("is_grads_batched") {
            return try batchedAutogradGrad(outputs, inputs, a, retainGraph: retainGraph, createGraph: createGraph,
                                           allowUnused: allowUnused, materialize: materialize)
        }
        let roots = try backwardRoots(outputs, a.value("grad_outputs"), range: a.range)
        let grads = try placed(a.range) {
            try Autograd.grad(roots: roots, inputs: inputs, retainGraph: retainGraph, createGraph: createGraph)
        }
        return .tuple(try zip(grads, inputs).map { g, h in
            if let g { return Value.tensor(createGraph ? g : g.untracked) }
            guard allowUnused else {
                let index = inputs.firstIndex { $0 === h }!
                throw PythonError(.RuntimeError, "The differentiated Tensor at index \(index) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.", at: a.range)
            }
            return materialize ? .tensor(.tensor(Tensor.full(h.shape, 0, dtype: h.dtype))) : Value.none
        })
    }

    /// `is_grads_batched=True`: the first dimension of every `grad_outputs` entry is a batch of
    /// cotangents; the result has that batch in front (PyTorch runs it through vmap; here one
    /// backward pass per cotangent, with the graph retained between them).
    private func batchedAutogradGrad(_ outputs: [TensorHandle], _ inputs: [TensorHandle], _ a: BoundArguments,
                                     retainGraph: Bool, createGraph: Bool, allowUnused: Bool, materialize: Bool) throws -> Value {
        guard let go = a.value("grad_outputs"), !go.isNone else {
            throw PythonError(.RuntimeError, "is_grads_batched=True needs grad_outputs with a leading batch dimension", at: a.range)
        }
        let batches = try tensorList(go, what: "grad_outputs", range: a.range)
        guard batches.count == outputs.count, let count = batches.first?.shape.dims.first,
              batches.allSatisfy({ $0.rank > 0 && $0.shape[0] == count }) else {
            throw PythonError(.RuntimeError, "is_grads_batched=True: every grad_outputs entry needs the same leading batch dimension", at: a.range)
        }
        var perInput: [[Operand]] = inputs.map { _ in [] }
        for k in 0..<count {
            let slices = try batches.map { Value.tensor(try $0.operand.subscripted([.index(k)])) }
            let roots = try backwardRoots(outputs, .tuple(slices), range: a.range)
            let grads = try placed(a.range) {
                try Autograd.grad(roots: roots, inputs: inputs, retainGraph: k < count - 1 || retainGraph, createGraph: createGraph)
            }
            for (i, g) in grads.enumerated() {
                guard let g else {
                    guard allowUnused else {
                        throw PythonError(.RuntimeError, "The differentiated Tensor at index \(i) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.", at: a.range)
                    }
                    perInput[i].append(.tensor(Tensor.full(inputs[i].shape, 0, dtype: inputs[i].dtype)))
                    continue
                }
                perInput[i].append(createGraph ? g : g.untracked)
            }
        }
        return .tuple(try perInput.map { .tensor(try Operand.stack($0, dim: 0)) })
    }
}

extension BuiltinTypes {
    /// The class of `grad_fn` objects (PyTorch names each backward class; Jacobi shows the name).
    nonisolated(unsafe) static let gradNode: TypeObject = {
        var s = BuiltinTypes.object.slots
        func node(_ v: Value) -> GradNode? {
            if case .instance(let i) = v { return i.payload as? GradNode }
            return nil
        }
        s.repr = { interp, v in "<\(node(v)?.name ?? "Node") object at \(interp.address(of: v))>" }
        s.getAttribute = { interp, v, name in
            guard let n = node(v) else { return nil }
            switch name {
            case "next_functions": return interp.nextFunctions(n)
            case "name": return interp.native("name", []) { _ in .string(n.name) }
            default: return nil
            }
        }
        s.attributeNames = { _, _ in ["name", "next_functions"] }
        return TypeObject(name: "Node", moduleName: "torch.autograd.graph", base: BuiltinTypes.object, slots: s)
    }()

    nonisolated(unsafe) private static var gradNodeClasses: [String: TypeObject] = [:]

    /// The class of one kind of `grad_fn` (`TanhBackward0`), a subclass of `Node`.
    static func gradNodeClass(_ name: String) -> TypeObject {
        if let t = gradNodeClasses[name] { return t }
        let t = TypeObject(name: name, moduleName: "torch.autograd.graph", base: gradNode, slots: gradNode.slots)
        gradNodeClasses[name] = t
        return t
    }

    /// The class of the `AccumulateGrad` objects that stand for leaves in `next_functions`.
    nonisolated(unsafe) static let accumulateGrad: TypeObject = {
        var s = BuiltinTypes.object.slots
        s.repr = { interp, v in "<AccumulateGrad object at \(interp.address(of: v))>" }
        s.getAttribute = { interp, v, name in
            guard case .instance(let i) = v, let h = i.payload as? TensorHandle else { return nil }
            switch name {
            case "variable": return .tensor(h)
            case "next_functions": return .tuple([])
            case "name": return interp.native("name", []) { _ in .string("torch::autograd::AccumulateGrad") }
            default: return nil
            }
        }
        return TypeObject(name: "AccumulateGrad", moduleName: "torch.autograd.graph", base: BuiltinTypes.object, slots: s)
    }()
}
