import Tensor

/// One recorded operation of PyTorch's imperative autograd (a `grad_fn`): an equation of the AD
/// core's IR (one primitive), or a whole staged program (a transformed function such as
/// `vmap(jacrev(net))` called on tensors that require grad). It keeps what its backward needs:
/// the inputs as they were (concrete values and their versions), the outputs, and where each
/// input's gradient goes next. Its backward applies the same VJP rules as `jacrev`
/// (`VJP.apply` for a primitive, `Program.vjp` for a program); there is no second table of
/// derivatives.
///
/// ```swift
/// let y = try bind1(.unary(.tanh), x.operand)     // x requires grad
/// y.trackedHandle!.gradFn!.name                    // "TanhBackward0"
/// ```
public final class GradNode {
    /// What was recorded.
    public enum Operation {
        /// One primitive.
        case primitive(Primitive)
        /// A staged program (its reverse-mode program is made once per cache entry).
        case program(RecordedProgram)
    }

    /// Where a gradient goes: into a leaf's `.grad`, or into an output of another node.
    public enum Edge {
        case leaf(TensorHandle)
        case node(GradNode, Int)
    }

    /// PyTorch's name for the backward of the operation the user called (`TanhBackward0`,
    /// `AddmmBackward0`, `CopySlices`); the language sets it, the primitive gives a default.
    public var name: String {
        get {
            if let givenName { return givenName }
            switch operation {
            case .primitive(let p): return GradNode.defaultName(p)
            case .program(let r): return r.program.equations.last.map { GradNode.defaultName($0.primitive) } ?? "CloneBackward0"
            }
        }
        set { givenName = newValue }
    }
    /// The name set for this node (nil: the default of the primitive, or of a program's last
    /// equation, made when asked for, since most nodes are never named).
    private var givenName: String?
    /// The operation.
    public let operation: Operation
    /// Per input: where its gradient goes (nil when it does not require grad). With the saved
    /// value it also rebuilds the input for a backward with `create_graph=True` (which is itself
    /// recorded): a leaf as its handle (gradients must reach it), a non-leaf as a new handle with
    /// the value and history it had (PyTorch's saved variable: it keeps no reference to the tensor,
    /// which a later in-place write may point back at this node).
    public let edges: [Edge?]
    /// The version counters of the tracked inputs and their versions at the time, to detect
    /// in-place writes since.
    private let inputVersions: [(TensorHandle.VersionCounter, Int)?]
    /// The version counters of the outputs (a rule that reads its outputs checks them too).
    var outputCounters: [TensorHandle.VersionCounter] = []
    /// The concrete input values at the time of the operation (nil once freed).
    private(set) var saved: [Tensor]?
    /// The concrete outputs (nil once freed).
    private(set) var savedOutputs: [Tensor]?
    /// The residuals of a program recorded with them (`RecordedProgram.split`), nil once freed:
    /// its backward then runs only the backward half.
    private(set) var residuals: Residuals?

    /// What the forward half of a split program returned besides the outputs.
    public struct Residuals {
        /// The inputs whose cotangents the backward half computes.
        public let wrt: [Bool]
        /// The residuals, in the backward half's order.
        public let values: [Tensor]
        /// Their bytes, not counting the ones that are also outputs (the same tensors).
        public let bytes: Int

        /// Residuals of a split whose residuals `isOutput` says are outputs.
        public init(wrt: [Bool], values: [Tensor], isOutput: [Bool]) {
            self.wrt = wrt
            self.values = values
            bytes = zip(values, isOutput).reduce(0) { $0 + ($1.1 ? 0 : $1.0.byteCount) }
        }
    }
    /// Shape and dtype of every output.
    public let outputTypes: [TensorType]
    /// Creation order: a node made later has a larger serial.
    public let serial: Int
    /// The state of the backward pass walking this node (`Backward.swift`), valid while its serial
    /// is that pass's.
    struct Walk {
        /// Whether a gradient from the node leads to a requested input.
        enum Leads { case unknown, finding, yes, no }
        var serial = 0
        /// Edges from the reachable nodes into this node, not yet processed.
        var dependencies = 0
        var leadsToTarget = Leads.unknown
        /// Whether the node is in the ready queue or was processed.
        var scheduled = false
        /// The sum of the gradients that reached each output so far (empty: none yet).
        var buffer: [Operand?] = []
    }
    var walk = Walk()
    /// The language's object for this node while one is alive, so that every `grad_fn` and
    /// `next_functions` reaching the node gives the same object (`is`, `id()`), as in PyTorch.
    public weak var languageObject: AnyObject?

