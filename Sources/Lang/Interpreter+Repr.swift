import Tensor
import AD
import NN
import Printer

extension Interpreter {
    /// Python's `repr`: what the REPL echoes for a bare expression.
    public func repr(_ v: Value) -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return pythonFloat(d)
        case .string(let s): return pythonQuoted(s)
        case .tensor(let o):
            switch o {
            case .tensor(let t): return TensorFormatter.repr(t, options: printOptions)
            case .tracer(let t): return "Traced<\(t.type)>"
            }
        case .list(let a): return "[" + a.map(repr).joined(separator: ", ") + "]"
        case .tuple(let a):
            return "(" + a.map(repr).joined(separator: ", ") + (a.count == 1 ? ",)" : ")")
        case .dict(let d):
            return "{" + d.pairs.map { "\($0.0): \(repr($0.1))" }.joined(separator: ", ") + "}"
        case .function(let f):
            if let s = f.summary { return "<function \(s)>" }
            switch f.body {
            case .builtin(let b, let receiver):
                return receiver == nil ? "<built-in function \(b.signature)>" : "<bound method \(b.name) of \(receiver!.typeName)>"
            case .user: return "<function \(f.name)>"
            case .native: return "<function \(f.name)>"
            }
        case .shape(let s): return formatShape(s)
        case .dtype(let t): return t.torchName
        case .namespace(let n): return n == "Ellipsis" ? "Ellipsis" : "<module '\(n)'>"
        case .slice(let a, let b, let c):
            func s(_ x: Int?) -> String { x.map(String.init) ?? "None" }
            return "slice(\(s(a)), \(s(b)), \(s(c)))"
        case .object(let o):
            if let r = o.reprOverride { return r() }
            return "<\(o.typeName) object>"
        case .module(let m): return m.repr
        }
    }

    /// What the REPL echoes for a bare expression: `repr`, and for a module PyTorch's tree
    /// followed by a line with the parameters' shapes and their total.
    public func echoText(_ v: Value) -> String {
        guard case .module(let m) = v else { return repr(v) }
        let params = m.namedParameters()
        guard !params.isEmpty else { return m.repr }
        let count = params.reduce(0) { $0 + $1.1.shape.elementCount }
        let listed = params.count <= 8
            ? ": " + params.map { "\($0.0) \(formatShape($0.1.shape))" }.joined(separator: ", ") : ""
        return m.repr + "\n# \(count) parameters" + listed
    }

    /// Python's `str`: strings without quotes, everything else as `repr`.
    public func str(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        return repr(v)
    }
}
