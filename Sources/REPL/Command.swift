import Tensor
import AD
import Lang
import Printer
#if canImport(Glibc)
import Glibc
#endif

/// A REPL command: `:name argument`, listed by `:help` and completed on tab.
struct Command {
    var name: String
    var aliases: [String] = []
    var usage: String
    var summary: String
    var run: (String) throws -> Void

    /// Every command, bound to a driver.
    static func all(for d: Driver) -> [Command] {
        let interp = d.interpreter
        return [
            Command(name: "help", aliases: ["h", "?"], usage: ":help [name]", summary: "commands and builtins, or help on one name") { arg in
                if arg.isEmpty {
                    var lines = ["Commands:"]
                    // One column for the usages, as wide as the longest.
                    let column = d.commands.map(\.usage.count).max() ?? 0
                    let width = Terminal.columns(), indent = String(repeating: " ", count: column + 4)
                    for c in d.commands {
                        lines.append(TextWrap.words("  " + c.usage.padded(to: column) + "  " + c.summary, width: width, indent: indent))
                    }
                    lines.append("")
                    lines.append(interp.helpText(nil))
                    lines.append("")
                    let prose = ["Keys: TAB completes, Ctrl-R searches the history (reverse-i-search), Ctrl-C stops a line or any "
                                 + "computation, Ctrl-D leaves. Help taller than the terminal goes through $PAGER (else less -FRX; "
                                 + "PAGER=cat turns it off).",
                                 "",
"Namespaces torch., torch.func., functorch., torch.autograd.functional., torch.linalg. and torch.nn. "
                                 + "name the same builtins, so pasted lines run. JAX code runs as JAX's: import jax, "
                                 + "jax.numpy as jnp (NumPy's names and axis=/keepdims=), jax.random (JAX's keys and numbers, bit "
                                 + "for bit), grad/vmap/jacrev/jacfwd/hessian/jit with argnums=, in_axes=, static_argnums=, "
                                 + "jax.lax (scan, fori_loop, cond, ...), jax.nn, jax.tree_util; values made by JAX print as "
                                 + "JAX prints them (Array([1., 2.], dtype=float32)).",
                                 "",
                                 "Nothing ends a session: mistakes are errors with their place, one memory limit (:set memlimit) "
                                 + "covers tensors, lists, strings, file loads and traced programs (MemoryError), Ctrl-C stops any "
                                 + "computation at once, and every input is journalled in \(Journal.defaultDirectory()) until a clean exit."]
                    lines += prose.map { TextWrap.words($0, width: min(width, 100), indent: "") }
                    d.page(lines.joined(separator: "\n") + "\n")
                } else if let c = d.commands.first(where: { ":" + $0.name == arg || $0.name == arg }) {
                    d.write("\(c.usage)\n  \(c.summary)\n")
                } else {
                    d.page(interp.helpText(.string(arg)) + "\n")
                }
            },
            Command(name: "vars", usage: ":vars", summary: "variables: name, kind, shape, dtype, memory") { _ in
                let rows = interp.globals.variables.keys.sorted().filter { $0 != "_" && !($0.hasPrefix("__") && $0.hasSuffix("__")) }.map { name -> [String] in
                    let v = interp.globals.variables[name]!
                    if case .tensor(let o) = v {
                        return [name, "tensor", formatShapeList(o.shape), o.dtype.rawValue, formatBytes(o.shape.elementCount * o.dtype.byteSize)]
                    }
                    return [name, v.pyType.name, "", "", ""]
                }
                d.write(table(["name", "kind", "shape", "dtype", "memory"], rows) + "\n")
            },
            Command(name: "del", usage: ":del NAME...", summary: "delete variables") { arg in
                for name in arg.split(separator: " ").map(String.init) {
                    guard interp.globals.variables[name] != nil else {
                        throw Diagnostic(.error, "no variable named '\(name)'", range: nil)
                    }
                    interp[name] = nil
                }
            },
            Command(name: "reset", usage: ":reset", summary: "delete every variable and reseed the generator") { _ in
                interp.reset()
                d.forgetInputs()
            },
            Command(name: "load", usage: ":load FILE", summary: "run a script into this session") { arg in
                guard !arg.isEmpty else { throw Diagnostic(.error, "usage: :load FILE", range: nil) }
                let path = unquote(arg)
                guard let text = readTextFile(path) else {
                    throw Diagnostic(.error, "cannot read '\(path)': \(String(cString: strerror(errno)))", range: nil)
                }
                // A script that loads itself (directly or through others) would never end.
                let identity = realpath(path, nil).map { p in defer { free(p) }; return String(cString: p) } ?? path
                guard !d.loading.contains(identity) else {
                    throw Diagnostic(.error, "already loading '\(path)': a script cannot :load itself (directly or through the scripts it loads)", range: nil)
                }
                d.loading.append(identity)
                defer { d.loading.removeLast() }
                if d.runSource(text, file: path) != 0 {
                    throw Diagnostic(.error, "\(path) stopped at an error (variables defined before it are kept)", range: nil)
                }
            },
            Command(name: "save", usage: ":save FILE", summary: "write this session's successful inputs as a replayable script") { arg in
                try d.saveSession(to: arg, replacingAnyFile: false)
            },
            Command(name: "save!", usage: ":save! FILE", summary: ":save, replacing FILE even if :save did not write it") { arg in
                try d.saveSession(to: arg, replacingAnyFile: true)
            },
            Command(name: "history", usage: ":history [N]", summary: "the last N inputs of this session") { arg in
                let n = Int(arg) ?? 20
                let items = d.successfulInputs.suffix(n)
                let start = d.successfulInputs.count - items.count
                for (i, s) in items.enumerated() { d.write("\(String(start + i + 1).leftPadded(to: 4))  \(s)\n") }
            },
            Command(name: "quit", aliases: ["q", "exit"], usage: ":quit", summary: "leave Jacobi (Ctrl-D also works)") { _ in
                d.requestQuit()
            },
            Command(name: "trace", usage: ":trace EXPR", summary: "the optimised program EXPR runs, like jax.make_jaxpr, with FLOPs") { arg in
                let (program, names) = try interp.traceProgram(arg)
                if !names.isEmpty { d.write("# inputs: " + names.joined(separator: ", ") + "\n") }
                d.write(ProgramPrinter.text(program, plan: ExecutionPlan(program)) + "\n")
            },
            Command(name: "heat", usage: ":heat EXPR", summary: "EXPR as a signed heat map (folded to 2-D, downsampled)") { arg in
                _ = try interp.call(.function(Function(name: "heatmap", body: .builtin(interp.registry.byName["heatmap"]!))),
                                    CallArguments([try interp.evaluateSource(arg)]), range: nil)
            },
            Command(name: "spy", usage: ":spy EXPR", summary: "the non-zero pattern of EXPR (folded to 2-D)") { arg in
                _ = try interp.call(.function(Function(name: "spy", body: .builtin(interp.registry.byName["spy"]!))),
                                    CallArguments([try interp.evaluateSource(arg)]), range: nil)
            },
            Command(name: "set", usage: ":set [memlimit SIZE | fusion on|off]", summary: "show or change settings (memlimit: one limit for every allocation of the session, e.g. 4GB; fusion: elementwise chains as one loop, on by default)") { arg in
                let parts = arg.split(separator: " ", maxSplits: 1).map(String.init)
                let fusion = "fusion \(Fusion.isEnabled ? "on" : "off")\n"
                if parts.isEmpty {
                    d.write("memlimit \(formatByteCount(interp.memoryLimit))\n" + fusion)
                    return
                }
                switch (parts[0], parts.count) {
                case ("memlimit", 2):
                    guard let bytes = parseByteCount(parts[1]) else {
                        throw Diagnostic(.error, "cannot read '\(parts[1])' as a size", range: nil, hint: "e.g. 4GB, 512MB, 2e9")
                    }
                    interp.memoryLimit = bytes
                    d.write("memlimit \(formatByteCount(bytes))\n")
                case ("fusion", 2):
                    guard parts[1] == "on" || parts[1] == "off" else {
                        throw Diagnostic(.error, "fusion is 'on' or 'off', not '\(parts[1])'", range: nil, hint: ":set fusion off runs every elementwise equation on its own, to compare")
                    }
                    Fusion.isEnabled = parts[1] == "on"
                    d.write("fusion \(parts[1])\n")
                default:
                    throw Diagnostic(.error, "unknown setting '\(parts[0])'", range: nil, hint: "settings: memlimit SIZE (e.g. :set memlimit 4GB), fusion on|off")
                }
            },
            Command(name: "explain", usage: ":explain EXPR", summary: "how a Jacobian request is computed, why, its structure, and the other ways' costs") { arg in
                d.write(try Explain.explain(arg, interp) + "\n")
            },
            Command(name: "cost", usage: ":cost EXPR", summary: "FLOPs and peak memory of EXPR's program, without running it") { arg in
                try Command.cost(d, arg)
            },
            Command(name: "compare", usage: ":compare EXPR, EXPR, ...", summary: "shapes, median times, ratios, FLOPs, memory and agreement in one table") { arg in
                try Command.compare(d, arg)
            },
            Command(name: "time", usage: ":time EXPR", summary: "median run time over repeated runs, compile time apart, peak memory") { arg in
                let s = try interp.stageable(arg)
                let key = "time:\(arg)"
                _ = try interp.stager.run(key: key, s.inputs, s.function)
                let compile = interp.stager.last?.compileSeconds ?? 0
                var times: [Double] = []
                let start = now()
                repeat {
                    _ = try interp.stager.run(key: key, s.inputs, s.function)
                    times.append(interp.stager.last!.runSeconds)
                } while (now() - start < 0.3 && times.count < 200) || times.count < 3
                times.sort()
                let median = times[times.count / 2]
                let peak = interp.stager.last!.peakBytes
                let flops = Cost.flops(interp.stager.last!.program)
                if d.stableOutput {
                    d.write("median <time> over <n> runs (compile <time>), peak <memory>, \(ProgramPrinter.formatCount(flops)) flops\n")
                } else {
                    let rate = median > 0 ? Double(flops) / median / 1e9 : 0
                    d.write("median \(formatSeconds(median)) over \(times.count) runs (compile \(formatSeconds(compile))), "
                            + "peak \(formatBytes(peak)), \(ProgramPrinter.formatCount(flops)) flops (\(formatFixed(rate, 2)) GFLOP/s)\n")
                }
            },
        ]
    }
}