    /// The bytes a node saving `saved` and `outputs` holds (what `Autograd.liveGraphBytes` counts).
    static func bytes(_ saved: [Tensor], _ outputs: [Tensor]) -> Int {
        var bytes = 0
        for t in saved { bytes += t.byteCount }
        for t in outputs { bytes += t.byteCount }
        return bytes
    }

    /// A node that saves `saved` and `outputs`, which hold `bytes` (`GradNode.bytes`).
    init(_ operation: Operation, inputs: [Operand], saved: [Tensor], outputs: [Tensor], bytes: Int, name: String?,
         residuals: Residuals? = nil) {
        self.operation = operation
        self.residuals = residuals
        var edges: [Edge?] = []
        var versions: [(TensorHandle.VersionCounter, Int)?] = []
        edges.reserveCapacity(inputs.count)
        versions.reserveCapacity(inputs.count)
        for o in inputs {
            guard case .tracked(let h) = o else { edges.append(nil); versions.append(nil); continue }
            let c = h.versionCounter
            versions.append((c, c.value))
            if !h.requiresGrad { edges.append(nil) } else if let f = h.gradFn { edges.append(.node(f, h.outputIndex)) } else { edges.append(.leaf(h)) }
        }
        self.edges = edges
        self.inputVersions = versions
        self.saved = saved
        self.savedOutputs = outputs
        self.outputTypes = outputs.map(TensorType.init(of:))
        givenName = name
        Autograd.lastSerial += 1
        serial = Autograd.lastSerial
        heldBytes = bytes
        Autograd.liveGraphBytes += bytes
    }

    deinit { Autograd.liveGraphBytes -= heldBytes }

    /// Bytes this node keeps alive (counted in `Autograd.liveGraphBytes`).
    private var heldBytes = 0

    /// The next nodes (`next_functions`): per input, the node its gradient goes to, or the
    /// leaf it accumulates into, or nothing.
    public var nextFunctions: [Edge?] { edges }

    /// Whether `backward` freed the saved values (without `retain_graph=True`).
    public var isFreed: Bool { saved == nil }

    /// Drops the saved values: the graph cannot be walked again through this node. A node whose
    /// backward reads only shapes keeps them (PyTorch can walk it again too).
    func free() {
        guard readsSavedValues else { return }
        saved = nil
        savedOutputs = nil
        residuals = nil
        Autograd.liveGraphBytes -= heldBytes
        heldBytes = 0
    }

    /// Bytes held by the saved values (residuals included).
    public var savedBytes: Int {
        (saved ?? []).reduce(0) { $0 + $1.byteCount } + (savedOutputs ?? []).reduce(0) { $0 + $1.byteCount } + (residuals?.bytes ?? 0)
    }

