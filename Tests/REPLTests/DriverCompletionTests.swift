import XCTest
@testable import REPL
import Lang

/// The REPL's completion of names, attributes, commands and paths (the text before the cursor).
final class DriverCompletionTests: XCTestCase {
    func testCompletions() {
        let d = Driver(stableOutput: true, keepGoing: false)
        _ = d.interpreter.run("x = ones(2)\nnet = Sequential(block1=Sequential(Linear(4, 8)), head=Linear(8, 2))\nmy_value = 3", file: "<test>", echo: false)
        XCTAssertEqual(d.completions(for: "J = jacr"), ["jacrev"])
        XCTAssertTrue(d.completions(for: "jac").contains("jacfwd") && d.completions(for: "jac").contains("jacobian"))
        XCTAssertEqual(d.completions(for: "my_"), ["my_value"])
        XCTAssertEqual(d.completions(for: "x.sh"), ["x.shape", "x.short"])
        XCTAssertEqual(d.completions(for: "x.sha"), ["x.shape"])
        XCTAssertTrue(d.completions(for: "x.su").contains("x.sum"))
        XCTAssertEqual(d.completions(for: "net.bl"), ["net.block1"])
        XCTAssertEqual(d.completions(for: "net.head.we"), ["net.head.weight"])
        XCTAssertTrue(d.completions(for: "net.block1.").contains("net.block1[0]"), "\(d.completions(for: "net.block1."))")
        XCTAssertFalse(d.completions(for: "net.block1.").contains("net.block1.0"))
        XCTAssertEqual(d.completions(for: "torch.func.jacf"), ["torch.func.jacfwd"])
        XCTAssertEqual(d.completions(for: ":he"), [":heat", ":help"])
        XCTAssertEqual(d.completions(for: ":hi"), [":history"])
        XCTAssertEqual(d.completions(for: "# a comment jac"), [])
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let here = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(root)
        defer { FileManager.default.changeCurrentDirectoryPath(here) }
        XCTAssertTrue(d.completions(for: "x = load(\"sessions/da").contains("sessions/data/"))
        XCTAssertTrue(d.completions(for: ":load sessions/tr").contains("sessions/transforms.jac"))
    }
}
