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

    func testTextShorterThanTheTerminalIsWrittenDirectly() {
        var written = ""
        Pager.show("one\ntwo\n", rows: 24) { written += $0 }
        XCTAssertEqual(written, "one\ntwo\n")
    }
}