    /// The saved inputs and outputs (as operands, for the VJP rule): when the backward is
    /// recorded, handles whose history is the graph's (the outputs as this node's), the saved
    /// values otherwise. Throws PyTorch's errors when the values
    /// were freed or an input was modified in place since.
    func savedInputs(recorded: Bool) throws -> (x: [Operand], y: [Operand]) {
        guard let saved, let savedOutputs else {
            throw TensorError("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.")
        }
        let (readsInputs, readsOutputs) = savedValues
        func modified(_ h: Tensor, version: Int, expected: Int, producer: (String, Int)?) -> TensorError {
            let owner = producer.map { ", which is output \($0.1) of \(GradNode.shortName($0.0))," } ?? ""
            return TensorError("one of the variables needed for gradient computation has been modified by an inplace operation: [\(h.dtype.torchTypeName) \(formatDims(h.shape))]\(owner) is at version \(version); expected version \(expected) instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        }
        if readsInputs {
            // `where` keeps only its condition.
            var checked = inputVersions.count
            if case .primitive(.select) = operation { checked = 1 }
            for i in 0..<checked {
                guard let (c, expected) = inputVersions[i], c.value != expected else { continue }
                var producer: (String, Int)? = nil
                if case .node(let n, let k)? = edges[i] { producer = (n.name, k) }
                throw modified(saved[i], version: c.value, expected: expected, producer: producer)
            }
        }
        if readsOutputs {
            for (k, c) in outputCounters.enumerated() where c.value != 0 {
                throw modified(savedOutputs[k], version: c.value, expected: 0, producer: (name, k))
            }
        }
        if recorded {
            let x: [Operand] = zip(edges, saved).map { e, t in
                switch e {
                case .leaf(let h)?: return .tracked(h)
                case .node(let n, let k)?: return .tracked(TensorHandle(t, gradFn: n, outputIndex: k))
                case nil: return .tensor(t)
                }
            }
            // The outputs as this node's outputs (PyTorch's saved outputs keep their grad_fn): a
            // rule that reads them (tanh's 1 - y^2) is then recorded as a function of the inputs
            // without evaluating the operation again.
            guard x.contains(where: { $0.trackedHandle != nil }) else { return (x, savedOutputs.map { .tensor($0) }) }
            let y: [Operand] = savedOutputs.enumerated().map { k, t in
                t.dtype.isFloatingPoint ? .tracked(TensorHandle(t, gradFn: self, outputIndex: k)) : .tensor(t)
            }
            return (x, y)
        }
        return (saved.map { .tensor($0) }, savedOutputs.map { .tensor($0) })
    }

    /// Whether the backward reads the saved values (so a later in-place write to an input is an
    /// error, and a freed graph cannot be walked again).
    var readsSavedValues: Bool {
        let (i, o) = savedValues
        return i || o
    }

    /// `MulBackward0` as PyTorch's version error names it: `Mul`.
    static func shortName(_ name: String) -> String {
        guard let r = name.range(of: "Backward") else { return name }
        return String(name[..<r.lowerBound])
    }

    /// Whether the backward reads the inputs' and the outputs' values.
    var savedValues: (inputs: Bool, outputs: Bool) {
        switch operation {
        case .primitive(let p): return VJP.savedValues(p)
        case .program: return (true, false)
        }
    }

    /// The default name: PyTorch's name for the operation that the primitive usually stands for.
    static func defaultName(_ p: Primitive) -> String {
        func camel(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
        switch p {
        case .unary(.logistic): return "SigmoidBackward0"
        case .unary(let op): return camel(op.rawValue) + "Backward0"
        case .binary(.max): return "MaximumBackward0"
        case .binary(.min): return "MinimumBackward0"
        case .binary(let op): return camel(op.rawValue) + "Backward0"
        case .compare(let op): return camel(op.rawValue) + "Backward0"
        case .select: return "WhereBackward0"
        case .convert: return "ToCopyBackward0"
        case .stopGradient: return "DetachBackward0"
        case .broadcast: return "ExpandBackward0"
        case .reshape: return "ViewBackward0"
        case .transpose: return "PermuteBackward0"
        case .slice: return "SliceBackward0"
        case .pad: return "ConstantPadNdBackward0"
        case .concatenate: return "CatBackward0"
        case .reduce(.sum, _): return "SumBackward1"
        case .reduce(.max, _): return "AmaxBackward0"
        case .reduce(.min, _): return "AminBackward0"
        case .argReduce(let isMax, _): return isMax ? "ArgmaxBackward0" : "ArgminBackward0"
        case .dotGeneral: return "MmBackward0"
        case .identity: return "EyeBackward0"
        case .linalg(.inverse): return "LinalgInvExBackward0"
        case .linalg(.solve): return "LinalgSolveExBackward0"
        case .linalg(.determinant): return "LinalgDetBackward0"
        case .linalg(.logAbsDeterminant), .linalg(.signDeterminant): return "LinalgSlogdetBackward0"
        case .linalg(.pinv): return "LinalgPinvBackward0"
        case .linalg(.svd): return "LinalgSvdBackward0"
        }
    }
}

/// A staged program recorded as one node, shared by every call of one cached program, so that
/// its reverse-mode program is built once per set of inputs that need gradients.
public final class RecordedProgram {
    /// The optimised program that ran.
    public let program: Program
    private var reverse: [[Bool]: Program] = [:]
    private var reversePlans: [[Bool]: ExecutionPlan] = [:]

    /// Wraps a program.
    public init(_ program: Program) { self.program = program }

    /// `program.vjp(wrt:)`, optimised, made once per mask.
    func vjp(wrt: [Bool]) throws -> Program {
        if let p = reverse[wrt] { return p }
        let p = try program.vjp(wrt: wrt).optimized()
        reverse[wrt] = p
        return p
    }

    /// The evaluation plan of `vjp(wrt:)`, made once per mask (again if fusion was switched).
    func vjpPlan(wrt: [Bool]) throws -> ExecutionPlan {
        if let plan = reversePlans[wrt], plan.isFused == Fusion.isEnabled { return plan }
        let plan = ExecutionPlan(try vjp(wrt: wrt))
        reversePlans[wrt] = plan
        return plan
    }

    /// Whether a backward pass has gone through a call of this program (recomputing it from the
    /// inputs). From then on its recorded calls keep their residuals (`split`): a training loop
    /// pays the forward half's extra outputs and memory, a session that only looks at Jacobians
    /// does not (5% on `vmap(jacrev(net))` of bench/peers' medium network).
    public internal(set) var backpropagated = false

    private var splits: [[Bool]: (split: ResidualSplit, forwardPlan: ExecutionPlan, peak: Int)] = [:]
    /// Masks whose split failed (a primitive without a reverse rule): not tried again.
    private var failedSplits: Set<[Bool]> = []
    private var backwardPlans: [[Bool]: ExecutionPlan] = [:]

    /// `program.residualSplit(wrt:)`, the plan of its forward half and that plan's peak of live
    /// bytes (`Cost.peakBytes`), made once per mask (again if fusion was switched).
    public func split(wrt: [Bool]) throws -> (split: ResidualSplit, forwardPlan: ExecutionPlan, peak: Int) {
        if let s = splits[wrt], s.forwardPlan.isFused == Fusion.isEnabled { return s }
        if failedSplits.contains(wrt) { throw TensorError("residual split: the program has no reverse-mode program for these inputs") }
        let split: ResidualSplit
        do { split = try program.residualSplit(wrt: wrt) } catch { failedSplits.insert(wrt); throw error }
        let plan = ExecutionPlan(split.forward)
        let s = (split, plan, Cost.peakBytes(plan))
        splits[wrt] = s
        return s
    }

    /// The plan of the split's backward half, keeping only the cotangents of the inputs in `need`
    /// (a subset of `wrt`), made once per pair of masks.
    func backwardPlan(wrt: [Bool], need: [Bool]) throws -> ExecutionPlan {
        let key = wrt + need
        if let plan = backwardPlans[key], plan.isFused == Fusion.isEnabled { return plan }
        let backward = try split(wrt: wrt).split.backward
        let kept = wrt.indices.filter { wrt[$0] }.enumerated().filter { need[$0.element] }.map(\.offset)
        let plan = ExecutionPlan(backward.selectingOutputs(kept))
        backwardPlans[key] = plan
        return plan
    }
}

/// `[2, 3]`.
func formatDims(_ s: Shape) -> String { "[" + s.dims.map(String.init).joined(separator: ", ") + "]" }

extension DType {
    /// PyTorch's legacy type name, as `x.type()` and its autograd errors print it: `torch.FloatTensor`.
    public var torchTypeName: String {
        switch self {
        case .float32: return "torch.FloatTensor"
        case .float64: return "torch.DoubleTensor"
        case .float16: return "torch.HalfTensor"
        case .bfloat16: return "torch.BFloat16Tensor"
        case .int64: return "torch.LongTensor"
        case .int32: return "torch.IntTensor"
        case .int16: return "torch.ShortTensor"
        case .int8: return "torch.CharTensor"
        case .uint8: return "torch.ByteTensor"
        case .uint32: return "torch.UInt32Tensor"
        case .bool: return "torch.BoolTensor"
        }
    }
}
