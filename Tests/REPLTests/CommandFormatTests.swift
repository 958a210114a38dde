import XCTest
@testable import REPL
import Tensor

/// Times with three significant digits throughout, and `:compare` saying by how much two
/// results disagree.
final class CommandFormatTests: XCTestCase {
    func testTimesHaveThreeSignificantDigits() {
        XCTAssertEqual(formatSeconds(0.875249), "875 ms")
        XCTAssertEqual(formatSeconds(13.6e-6), "13.6 µs")
        XCTAssertEqual(formatSeconds(1.5e-6), "1.50 µs")
        XCTAssertEqual(formatSeconds(2.3149), "2.31 s")
        XCTAssertEqual(formatSeconds(0.0123456), "12.3 ms")
        XCTAssertEqual(formatSeconds(512e-9), "512 ns")
        XCTAssertEqual(formatSignificant(0.000312), "0.000312")
        XCTAssertEqual(formatSignificant(1.25e-7), "1.25e-07")
    }

    func testCompareSaysByHowMuch() {
        let a = Tensor(shape: [3], doubles: [1, 2, 4], dtype: .float64)
        let b = Tensor(shape: [3], doubles: [1, 2.5, 4], dtype: .float64)
        XCTAssertEqual(Command.agreement(a, a), "yes")
        XCTAssertEqual(Command.agreement(b, a), "NO (max abs 0.500, rel 0.250)")
    }
}
