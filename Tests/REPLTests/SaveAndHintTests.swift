import XCTest
@testable import REPL
import Lang

/// `:save` never replaces a script the user wrote (only `:save!` does), and name suggestions
/// have a similarity floor.
final class SaveAndHintTests: XCTestCase {
    func testSaveRefusesToReplaceAFileItDidNotWrite() throws {
        let directory = NSTemporaryDirectory() + "jacobi-save-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/part.jac"
        let mine = "# my own script\nprint('mine')\n"
        try mine.write(toFile: path, atomically: true, encoding: .utf8)

        let d = Driver(stableOutput: true, keepGoing: false)
        _ = d.interpreter.run("kept = 6 * 7", file: "<test>", echo: false)
        d.recordSuccess("kept = 6 * 7")
        XCTAssertFalse(d.runCommand(":save " + path), ":save replaced a file it did not write")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), mine)

        XCTAssertTrue(d.runCommand(":save! " + path))
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(saved.hasPrefix(Driver.savedScriptMark + "\n"), saved)
        XCTAssertTrue(saved.contains("kept = 6 * 7\n"), saved)
        // A file :save wrote may be replaced by :save.
        XCTAssertTrue(d.runCommand(":save " + path))
    }

    func testSuggestionsHaveASimilarityFloor() {
        XCTAssertEqual(closestName("tahn", among: ["tanh", "tan", "sinh"]), "tanh")
        XCTAssertEqual(closestName("requires_gradd", among: ["requires_grad", "retain_grad"]), "requires_grad")
        XCTAssertEqual(closestName("jacobain", among: ["jacobian", "jacfwd"]), "jacobian")
        XCTAssertEqual(closestName("Tanh", among: ["tanh"]), "tanh")
        XCTAssertNil(closestName("net", among: ["det", "_"]), "a three-letter name is not another one")
        XCTAssertNil(closestName("x", among: ["_", "y"]))
        XCTAssertNil(closestName("numpy", among: ["numel"]))
        XCTAssertNil(closestName("banana", among: ["tanh", "jacrev", "vmap"]))
    }

    func testNameDeletedByResetSaysSo() {
        let d = Driver(stableOutput: true, keepGoing: false)
        _ = d.interpreter.run("net = 1\ndet = 2", file: "<test>", echo: false)
        d.interpreter.reset()
        let r = d.interpreter.run("net", file: "<test>", echo: false)
        XCTAssertEqual(r.diagnostics.first?.hint, "'net' was deleted by :reset; define it again")
    }

    func testColourOnlyOnTerminalsThatShowIt() {
        XCTAssertTrue(Driver.colorWanted(stdoutIsTerminal: true, environment: ["TERM": "xterm-256color"]))
        XCTAssertFalse(Driver.colorWanted(stdoutIsTerminal: true, environment: ["TERM": "dumb"]))
        XCTAssertFalse(Driver.colorWanted(stdoutIsTerminal: true, environment: [:]))
        XCTAssertFalse(Driver.colorWanted(stdoutIsTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": "1"]))
        XCTAssertFalse(Driver.colorWanted(stdoutIsTerminal: false, environment: ["TERM": "xterm"]))
    }
}
