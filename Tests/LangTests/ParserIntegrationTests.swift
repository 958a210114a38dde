import XCTest
@testable import Lang

/// Checks the driver relies on: where an unfinished script is reported, and statement ranges
/// that end with their block (for transcript echo).
final class ParserIntegrationTests: XCTestCase {
    func testIncompleteReasonPointsAtTheBracket() {
        let d = Lexer.incompleteReason("y = f(1,\n  [2, 3]")
        XCTAssertEqual(d.message, "'(' was never closed")
        XCTAssertEqual(d.range?.start.line, 1)
        XCTAssertEqual(d.range?.start.column, 6)
    }

    func testBlockRangeEndsWithItsBody() {
        guard case .complete(let s) = parse("def f(x):\n    return x\n\ny = 1\n") else { return XCTFail("did not parse") }
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s[0].range.start.line, 1)
        XCTAssertEqual(s[0].range.end.line, 2)
        XCTAssertEqual(s[1].range.start.line, 4)
    }

    func testInteractiveBlocksWaitForABlankLine() {
        guard case .incomplete = parse("for i in xs:\n    print(i)", interactive: true) else { return XCTFail() }
        guard case .complete = parse("for i in xs:\n    print(i)\n", interactive: true) else { return XCTFail() }
        guard case .complete = parse("for i in xs:\n    print(i)", interactive: false) else { return XCTFail() }
    }
}
