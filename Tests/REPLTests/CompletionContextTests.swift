import REPL
import XCTest

/// How the word before the cursor is delimited for TAB completion.
final class CompletionContextTests: XCTestCase {
    private func context(_ before: String) -> CompletionContext {
        CompletionContext(lineBeforeCursor: before)
    }

    func testIdentifiers() {
        XCTAssertEqual(context("jacr"), CompletionContext(kind: .identifier, word: "jacr"))
        XCTAssertEqual(context("y = net.block1.we"),
                       CompletionContext(kind: .identifier, word: "net.block1.we"))
        XCTAssertEqual(context("vmap(jacrev(f"), CompletionContext(kind: .identifier, word: "f"))
        XCTAssertEqual(context("x + "), CompletionContext(kind: .identifier, word: ""))
        XCTAssertEqual(context(""), CompletionContext(kind: .identifier, word: ""))
        XCTAssertEqual(context("größe_2"), CompletionContext(kind: .identifier, word: "größe_2"))
        XCTAssertEqual(context("J[:, 0].sh"), CompletionContext(kind: .identifier, word: ".sh"))
    }

    func testCommands() {
        XCTAssertEqual(context(":hist"), CompletionContext(kind: .command, word: ":hist"))
        XCTAssertEqual(context("  :"), CompletionContext(kind: .command, word: ":"))
        XCTAssertEqual(context(":time vmap(jac"),
                       CompletionContext(kind: .identifier, word: "jac", command: ":time"))
        XCTAssertEqual(context(":time "),
                       CompletionContext(kind: .identifier, word: "", command: ":time"))
    }

    func testPathCommandArguments() {
        XCTAssertEqual(context(":load sessions/da"),
                       CompletionContext(kind: .path, word: "sessions/da", command: ":load"))
        XCTAssertEqual(context(":save ~/out/run-1.j"),
                       CompletionContext(kind: .path, word: "~/out/run-1.j", command: ":save"))
        XCTAssertEqual(context(":load "),
                       CompletionContext(kind: .path, word: "", command: ":load"))
        XCTAssertEqual(context(#":load "my dir/x"#),
                       CompletionContext(kind: .stringLiteral, word: "my dir/x", command: ":load"))
        let custom = CompletionContext(lineBeforeCursor: ":source a/b", pathCommands: [":source"])
        XCTAssertEqual(custom, CompletionContext(kind: .path, word: "a/b", command: ":source"))
        XCTAssertEqual(CompletionContext(lineBeforeCursor: ":load a/b", pathCommands: []).word, "b")
    }

    func testStringLiterals() {
        XCTAssertEqual(context(#"x = load("sessions/da"#),
                       CompletionContext(kind: .stringLiteral, word: "sessions/da"))
        XCTAssertEqual(context("load('data/"), CompletionContext(kind: .stringLiteral, word: "data/"))
        XCTAssertEqual(context("f(\"\"\""), CompletionContext(kind: .stringLiteral, word: ""))
        XCTAssertEqual(context("f(\"\"\"\""), CompletionContext(kind: .stringLiteral, word: "\""))
        XCTAssertEqual(context(#"f("""a"b"#), CompletionContext(kind: .stringLiteral, word: #"a"b"#))
        XCTAssertEqual(context(#"f("it's", "da"#), CompletionContext(kind: .stringLiteral, word: "da"))
        XCTAssertEqual(context(#"f("a\"b"#), CompletionContext(kind: .stringLiteral, word: #"a\"b"#))
    }

    func testClosedStringsAreCode() {
        XCTAssertEqual(context(#"load("a.npz").sha"#), CompletionContext(kind: .identifier, word: ".sha"))
        XCTAssertEqual(context(#"f("", jac"#), CompletionContext(kind: .identifier, word: "jac"))
        XCTAssertEqual(context(#"s = """x""" + na"#), CompletionContext(kind: .identifier, word: "na"))
    }

    func testComments() {
        XCTAssertEqual(context("x = 1  # jac"), CompletionContext(kind: .comment, word: ""))
        XCTAssertEqual(context(##"s = "#" + ja"##), CompletionContext(kind: .identifier, word: "ja"))
    }

    func testDisplayText() {
        let path = CompletionContext(kind: .stringLiteral, word: "sessions/d")
        XCTAssertEqual(path.displayText(for: "sessions/day1.jac"), "day1.jac")
        XCTAssertEqual(path.displayText(for: "sessions/old/"), "old/")
        XCTAssertEqual(path.displayText(for: "top/"), "top/")
        XCTAssertEqual(path.displayText(for: "file"), "file")
        let name = CompletionContext(kind: .identifier, word: "net.b")
        XCTAssertEqual(name.displayText(for: "net.block1"), "block1")
        XCTAssertEqual(name.displayText(for: "jacrev"), "jacrev")
        XCTAssertEqual(CompletionContext(kind: .command, word: ":h").displayText(for: ":help"), ":help")
    }
}
