#if canImport(Glibc)
import Glibc
#endif

/// Keeps what the user types while a computation runs, Ctrl-D included.
///
/// Between prompts the terminal is in canonical (line) mode, where a Ctrl-D typed during a
/// computation is not a byte but an end-of-line marker that the kernel turns into a NUL when
/// libedit switches to raw mode for the next prompt: the Ctrl-D was lost and the REPL waited.
/// While `run` runs its body the terminal is in non-canonical mode (echo and signals as before,
/// so Ctrl-C still interrupts): every key, Ctrl-D (byte 4) included, waits in the input queue
/// as typed, and the next prompt reads it, so a Ctrl-D typed during work ends the session when
/// the work ends, as in Python.
///
/// ```swift
/// Typeahead.run(fd: STDIN_FILENO) { interpreter.run(text, file: "<input>") }
/// ```
enum Typeahead {
    /// Runs `body` with `fd` (a terminal) in non-canonical mode; other descriptors unchanged.
    static func run<R>(fd: Int32, _ body: () throws -> R) rethrows -> R {
        var saved = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return try body() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        _ = tcsetattr(fd, TCSANOW, &raw)
        defer { _ = tcsetattr(fd, TCSANOW, &saved) }
        return try body()
    }
}
