#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on stderr for an input whose work takes more than a second: drawn only when
/// stderr is a terminal, redrawn at most 20 times a second, drawn full (100%) when the work is
/// done, and erased before anything else is printed (a result, a warning, an error, the
/// interrupt message) and when the input ends.
///
/// ```swift
/// let bar = ProgressBar()
/// interpreter.progress = bar.update
/// bar.begin()                  // an input starts: the second is counted from here
/// run(input)                   // outputs call bar.erase() first
/// bar.finish()
/// ```
final class ProgressBar {
    private var started = 0.0
    private var lastDraw = 0.0
    private var visible = false
    private let enabled: Bool
    /// Where the bar is drawn (stderr).
    private let draw: (String) -> Void
    /// The clock, in seconds.
    private let now: () -> Double

    /// A bar on stderr if it is a terminal (`enabled`, `draw` and `now` for tests).
    init(enabled: Bool = isatty(2) != 0, draw: @escaping (String) -> Void = { fputs($0, stderr) },
         now: @escaping () -> Double = ProgressBar.monotonicSeconds) {
        self.enabled = enabled
        self.draw = draw
        self.now = now
        started = now()
    }

    /// An input starts: the bar may appear once a second has passed from now.
    func begin() {
        erase()
        started = now()
        lastDraw = 0
    }

    /// Records progress (work done out of total); draws once a second has passed since
    /// `begin`, and always draws the last, full state of a bar that is showing or due.
    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let t = now()
        let complete = done >= total
        guard t - started > 1, complete || t - lastDraw > 0.05 else { return }
        lastDraw = t
        let fraction = min(1, Double(done) / Double(total))
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        draw("\r[\(bar)] \(Int(fraction * 100))%  (Ctrl-C stops)")
        visible = true
    }

    /// Erases the bar if it shows (called before any output, so nothing is printed after it).
    func erase() {
        if visible { draw("\r\u{1B}[K") }
        visible = false
    }

    /// The input ended: erase the bar.
    func finish() { erase() }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