/// `"file"` or `'file'` or `file` -> `file`.
func unquote(_ s: String) -> String {
    if s.count >= 2, let f = s.first, let l = s.last, f == l, f == "\"" || f == "'" { return String(s.dropFirst().dropLast()) }
    return s
}

extension String {
    func padded(to n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

/// A plain text table with a header rule, as wide as the terminal allows (records when the
/// aligned table would not fit).
func table(_ header: [String], _ rows: [[String]], indent: String = "") -> String {
    TextWrap.table(header, rows, width: Terminal.columns(), indent: indent)
}

/// `1536` -> `1.5 KB`.
func formatBytes(_ n: Int) -> String {
    let d = Double(n)
    if d >= 1e9 { return formatFixed(d / 1e9, 2) + " GB" }
    if d >= 1e6 { return formatFixed(d / 1e6, 2) + " MB" }
    if d >= 1e3 { return formatFixed(d / 1e3, 1) + " KB" }
    return "\(n) B"
}

/// Seconds in the most readable unit.
func formatSeconds(_ s: Double) -> String {
    if s >= 1 { return formatSignificant(s) + " s" }
    if s >= 1e-3 { return formatSignificant(s * 1e3) + " ms" }
    if s >= 1e-6 { return formatSignificant(s * 1e6) + " µs" }
    return formatSignificant(s * 1e9) + " ns"
}

/// `x` with three significant digits (`875`, `13.6`, `1.50`, `0.00312`); large values keep
/// their integer digits, non-finite ones print as Python does.
func formatSignificant(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    let magnitude = Int(floor(log10(abs(x))))
    if magnitude >= 5 || magnitude < -4 {
        // Scientific, as Python's '%.2e'.
        let exponent = magnitude, mantissa = x / pow(10, Double(exponent))
        return formatFixed(mantissa, 2) + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    }
    let digits = 2 - magnitude
    return digits <= 0 ? String(Int(x.rounded())) : formatFixed(x, digits)
}

/// Fixed-point text with `digits` decimals.
func formatFixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
        s += "." + String(repeating: "0", count: digits)
    }
    return s
}

