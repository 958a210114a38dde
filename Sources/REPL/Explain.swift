import Tensor
import AD
import Lang
import Printer

/// `:explain EXPR` for a derivative request: which strategy runs, why (input and output sizes),
/// what structure the result has (block-diagonal when the function maps batch rows
/// independently), and what the other ways would cost, estimated from their programs.
enum Explain {
    /// The recognised request: the function's source text, the input's, and how it is computed.
    struct Request {
        var function: String
        var input: String
        var mode: String
    }

    /// Recognises `vmap(jacrev(f))(x)`, `vmap(jacfwd(f))(x)`, `jacrev(f)(x)`, `jacfwd(f)(x)`,
    /// `jacobian(f, x, ...)` and `batch_jacobian(f, x)`.
    static func recognise(_ source: String) -> Request? {
        guard case .complete(let s) = parse(source), s.count == 1, case .expression(let e) = s[0] else { return nil }
        let chars = Array(source.unicodeScalars)
        func text(_ x: Expr) -> String { String(String.UnicodeScalarView(chars[x.range.start.offset..<x.range.end.offset])) }
        func calleeName(_ x: Expr) -> String? {
            switch x {
            case .name(let n, _): return n
            case .attribute(_, let n, _): return n
            default: return nil
            }
        }
        func positional(_ args: [Argument]) -> [Expr] {
            args.compactMap { if case .positional(let x) = $0 { return x }; return nil }
        }
        func keyword(_ args: [Argument], _ k: String) -> Expr? {
            for a in args { if case .keyword(k, let x, _) = a { return x } }
            return nil
        }
        guard case .call(let callee, let args, _) = e else { return nil }
        let pos = positional(args)
        if let n = calleeName(callee), n == "jacobian" || n == "batch_jacobian", pos.count >= 2 {
            if n == "batch_jacobian" { return Request(function: text(pos[0]), input: text(pos[1]), mode: "batch_jacobian") }
            var vectorize = false, forward = false
            if case .bool(let b, _)? = keyword(args, "vectorize") { vectorize = b }
            if case .string(let s, _)? = keyword(args, "strategy") { forward = s == "forward-mode" }
            return Request(function: text(pos[0]), input: text(pos[1]),
                           mode: "jacobian-" + (forward ? "forward" : "reverse") + (vectorize ? "-vectorized" : "-loop"))
        }
        guard pos.count == 1, case .call(let inner, let innerArgs, _) = callee, let name = calleeName(inner) else { return nil }
        let ip = positional(innerArgs)
        if name == "vmap", ip.count == 1, case .call(let t, let targs, _) = ip[0], let tn = calleeName(t),
           tn == "jacrev" || tn == "jacfwd", let f = positional(targs).first {
            return Request(function: text(f), input: text(pos[0]), mode: "vmap-" + tn)
        }
        if name == "jacrev" || name == "jacfwd", let f = ip.first {
            return Request(function: text(f), input: text(pos[0]), mode: name)
        }
        return nil
    }

