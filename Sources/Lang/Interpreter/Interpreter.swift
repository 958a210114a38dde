import Tensor
import AD
import NN
import Printer

/// The outcome of running a piece of source text.
public struct ExecutionResult {
    /// Errors, each rendered with its place and caret (empty on success).
    public var diagnostics: [Diagnostic] = []
    /// Set when the code raised `SystemExit` (`sys.exit(code)`): the status to end with.
    public var exitStatus: Int32?
    /// Whether every statement ran.
    public var succeeded: Bool { diagnostics.isEmpty }
}

/// Runs Jacobi's language, Python as PyTorch users write it: holds the session's variables, the
/// builtins, the random generators, the imported modules and the stager that traces, optimises,
/// caches and evaluates transformed functions.
///
/// ```swift
/// let interp = Interpreter(output: { print($0, terminator: "") })
/// _ = interp.run("x = randn(2, 3)\nx.shape", file: "<stdin>")
/// // prints torch.Size([2, 3])
/// ```
public final class Interpreter {
    /// Session variables (the `__main__` module's globals).
    public let globals = Scope()
    /// The torch builtins (functions and tensor methods).
    public let registry = BuiltinRegistry()
    /// Python's builtins (`print`, `len`, `int`, `Exception`, ...), found after globals.
    var pythonBuiltins: [String: Value] = [:]
    /// Traces and runs transformed functions.
    public let stager = Stager()
    /// The random generator of torch (`manual_seed` resets it).
    public var generator = Generator(seed: 0)
    /// The generator of Python's `random` module.
    var pythonRandom = PythonRandom(seed: 0)
    /// Where `print` and echoed values go.
    public var output: (String) -> Void
    /// Where warnings go.
    public var warn: (String) -> Void
    /// Where `print(..., file=sys.stderr)` goes.
    public var errorOutput: (String) -> Void = { s in fputsStandardError(s) }
    /// Polled during long evaluations; true stops them.
    public var shouldStop: () -> Bool = { false } {
        didSet {
            stager.shouldStop = shouldStop
            // Kernels (split GEMMs, batched LAPACK, file reads) and backward() poll the same check.
            Cancellation.shouldStop = shouldStop
            Autograd.shouldStop = shouldStop
        }
    }
    /// Whether pictures (heat maps) may use ANSI colours: set by the REPL when stdout is a
    /// terminal, `NO_COLOR` is not set and `TERM` is not `dumb`.
    public var useColor = false
    /// The output's width in columns, for pictures: the REPL asks the terminal, else `COLUMNS`,
    /// else 80.
    public var terminalColumns: () -> Int = { 80 }
    /// Programs whose estimated peak memory exceeds this many bytes are refused before they
    /// run (`:set memlimit`); half the machine's memory by default.
    public var memoryLimit = defaultMemoryLimit() {
        didSet { Autograd.memoryLimit = memoryLimit; MemoryBudget.limit = memoryLimit }
    }
    /// Progress of long computations (work done, total): the REPL draws a bar on a terminal.
    public var progress: ((Int, Int) -> Void)? {
        didSet { stager.progress = progress }
    }
    /// Printing options for tensors (`torch.set_printoptions`).
    public var printOptions = PrintOptions()
    /// `jax.config.update("jax_enable_x64", True)`: JAX's arrays keep 64-bit types (else int64
    /// becomes int32 and float64 float32, as in JAX).
    public var jaxX64 = false
    /// Mask figures that change from run to run (object addresses, benchmark times) in what is
    /// printed, for golden transcripts (`--stable-output`).
    public var stableOutput = false {
        didSet { MemoryBudget.stableFigures = stableOutput }
    }
    /// Changes whenever cached programs are dropped (a global they read was assigned, a module
    /// changed), so structures cached with the old generation are not reused.
    public private(set) var generation = 0
    /// The names looked up while the cached programs were traced.
    var namesReadByCachedPrograms = Set<String>()
    /// Output structures of cached transformed calls.
    var structures: [StructureKey: OutputStructure] = [:]
    /// Imported modules by dotted name (`sys.modules`).
    var modules: [String: Namespace] = [:]
    /// `sys.argv`.
    public var argv: [String] = [""]
    /// The source text being run (user functions switch to their own while they run).
    var currentSource = SourceText(file: "<stdin>", text: "")
    /// Exceptions being handled by `except` blocks, innermost last (a bare `raise` re-raises the last).
    var handledExceptions: [PythonError] = []
    /// Whether gradients are recorded (`torch.no_grad()`, `set_grad_enabled`).
    public var gradEnabled: Bool {
        get { Autograd.isEnabled }
        set { Autograd.isEnabled = newValue }
    }
    /// Whether `torch.inference_mode()` is on.
    public var inferenceMode = false
    /// `sys.getrecursionlimit()`.
    var recursionLimit = 1000
    /// Variables that `:reset` deleted, so that using one says so instead of guessing a name.
    var namesDeletedByReset: Set<String> = []
    /// Current depth of user-function calls.
    var callDepth = 0
    /// A sandbox (for fuzzing): when set, files may be written only below this directory (the
    /// working directory), `time.sleep` returns at once and `input()` reads nothing.
    public var sandboxDirectory: String?

