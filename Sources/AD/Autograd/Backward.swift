import Tensor

/// The backward pass of the imperative autograd (`Tensor.backward`, `torch.autograd.grad`):
/// walks the recorded nodes from the outputs in dependency order, applies each node's VJP (the
/// AD core's rules) to the gradient arriving at it, and delivers the gradients that reach the
/// requested tensors. With `createGraph` the pass runs with grad mode on and on the saved
/// tensors themselves, so what it computes is recorded and can be differentiated again.
///
/// ```swift
/// let y = try x.operand.tanh().reduceSum([0])        // x requires grad
/// try Autograd.backward(roots: [(y.trackedHandle!, .tensor(Tensor(scalar: 1, dtype: .float32)))])
/// x.grad                                             // 1 - tanh(x)^2
/// ```
extension Autograd {
    /// Polled between nodes; returning true stops the pass with `Interrupted`.
    public nonisolated(unsafe) static var shouldStop: () -> Bool = { false }

    /// Whether a backward pass is walking the graph (its state is on the nodes, so passes do not nest).
    nonisolated(unsafe) static var isWalking = false
    /// The serial of the newest backward pass (`GradNode.Walk.serial`).
    nonisolated(unsafe) static var walkSerial = 0

    /// Handles that asked to keep their gradient (`retain_grad()`), held weakly.
    nonisolated(unsafe) static var retaining: [WeakHandle] = []

    /// Registers a non-leaf whose `.grad` the next passes fill (`retain_grad()`).
    public static func retainGrad(_ h: TensorHandle) {
        h.retainsGrad = true
        retaining.removeAll { $0.handle == nil }
        retaining.append(WeakHandle(h))
    }

    /// `Tensor.backward` / `torch.autograd.backward`: accumulates into the `.grad` of the leaves
    /// (or only of `inputs`, leaves or not, when given).
    public static func backward(roots: [(TensorHandle, Operand)], inputs: [TensorHandle]? = nil,
                                retainGraph: Bool = false, createGraph: Bool = false) throws {
        var pass = Pass(targets: inputs, accumulate: true, retainGraph: retainGraph, createGraph: createGraph)
        try pass.run(roots)
        for (h, g) in pass.leafOrder.compactMap({ k in pass.leafGradients[k].map { (pass.leafHandles[k]!, $0) } }) {
            try accumulate(g, into: h, createGraph: createGraph)
        }
        for (h, g) in pass.capturedNonLeaves { try accumulate(g, into: h, createGraph: createGraph) }
    }

    /// `torch.autograd.grad`: the gradients of the roots with respect to `inputs` (nil for an
    /// input the roots do not depend on), without touching any `.grad`.
    public static func grad(roots: [(TensorHandle, Operand)], inputs: [TensorHandle],
                            retainGraph: Bool = false, createGraph: Bool = false) throws -> [Operand?] {
        var pass = Pass(targets: inputs, accumulate: false, retainGraph: retainGraph, createGraph: createGraph)
        try pass.run(roots)
        return inputs.map { h in
            let k = ObjectIdentifier(h)
            if h.isLeaf || !h.requiresGrad { return pass.leafGradients[k] ?? (pass.reached.contains(k) ? zeros(h) : nil) }
            return pass.nonLeafGradients[k] ?? (pass.reached.contains(k) ? zeros(h) : nil)
        }
    }

    static func zeros(_ h: TensorHandle) -> Operand { .tensor(Tensor.full(h.shape, 0, dtype: h.dtype)) }

    /// Adds a gradient into a handle's `.grad`: in place when the pass is not recorded (the
    /// `.grad` object stays the same), as a new recorded tensor when it is.
    static func accumulate(_ g: Operand, into h: TensorHandle, createGraph: Bool) throws {
        guard let old = h.grad else {
            h.grad = createGraph ? (g.trackedHandle ?? TensorHandle(g)) : TensorHandle(.tensor(try g.requireConcrete("a gradient")))
            return
        }
        if createGraph {
            let sum = try Autograd.withMode(true) { try old.operand + g }
            h.grad = sum.trackedHandle ?? TensorHandle(sum)
        } else {
            try Autograd.withMode(false) { try old.write(try old.value + g.untracked) }
        }
    }

    /// One walk of the graph.
    struct Pass {
        let targets: [TensorHandle]?
        let accumulate: Bool
        let retainGraph: Bool
        let createGraph: Bool