// MARK: - :cost and :compare

extension Command {
    /// `:cost EXPR`: FLOPs and peak memory of the optimised program as planned (fused loops
    /// included), without running it.
    static func cost(_ d: Driver, _ arg: String) throws {
        let (program, _) = try d.interpreter.traceProgram(arg)
        let plan = ExecutionPlan(program)
        let fused = plan.fusedLoopCount > 0 ? ", \(plan.fusedEquationCount) of them in \(plan.fusedLoopCount) fused loop(s)" : ""
        d.write("\(ProgramPrinter.formatCount(Cost.flops(program))) flops, peak memory \(formatBytes(Cost.peakBytes(plan))), "
                + "\(program.equations.count) equations\(fused) (estimated from the program, nothing was run)\n")
    }

    /// `:compare EXPR, EXPR, ...`: one row per expression with its result shape, median time,
    /// ratio to the fastest, FLOPs, peak memory, and whether it agrees with the first.
    static func compare(_ d: Driver, _ arg: String) throws {
        guard !arg.isEmpty else { throw Diagnostic(.error, "usage: :compare EXPR, EXPR, ...", range: nil) }
        let e = try d.interpreter.singleExpression(arg, example: ":compare jacobian(net, x), vmap(jacrev(net))(x)")
        let items: [Expr]
        if case .tuple(let xs, _) = e { items = xs } else { items = [e] }
        let chars = Array(arg.unicodeScalars)
        func text(_ x: Expr) -> String {
            String(String.UnicodeScalarView(chars[x.range.start.offset..<x.range.end.offset]))
        }
        struct Row { var text: String; var shape: Shape; var median: Double; var flops: Int; var peak: Int; var result: Tensor }
        var rows: [Row] = []
        for item in items {
            let source = text(item)
            let s = try d.interpreter.stageable(source)
            let key = "compare:\(source)"
            let first = try d.interpreter.stager.run(key: key, s.inputs, s.function)
            var times: [Double] = []
            let start = now()
            repeat {
                _ = try d.interpreter.stager.run(key: key, s.inputs, s.function)
                times.append(d.interpreter.stager.last!.runSeconds)
            } while (now() - start < 0.3 && times.count < 100) || times.count < 3
            times.sort()
            let report = d.interpreter.stager.last!
            rows.append(Row(text: source, shape: first[0].shape, median: times[times.count / 2],
                            flops: Cost.flops(report.program), peak: report.peakBytes, result: first[0].concrete!))
        }
        let fastest = rows.map(\.median).min() ?? 1
        let cells = rows.enumerated().map { i, r -> [String] in
            [r.text, formatShapeList(r.shape), d.stableOutput ? "<time>" : formatSeconds(r.median),
             d.stableOutput ? "<ratio>" : formatFixed(r.median / max(fastest, 1e-12), 1) + "x",
             ProgramPrinter.formatCount(r.flops), formatBytes(r.peak),
             i == 0 ? "(reference)" : agreement(r.result, rows[0].result)]
        }
        d.write(table(["expression", "shape", "median", "vs fastest", "flops", "peak memory", "agrees"], cells) + "\n")
    }

