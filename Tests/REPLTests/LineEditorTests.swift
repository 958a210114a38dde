import Foundation
import REPL
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LineEditor's parts that need no terminal: history path, history file, interrupt flag.
final class LineEditorTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "jacobi-editor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    func testDefaultHistoryPathPrefersXDGStateHome() {
        XCTAssertEqual(LineEditor.defaultHistoryPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]),
                       "/s/jacobi/history")
        XCTAssertEqual(LineEditor.defaultHistoryPath(environment: ["XDG_STATE_HOME": "/s/"]),
                       "/s/jacobi/history")
    }

    func testDefaultHistoryPathFallsBackToHome() {
        XCTAssertEqual(LineEditor.defaultHistoryPath(environment: ["HOME": "/home/ada"]),
                       "/home/ada/.local/state/jacobi/history")
        // The XDG specification ignores relative paths.
        XCTAssertEqual(LineEditor.defaultHistoryPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h/"]),
                       "/h/.local/state/jacobi/history")
        XCTAssertEqual(LineEditor.defaultHistoryPath(environment: ["XDG_STATE_HOME": "", "HOME": "/h"]),
                       "/h/.local/state/jacobi/history")
    }

    func testHistoryKeepsOrderSkipsBlanksAndRepeats() {
        let editor = LineEditor(programName: "jacobi-test", historyPath: nil)
        XCTAssertEqual(editor.history, [])
        for line in ["x = 1", "", "   ", "y = x + 1", "y = x + 1", "print(y)"] {
            editor.addHistory(line)
        }
        XCTAssertEqual(editor.history, ["x = 1", "y = x + 1", "print(y)"])
        editor.clearHistory()
        XCTAssertEqual(editor.history, [])
        XCTAssertFalse(editor.saveHistory(), "no history path, nothing saved")
    }

    func testHistoryRoundTripsThroughItsFileAndCreatesTheDirectory() throws {
        let path = directory + "/state/jacobi/history"
        let lines = ["J = vmap(jacrev(f))(x)", "s = \"two  spaces\\tand a tab\"", "ünïcødé → ok",
                     "multi\nline"]
        do {
            let editor = LineEditor(programName: "jacobi-test", historyPath: path)
            lines.forEach(editor.addHistory)
            XCTAssertTrue(editor.saveHistory())
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("_HiStOrY_V2_\n"), text)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        let reloaded = LineEditor(programName: "jacobi-test", historyPath: path)
        XCTAssertEqual(reloaded.history, lines)
    }

    func testDeinitSavesChangedHistory() throws {
        let path = directory + "/history"
        do {
            let editor = LineEditor(programName: "jacobi-test", historyPath: path)
            editor.addHistory("saved by deinit")
        }
        XCTAssertEqual(LineEditor(programName: "jacobi-test", historyPath: path).history,
                       ["saved by deinit"])
    }

    func testHistoryKeepsTheNewest1000Entries() {
        let editor = LineEditor(programName: "jacobi-test", historyPath: nil)
        for i in 0..<1005 {
            editor.addHistory("line \(i)")
        }
        let history = editor.history
        XCTAssertEqual(history.count, 1000)
        XCTAssertEqual(history.first, "line 5")
        XCTAssertEqual(history.last, "line 1004")
    }

    func testUnreadableHistoryFileIsIgnored() throws {
        let path = directory + "/not-a-history"
        try "just some text\n".write(toFile: path, atomically: true, encoding: .utf8)
        let editor = LineEditor(programName: "jacobi-test", historyPath: path)
        XCTAssertEqual(editor.history, [])
    }

    func testInterruptFlagIsSetBySIGINTAndCleared() {
        XCTAssertTrue(Interrupt.install())
        Interrupt.clear()
        XCTAssertFalse(Interrupt.pending)
        raise(SIGINT)
        XCTAssertTrue(Interrupt.pending)
        Interrupt.clear()
        XCTAssertFalse(Interrupt.pending)
    }
}
