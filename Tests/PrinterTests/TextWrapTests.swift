import XCTest
@testable import Printer

/// Prose breaks between words and tables fall back to records, for narrow terminals.
final class TextWrapTests: XCTestCase {
    func testWordsBreakBetweenWordsWithTheIndent() {
        let text = "hint: the last dimension of the left operand must equal the second-to-last dimension"
        let wrapped = TextWrap.words(text, width: 30, indent: "      ")
        XCTAssertEqual(wrapped, """
            hint: the last dimension of
                  the left operand must
                  equal the second-to-last
                  dimension
            """)
        for line in wrapped.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 30) }
        // Every word survives whole, in order.
        XCTAssertEqual(wrapped.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init),
                       text.split(separator: " ").map(String.init))
    }

    func testShortLinesAndLongWordsStayAsTheyAre() {
        XCTAssertEqual(TextWrap.words("fits", width: 30), "fits")
        let url = String(repeating: "x", count: 50)
        XCTAssertEqual(TextWrap.words("see \(url) now", width: 20), "see\n  \(url)\n  now")
        // A line's own leading spaces stay on its first line; each line of a text is wrapped apart.
        XCTAssertEqual(TextWrap.words("  one two three four five six\nsecond", width: 16, indent: "    "),
                       "  one two three\n    four five\n    six\nsecond")
    }

    func testTableAlignsWhenItFitsAndBecomesRecordsWhenItDoesNot() {
        let header = ["expression", "shape", "agrees"]
        let rows = [["jacobian(f, x)", "[5, 3, 5, 4]", "(reference)"],
                    ["vmap(jacrev(f))(x)", "[5, 3, 4]", "yes (diagonal blocks)"]]
        XCTAssertEqual(TextWrap.table(header, rows, width: 80), """
            expression          shape         agrees
            ------------------  ------------  ---------------------
            jacobian(f, x)      [5, 3, 5, 4]  (reference)
            vmap(jacrev(f))(x)  [5, 3, 4]     yes (diagonal blocks)
            """)
        let narrow = TextWrap.table(header, rows, width: 40, indent: "  ")
        XCTAssertEqual(narrow, """
              jacobian(f, x)
                shape [5, 3, 5, 4]
                agrees (reference)
              vmap(jacrev(f))(x)
                shape [5, 3, 4]
                agrees yes (diagonal blocks)
            """)
        for line in narrow.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 40) }
    }
}