    /// Whether two results agree: equal shapes with allclose, or a full batch Jacobian
    /// `[B, m, B, n]` whose diagonal blocks are the other's `[B, m, n]`, or equal element counts.
    /// A disagreement says by how much: the largest absolute difference and the largest
    /// relative one (`NO (max abs 0.84, rel 1.3)`).
    static func agreement(_ a: Tensor, _ b: Tensor) -> String {
        func close(_ x: [Double], _ y: [Double]) -> Bool {
            zip(x, y).allSatisfy { p, q in abs(p - q) <= 1e-6 + 1e-4 * abs(q) }
        }
        func verdict(_ x: [Double], _ y: [Double], _ yes: String) -> String {
            if close(x, y) { return yes }
            var absolute = 0.0, relative = 0.0
            for (p, q) in zip(x, y) {
                let d = abs(p - q)
                if d.isNaN || d > absolute { absolute = d.isNaN ? .nan : d }
                if q != 0 { relative = Swift.max(relative, d / abs(q)) } else if d > 0 { relative = .infinity }
                if absolute.isNaN { break }
            }
            return "NO (max abs \(formatSignificant(absolute)), rel \(formatSignificant(relative)))"
        }
        if a.shape == b.shape { return verdict(a.doubles, b.doubles, "yes") }
        /// A full Jacobian [B, M, B, N] against per-sample blocks [B, M, N].
        func diagonal(_ full: Tensor, _ blocks: Tensor) -> String? {
            guard full.rank == 4, blocks.rank == 3 else { return nil }
            let (bsz, mm, n) = (blocks.shape[0], blocks.shape[1], blocks.shape[2])
            guard full.shape == Shape([bsz, mm, bsz, n]) else { return nil }
            let f = full.doubles
            var diag: [Double] = []
            for i in 0..<bsz { for r in 0..<mm { for c in 0..<n { diag.append(f[((i * mm + r) * bsz + i) * n + c]) } } }
            return verdict(diag, blocks.doubles, "yes (diagonal blocks)")
        }
        if let s = diagonal(a, b) ?? diagonal(b, a) { return s }
        if a.elementCount == b.elementCount { return verdict(a.doubles, b.doubles, "yes (reshaped)") }
        return "-"
    }
}

