import Foundation
import Tensor
import AD
import Lang

/// A grammar-aware generator of random Jacobi programs: tensors of random shapes and dtypes, then
/// calls of the registry's builtins with arguments made from their signatures (tensors for tensor
/// parameters, dims, sizes, dtypes, flags, numbers), operators and indexing, nested transforms,
/// imperative autograd and in-place writes. Byte-level mutation rarely gets past the parser; these
/// programs reach the kernels. The same seed gives the same programs.
///
/// ```swift
/// var g = ProgramGenerator(seed: 1, registry: Interpreter(output: { _ in }).registry)
/// let statements = g.program()     // [("t1 = torch.randn(3, 2)", false), ("r2 = torch.tanh(t1)", true), ...]
/// ```
public struct ProgramGenerator {
    private var state: UInt64
    private let builtins: [Builtin]
    private var tensors: [String] = []
    private var counter = 0

    /// A generator over the tensor builtins of `registry`.
    public init(seed: UInt64, registry: BuiltinRegistry) {
        // Mixed, so that neighbouring seeds give unrelated streams.
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        state = z ^ (z >> 31)
        let topics: Set<String> = ["math", "shapes", "linalg", "tensors", "nn", "transforms"]
        builtins = registry.names.compactMap { registry.byName[$0] }.filter { topics.contains($0.topic) }
            .filter { !["manual_seed", "seed", "load", "save", "heatmap", "spy"].contains($0.name) }
    }