    /// Refuses a write to `path` outside the sandbox.
    func checkWritable(_ path: String) throws {
        guard let root = sandboxDirectory else { return }
        let absolute = path.hasPrefix("/") ? path : root + "/" + path
        guard absolute.hasPrefix(root + "/"), !absolute.split(separator: "/").contains("..") else {
            throw PythonError(.PermissionError, arguments: [.int(13), .string("Permission denied (sandbox)")])
        }
    }

    /// Whether bare expressions in the blocks of the running top-level statement are echoed.
    var echoesBlocks = false
    /// Objects whose repr is being built (a list that contains itself prints `[...]`).
    var reprInProgress: Set<ObjectIdentifier> = []
    /// The innermost scope running (what `dir()`, `locals()` and `eval` see).
    lazy var currentScope: Scope = globals
    /// Python's builtins with their signatures, for `:help python`.
    var pythonBuiltinDocs: [PythonBuiltinDoc] = []

    /// Breaks the reference cycles between the interpreter and its builtins, globals and
    /// modules, so that it is freed. A REPL has one interpreter per process and never needs
    /// this; harnesses that make one per input (the fuzzers, the program generator) call it
    /// when done. The interpreter cannot run anything afterwards.
    public func dismantle() {
        // The interrupt check is shared with the kernels (Cancellation): do not leave ours there.
        shouldStop = { false }
        registry.removeAll()
        pythonBuiltins = [:]
        globals.variables.removeAll()
        modules = [:]
        structures = [:]
        handledExceptions = []
    }

    /// Creates an interpreter with all builtins registered.
    public init(output: @escaping (String) -> Void = { print($0, terminator: "") },
                warn: @escaping (String) -> Void = { print($0) }) {
        self.output = output
        self.warn = warn
        registerAllBuiltins()
        registerPythonBuiltins()
        installMemoryGuard()
        Autograd.memoryLimit = memoryLimit
        MemoryBudget.limit = memoryLimit
        MemoryBudget.resetBaseline()
        globals.variables["__name__"] = .string("__main__")
        globals.variables["__doc__"] = Value.none
    }

    /// Parses and runs `source` (a script, or one complete interactive input). Bare expressions
    /// print their value when `echo` is on. Stops at the first error (unless `keepGoing`) and at
    /// `sys.exit`.
    public func run(_ source: String, file: String, echo: Bool = true, keepGoing: Bool = false,
                    willRun: ((Statement) -> Void)? = nil,
                    onDiagnostic: ((Diagnostic) -> Void)? = nil) -> ExecutionResult {
        var result = ExecutionResult()
        func report(_ d: Diagnostic) {
            result.diagnostics.append(d)
            onDiagnostic?(d)
        }
        let text = SourceText(file: file, text: source)
        switch parse(source) {
        case .incomplete:
            report(incompleteInputDiagnostic(source))
        case .failure(let d):
            report(d)
        case .complete(let statements):
            let saved = currentSource
            currentSource = text
            defer { currentSource = saved }
            for s in statements {
                willRun?(s)
                do {
                    try executeTopLevel(s, echo: echo)
                } catch {
                    let e = pythonError(from: error).placed(s.range, text)
                    if e.isInstance(of: .SystemExit) {
                        let (status, message) = exitStatus(e)
                        if let message { errorOutput(message + "\n") }
                        result.exitStatus = status
                        return result
                    }
                    report(diagnostic(for: e))
                    if e.isInstance(of: .KeyboardInterrupt) || !keepGoing { return result }
                }
            }
        }
        return result
    }