extension Driver {
    /// The first line of every script `:save` writes: it marks the file as Jacobi's own, which
    /// `:save` may replace.
    static let savedScriptMark = "# Jacobi session script, written by :save (replay it with: jacobi FILE, or :load FILE)"

    /// `:save FILE` / `:save! FILE`: the session's successful inputs, atomically. Without `!`, a
    /// file that exists and does not start with `savedScriptMark` (a script the user wrote) is
    /// not replaced.
    func saveSession(to argument: String, replacingAnyFile: Bool) throws {
        let name = replacingAnyFile ? ":save!" : ":save"
        guard !argument.isEmpty else { throw Diagnostic(.error, "usage: \(name) FILE", range: nil) }
        let path = unquote(argument)
        if !replacingAnyFile, let f = fopen(path, "r") {
            var buffer = [CChar](repeating: 0, count: 256)
            let first = fgets(&buffer, Int32(buffer.count), f).map { _ in String(cString: buffer) } ?? ""
            fclose(f)
            if !first.hasPrefix(String(Driver.savedScriptMark.prefix(24))) {
                throw Diagnostic(.error, "'\(path)' exists and was not written by :save; it is left as it is",
                                 range: nil, hint: ":save! \(path) replaces it, or choose another name")
            }
        }
        let lines = successfulInputs.filter { !$0.hasPrefix(":save") && !$0.hasPrefix(":history") && !$0.hasPrefix(":quit") }
        guard writeTextFileAtomically(path, ([Driver.savedScriptMark] + lines).joined(separator: "\n") + "\n") else {
            throw Diagnostic(.error, "cannot write '\(path)': \(String(cString: strerror(errno)))", range: nil)
        }
        write("saved \(lines.count) input(s) to \(path)\n")
    }
}
