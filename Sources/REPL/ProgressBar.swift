#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on stderr for work that takes more than about a second: drawn only when
/// stderr is a terminal, redrawn at most 20 times a second, erased when the work ends.
///
/// ```swift
/// let bar = ProgressBar()
/// interpreter.progress = bar.update
/// defer { bar.finish() }
/// ```
final class ProgressBar {
    private var started: Double? = nil
    private var lastDraw = 0.0
    private var visible = false
    private let enabled = isatty(2) != 0

    /// Records progress (work done out of total); draws once a second has passed.
    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let t = monotonicSeconds()
        if started == nil { started = t }
        guard t - started! > 1, t - lastDraw > 0.05 else { return }
        lastDraw = t
        let fraction = min(1, Double(done) / Double(total))
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        fputs("\r[\(bar)] \(Int(fraction * 100))%  (Ctrl-C stops)", stderr)
        visible = true
        if done >= total { finish() }
    }

    /// Erases the bar and gets ready for the next evaluation.
    func finish() {
        if visible { fputs("\r\u{1B}[K", stderr) }
        visible = false
        started = nil
    }

    private func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
