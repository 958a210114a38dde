import Tensor
import AD
import Foundation

// `torch.utils.benchmark.Timer(stmt, setup, globals, label, sub_label, description)` with
// `timeit(number)`, `blocked_autorange(min_run_time)` and `adaptive_autorange`, and the
// `Measurement` they return, printed as PyTorch prints it. The statement runs through the
// interpreter, in a scope made of `globals` (as PyTorch runs it through Python).

/// A Timer: the code and where it runs.
final class TimerPayload {
    let stmt: String
    let setup: String
    let label: String?
    let subLabel: String?
    let description: String?
    let numThreads: Int
    let scope: Scope
    var compiled: [Statement]?
    var setupDone = false

    init(stmt: String, setup: String, label: String?, subLabel: String?, description: String?, numThreads: Int, scope: Scope) {
        self.stmt = stmt; self.setup = setup; self.label = label; self.subLabel = subLabel
        self.description = description; self.numThreads = numThreads; self.scope = scope
    }

    /// PyTorch's `TaskSpec.title`.
    var title: String {
        if let label { return label + (subLabel.map { ": \($0)" } ?? "") }
        if !stmt.contains("\n") { return stmt + (subLabel.map { ": \($0)" } ?? "") }
        return "stmt:" + (subLabel.map { " (\($0))" } ?? "") + "\n" + indented(stmt)
    }

    /// PyTorch's `TaskSpec.summarize()`.
    var summary: String {
        let setupText = setup == "pass" || setup.isEmpty ? "" : (setup.contains("\n") ? "setup:\n" + indented(setup) : "setup: " + setup)
        return [title, description ?? "", setupText].filter { !$0.isEmpty }.map { $0.contains("\n") ? $0 + "\n" : $0 }.joined(separator: "\n")
    }
}

private func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
}

/// A Measurement: the raw times of runs of `numberPerRun` statements each.
struct MeasurementPayload {
    let numberPerRun: Int
    let rawTimes: [Double]
    let task: TimerPayload

    var times: [Double] { rawTimes.map { $0 / Double(numberPerRun) } }

    /// torch.quantile's linear interpolation on the sorted per-run times.
    func quantile(_ q: Double) -> Double {
        let s = times.sorted()
        guard !s.isEmpty else { return .nan }
        let position = q * Double(s.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (position - Double(lo))
    }

    var median: Double { quantile(0.5) }
    var mean: Double { times.reduce(0, +) / Double(max(1, times.count)) }
    var iqr: Double { quantile(0.75) - quantile(0.25) }

    /// PyTorch's `select_unit`.
    static func unit(_ t: Double) -> (String, Double) {
        let k = Int((log10(t) / 3).rounded(.down))
        switch k {
        case -3: return ("ns", 1e-9)
        case -2: return ("us", 1e-6)
        case -1: return ("ms", 1e-3)
        default: return ("s", 1)
        }
    }

    /// The text after the object line of PyTorch's `Measurement.__repr__`.
    var reportLines: [String] {
        let n = times.count
        let (unit, scale) = MeasurementPayload.unit(median)
        func f(_ x: Double) -> String { cFormat("%.2f", x / scale) }
        var lines = task.summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.append("  " + (n > 1 ? "Median: " : "") + "\(f(median)) \(unit)")
        if n >= 4 { lines.append("  IQR:    \(f(iqr)) \(unit) (\(f(quantile(0.25))) to \(f(quantile(0.75))))") }
        lines.append("  \(n) measurement\(n > 1 ? "s" : ""), \(numberPerRun) runs \(n > 1 ? "per measurement," : ",") \(task.numThreads) thread\(task.numThreads > 1 ? "s" : "")")
        if n >= 4, median > 0 {
            let relative = iqr / median
            if relative >= 0.1 {
                lines.append("  WARNING: Interquartile range is \(cFormat("%.1f", relative * 100))% of the median measurement.")
                lines.append("           " + (relative >= 0.25 ? "This suggests significant environmental influence." : "This could indicate system fluctuation."))
            }
        }
        return lines
    }
}

extension Interpreter {
    func makeBenchmarkModule() -> Namespace {
        Namespace(name: "torch.utils.benchmark", attributes: [
            ("Timer", .type(BuiltinTypes.timer)),
            ("Measurement", .type(BuiltinTypes.measurement)),
        ])
    }

