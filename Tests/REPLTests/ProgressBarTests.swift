import XCTest
@testable import REPL

/// The progress bar: absent for work under a second, its last state full, erased before
/// anything else is printed.
final class ProgressBarTests: XCTestCase {
    func testBarAppearsAfterASecondEndsFullAndIsErased() {
        var clock = 100.0, drawn: [String] = []
        let bar = ProgressBar(enabled: true, draw: { drawn.append($0) }, now: { clock })
        bar.begin()
        clock += 0.5
        bar.update(1, 10)
        bar.update(10, 10)
        XCTAssertEqual(drawn, [], "work under a second shows no bar")
        bar.finish()
        XCTAssertEqual(drawn, [], "nothing to erase")

        bar.begin()
        clock += 1.5
        bar.update(5, 10)
        XCTAssertEqual(drawn.last, "\r[###############...............] 50%  (Ctrl-C stops)")
        clock += 0.01
        bar.update(6, 10)
        XCTAssertEqual(drawn.count, 1, "redrawn at most 20 times a second")
        bar.update(10, 10)
        XCTAssertEqual(drawn.last, "\r[##############################] 100%  (Ctrl-C stops)", "the last state is drawn full")
        bar.erase()
        XCTAssertEqual(drawn.last, "\r\u{1B}[K", "erased before the result")
        bar.finish()
        XCTAssertEqual(drawn.count, 3, "erased once")
    }

    func testNoBarWithoutATerminal() {
        var clock = 0.0, drawn: [String] = []
        let bar = ProgressBar(enabled: false, draw: { drawn.append($0) }, now: { clock })
        bar.begin()
        clock += 5
        bar.update(1, 2)
        XCTAssertTrue(drawn.isEmpty)
    }
}
