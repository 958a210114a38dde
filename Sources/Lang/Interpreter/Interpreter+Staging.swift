import Tensor
import AD

extension Interpreter {
    /// The tensor variables an expression reads, and a function that evaluates the expression
    /// with those variables replaced by its arguments: what `:trace` and `:time` stage.
    public func stageable(_ source: String) throws -> (names: [String], inputs: [Operand], expr: Expr, function: TensorFunction) {
        let e = try singleExpression(source, example: "vmap(jacrev(net))(x)")
        let names = e.mentionedNames.filter { globals.variables[$0]?.operand?.concrete != nil }.sorted()
        let inputs = names.map { globals.variables[$0]!.operand! }
        let function: TensorFunction = { args in
            let scope = Scope(parent: self.globals, kind: .function)
            for (n, a) in zip(names, args) { scope.variables[n] = .tensor(a) }
            let v = try self.evaluate(e, in: scope)
            let (leaves, _) = Pytree.flatten(v)
            guard !leaves.isEmpty else {
                throw PythonError(.TypeError, "the expression gives \(v.pyType.name), not a tensor", at: e.range)
            }
            return leaves
        }
        return (names, inputs, e, function)
    }

    /// The optimised program an expression runs, with its inputs named after the variables.
    public func traceProgram(_ source: String) throws -> (Program, [String]) {
        let s = try stageable(source)
        let closed = try placed(s.expr.range) { try trace(inputTypes: s.inputs.map(\.type), s.function) }
        let program = try placed(s.expr.range) { try closed.program.optimized() }
        return (program, s.names)
    }
}

extension Interpreter {
    /// Evaluates one expression given as text (for `:heat`, `:spy`).
    public func evaluateSource(_ source: String) throws -> Value {
        try evaluate(try singleExpression(source, example: "jacobian(net, x)"), in: globals)
    }

    /// The one expression a `:command` takes, or the parser's own error with its place and
    /// caret (an unclosed or unmatched bracket, a bad token), the same for every command.
    public func singleExpression(_ source: String, example: String) throws -> Expr {
        switch parse(source) {
        case .complete(let statements):
            guard statements.count == 1, case .expression(let e) = statements[0] else {
                throw Diagnostic(.error, "expected one expression, e.g. \(example)", range: nil)
            }
            return e
        case .incomplete: throw incompleteInputDiagnostic(source)
        case .failure(let d): throw d
        }
    }
}

extension Interpreter {
    /// Runs `body`, giving any error it raises the place `range` (as a Python exception).
    func placed<T>(_ range: SourceRange?, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw pythonError(from: error).placed(range, currentSource)
        }
    }
}