    /// Runs the statement `number` times on at most the Timer's `num_threads` threads (as
    /// PyTorch's Timer sets its thread pool); the seconds it took.
    func timeStatement(_ t: TimerPayload, _ number: Int) throws -> Double {
        try BLASInfo.withThreads(try Interpreter.threadCount(t.numThreads)) { try runTimed(t, number) }
    }

    /// A number of threads for `torch.set_num_threads` or a Timer's `num_threads`, with PyTorch's
    /// error for one below 1.
    static func threadCount(_ n: Int) throws -> Int {
        guard n > 0 else { throw PythonError(.RuntimeError, "set_num_threads expects a positive integer") }
        return n
    }

    private func runTimed(_ t: TimerPayload, _ number: Int) throws -> Double {
        if !t.setupDone {
            try runSnippet(t.setup, in: t.scope, what: "setup")
            t.setupDone = true
        }
        if t.compiled == nil {
            switch parse(t.stmt) {
            case .complete(let s): t.compiled = s
            case .incomplete: throw PythonError(.SyntaxError, "Timer stmt is incomplete: \(t.stmt)")
            case .failure(let d): throw PythonError(.SyntaxError, "Timer stmt: \(d.message)", hint: d.hint)
            }
        }
        let body = t.compiled!
        let saved = currentSource
        currentSource = SourceText(file: "<timeit-src>", text: t.stmt)
        defer { currentSource = saved }
        let start = now()
        for _ in 0..<number {
            if shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: []) }
            _ = try execute(body, in: t.scope)
        }
        return max(now() - start, 1e-9)
    }

    /// Runs a piece of code (a Timer's setup) in a scope.
    func runSnippet(_ code: String, in scope: Scope, what: String) throws {
        guard code != "pass", !code.isEmpty else { return }
        switch parse(code) {
        case .complete(let s):
            let saved = currentSource
            currentSource = SourceText(file: "<timeit-\(what)>", text: code)
            defer { currentSource = saved }
            _ = try execute(s, in: scope)
        case .incomplete: throw PythonError(.SyntaxError, "Timer \(what) is incomplete")
        case .failure(let d): throw PythonError(.SyntaxError, "Timer \(what): \(d.message)")
        }
    }
}

extension BuiltinTypes {
    static let timer: TypeObject = {
        func payload(_ a: BoundArguments) -> TimerPayload? {
            if case .instance(let i)? = a.value("self") { return i.payload as? TimerPayload }
            return nil
        }
        let t = TypeObject(name: "Timer", moduleName: "torch.utils.benchmark.utils.timer", base: object) { interp, cls, args in
            let v = try Signature(name: "Timer", spec: ["stmt='pass'", "setup='pass'", "global_setup=''", "timer=None", "globals=None",
                                                     "label=None", "sub_label=None", "description=None", "env=None", "num_threads=1",
                                                     "language='python'"]).bind(args)
            func text(_ x: Value, _ name: String) throws -> String? {
                if case .none = x { return nil }
                guard case .string(let s) = x else { throw PythonError(.ValueError, "Currently only a `str` \(name) is supported.") }
                return s
            }
            func dedented(_ s: String) -> String {
                var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.first == "" { lines.removeFirst() }
                let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                    .map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
                let out = lines.map { String($0.dropFirst(min(indent, $0.count))) }.joined(separator: "\n")
                var trimmed = out
                while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
                return trimmed
            }
            let scope = Scope(parent: nil, kind: .module)
            scope.variables["torch"] = .namespace(interp.module(named: "torch")!)
            if case .dict(let d) = v[4] {
                for (k, x) in d.pairs { if case .string(let name) = k { scope.variables[name] = x } }
            }
            let payload = TimerPayload(stmt: dedented(try text(v[0], "stmt") ?? "pass"), setup: dedented(try text(v[1], "setup") ?? "pass"),
                                       label: try text(v[5], "label"), subLabel: try text(v[6], "sub_label"),
                                       description: try text(v[7], "description"), numThreads: try interp.indexValue(v[9]) ?? 1, scope: scope)
            return .instance(Instance(cls: cls, payload: payload))
        }
        t.method("timeit", ["number=1000000"]) { a in
            guard let p = payload(a) else { return .none }
            let number = try a.int("number")
            _ = try a.interpreter.timeStatement(p, max(number / 100, 2))
            let seconds = try a.interpreter.timeStatement(p, number)
            return .instance(Instance(cls: measurement, payload: MeasurementPayload(numberPerRun: number, rawTimes: [seconds], task: p)))
        }
        func estimateBlockSize(_ interp: Interpreter, _ p: TimerPayload, _ minRunTime: Double) throws -> Int {
            let overheads = try (0..<5).map { _ in try interp.timeStatement(p, 0) }.sorted()
            let overhead = overheads[2]
            var number = 1
            while true {
                let taken = try interp.timeStatement(p, number)
                if overhead / taken <= 1e-4 && taken >= minRunTime / 1000 { break }
                if taken > minRunTime { break }
                if number * 10 > 2147483647 { break }
                number *= 10
            }
            return number
        }
        t.method("blocked_autorange", ["callback=None", "min_run_time=0.2"]) { a in
            guard let p = payload(a) else { return .none }
            let minRunTime = try a.double("min_run_time")
            let number = try estimateBlockSize(a.interpreter, p, minRunTime)
            var times: [Double] = [], total = 0.0
            while total < minRunTime {
                let spent = try a.interpreter.timeStatement(p, number)
                times.append(spent)
                total += spent
                if a.has("callback") { _ = try a.interpreter.call(a.value("callback")!, CallArguments([.int(number), .float(spent)]), range: a.range) }
            }
            return .instance(Instance(cls: measurement, payload: MeasurementPayload(numberPerRun: number, rawTimes: times, task: p)))
        }
        t.method("adaptive_autorange", ["threshold=0.1", "|min_run_time=0.01", "|max_run_time=10.0", "|callback=None"]) { a in
            guard let p = payload(a) else { return .none }
            let number = try estimateBlockSize(a.interpreter, p, 0.05)
            let threshold = try a.double("threshold"), minRunTime = try a.double("min_run_time"), maxRunTime = try a.double("max_run_time")
            var times: [Double] = [], total = 0.0
            while true {
                let spent = try a.interpreter.timeStatement(p, number)
                times.append(spent)
                total += spent
                if times.count > 3 && total > minRunTime {
                    let m = MeasurementPayload(numberPerRun: number, rawTimes: times, task: p)
                    if m.iqr / m.median < threshold { break }
                }
                if total > maxRunTime { break }
            }
            return .instance(Instance(cls: measurement, payload: MeasurementPayload(numberPerRun: number, rawTimes: times, task: p)))
        }
        return t
    }()

