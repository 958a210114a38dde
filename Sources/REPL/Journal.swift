import Foundation
import CStack
#if canImport(Glibc)
import Glibc
#endif

/// The journal of an interactive session: every input is appended (and flushed) as it is
/// entered, so a SIGKILL, the out-of-memory killer or a crash loses nothing the user typed.
/// A clean exit removes it. The next start finds journals whose process is gone, renames each to
/// `unfinished-<time>-<pid>.jac` (so it is reported once) and says how to replay it.
///
/// Journals live in `$XDG_STATE_HOME/jacobi/`, or `~/.local/state/jacobi/` (the XDG default).
///
/// ```swift
/// let journal = Journal(directory: Journal.defaultDirectory())
/// journal?.record("x = randn(3)")
/// journal?.close()          // clean exit: the journal goes away
/// ```
final class Journal {
    /// The journal's file.
    let path: String
    private var file: UnsafeMutablePointer<FILE>?

    /// `$XDG_STATE_HOME/jacobi` when set to an absolute path, else `~/.local/state/jacobi`.
    static func defaultDirectory(environment: Environment = .process) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state.hasSuffix("/") ? String(state.dropLast()) : state) + "/jacobi"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/jacobi"
    }

    /// Opens a new journal for this process in `directory` (made if missing); nil when it cannot
    /// be written (the session then runs without one).
    init?(directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        path = directory + "/session-\(getpid()).jac"
        guard let f = fopen(path, "w") else { return nil }
        file = f
        fputs("# Inputs of the Jacobi session of process \(getpid()), started \(Journal.timestamp()).\n", f)
        fflush(f)
    }

    /// Appends one complete input (a statement, a block or a `:command`) and flushes it.
    func record(_ input: String) {
        guard let file else { return }
        fputs(input, file)
        // A block ends with a blank line, so that the journal replays as a script.
        fputs(input.contains("\n") ? "\n\n" : "\n", file)
        fflush(file)
    }

    /// Ends the session cleanly: the journal is removed.
    func close() {
        guard let f = file else { return }
        fclose(f)
        file = nil
        unlink(path)
    }

    /// Journals in `directory` left by sessions whose process is gone: each is renamed to
    /// `unfinished-<time>-<pid>.jac` and its new path returned (so it is reported only once).
    static func leftBehind(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [String] = []
        for name in names.sorted() where name.hasPrefix("session-") && name.hasSuffix(".jac") {
            guard let pid = Int32(name.dropFirst(8).dropLast(4)), pid != getpid() else { continue }
            // Alive (or not ours to signal): another session is still using it.
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            let target = directory + "/unfinished-\(timestamp(compact: true))-\(pid).jac"
            if rename(directory + "/" + name, target) == 0 { found.append(target) }
        }
        return found
    }

    /// The local time, `2026-11-29 10:15:02` or `20261129-101502`.
    static func timestamp(compact: Bool = false) -> String {
        var t = time(nil), parts = tm()
        localtime_r(&t, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, compact ? "%Y%m%d-%H%M%S" : "%Y-%m-%d %H:%M:%S", &parts)
        return String(cString: buffer)
    }

    /// Makes a crash print one line pointing at this journal (a fatal-signal handler on an
    /// alternate stack; the previous handler, Swift's backtracer, still runs after it).
    func installCrashNotice() {
        _ = jc_install_fatal_handler("\njacobi: crashed; everything you typed this session is in \(path) "
                                     + "(replay it with: jacobi --keep-going \(path), or :load it)\n")
    }
}