    /// The explanation text.
    static func explain(_ source: String, _ interp: Interpreter) throws -> String {
        guard let r = recognise(source) else {
            throw Diagnostic(.error, "expected a Jacobian request such as vmap(jacrev(f))(x), jacrev(f)(x) or jacobian(f, x)", range: nil)
        }
        let x = try interp.evaluateSource(r.input)
        guard case .tensor(let xo) = x else { throw Diagnostic(.error, "\(r.input) is not a tensor", range: nil) }
        let y = try interp.evaluateSource("\(r.function)(\(r.input))")
        guard case .tensor(let yo) = y else { throw Diagnostic(.error, "\(r.function)(\(r.input)) is not a tensor", range: nil) }
        let batch = xo.rank >= 1 && yo.rank >= 1 && xo.shape[0] == yo.shape[0] ? xo.shape[0] : nil
        var lines: [String] = []
        let nTotal = xo.shape.elementCount, mTotal = yo.shape.elementCount
        let n = batch.map { nTotal / $0 } ?? nTotal, m = batch.map { mTotal / $0 } ?? mTotal
        switch r.mode {
        case "vmap-jacrev":
            lines.append("strategy: reverse mode, vectorised: a VJP batched over the \(m) rows of the standard basis of one sample's output, vmapped over the batch of \(batch.map(String.init) ?? "?") (one GEMM per layer for the whole batch)")
        case "vmap-jacfwd":
            lines.append("strategy: forward mode, vectorised: a JVP batched over the \(n) columns of the standard basis of one sample's input, vmapped over the batch of \(batch.map(String.init) ?? "?")")
        case "jacrev", "jacobian-reverse-vectorized":
            lines.append("strategy: reverse mode, vectorised over all \(mTotal) output elements at once (the whole input, every sample against every sample)")
        case "jacfwd", "jacobian-forward-vectorized":
            lines.append("strategy: forward mode, vectorised over all \(nTotal) input elements at once")
        case "jacobian-reverse-loop":
            lines.append("strategy: reverse mode, looped: \(mTotal) separate backward passes, one per output element (the forum thread's loop over autograd.grad)")
        case "jacobian-forward-loop":
            lines.append("strategy: forward mode, looped: \(nTotal) separate forward passes, one per input element")
        default:
            lines.append("strategy: reverse mode of the batch-summed function (sum over the batch, then jacrev): \(m) backward rows, exact when samples do not interact")
        }
        lines.append("why: reverse mode needs one backward pass per output element (\(m) per sample), forward mode one forward pass per input element (\(n) per sample); "
                     + (m <= n ? "here outputs are fewer, so reverse mode does less work" : "here inputs are fewer, so forward mode does less work"))
        if let b = batch, b >= 2 {
            let check = "jacrev(\(r.function))(\(r.input)[:2])"
            if case .tensor(let j)? = try? interp.evaluateSource(check), let t = j.concrete, t.rank >= 2 {
                // [2, m..., 2, n...] flattened as (i, a, j, c): the entries with i != j are off-diagonal.
                let v = t.doubles
                var off: [Double] = []
                for i in 0..<2 { for a in 0..<m { for j in 0..<2 where j != i { for c in 0..<n {
                    off.append(v[((i * m + a) * 2 + j) * n + c])
                } } } }
                if v.count == 4 * m * n, off.allSatisfy({ $0 == 0 }) {
                    let zero = 100 * Double(b - 1) / Double(b)
                    lines.append("structure: \(r.function) maps batch rows independently (checked on two samples): the full Jacobian [\(b), \(m), \(b), \(n)] is block-diagonal, \(b) blocks of [\(m), \(n)], \(formatFixed(zero, 1))% zeros; vmap(jacrev) computes only the blocks")
                } else {
                    lines.append("structure: samples interact (the Jacobian of two samples has non-zero off-diagonal blocks): the full Jacobian is needed")
                }
            }
        }
        lines.append("costs (estimated from the optimised programs, nothing runs):")
        var rows: [[String]] = []
        var alternatives = ["vmap(jacrev(\(r.function)))(\(r.input))", "vmap(jacfwd(\(r.function)))(\(r.input))",
                            "jacrev(\(r.function))(\(r.input))", "jacfwd(\(r.function))(\(r.input))"]
        if batch == nil { alternatives = Array(alternatives.dropFirst(2)) }
        for alt in alternatives {
            guard let (p, _) = try? interp.traceProgram(alt) else { continue }
            rows.append([alt, formatShapeList(p.outputTypes[0].shape), ProgramPrinter.formatCount(Cost.flops(p)), formatBytes(Cost.peakBytes(p))])
        }
        if let (g, _) = try? interp.traceProgram("grad(lambda v: \(r.function)(v).sum())(\(r.input))") {
            rows.append(["jacobian(\(r.function), \(r.input)) (looped)", formatShapeList(Shape(yo.shape.dims + xo.shape.dims)),
                         ProgramPrinter.formatCount(Cost.flops(g) * mTotal) + " (\(mTotal) passes)", formatBytes(mTotal * nTotal * xo.dtype.byteSize)])
        }
        let width = Terminal.columns()
        lines = lines.map { TextWrap.words($0, width: width, indent: "  ") }
        lines.append(table(["way", "result", "flops", "peak memory"], rows, indent: "  "))
        return lines.joined(separator: "\n")
    }
}
