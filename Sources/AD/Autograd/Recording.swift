import Tensor

/// PyTorch's imperative autograd on the AD core: the grad mode, and the recording of operations
/// on tensors that require grad. `bind` calls `record` for a primitive with a tracked operand;
/// the `Stager` calls `record(program:...)` for a staged call whose inputs include one.
///
/// ```swift
/// x.requiresGrad = true
/// let y = try x.operand.tanh()                 // recorded
/// Autograd.isEnabled = false                   // torch.no_grad()
/// let z = try x.operand.tanh()                 // not recorded
/// ```
public enum Autograd {
    /// Whether operations on tensors that require grad are recorded (`torch.is_grad_enabled()`).
    public nonisolated(unsafe) static var isEnabled = true

    /// Bytes the live recorded graph holds (saved inputs and outputs), which count against the
    /// memory limit.
    public internal(set) nonisolated(unsafe) static var liveGraphBytes = 0
    /// The memory limit for the recorded graph (the session's `:set memlimit`).
    public nonisolated(unsafe) static var memoryLimit = Int.max

    /// Refuses a recording that would take the graph over the memory limit.
    static func checkGraphMemory(adding bytes: Int) throws {
        guard liveGraphBytes + bytes > memoryLimit else { return }
        throw TensorError("the recorded autograd graph would hold \(liveGraphBytes + bytes) bytes, over the memory limit of \(memoryLimit) bytes",
                          hint: "call backward() (which frees the graph), compute values you do not differentiate under torch.no_grad(), or raise the limit with :set memlimit",
                          kind: .memory)
    }

    /// The serial of the newest node, so that a caller can tell which nodes an operation made.
    public static var newestSerial: Int { lastSerial }
    nonisolated(unsafe) static var lastSerial = 0

    /// Evaluates `primitive` on the operands' current values and, when grad mode is on and an
    /// operand requires grad, records a node; floating-point results then require grad.
    static func record(_ primitive: Primitive, _ operands: [Operand]) throws -> [Operand] {
        let values = try operands.map { try $0.requireConcrete("an operation") }
        let outputs = try Eval.apply(primitive, values)
        guard willRecord(operands), outputs.contains(where: { $0.dtype.isFloatingPoint }) else {
            return outputs.map { .tensor($0) }
        }
        let bytes = GradNode.bytes(values, outputs)
        try checkGraphMemory(adding: bytes)
        let node = GradNode(.primitive(primitive), inputs: operands, saved: values, outputs: outputs, bytes: bytes, name: nil)
        return wrap(outputs, node)
    }

    /// Records a staged program that ran on `inputs` (the declared arguments, then the tracked
    /// tensors it captured) and produced `outputs`. Returns the outputs, tracked when recorded.
    /// With `residuals` (the forward half of `program.split(wrt:)` ran and returned them), the node
    /// keeps them and its backward runs only the backward half.
    public static func record(program: RecordedProgram, inputs: [Operand], values: [Tensor], outputs: [Tensor],
                              name: String?, residuals: GradNode.Residuals? = nil) throws -> [Operand] {
        guard willRecord(inputs), outputs.contains(where: { $0.dtype.isFloatingPoint }) else {
            return outputs.map { .tensor($0) }
        }
        let bytes = GradNode.bytes(values, outputs) + (residuals?.bytes ?? 0)
        try checkGraphMemory(adding: bytes)
        let node = GradNode(.program(program), inputs: inputs, saved: values, outputs: outputs, bytes: bytes, name: name,
                            residuals: residuals)
        return wrap(outputs, node)
    }

    /// Whether an operation on `inputs` is recorded: grad mode is on and one of them requires grad.
    public static func willRecord(_ inputs: [Operand]) -> Bool {
        isEnabled && inputs.contains(where: { $0.trackedHandle?.requiresGrad == true })
    }

    private static func wrap(_ outputs: [Tensor], _ node: GradNode) -> [Operand] {
        outputs.enumerated().map { i, t in
            guard t.dtype.isFloatingPoint else { return .tensor(t) }
            let h = TensorHandle(t, gradFn: node, outputIndex: i)
            node.outputCounters.append(h.versionCounter)
            return .tracked(h)
        }
    }

    /// Runs `body` with grad mode set to `enabled`, restoring the previous mode afterwards.
    public static func withMode<T>(_ enabled: Bool, _ body: () throws -> T) rethrows -> T {
        let saved = isEnabled
        isEnabled = enabled
        defer { isEnabled = saved }
        return try body()
    }
}