        /// Gradients reaching leaves, by handle, and the order the leaves were first reached.
        var leafGradients: [ObjectIdentifier: Operand] = [:]
        var leafHandles: [ObjectIdentifier: TensorHandle] = [:]
        var leafOrder: [ObjectIdentifier] = []
        /// Gradients of non-leaf targets, taken when their node runs.
        var nonLeafGradients: [ObjectIdentifier: Operand] = [:]
        /// Non-leaves whose `.grad` is filled (targets of backward(inputs=), retain_grad()).
        var capturedNonLeaves: [(TensorHandle, Operand)] = []
        /// Targets the walk reached.
        var reached: Set<ObjectIdentifier> = []

        init(targets: [TensorHandle]?, accumulate: Bool, retainGraph: Bool, createGraph: Bool) {
            self.targets = targets
            self.accumulate = accumulate
            self.retainGraph = retainGraph
            self.createGraph = createGraph
        }

        mutating func run(_ roots: [(TensorHandle, Operand)]) throws {
            try Autograd.withMode(createGraph) { try walk(roots) }
        }

        private mutating func walk(_ roots: [(TensorHandle, Operand)]) throws {
            // The walk's state lives on the nodes (`GradNode.Walk`), marked with this pass's
            // serial: no dictionary lookups per edge.
            guard !Autograd.isWalking else {
                throw TensorError("a backward pass cannot start inside another backward pass")
            }
            Autograd.isWalking = true
            Autograd.walkSerial += 1
            let serial = Autograd.walkSerial
            // The nodes reachable from the roots, and how many edges lead into each.
            var reachable: [GradNode] = []
            func reach(_ n: GradNode) -> Bool {
                guard n.walk.serial != serial else { return false }
                n.walk = GradNode.Walk(serial: serial)
                reachable.append(n)
                return true
            }
            var stack = roots.compactMap { $0.0.gradFn }.filter(reach)
            while let n = stack.popLast() {
                for case .node(let m, _)? in n.edges {
                    if reach(m) { stack.append(m) }
                    m.walk.dependencies += 1
                }
            }
            defer {
                // A pass stopped by an error leaves no gradients held by the nodes.
                for n in reachable { n.walk.buffer = [] }
                Autograd.isWalking = false
            }
            // Which nodes lead to a target (all of them when every leaf is one).
            let targetLeaves = Set((targets ?? []).filter { $0.isLeaf }.map(ObjectIdentifier.init))
            var targetOutputs: [ObjectIdentifier: [(Int, TensorHandle)]] = [:]
            for h in targets ?? [] where !h.isLeaf {
                targetOutputs[ObjectIdentifier(h.gradFn!), default: []].append((h.outputIndex, h))
            }
            var retained: [ObjectIdentifier: [(Int, TensorHandle)]] = [:]
            if accumulate {
                for w in Autograd.retaining {
                    guard let h = w.handle, h.retainsGrad, let f = h.gradFn, f.walk.serial == serial else { continue }
                    if targets != nil && !(targets!.contains { $0 === h }) { continue }
                    retained[ObjectIdentifier(f), default: []].append((h.outputIndex, h))
                }
            }
            let everyLeaf = targets == nil
            func leadsToTarget(_ n: GradNode) -> Bool {
                switch n.walk.leadsToTarget {
                case .yes: return true
                case .no, .finding: return false   // no cycles in a recorded graph; this only stops re-entry
                case .unknown: break
                }
                n.walk.leadsToTarget = .finding
                var result = !targetOutputs.isEmpty && targetOutputs[ObjectIdentifier(n)] != nil
                for e in n.edges {
                    switch e {
                    case .leaf(let h)?: if targetLeaves.contains(ObjectIdentifier(h)) { result = true }
                    case .node(let m, _)?: if leadsToTarget(m) { result = true }
                    case nil: break
                    }
                }
                n.walk.leadsToTarget = result ? .yes : .no
                return result
            }
            func wanted(_ e: GradNode.Edge?) -> Bool {
                switch e {
                case .leaf(let h)?: return everyLeaf || targetLeaves.contains(ObjectIdentifier(h))
                case .node(let m, _)?: return everyLeaf || leadsToTarget(m)
                case nil: return false
                }
            }
            func add(_ g: Operand, into m: GradNode, output j: Int) throws {
                if m.walk.buffer.isEmpty { m.walk.buffer = [Operand?](repeating: nil, count: m.outputTypes.count) }
                m.walk.buffer[j] = try m.walk.buffer[j].map { try $0 + g } ?? g
            }

            // Seed the gradients of the roots.
            for (h, g) in roots {
                if let f = h.gradFn { try add(g, into: f, output: h.outputIndex) } else { try deliverToLeaf(h, g) }
            }
            var ready: [GradNode] = []
            for case let n? in roots.map(\.0.gradFn) where n.walk.dependencies == 0 && !n.walk.scheduled {
                n.walk.scheduled = true
                ready.append(n)
            }
            ready.sort { $0.serial > $1.serial }
            while !ready.isEmpty {
                if Autograd.shouldStop() { throw Interrupted() }
                let n = ready.removeFirst()
                let k = ObjectIdentifier(n)
                let cts = n.walk.buffer
                n.walk.buffer = []
                for (i, h) in targetOutputs.isEmpty ? [] : targetOutputs[k] ?? [] {
                    reached.insert(ObjectIdentifier(h))
                    if let g = i < cts.count ? cts[i] : nil {
                        if accumulate { capturedNonLeaves.append((h, g)) } else { nonLeafGradients[ObjectIdentifier(h)] = g }
                    }
                }
                for (i, h) in retained.isEmpty ? [] : retained[k] ?? [] {
                    if let g = i < cts.count ? cts[i] : nil { capturedNonLeaves.append((h, g)) }
                }
                let need = n.edges.map { wanted($0) }
                if need.contains(true), cts.contains(where: { $0 != nil }) {
                    let inputGradients = try vjp(n, cts, need: need)
                    for (i, e) in n.edges.enumerated() where need[i] {
                        guard let g = inputGradients[i] else { continue }
                        switch e {
                        case .leaf(let h)?: try deliverToLeaf(h, g)
                        case .node(let m, let j)?: try add(g, into: m, output: j)
                        case nil: break
                        }
                    }
                }
                if !everyLeaf {
                    for case .leaf(let h)? in n.edges where targetLeaves.contains(ObjectIdentifier(h)) { reached.insert(ObjectIdentifier(h)) }
                }
                if !retainGraph { n.free() }
                for case .node(let m, _)? in n.edges {
                    m.walk.dependencies -= 1
                    if m.walk.dependencies == 0 && !m.walk.scheduled {
                        m.walk.scheduled = true
                        // Newest first, as PyTorch orders its ready queue.
                        let at = ready.firstIndex { $0.serial < m.serial } ?? ready.endIndex
                        ready.insert(m, at: at)
                    }
                }
            }
        }

