import XCTest
@testable import REPL

/// Which pager long output goes through, and that short output never does.
final class PagerTests: XCTestCase {
    func testPagerCommandFollowsPAGERElseLess() {
        XCTAssertEqual(Pager.command(environment: ["PAGER": "most -s"]), "most -s")
        XCTAssertNil(Pager.command(environment: ["PAGER": ""]), "an empty PAGER turns paging off")
        XCTAssertNil(Pager.command(environment: ["PAGER": "cat"]), "PAGER=cat turns paging off")
        let lessExists = access("/usr/bin/less", X_OK) == 0
        XCTAssertEqual(Pager.command(environment: ["PATH": "/usr/bin"]), lessExists ? "less -FRX" : nil)
        XCTAssertNil(Pager.command(environment: ["PATH": "/nonexistent"]))
    }

    func testAPagerThatCannotRunLeavesTheTextToWrite() {
        setenv("PAGER", "/nonexistent/pager-for-jacobi-tests", 1)
        defer { unsetenv("PAGER") }
        var written = ""
        let tall = (1...40).map { "line \($0)\n" }.joined()
        Pager.show(tall, rows: 10) { written += $0 }
        XCTAssertEqual(written, tall, "the shell's 'not found' (127) falls back to writing the text")
    }

    func testTextShorterThanTheTerminalIsWrittenDirectly() {
        var written = ""
        Pager.show("one\ntwo\n", rows: 24) { written += $0 }
        XCTAssertEqual(written, "one\ntwo\n")
    }
}
