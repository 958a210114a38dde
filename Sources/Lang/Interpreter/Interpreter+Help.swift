import Tensor
import AD
import NN
import Printer

extension Interpreter {
    /// What the REPL echoes for a bare expression: `repr`, and for a module PyTorch's tree
    /// followed by a line with the parameters' shapes and their total.
    public func echoText(_ v: Value) -> String {
        guard case .module(let m) = v, !v.pyType.isUserDefined || !definesDunder(v.pyType, "__repr__") else { return repr(v) }
        let params = m.namedParameters()
        guard !params.isEmpty else { return repr(v) }
        let count = params.reduce(0) { $0 + $1.1.shape.elementCount }
        let listed = params.count <= 8
            ? ": " + params.map { "\($0.0) \(formatShapeText($0.1.shape))" }.joined(separator: ", ") : ""
        return repr(v) + "\n# \(count) parameters" + listed
    }

    /// The language features Jacobi runs, for `:help python`.
    static let languageSummary = """
        Python as PyTorch users write it:
          statements   def (defaults, *args, keyword-only, **kwargs, decorators), class (single inheritance,
                       __init__, super(), @property/@staticmethod/@classmethod, dunder methods), if/elif/else,
                       for/while with break, continue and else, try/except/else/finally, raise ... from,
                       with (several items, as), assert, global, nonlocal, del, import/from ... import,
                       augmented and starred assignment, x: int = 1, lambda
          expressions  f-strings (f"{x:.4f}", {x!r}, {x=}), % and str.format, comprehensions (list, dict, set),
                       generator expressions, conditional expressions, chained comparisons, is/in,
                       exact integers (2**100), slices, ... and None in subscripts
          autograd     requires_grad=True / x.requires_grad_(), y.backward(gradient, retain_graph, create_graph,
                       inputs), torch.autograd.grad(outputs, inputs, grad_outputs, create_graph, allow_unused,
                       is_grads_batched), .grad, .grad_fn, .is_leaf, retain_grad(), detach(), no_grad/enable_grad/
                       set_grad_enabled/inference_mode, net.zero_grad(), torch.optim.SGD/Adam/AdamW; one grad_fn
                       object per node (is, id()), tanh's backward one TanhBackwardBackward0 node; a transformed
                       call backpropagated once keeps its residuals at later calls (no second forward)
          writes       x[i, :] = v, x[mask] = v, x += y, add_/mul_/zero_/fill_/copy_/clamp_/normal_/uniform_/
                       masked_fill_/index_add_; views (x[0], x.T, view, transpose, narrow, split, unbind, ...)
                       share storage with their base, as in PyTorch (is_contiguous(), view errors, reshape copies)
          modules      torch (nn, nn.functional, func, autograd, autograd.functional, optim, linalg,
                       utils.benchmark, cuda), functorch, sys, math, functools, itertools, collections, random,
                       time, copy, typing, operator, os, warnings, contextlib, abc
          threads      torch.set_num_threads(n) / get_num_threads(): every kernel (OpenBLAS, the helper thread of
                       the small products and fused loops, batched LAPACK) uses at most n threads;
                       Timer(num_threads=1), the default, times on one thread as PyTorch's Timer does
          not supported: yield (generator functions), async/await, match, walrus (:=), bytes,
                       multiple inheritance, backward hooks, torch.nn.init
        """

    /// Text for `help(x)` and `:help name`.
    public func helpText(_ v: Value?) -> String {
        guard let v else {
            var lines = ["Jacobi builtins by topic (:help TOPIC lists a topic with summaries, :help name gives details):"]
            let topics = ["transforms", "tensors", "math", "shapes", "linalg", "nn", "files", "pictures"]
            for topic in topics {
                let names = registry.names.filter { registry.byName[$0]!.topic == topic && registry.byName[$0]!.name == $0 }
                if names.isEmpty { continue }
                lines.append(wrapped(topic, names.sorted()))
            }
            lines.append(wrapped("python", pythonBuiltinDocs.map(\.name).sorted() + ["(:help python for the language)"]))
            return lines.joined(separator: "\n")
        }
        switch v {
        case .string(let s):
            if s == "python" {
                return Interpreter.languageSummary + "\n\nbuiltins:\n" + pythonBuiltinDocs.sorted { $0.name < $1.name }
                    .map { "  \($0.signature)\n      \($0.summary)" }.joined(separator: "\n")
            }
            if let b = registry.byName[s] { return builtinHelp(b) }
            if let p = pythonBuiltinDocs.first(where: { $0.name == s }) { return "\(p.signature)\n  \(p.summary)" }
            let inTopic = registry.names.filter { registry.byName[$0]!.topic == s && registry.byName[$0]!.name == $0 }
            if !inTopic.isEmpty {
                return (["\(s):"] + inTopic.sorted().map { n in
                    let b = registry.byName[n]!
                    return "  \(b.signatureText)\n      \(b.summary)"
                }).joined(separator: "\n")
            }
            if let m = module(named: s) {
                return "module \(m.name): " + (m.attributeOrder + (m.resolvableNames?(self) ?? [])).prefix(60).joined(separator: ", ")
            }
            return "no help for '\(s)'" + (closestName(s, among: registry.names + pythonBuiltinDocs.map(\.name)).map { "; did you mean '\($0)'?" } ?? "")
        case .function(let f):
            switch f.body {
            case .builtin(let b):
                if let doc = pythonBuiltinDocs.first(where: { $0.name == b.name }), registry.byName[b.name] == nil {
                    return "\(doc.signature)\n  \(doc.summary)"
                }
                return builtinHelp(b)
            case .user(let code):
                return "\(f.qualname)(\(Statement.parameterList(code.parameters)))" + (code.docstring.map { "\n  " + $0 } ?? "")
            case .native: return f.summary ?? f.name
            case .bound(let callee, _): return helpText(callee)
            }
        case .type(let t):
            if let b = registry.byName[t.name] { return builtinHelp(b) }
            let methods = t.attributeOrder.filter { !$0.hasPrefix("_") }
            return "class \(t.qualifiedName)" + (t.base.map { "(\($0.name))" } ?? "") + (t.doc.map { "\n  " + $0 } ?? "")
                + (methods.isEmpty ? "" : "\n  methods: " + methods.joined(separator: ", "))
        case .namespace(let m):
            return helpText(.string(m.name))
        case Value.none, .bool, .int, .bigInt, .float, .tensor, .list, .tuple, .dict, .set, .instance, .module, .slice,
             .shape, .dtype, .ellipsis:
            return "\(v.pyType.name): \(repr(v))"
        }
    }

    private func wrapped(_ topic: String, _ names: [String]) -> String {
        var lines = ["  \(topic):"]
        var line = "  "
        for n in names {
            if line.count + n.count + 2 > 78 { lines.append(line); line = "  " }
            line += "  " + n
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    func builtinHelp(_ b: Builtin) -> String {
        var s = b.signatureText + "\n  " + b.summary
        if !b.doc.isEmpty { s += "\n\n" + b.doc }
        if b.isMethod { s += "\n\n  also a tensor method: x.\(b.name)(...)" }
        return s
    }
}
