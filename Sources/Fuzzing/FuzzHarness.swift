import Foundation
import Tensor
import AD
import Lang
import TensorIO

/// What the fuzzing harness runs one input through: the language (lexer, parser and interpreter,
/// sandboxed) or one of the file readers. Every input must end in a result or an error; a crash
/// is a bug (libFuzzer keeps the input; it becomes a regression test in `Tests/FuzzingTests`).
///
/// ```swift
/// FuzzHarness.run(.lang, Array("x = randn(3)\nx @ x".utf8))
/// FuzzHarness.run(.npy, bytesOfSomeFile)
/// ```
public enum FuzzHarness {
    /// The harnesses.
    public enum Target: String, CaseIterable, Sendable {
        case lang, npy, npz, safetensors, csv, pt
    }

    /// The memory limit of a fuzzed program (small, so no input allocates much or runs long).
    public static let memoryLimit = 4 << 20
    /// The time a fuzzed program may run before it is stopped as by Ctrl-C.
    public static let timeBudget = 1.0

    /// The sandbox: a fresh temporary directory, made the working directory once.
    nonisolated(unsafe) static var sandbox: String?

    /// Runs one input through `target`.
    public static func run(_ target: Target, _ bytes: [UInt8]) {
        switch target {
        case .lang:
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            runProgram(text)
        case .npy: _ = try? TensorFile.decode(bytes, format: .npy, path: "fuzz.npy")
        case .npz: _ = try? TensorFile.decode(bytes, format: .npz, path: "fuzz.npz")
        case .safetensors: _ = try? TensorFile.decode(bytes, format: .safetensors, path: "fuzz.safetensors")
        case .csv: _ = try? TensorFile.decode(bytes, format: .csv, path: "fuzz.csv")
        case .pt:
            // A checkpoint names its sizes itself (a stride-0 tensor may claim billions of
            // elements): the fuzzed program's memory limit applies to what it allocates.
            MemoryBudget.limit = memoryLimit
            defer { MemoryBudget.limit = Int.max }
            _ = try? TorchArchive.decode(bytes, path: "fuzz.pt")
        }
    }

    /// Runs a program in a fresh sandboxed interpreter; returns what it printed and its result.
    @discardableResult
    public static func runProgram(_ text: String, output: ((String) -> Void)? = nil) -> ExecutionResult {
        let interp = Interpreter(output: output ?? { _ in }, warn: { _ in })
        interp.memoryLimit = memoryLimit
        interp.sandboxDirectory = sandboxDirectory()
        let deadline = Date().addingTimeInterval(timeBudget)
        interp.shouldStop = { Date() > deadline }
        defer { Autograd.isEnabled = true; interp.dismantle() }
        return interp.run(text, file: "<fuzz>", echo: true, keepGoing: true)
    }

    /// The sandbox directory (made and entered on first use).
    static func sandboxDirectory() -> String {
        if let s = sandbox { return s }
        var template = Array((NSTemporaryDirectory() + "/jacobi-fuzz-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let path = made.map { String(cString: $0) } ?? FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(path)
        sandbox = path
        return path
    }
}
