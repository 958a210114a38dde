import XCTest
import BigInt
@testable import Lang

final class LexerTests: XCTestCase {
    // MARK: - Helpers

    private func kinds(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> [Token.Kind] {
        do {
            return try Lexer.tokenize(source).map(\.kind)
        } catch {
            XCTFail("lexing failed: \(error)", file: file, line: line)
            return []
        }
    }

    /// The single value token of `source` (followed by NEWLINE and EOF).
    private func single(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Token.Kind? {
        let all = kinds(source, file: file, line: line)
        XCTAssertEqual(all.count, 3, "\(all)", file: file, line: line)
        return all.first
    }

    /// The diagnostic for `source`, which must fail to lex.
    private func lexFailure(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Diagnostic? {
        do throws(SyntaxError) {
            let tokens = try Lexer.tokenize(source)
            XCTFail("expected a lexing error, got \(tokens)", file: file, line: line)
        } catch {
            switch error {
            case .incomplete: XCTFail("expected a lexing error, got .incomplete", file: file, line: line)
            case .invalid(let diagnostic): return diagnostic
            }
        }
        return nil
    }

    private func isIncomplete(_ source: String) -> Bool {
        do {
            _ = try Lexer.tokenize(source)
            return false
        } catch {
            if case .incomplete = error { return true }
            return false
        }
    }

    private func place(_ range: SourceRange?) -> String {
        guard let range else { return "none" }
        return "\(range.start.line):\(range.start.column)-\(range.end.line):\(range.end.column)"
    }

    // MARK: - Names, keywords, symbols

    func testNamesKeywordsAndSymbols() {
        XCTAssertEqual(kinds("lambda x: not x_1 is None"), [
            .keyword(.lambda), .name("x"), .symbol(.colon), .keyword(.not), .name("x_1"), .keyword(.is),
            .keyword(.None), .newline, .endOfInput,
        ])
        XCTAssertEqual(kinds("True False _ while match"), [
            .keyword(.True), .keyword(.False), .name("_"), .keyword(.while), .name("match"), .newline, .endOfInput,
        ])
    }

    func testOperatorsUseLongestMatch() {
        XCTAssertEqual(kinds("a **= b //= c ... -> ** // <= >= == != @= @ % ^ ~ & | ;").compactMap {
            if case .symbol(let s) = $0 { return s.rawValue }
            return nil
        }, ["**=", "//=", "...", "->", "**", "//", "<=", ">=", "==", "!=", "@=", "@", "%", "^", "~", "&", "|", ";"])
        XCTAssertEqual(kinds("x[...,0]"), [
            .name("x"), .symbol(.leftBracket), .symbol(.ellipsis), .symbol(.comma), .int(0),
            .symbol(.rightBracket), .newline, .endOfInput,
        ])
    }

    func testUnexpectedCharacters() {
        let dollar = lexFailure("x = $y")
        XCTAssertEqual(dollar?.message, "unexpected character '$'")
        XCTAssertEqual(place(dollar?.range), "1:5-1:6")
        XCTAssertEqual(lexFailure("!x")?.hint, "use 'not' for negation and '!=' for inequality")
        XCTAssertEqual(lexFailure("a := 2")?.message, "assignment expressions (':=') are not supported")
        XCTAssertEqual(kinds("a << 2 >>= b")[1], .symbol(.leftShift))
        XCTAssertEqual(kinds("a << 2 >>= b")[3], .symbol(.rightShiftAssign))
    }

    // MARK: - f-strings

    func testFStringsAreSplitIntoLiteralsAndFields() throws {
        guard case .fstring(let pieces) = single("f\"gain {g:.4f}, {{x}} {a!r:>8} {b=}\"") else { return XCTFail() }
        XCTAssertEqual(pieces.count, 6)
        XCTAssertEqual(pieces[0], .literal("gain "))
        guard case .field(let g) = pieces[1], case .field(let a) = pieces[3], case .field(let b) = pieces[5] else { return XCTFail() }
        XCTAssertEqual(g.expression, "g")
        XCTAssertEqual(g.start.column, 9, "the field's place in the source, for errors inside it")
        XCTAssertEqual(g.spec, [.literal(".4f")])
        XCTAssertEqual(pieces[2], .literal(", {x} "))
        XCTAssertEqual(a.conversion, "r")
        XCTAssertEqual(a.spec, [.literal(">8")])
        XCTAssertEqual(b.expression, "b")
        XCTAssertEqual(b.debugText, "b=")
        guard case .fstring(let nested) = single("f'{x:{w}.{p}f}'"), case .field(let x) = nested[0] else { return XCTFail() }
        XCTAssertEqual(x.spec?.count, 4, "a spec with nested fields: {w} . {p} f")
    }

    func testFStringErrors() {
        XCTAssertEqual(lexFailure("f\"{}\"")?.message, "f-string: empty expression not allowed")
        XCTAssertEqual(lexFailure("f\"a } b\"")?.message, "f-string: single '}' is not allowed")
        XCTAssertEqual(lexFailure("f\"{x!q}\"")?.message, "f-string: invalid conversion character: expected 's', 'r', or 'a'")
        XCTAssertEqual(lexFailure("f\"{x\"")?.message, "f-string: expecting '}'")
    }

    // MARK: - Numbers

    func testIntegers() {
        XCTAssertEqual(single("1_000"), .int(1000))
        XCTAssertEqual(single("0x1F"), .int(31))
        XCTAssertEqual(single("0o17"), .int(15))
        XCTAssertEqual(single("0b1010"), .int(10))
        XCTAssertEqual(single("0"), .int(0))
        XCTAssertEqual(single("00"), .int(0))
        XCTAssertEqual(single("0x_ff"), .int(255))
    }

    func testFloats() {
        XCTAssertEqual(single("1."), .float(1))
        XCTAssertEqual(single(".5"), .float(0.5))
        XCTAssertEqual(single("1e-3"), .float(0.001))
        XCTAssertEqual(single("2.5E+4"), .float(25_000))
        XCTAssertEqual(single("1_0.2_5"), .float(10.25))
        XCTAssertEqual(single("1.e2"), .float(100))
        XCTAssertEqual(single("012.5"), .float(12.5))
        XCTAssertEqual(kinds("1.5.real")[0], .float(1.5))
    }

    func testInvalidNumbers() {
        XCTAssertEqual(lexFailure("012")?.message, "leading zeros in decimal integer literals are not permitted")
        XCTAssertEqual(lexFailure("1__0")?.message, "invalid decimal literal")
        XCTAssertEqual(lexFailure("1_")?.message, "invalid decimal literal")
        XCTAssertEqual(lexFailure("0x")?.message, "invalid hexadecimal literal")
        XCTAssertEqual(lexFailure("0b102")?.message, "invalid binary literal")
        let letters = lexFailure("x = 1abc")
        XCTAssertEqual(letters?.message, "invalid decimal literal")
        XCTAssertEqual(place(letters?.range), "1:5-1:9")
        XCTAssertEqual(lexFailure("2j")?.message, "complex numbers are not supported")
        XCTAssertEqual(single("99999999999999999999"), .bigInt(BigInt("99999999999999999999", radix: 10)!), "exact, as Python's ints")
        XCTAssertEqual(lexFailure("1e999")?.message, "float literal is out of range")
        XCTAssertEqual(single("1e-999"), .float(0))
    }

    // MARK: - Strings

    func testStringEscapes() {
        XCTAssertEqual(single(#"'a\nb'"#), .string("a\nb"))
        XCTAssertEqual(single(#""\t\\\'\"""#), .string("\t\\'\""))
        XCTAssertEqual(single(#"'\x41\u00e9\U0001F600\101'"#), .string("Aé😀A"))
        XCTAssertEqual(single(#"'\d'"#), .string("\\d"))
        XCTAssertEqual(single("\"it's\""), .string("it's"))
        XCTAssertEqual(single("'a\\\nb'"), .string("ab"))
        XCTAssertEqual(lexFailure(#"'\x4'"#)?.message, "invalid \\x escape: expected 2 hex digits")
    }

    func testRawAndPrefixedStrings() {
        XCTAssertEqual(single(#"r"a\nb""#), .string(#"a\nb"#))
        XCTAssertEqual(single(#"R'\''"#), .string(#"\'"#))
        XCTAssertEqual(single(#"u'x'"#), .string("x"))
        let token = try? Lexer.tokenize(#"r'\d+'"#).first
        XCTAssertEqual(token?.text, #"r'\d+'"#)
        XCTAssertEqual(place(token?.range), "1:1-1:7")
    }

    func testTripleQuotedStrings() {
        XCTAssertEqual(single("'''one\ntwo 'quoted' \"\"\" '''"), .string("one\ntwo 'quoted' \"\"\" "))
        XCTAssertEqual(single("\"\"\"a\"\"b\"\"\""), .string("a\"\"b"))
        let tokens = try? Lexer.tokenize("'''a\nb''' x")
        XCTAssertEqual(place(tokens?[0].range), "1:1-2:5")
        XCTAssertEqual(place(tokens?[1].range), "2:6-2:7")
    }

    func testUnterminatedStrings() {
        let single = lexFailure("x = 'abc\ny = 1")
        XCTAssertEqual(single?.message, "unterminated string literal")
        XCTAssertEqual(place(single?.range), "1:5-1:9")
        XCTAssertNotNil(lexFailure("x = \"abc"))
        XCTAssertTrue(isIncomplete("x = '''abc\n"))
        XCTAssertTrue(isIncomplete("x = \"\"\"abc\ndef\"\""))
        XCTAssertTrue(isIncomplete("x = 'abc\\"))
    }

    // MARK: - Lines and indentation

    func testIndentAndDedent() {
        let source = "def f(x):\n    if x:\n        y\n    z\nw\n"
        XCTAssertEqual(kinds(source), [
            .keyword(.def), .name("f"), .symbol(.leftParen), .name("x"), .symbol(.rightParen), .symbol(.colon), .newline,
            .indent, .keyword(.if), .name("x"), .symbol(.colon), .newline,
            .indent, .name("y"), .newline,
            .dedent, .name("z"), .newline,
            .dedent, .name("w"), .newline,
            .endOfInput,
        ])
        XCTAssertEqual(kinds("if x:\n  if y:\n    z"), [
            .keyword(.if), .name("x"), .symbol(.colon), .newline, .indent, .keyword(.if), .name("y"),
            .symbol(.colon), .newline, .indent, .name("z"), .newline, .dedent, .dedent, .endOfInput,
        ])
    }

    func testIndentTokenRanges() throws {
        let tokens = try Lexer.tokenize("if x:\n    y\nz")
        let indent = try XCTUnwrap(tokens.first { $0.kind == .indent })
        XCTAssertEqual(place(indent.range), "2:1-2:5")
        let dedent = try XCTUnwrap(tokens.first { $0.kind == .dedent })
        XCTAssertEqual(place(dedent.range), "3:1-3:1")
        let newline = try XCTUnwrap(tokens.first { $0.kind == .newline })
        XCTAssertEqual(place(newline.range), "1:6-1:7")
    }

    func testBracketsSuppressNewlinesAndIndentation() {
        XCTAssertEqual(kinds("f(1,\n      2,\n  3)\nx"), [
            .name("f"), .symbol(.leftParen), .int(1), .symbol(.comma), .int(2), .symbol(.comma), .int(3),
            .symbol(.rightParen), .newline, .name("x"), .newline, .endOfInput,
        ])
    }

    func testCommentsAndBlankLinesProduceNoTokens() {
        XCTAssertEqual(kinds("# header\n\nx = 1  # note\n   \n      # indented comment\ny\n"), [
            .name("x"), .symbol(.assign), .int(1), .newline, .name("y"), .newline, .endOfInput,
        ])
        XCTAssertEqual(kinds(""), [.endOfInput])
        XCTAssertEqual(kinds("\n\n# only\n"), [.endOfInput])
    }

    func testLineContinuation() {
        XCTAssertEqual(kinds("x = 1 + \\\n    2\ny"), [
            .name("x"), .symbol(.assign), .int(1), .symbol(.plus), .int(2), .newline, .name("y"), .newline,
            .endOfInput,
        ])
        XCTAssertTrue(isIncomplete("x = 1 + \\"))
        let stray = lexFailure("x = 1 \\ 2")
        XCTAssertEqual(stray?.message, "unexpected character after line continuation character")
        XCTAssertEqual(place(stray?.range), "1:7-1:8")
    }

    func testIndentationErrors() {
        let unindent = lexFailure("if x:\n    y\n  z")
        XCTAssertEqual(unindent?.message, "unindent does not match any outer indentation level")
        XCTAssertEqual(place(unindent?.range), "3:1-3:3")
        XCTAssertEqual(lexFailure("if x:\n        y\n\tz")?.message,
                       "inconsistent use of tabs and spaces in indentation")
        XCTAssertEqual(kinds("if x:\n\ty\n\tz").filter { $0 == .indent }.count, 1)
    }

    func testColumnsCountUnicodeScalars() throws {
        let tokens = try Lexer.tokenize("é = 'ü😀'; x")
        XCTAssertEqual(tokens[0].kind, .name("é"))
        XCTAssertEqual(place(tokens[2].range), "1:5-1:9")
        XCTAssertEqual(tokens[4].kind, .name("x"))
        XCTAssertEqual(place(tokens[4].range), "1:11-1:12")
        XCTAssertEqual(tokens[4].range.start.offset, 10)
    }

    func testEndsWithBlankLine() throws {
        func blank(_ source: String) throws -> Bool {
            var lexer = Lexer(source)
            while try lexer.next().kind != .endOfInput {}
            return lexer.endsWithBlankLine
        }
        XCTAssertTrue(try blank("def f():\n    pass\n"))
        XCTAssertTrue(try blank("def f():\n    pass\n   "))
        XCTAssertFalse(try blank("def f():\n    pass"))
        XCTAssertFalse(try blank("def f():\n    pass\n# note"))
        XCTAssertFalse(try blank(""))
    }
}