    // MARK: - Randomness (SplitMix64)

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    private mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }

    private mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    // MARK: - Programs

    /// One program, as statements, each marked whether it is an operation (not set-up).
    public mutating func program() -> [(text: String, isOperation: Bool)] {
        tensors = []
        counter = 0
        var out = ["import torch", "import torch.nn as nn", "from torch.func import vmap, jacrev, jacfwd, grad, hessian"]
            .map { (text: $0, isOperation: false) }
        for _ in 0..<int(2...4) { out.append((creation(), false)) }
        for _ in 0..<int(3...8) { out.append((operation(), true)) }
        if chance(0.5) { out.append(("print(\(pick(tensors)))", true)) }
        return out
    }

    private mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    private mutating func shapeList() -> [Int] {
        (0..<int(0...3)).map { _ in chance(0.08) ? 0 : int(1...4) }
    }

    private mutating func creation() -> String {
        let name = fresh("t")
        tensors.append(name)
        let shape = shapeList()
        let dims = shape.map(String.init).joined(separator: ", ")
        let grad = chance(0.3) ? ", requires_grad=True" : ""
        switch int(0...7) {
        case 0: return "\(name) = torch.arange(\(max(shape.reduce(1, *), 1))).reshape(\(shape.isEmpty ? "()" : dims))"
        case 1: return "\(name) = torch.randn(\(dims)\(shape.isEmpty ? "()" : ""), dtype=torch.float64\(grad))"
        case 2: return "\(name) = torch.randn(\(dims)\(shape.isEmpty ? "()" : "")) > 0"
        case 3: return "\(name) = torch.tensor(\(literal(shape)))"
        case 4: return "\(name) = torch.full((\(dims)\(shape.count == 1 ? "," : "")), \(pick(["0.5", "-2", "3", "float('nan')", "1e30"])))"
        case 5:
            // The storage dtypes a checkpoint carries, computed wide and narrowed.
            let dtype = pick(["float16", "bfloat16", "int32", "int16", "int8", "uint8"])
            return "\(name) = (torch.randn(\(dims)\(shape.isEmpty ? "()" : "")) * 50).to(torch.\(dtype))"
        default: return "\(name) = torch.randn(\(dims)\(shape.isEmpty ? "()" : "")) * \(pick(["1", "0.1", "100", "-3"]))\(grad.isEmpty ? "" : ".requires_grad_()")"
        }
    }

    private mutating func literal(_ shape: [Int]) -> String {
        guard let first = shape.first else { return String(format: "%.2f", Double(int(-300...300)) / 100) }
        return "[" + (0..<first).map { _ in literal(Array(shape.dropFirst())) }.joined(separator: ", ") + "]"
    }

    private mutating func tensorArgument() -> String {
        let t = pick(tensors)
        switch int(0...9) {
        case 0: return "\(t).T" + (chance(0.5) ? "" : ".float()")
        case 1: return "\(t)[0]"
        case 2: return "\(t).float()"
        default: return t
        }
    }

    private mutating func operation() -> String {
        let target = fresh("r")
        let expr: String
        switch int(0...11) {
        case 0...4: expr = call()
        case 5: expr = "\(tensorArgument()) \(pick(["+", "-", "*", "/", "@", "**", "//", "%", ">", "=="])) \(chance(0.5) ? tensorArgument() : pick(["2", "0.5", "-1", "0"]))"
        case 6: expr = "\(tensorArgument())[\(index())]"
        case 7: expr = transform()
        case 8: return autograd()
        case 9: return write()
        case 10: expr = "\(tensorArgument()).\(pick(["sum", "mean", "max", "tanh", "exp", "abs", "t", "flatten", "clone", "detach", "softmax", "norm", "item", "tolist"]))(\(chance(0.4) ? "\(int(-2...2))" : ""))"
        default: expr = "\(tensorArgument()).\(pick(["view", "reshape", "permute", "expand", "unsqueeze", "transpose", "split", "chunk", "narrow"]))(\(sizes().map(String.init).joined(separator: ", ")))"
        }
        if chance(0.7) { tensors.append(target) }
        return "\(target) = \(expr)"
    }

    private mutating func index() -> String {
        (0..<int(1...3)).map { _ -> String in
            switch int(0...6) {
            case 0: return "\(int(-3...3))"
            case 1: return ":"
            case 2: return "\(int(0...2)):"
            case 3: return "::\(int(1...2))"
            case 4: return "None"
            case 5: return "..."
            default: return "\(pick(tensors)) > 0"
            }
        }.joined(separator: ", ")
    }

    private mutating func sizes() -> [Int] {
        (0..<int(0...3)).map { _ in chance(0.15) ? -1 : int(0...4) }
    }

    private mutating func call() -> String {
        let b = pick(builtins)
        var args: [String] = []
        for p in b.signature.parameters {
            switch p.kind {
            case .varKeyword: continue
            case .varPositional:
                if ["size", "shape", "sizes", "dims"].contains(p.name) { args += sizes().map(String.init) }
                else if chance(0.5) { args.append(argument(for: p.name)) }
            case .positionalOnly, .positionalOrKeyword:
                if p.defaultValue == nil || chance(0.3) {
                    let value = argument(for: p.name)
                    args.append(p.defaultValue == nil ? value : "\(p.name)=\(value)")
                }
            case .keywordOnly:
                if chance(0.2) { args.append("\(p.name)=\(argument(for: p.name))") }
            }
        }
        return "torch.\(b.name)(\(args.joined(separator: ", ")))"
    }

    private mutating func argument(for name: String) -> String {
        switch name {
        case "input", "other", "tensor", "x", "y", "A", "B", "self", "mat1", "mat2", "vec", "vec1", "vec2", "weight",
             "bias", "src", "source", "target", "end", "condition", "mask", "index", "indices", "exponent", "b":
            return chance(0.85) ? tensorArgument() : pick(["1", "0.5", "-2"])
        case "tensors": return "[" + (0..<int(1...3)).map { _ in tensorArgument() }.joined(separator: ", ") + "]"
        case "dim", "dim0", "dim1", "dim2", "axis", "start_dim", "end_dim", "destination", "k", "offset":
            return chance(0.15) ? "(\(int(-2...2)), \(int(-2...2)))" : "\(int(-4...4))"
        case "keepdim", "largest", "sorted", "unbiased", "hermitian", "full_matrices", "left", "keepdims", "inplace",
             "has_aux", "vectorize", "create_graph", "strict", "training", "upper":
            return pick(["True", "False"])
        case "dtype": return pick(["torch.float32", "torch.float64", "torch.int64", "torch.bool", "torch.float16",
                                   "torch.bfloat16", "torch.int32", "torch.int8", "torch.uint8", "None"])
        case "p", "ord": return pick(["1", "2", "'fro'", "'nuc'", "float('inf')", "0", "-1"])
        case "func": return pick(["torch.tanh", "lambda v: (v * v).sum()", "lambda v: torch.sin(v)", "torch.exp", "lambda v: v"])
        case "strategy": return pick(["'reverse-mode'", "'forward-mode'", "'other'"])
        case "reduction": return pick(["'mean'", "'sum'", "'none'", "'bad'"])
        case "approximate": return pick(["'none'", "'tanh'"])
        case "rounding_mode": return pick(["'trunc'", "'floor'", "None"])
        case "equation": return pick(["'ij,jk->ik'", "'i,i->'", "'bij->bji'", "'ii->i'", "'x'"])
        case "argnums": return pick(["0", "1", "(0, 1)", "-1"])
        case "in_dims", "out_dims": return pick(["0", "1", "None", "(0, None)", "-1"])
        case "chunk_size", "chunks", "split_size_or_sections", "n", "m", "steps", "length", "num_classes":
            return "\(int(-1...5))"
        default:
            return pick(["1", "0", "-1", "2", "0.5", "1e-3", "None", tensorArgument()])
        }
    }

    private mutating func elementwise() -> String {
        pick(["torch.tanh(v)", "torch.sin(v) * v", "v * v", "torch.exp(-v)", "torch.relu(v)", "v.softmax(-1)",
              "torch.sigmoid(v) @ v.T" , "v.sum(-1, keepdim=True) * v", "torch.where(v > 0, v, v * 2)"])
    }

    private mutating func transform() -> String {
        let body = elementwise()
        let t = pick(tensors)
        switch int(0...5) {
        case 0: return "jacrev(lambda v: \(body))(\(t))"
        case 1: return "vmap(jacrev(lambda v: \(body)))(\(t))"
        case 2: return "vmap(jacfwd(lambda v: \(body)))(\(t))"
        case 3: return "grad(lambda v: (\(body)).sum())(\(t))"
        case 4: return "hessian(lambda v: (\(body)).sum())(\(t))"
        default: return "vmap(vmap(lambda v: \(body)))(\(t))"
        }
    }

    private mutating func autograd() -> String {
        let t = pick(tensors)
        switch int(0...5) {
        case 0: return "\(t).requires_grad_()"
        case 1: return "(\(elementwise().replacingOccurrences(of: "v", with: t))).sum().backward()"
        case 2: return "torch.autograd.grad((\(t) * \(t)).sum(), \(t), create_graph=\(pick(["True", "False"])))"
        case 3: return "print(\(t).grad, \(t).grad_fn, \(t).is_leaf)"
        case 4: return "with torch.no_grad():\n    \(t) \(pick(["+=", "-=", "*="])) 1"
        default: return "\(t).retain_grad()"
        }
    }

    private mutating func write() -> String {
        let t = pick(tensors)
        switch int(0...4) {
        case 0: return "\(t)[\(index())] = \(pick(["0", "1.5", pick(tensors)]))"
        case 1: return "\(t).\(pick(["add_", "mul_", "clamp_", "fill_", "zero_", "copy_", "sub_"]))(\(pick(["1", "0.5", pick(tensors), ""])))"
        case 2: return "\(t) += \(pick(["1", pick(tensors)]))"
        case 3: return "v\(counter) = \(t)[0]\nv\(counter).fill_(2)"
        default: return "\(t).t()[0] = 3"
        }
    }
}

