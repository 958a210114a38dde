import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shows output longer than the terminal through a pager, as `git` and `man` do: `$PAGER` when
/// set (an empty `PAGER` or `PAGER=cat` turns paging off), else `less -FRX` (`-F`: quit at once
/// when the text fits after all, `-R`: keep colours, `-X`: leave the text on the screen), else
/// the text is written as it is. Only at an interactive prompt with stdout on a terminal:
/// scripts, pipes and transcripts are never paged.
///
/// ```swift
/// Pager.show(helpText, rows: Terminal.rows(), write: driver.write)
/// ```
enum Pager {
    /// The shell command of the pager, or nil for none.
    static func command(environment: Environment = .process) -> String? {
        if let pager = environment["PAGER"] {
            let trimmed = pager.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
        }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/less", X_OK) == 0 {
            return "less -FRX"
        }
        return nil
    }

    /// Writes `text` through the pager when it has more lines than the terminal has `rows`
    /// (less one for the prompt), else with `write`. Falls back to `write` when the pager
    /// cannot start.
    static func show(_ text: String, rows: Int, write: (String) -> Void) {
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        guard rows > 0, lines >= rows - 1, let pager = command(), run(pager, text) else {
            write(text)
            return
        }
    }

    /// Runs `/bin/sh -c pager` with `text` on its standard input and waits for it; false
    /// when it could not start (or the shell could not find or run the pager).
    private static func run(_ pager: String, _ text: String) -> Bool {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(pager), nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(fds[0])
        guard spawned == 0 else { close(fds[1]); return false }
        // A pager quit before reading everything closes the pipe: EPIPE, not a fatal SIGPIPE.
        let previous = signal(SIGPIPE, SIG_IGN)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fds[1], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        close(fds[1])
        signal(SIGPIPE, previous)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Ctrl-C in the pager is the pager's: it must not stop the next input.
        Interrupt.clear()
        // The shell's "not found" and "not executable": the text was not shown, so write it.
        let exited = status & 0x7F == 0, code = (status >> 8) & 0xFF
        return !(exited && (code == 126 || code == 127))
    }
}