        private mutating func deliverToLeaf(_ h: TensorHandle, _ g: Operand) throws {
            let k = ObjectIdentifier(h)
            reached.insert(k)
            if let targets, !targets.contains(where: { $0 === h }) { return }
            if let old = leafGradients[k] {
                leafGradients[k] = try old + g
            } else {
                leafGradients[k] = g
                leafHandles[k] = h
                leafOrder.append(k)
            }
        }

        /// The gradients of a node's inputs from the gradients of its outputs.
        private func vjp(_ n: GradNode, _ cts: [Operand?], need: [Bool]) throws -> [Operand?] {
            let (x, y) = try n.savedInputs(recorded: createGraph)
            switch n.operation {
            case .primitive(let p):
                guard let ct = cts.first ?? nil else { return need.map { _ in nil } }
                if let g = try ActivationBackward.apply(p, y: y, ct: ct) { return [g] }
                return try VJP.apply(p, x: x, y: y, ct: ct, need: need)
            case .program(let recorded):
                let full = try zip(cts.indices, n.outputTypes).map { i, t in
                    try (i < cts.count ? cts[i] : nil) ?? Operand.zeros(t)
                }
                if !createGraph, let residuals = n.residuals, zip(need, residuals.wrt).allSatisfy({ !$0 || $1 }) {
                    // The forward half ran at the call: only the backward half, from its residuals.
                    var ev = Evaluator(shouldStop: Autograd.shouldStop)
                    let plan = try recorded.backwardPlan(wrt: residuals.wrt, need: need)
                    let values = try (x + full).map { try $0.requireConcrete("a gradient") }
                    let inputCount = x.count
                    var grads = try ev.run(plan, Array(values[..<inputCount]) + residuals.values + Array(values[inputCount...])).makeIterator()
                    return need.map { $0 ? grads.next().map { .tensor($0) } : nil }
                }
                let outs: [Operand]
                if createGraph {
                    outs = try apply(try recorded.vjp(wrt: need), x + full)
                } else {
                    var ev = Evaluator(shouldStop: Autograd.shouldStop)
                    let plan = try recorded.vjpPlan(wrt: need)
                    recorded.backpropagated = true
                    outs = try ev.run(plan, try (x + full).map { try $0.requireConcrete("a gradient") }).map { .tensor($0) }
                }
                var grads = outs.dropFirst(n.outputTypes.count).makeIterator()
                return need.map { $0 ? grads.next() : nil }
            }
        }
    }
}

/// A weak reference to a handle.
struct WeakHandle {
    weak var handle: TensorHandle?
    init(_ h: TensorHandle) { handle = h }
}
