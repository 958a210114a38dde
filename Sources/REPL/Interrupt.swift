import CEditLine

/// Ctrl-C as a flag that long computations poll, instead of a signal that kills the process.
///
/// ``install()`` replaces the default SIGINT action with a handler that only sets a flag
/// (`sigaction` without `SA_RESTART`, so a blocked read returns `EINTR`). At the prompt,
/// ``LineEditor/readLine(prompt:)`` turns Ctrl-C into ``LineEditor/Input/interrupted``;
/// during evaluation, code checks ``pending`` and stops early:
///
/// ```swift
/// Interrupt.install()
/// Interrupt.clear()
/// for step in 0..<steps {
///     if Interrupt.pending { Interrupt.clear(); throw EvaluationError.interrupted }
///     work(step)
/// }
/// ```
public enum Interrupt {
    /// Installs the flag-setting SIGINT handler; calling it again changes nothing.
    ///
    /// ``LineEditor/init(programName:historyPath:)`` calls it, so a REPL rarely needs to.
    /// Returns `false` when `sigaction` failed (SIGINT then keeps its previous action).
    ///
    /// ```swift
    /// Interrupt.install()   // from now on Ctrl-C sets Interrupt.pending
    /// ```
    @discardableResult
    public static func install() -> Bool {
        jc_install_sigint_handler() == 0
    }

    /// Whether Ctrl-C (SIGINT) arrived since the last ``clear()``.
    ///
    /// Reading it is cheap (one load of a `sig_atomic_t`): poll it in inner loops.
    ///
    /// ```swift
    /// while !Interrupt.pending && !converged { iterate() }
    /// ```
    public static var pending: Bool {
        jc_interrupted() != 0
    }

    /// Forgets an earlier Ctrl-C, typically before starting an evaluation.
    ///
    /// ```swift
    /// Interrupt.clear()
    /// let value = try evaluate(statement)
    /// ```
    public static func clear() {
        jc_clear_interrupt()
    }
}