    /// Runs one top-level statement: a bare expression's value is echoed and kept in `_`.
    func executeTopLevel(_ s: Statement, echo: Bool) throws {
        try reportingLinalgIssues {
            if case .expression(let e) = s {
                let v = try evaluate(e, in: globals)
                if case .none = v { return }
                globals.variables["_"] = v
                if echo { output(echoText(v) + "\n") }
                return
            }
            // As Python's interactive mode: bare expressions inside the statement's blocks (a
            // `for`, `if`, `with` ...) are echoed too, but not inside functions it calls.
            echoesBlocks = echo
            defer { echoesBlocks = false }
            switch try execute(s, in: globals) {
            case .normal, .breakLoop, .continueLoop: break
            case .returned: break
            }
        }
    }

    /// Echoes the value of a bare expression met in a top-level statement's blocks.
    func echoInBlock(_ v: Value, in scope: Scope) {
        guard echoesBlocks, scope === globals, callDepth == 0, !v.isNone else { return }
        globals.variables["_"] = v
        output(echoText(v) + "\n")
    }

    /// Records that globals changed (drops cached programs that might depend on them).
    func globalsChanged() {
        generation += 1
        stager.invalidate()
        structures.removeAll()
        namesReadByCachedPrograms.removeAll()
    }

    /// Records that the global `name` was bound or deleted: cached programs are dropped only when
    /// one of them read that name while it was traced, so `J = f(x)` line after line keeps
    /// `f`'s program (assigning `J` changes nothing `f` reads).
    func globalRebound(_ name: String) {
        if namesReadByCachedPrograms.contains(name) { globalsChanged() }
    }

    /// Notes a name looked up while a program is traced (any scope: an over-approximation of the
    /// globals it reads).
    @inline(__always)
    func noteTracedRead(_ name: String) {
        if Builder.isTracing { namesReadByCachedPrograms.insert(name) }
    }

    /// Looks up a global variable.
    public subscript(name: String) -> Value? {
        get { globals.variables[name] }
        set { globals.variables[name] = newValue; globalsChanged() }
    }

    /// Removes every variable (`:reset`).
    public func reset() {
        namesDeletedByReset.formUnion(globals.variables.keys.filter { !($0.hasPrefix("__") && $0.hasSuffix("__")) })
        globals.variables.removeAll()
        globals.variables["__name__"] = .string("__main__")
        generator = Generator(seed: 0)
        pythonRandom = PythonRandom(seed: 0)
        gradEnabled = true
        globalsChanged()
    }

    // MARK: - Errors

    /// Any error as a Python exception: tensor-library errors with PyTorch's class, the memory
    /// guard's refusal as `MemoryError`, Ctrl-C as `KeyboardInterrupt`, syntax errors of code run
    /// by `eval`/`exec`/`Timer` as `SyntaxError`.
    public func pythonError(from error: Error) -> PythonError {
        switch error {
        case let e as PythonError:
            return e
        case let e as TensorError:
            return PythonError(ExceptionKind(e.kind), e.message, hint: e.hint)
        case let e as MemoryLimitExceeded:
            return PythonError(.MemoryError, "\(e)", hint: "raise the limit with :set memlimit, or use chunk_size= on vmap/jacrev")
        case is Interrupted:
            return PythonError(.KeyboardInterrupt, arguments: [])
        case let d as Diagnostic:
            return PythonError(d.severity == .error && d.message.hasPrefix("syntax") ? .SyntaxError : .RuntimeError,
                               d.message, at: d.range, hint: d.hint)
        default:
            return PythonError(.RuntimeError, "\(error)")
        }
    }

    /// The report of an uncaught exception: `Class: message` at its place, with its hint.
    public func diagnostic(for e: PythonError) -> Diagnostic {
        var text = (try? strOf(.instance(e.exception))) ?? e.message
        if e.isInstance(of: .KeyboardInterrupt) {
            text = "interrupted by Ctrl-C; assignments that ran before it are kept"
        }
        var d = Diagnostic(.error, text.isEmpty ? e.typeName : "\(e.typeName): \(text)", range: e.range, hint: e.hint)
        if let s = e.source { d.source = (s.file, s.text) }
        return d
    }

    /// The exit status and message of `SystemExit(code)`, as Python computes them.
    func exitStatus(_ e: PythonError) -> (Int32, String?) {
        guard let code = e.arguments.first else { return (0, nil) }
        switch code {
        case .none: return (0, nil)
        case .int(let i): return (Int32(truncatingIfNeeded: i), nil)
        case .bool(let b): return (b ? 1 : 0, nil)
        case .string, .float, .bigInt, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            return (1, str(code))
        }
    }
}

/// Writes to standard error.
func fputsStandardError(_ s: String) {
    #if canImport(Glibc)
    fputs(s, stderr)
    #endif
}

#if canImport(Glibc)
import Glibc
#endif