/// Runs generated programs statement by statement in fresh sandboxed interpreters and counts
/// what happened.
public struct GeneratedRun {
    /// Programs run.
    public var programs = 0
    /// Statements run.
    public var statements = 0
    /// Statements that raised an error (a clean error: the program went on).
    public var errors = 0
    /// Operation statements that ran without error and applied at least one kernel.
    public var reachedKernel = 0
    /// Programs with at least one such statement.
    public var programsReachingKernel = 0

    /// Runs `count` programs from `seed`.
    public static func run(count: Int, seed: UInt64, progress: ((Int) -> Void)? = nil) -> GeneratedRun {
        var stats = GeneratedRun()
        let registry = Interpreter(output: { _ in }, warn: { _ in }).registry
        var generator = ProgramGenerator(seed: seed, registry: registry)
        for k in 0..<count {
            let program = generator.program()
            let interp = Interpreter(output: { _ in }, warn: { _ in })
            interp.memoryLimit = FuzzHarness.memoryLimit
            interp.sandboxDirectory = FuzzHarness.sandboxDirectory()
            let deadline = Date().addingTimeInterval(FuzzHarness.timeBudget)
            interp.shouldStop = { Date() > deadline }
            var reached = false
            for statement in program {
                let before = Eval.kernelCalls
                let result = interp.run(statement.text, file: "<generated>", echo: true, keepGoing: true)
                stats.statements += 1
                if !result.succeeded { stats.errors += 1 }
                if statement.isOperation, result.succeeded, Eval.kernelCalls > before {
                    stats.reachedKernel += 1
                    reached = true
                }
                if result.exitStatus != nil { break }
            }
            Autograd.isEnabled = true
            interp.dismantle()
            stats.programs += 1
            if reached { stats.programsReachingKernel += 1 }
            progress?(k)
        }
        return stats
    }
}
