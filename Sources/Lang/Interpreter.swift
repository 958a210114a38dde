import Tensor
import AD
import Printer

/// The outcome of running a piece of source text.
public struct ExecutionResult {
    /// Errors, each rendered with its place and caret (empty on success).
    public var diagnostics: [Diagnostic] = []
    /// Whether every statement ran.
    public var succeeded: Bool { diagnostics.isEmpty }
}

/// Runs Jacobi's language: holds the session's variables, the builtins, the random generator
/// and the stager that traces, optimises, caches and evaluates transformed functions.
///
/// ```swift
/// let interp = Interpreter(output: { print($0, terminator: "") })
/// _ = interp.run("x = randn(2, 3)\nx.shape", file: "<stdin>")
/// // prints [2, 3]
/// ```
public final class Interpreter {
    /// Session variables.
    public let globals = Scope()
    /// All builtins.
    public let registry = BuiltinRegistry()
    /// Traces and runs transformed functions.
    public let stager = Stager()
    /// The random generator (`manual_seed` resets it).
    public var generator = Generator(seed: 0)
    /// Where `print` and echoed values go.
    public var output: (String) -> Void
    /// Where warnings go.
    public var warn: (String) -> Void
    /// Polled during long evaluations; true stops them.
    public var shouldStop: () -> Bool = { false } {
        didSet { stager.shouldStop = shouldStop }
    }
    /// Whether pictures (heat maps) may use ANSI colours: set by the REPL when stdout is a
    /// terminal and `NO_COLOR` is not set.
    public var useColor = false
    /// Programs whose estimated peak memory exceeds this many bytes are refused before they
    /// run (`:set memlimit`); half the machine's memory by default.
    public var memoryLimit = defaultMemoryLimit()
    /// Progress of long computations (work done, total): the REPL draws a bar on a terminal.
    public var progress: ((Int, Int) -> Void)? {
        didSet { stager.progress = progress }
    }
    /// Printing options for tensors.
    public var printOptions = PrintOptions()
    /// Changes whenever a global is assigned, so cached programs that may close over it are dropped.
    public private(set) var generation = 0
    /// Output structures of cached transformed calls.
    var structures: [StructureKey: OutputStructure] = [:]

    /// Creates an interpreter with all builtins registered.
    public init(output: @escaping (String) -> Void = { print($0, terminator: "") },
                warn: @escaping (String) -> Void = { print($0) }) {
        self.output = output
        self.warn = warn
        registerAllBuiltins()
        installMemoryGuard()
    }

    /// Parses and runs `source` (a script, or one complete interactive input). Bare expressions
    /// print their value when `echo` is on. Stops at the first error (unless `keepGoing`).
    public func run(_ source: String, file: String, echo: Bool = true, keepGoing: Bool = false,
                    willRun: ((Statement) -> Void)? = nil,
                    onDiagnostic: ((Diagnostic) -> Void)? = nil) -> ExecutionResult {
        var result = ExecutionResult() {
            didSet { if let d = result.diagnostics.last, result.diagnostics.count > oldValue.diagnostics.count { onDiagnostic?(d) } }
        }
        switch parse(source) {
        case .incomplete:
            result.diagnostics.append(incompleteInputDiagnostic(source))
        case .failure(let d):
            result.diagnostics.append(d)
        case .complete(let statements):
            for s in statements {
                willRun?(s)
                do {
                    try executeTopLevel(s, echo: echo)
                } catch let d as Diagnostic {
                    result.diagnostics.append(d)
                    if !keepGoing { return result }
                } catch let e as TensorError {
                    result.diagnostics.append(Diagnostic(.error, e.message, range: s.range, hint: e.hint))
                    if !keepGoing { return result }
                } catch let e as MemoryLimitExceeded {
                    result.diagnostics.append(Diagnostic(.error, "\(e)", range: s.range,
                                                         hint: "raise the limit with :set memlimit, or use chunk_size= on vmap/jacrev"))
                    if !keepGoing { return result }
                } catch is Interrupted {
                    // Like Python's KeyboardInterrupt: what already ran (earlier statements,
                    // finished loop iterations) keeps its effects.
                    result.diagnostics.append(Diagnostic(.error, "KeyboardInterrupt: interrupted by Ctrl-C; assignments that ran before it are kept", range: nil))
                    return result
                } catch let e as ControlFlow {
                    result.diagnostics.append(Diagnostic(.error, e.message, range: s.range))
                    if !keepGoing { return result }
                } catch {
                    result.diagnostics.append(Diagnostic(.error, "\(error)", range: s.range))
                    if !keepGoing { return result }
                }
            }
        }
        return result
    }

    func executeTopLevel(_ s: Statement, echo: Bool) throws {
        try reportingLinalgIssues { try executeStatement(s, echo: echo) }
    }

    private func executeStatement(_ s: Statement, echo: Bool) throws {
        if case .expression(let e) = s {
            let v = try evaluate(e, in: globals)
            if case .none = v { return }
            globals.variables["_"] = v
            if echo { output(echoText(v) + "\n") }
            return
        }
        try execute(s, in: globals)
    }

    /// Records that globals changed (drops cached programs that might depend on them).
    func globalsChanged() {
        generation += 1
        stager.invalidate()
        structures.removeAll()
    }

    /// Looks up a global variable.
    public subscript(name: String) -> Value? {
        get { globals.variables[name] }
        set { globals.variables[name] = newValue; globalsChanged() }
    }

    /// Removes every variable (`:reset`).
    public func reset() {
        globals.variables.removeAll()
        generator = Generator(seed: 0)
        globalsChanged()
    }
}

/// `return` inside a function body, and misuse of it.
struct ControlFlow: Error {
    var message: String
    var value: Value?
}
