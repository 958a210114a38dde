import Foundation
import XCTest

/// Runs the `editline-demo` executable: through a pseudo-terminal (pexpect) and through pipes.
///
/// The demo is built with the package (`swift build` / `swift test` build every target) and
/// found next to the test bundle.
final class PTYTests: XCTestCase {
    /// The package's root directory, from this file's path.
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `editline-demo`, looked for beside the test bundle, then in `.build/debug`.
    private func demoExecutable() throws -> String {
        var directories = [
            Bundle(for: PTYTests.self).bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Self.packageRoot.appendingPathComponent(".build/debug"),
        ]
        if let builtProducts = ProcessInfo.processInfo.environment["BUILT_PRODUCTS_DIR"] {
            directories.insert(URL(fileURLWithPath: builtProducts), at: 0)
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("editline-demo").path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw XCTSkip("editline-demo was not built; looked in \(directories.map(\.path))")
    }

    /// Runs a program to its end, feeding `input`; returns its exit status and output.
    private func run(_ executable: String, _ arguments: [String] = [], input: String = "",
                     environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "jacobi-pty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Emacs keys, history recall and persistence, TAB completion and listing, Ctrl-C at the
    /// prompt and during work, Ctrl-D: see pty_editline_test.py.
    func testEditingThroughAPseudoTerminal() throws {
        let demo = try demoExecutable()
        let env = "/usr/bin/env"
        let probe = try run(env, ["python3", "-c", "import pexpect"])
        if probe.status != 0 {
            throw XCTSkip("python3 with pexpect is needed (Debian: python3-pexpect): \(probe.output)")
        }
        let script = Self.packageRoot.appendingPathComponent("Tests/REPLTests/pty_editline_test.py").path
        let result = try run(env, ["python3", script, demo])
        if result.status == 77 {
            throw XCTSkip(result.output)
        }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("checks passed"), result.output)
    }

    /// Without a terminal there is no prompt and no echo: lines come through as they are.
    func testPipedInputIsReadWithoutPrompt() throws {
        let demo = try demoExecutable()
        let state = try temporaryDirectory()
        let environment = ["XDG_STATE_HOME": state]

        let first = try run(demo, input: "a\nb\n", environment: environment)
        XCTAssertEqual(first.status, 0)
        XCTAssertEqual(first.output, "got: a\ngot: b\n")

        let unterminated = try run(demo, input: "x = 1\nlast line without newline",
                                   environment: ["XDG_STATE_HOME": try temporaryDirectory()])
        XCTAssertEqual(unterminated.status, 0)
        XCTAssertEqual(unterminated.output, "got: x = 1\ngot: last line without newline\n")

        let empty = try run(demo, input: "", environment: environment)
        XCTAssertEqual(empty.status, 0)
        XCTAssertEqual(empty.output, "")

        // The first run saved its history; a second run reads it back.
        let second = try run(demo, input: ":history\n", environment: environment)
        XCTAssertEqual(second.status, 0)
        XCTAssertEqual(second.output, "1 a\n2 b\n")
    }

    /// A long piped line and UTF-8 text arrive unchanged.
    func testPipedLongAndUnicodeLines() throws {
        let demo = try demoExecutable()
        let long = String(repeating: "x", count: 20_000)
        let unicode = "ünïcødé → ∂f/∂x 🙂"
        let result = try run(demo, input: long + "\n" + unicode + "\n",
                             environment: ["XDG_STATE_HOME": try temporaryDirectory()])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, "got: \(long)\ngot: \(unicode)\n")
    }
}
