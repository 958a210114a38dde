import Foundation
import XCTest

/// Drives the real `jacobi` binary through a pseudo-terminal with `pty_jacobi_test.py`
/// (python3 + pexpect): line editing, history (also across runs), TAB completion,
/// multi-line input, Ctrl-C at the prompt and during a long evaluation, errors, :quit, Ctrl-D.
///
/// The binary is `$JACOBI_BIN` when set, else the package's `.build/release/jacobi`, else
/// `.build/debug/jacobi`; the test skips when there is none, or when python3 or pexpect
/// is missing.
///
/// ```sh
/// swift build -c release --product jacobi
/// JACOBI_BIN=$PWD/.build/release/jacobi swift test --filter JacobiPTYTests
/// ```
final class JacobiPTYTests: XCTestCase {
    /// The package's root directory, from this file's path.
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `jacobi` executable to test: `$JACOBI_BIN`, else a build in the package.
    private func jacobiExecutable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["JACOBI_BIN"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw XCTSkip("JACOBI_BIN=\(path) is not an executable file")
            }
            return path
        }
        let candidates = [".build/release/jacobi", ".build/debug/jacobi"]
            .map { Self.packageRoot.appendingPathComponent($0).path }
        guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("no jacobi binary: set JACOBI_BIN or build it; looked at \(candidates)")
        }
        return found
    }

    /// Runs a program to its end with no input; returns its exit status and its output
    /// (standard output and standard error together).
    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every check of pty_jacobi_test.py passes against the real binary.
    func testJacobiThroughAPseudoTerminal() throws {
        let jacobi = try jacobiExecutable()
        let env = "/usr/bin/env"
        let probe = try run(env, ["python3", "-c", "import pexpect"])
        if probe.status != 0 {
            throw XCTSkip("python3 with pexpect is needed (Debian: python3-pexpect): \(probe.output)")
        }
        let script = Self.packageRoot.appendingPathComponent("Tests/REPLTests/pty_jacobi_test.py").path
        let result = try run(env, ["python3", script, jacobi])
        if result.status == 77 {
            throw XCTSkip(result.output)
        }
        XCTAssertEqual(result.status, 0, "pty_jacobi_test.py failed:\n\(result.output)")
        XCTAssertTrue(result.output.contains("checks passed"), result.output)
    }
}
