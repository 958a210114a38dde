import XCTest
@testable import Printer
import Tensor

/// Heat maps and spy plots: folding, downsampling by largest magnitude, plain and colour text.
final class HeatMapTests: XCTestCase {
    func testFoldingOfBatchJacobianShape() {
        XCTAssertEqual(HeatMap.folded([4, 2, 4, 3]).rows, 8)
        XCTAssertEqual(HeatMap.folded([4, 2, 4, 3]).columns, 12)
        XCTAssertEqual(HeatMap.folded([5]).rows, 1)
        XCTAssertEqual(HeatMap.folded([2, 3, 4]).rows, 6)
    }

    func testSpyGoldenText() {
        let t = Tensor(shape: [2, 3], float64: [1, 0, 0, 0, 0, -2])
        XCTAssertEqual(HeatMap.spy(t, color: false), """
            non-zero pattern of [2, 3]
              #..
              ..#
              2 of 6 entries are non-zero (33.3%)
            """)
    }

    func testHeatMapGoldenTextAndNaN() {
        let t = Tensor(shape: [2, 2], float64: [1, -1, 0.1, .nan])
        XCTAssertEqual(HeatMap.render(t, color: false), """
            heat map of [2, 2]
              #%
              +?
              range [-1, 1]; + * # > 0, - = % < 0 (by |value| / 1), . , tiny,
                blank = 0; ? = NaN (1)
            """)
        XCTAssertTrue(HeatMap.render(t, color: true).contains("\u{1B}[48;5;"), "colour mode uses ANSI backgrounds")
    }

    func testDownsamplingKeepsTheLargestMagnitude() {
        var v = [Double](repeating: 0, count: 200 * 200)
        v[150 * 200 + 199] = -5   // one entry in the last cell
        let text = HeatMap.spy(Tensor(shape: [200, 200], float64: v), color: false)
        let lines = text.split(separator: "\n")
        // The header breaks between words to fit the picture's width (64 cells and the indent).
        XCTAssertEqual(lines[0], "non-zero pattern of [200, 200], 7x4 entries per cell (largest")
        XCTAssertEqual(lines[1], "  magnitude)")
        XCTAssertEqual(lines.count, 2 + 29 + 1)
        XCTAssertTrue(lines[2 + 150 / 7].hasSuffix("#"))
    }

    func testPicturesFollowTheGivenWidth() {
        let t = Tensor(shape: [10, 150], float64: [Double](repeating: 1, count: 1500))
        let narrow = HeatMap.spy(t, color: false, width: 50).split(separator: "\n")
        XCTAssertTrue(narrow.allSatisfy { $0.count <= 50 + 4 }, "every line fits: \(narrow)")
        XCTAssertEqual(narrow.first { $0.hasPrefix("  #") }?.count, 2 + 50, "3 entries per cell in 50 cells")
        let wide = HeatMap.spy(t, color: false, width: 196).split(separator: "\n")
        XCTAssertEqual(wide[1].count, 2 + 150, "one entry per cell when the terminal is wide enough")
    }
}