    static let measurement: TypeObject = {
        func payload(_ v: Value) -> MeasurementPayload? {
            if case .instance(let i) = v { return i.payload as? MeasurementPayload }
            return nil
        }
        var s = Slots()
        s.repr = { interp, v in
            guard let m = payload(v) else { return "" }
            var lines = m.reportLines
            if interp.stableOutput {
                // Times, counts and the IQR warnings change from run to run: a fixed layout with
                // the figures masked, for golden transcripts.
                let summary = m.task.summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines = summary + ["  Median: <time>", "  <n> measurements, <n> runs per measurement, \(m.task.numThreads) thread\(m.task.numThreads > 1 ? "s" : "")"]
            }
            return (["<torch.utils.benchmark.utils.common.Measurement object at \(interp.address(of: v))>"] + lines).joined(separator: "\n")
        }
        s.getAttribute = { _, v, name in
            guard let m = payload(v) else { return nil }
            switch name {
            case "median": return .float(m.median)
            case "mean": return .float(m.mean)
            case "iqr": return .float(m.iqr)
            case "times": return .list(m.times.map { .float($0) })
            case "raw_times": return .list(m.rawTimes.map { .float($0) })
            case "number_per_run": return .int(m.numberPerRun)
            case "title": return .string(m.task.title)
            case "stmt": return .string(m.task.stmt)
            case "setup": return .string(m.task.setup)
            case "label": return m.task.label.map { .string($0) } ?? Value.none
            case "sub_label": return m.task.subLabel.map { .string($0) } ?? Value.none
            case "description": return m.task.description.map { .string($0) } ?? Value.none
            case "num_threads": return .int(m.task.numThreads)
            case "has_warnings": return .bool(m.times.count >= 4 && m.iqr / m.median >= 0.1)
            default: return nil
            }
        }
        let t = TypeObject(name: "Measurement", moduleName: "torch.utils.benchmark.utils.common", base: object, slots: s)
        t.method("meets_confidence", ["threshold=0.1"]) { a in
            guard let m = payload(a.value("self")!) else { return .bool(false) }
            return .bool(m.iqr / m.median < (try a.double("threshold")))
        }
        return t
    }()
}
