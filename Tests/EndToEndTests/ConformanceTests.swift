import XCTest
import Foundation

/// The conformance suite: every `Tests/Conformance/NN_*.py`, a script in PyTorch's idiom, is run
/// by the built `jacobi` as Python would run it, and its stdout is compared line by line with what
/// PyTorch printed (`NN_*.out`, recorded by `Tests/Conformance/record.py` from a venv).
///
/// The comparison: lines must match exactly, except that a number may differ by one unit in its
/// last printed digit (float32 rounding) and lines that hold times (`1.57 us`) or object
/// addresses (`at 0x7f...`) are compared with their numbers and time units masked.
final class ConformanceTests: XCTestCase {
    static let folder = packageRoot.appendingPathComponent("Tests/Conformance")

    func testEveryScriptPrintsWhatPyTorchPrints() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".py") && $0.first?.isNumber == true }.sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 30, "the suite has at least 30 scripts")
        defer { removeScratchFiles() }
        for script in scripts {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(script), encoding: .utf8)
            var expectedStatus: Int32 = 0
            if let first = text.split(separator: "\n").first, first.hasPrefix("# exit:") {
                expectedStatus = Int32(first.dropFirst(7).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            let golden = Self.folder.appendingPathComponent(script.replacingOccurrences(of: ".py", with: ".out"))
            let expected = try String(contentsOf: golden, encoding: .utf8)
            let (out, err, status) = try runScript(script)
            XCTAssertEqual(status, expectedStatus, "\(script): exit status; stderr:\n\(err)")
            if let difference = conformanceDifference(out, expected) {
                XCTFail("\(script) differs from what PyTorch prints (\(golden.lastPathComponent)):\n\(difference)\nstderr:\n\(err)")
            }
        }
    }

    /// The JAX suite (`Tests/Conformance/jax`): scripts in JAX's idiom against what JAX printed.
    /// Integers (random keys and bits, shapes, counts) and all text must match exactly; floats to
    /// 1e-6 of the largest number on their line, since XLA evaluates transcendental functions
    /// and sums with its own float32 approximations.
    func testEveryJAXScriptPrintsWhatJAXPrints() throws {
        let folder = Self.folder.appendingPathComponent("jax")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".py") && $0.first?.isNumber == true }.sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 15, "the JAX suite has at least 15 scripts")
        for script in scripts {
            let expected = try String(contentsOf: folder.appendingPathComponent(script.replacingOccurrences(of: ".py", with: ".out")), encoding: .utf8)
            let (out, err, status) = try runScript(script, in: folder)
            XCTAssertEqual(status, 0, "\(script): exit status; stderr:\n\(err)")
            if let difference = jaxConformanceDifference(out, expected) {
                XCTFail("\(script) differs from what JAX prints:\n\(difference)\nstderr:\n\(err)")
            }
        }
    }

    func testTheJAXComparisonRule() {
        XCTAssertNil(jaxConformanceDifference("[ 0.2670732  0.1299709 -0.6804863]\n", "[ 0.26707298  0.12997112 -0.6804864 ]\n"), "float32 rounding")
        XCTAssertNotNil(jaxConformanceDifference("[0.267 0.13]\n", "[0.26707298 0.12997112]\n"), "beyond 1e-6")
        XCTAssertNotNil(jaxConformanceDifference("[1797259609 2579123966]\n", "[1797259609 2579123967]\n"), "keys exactly")
        XCTAssertNotNil(jaxConformanceDifference("Array(1., dtype=float32)\n", "Array(1., dtype=float32, weak_type=True)\n"), "text exactly")
    }

    func testTheComparisonRule() {
        XCTAssertNil(conformanceDifference("tensor([0.1235, 2.0000])\n", "tensor([0.1234, 2.0000])\n"), "last digit")
        XCTAssertNotNil(conformanceDifference("tensor([0.1237, 2.0000])\n", "tensor([0.1234, 2.0000])\n"), "more than one unit")
        XCTAssertNotNil(conformanceDifference("tensor([1, 2])\n", "tensor([1., 2.])\n"), "dtype shows in the digits")
        XCTAssertNil(conformanceDifference("  Median: 3.10 ms\n", "  Median: 17.25 us\n"), "times are masked")
        XCTAssertNil(conformanceDifference("<obj at 0xdeadbeef>\n", "<obj at 0x7f00aa>\n"), "addresses are masked")
        XCTAssertNotNil(conformanceDifference("a\n", "a\nb\n"), "a missing line")
    }

    // MARK: - Running and comparing

    func runScript(_ script: String, in folder: URL = ConformanceTests.folder) throws -> (String, String, Int32) {
        let p = Process()
        p.executableURL = try jacobiBinary()
        p.arguments = [script]
        p.currentDirectoryURL = folder
        p.environment = ["PYTHONHASHSEED": "0", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        // stderr goes to a file so that neither pipe can fill up while the other is read.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self), p.terminationStatus)
    }

    private func removeScratchFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path)) ?? []
        for n in names where n.hasPrefix("_conformance_tmp") {
            try? FileManager.default.removeItem(at: Self.folder.appendingPathComponent(n))
        }
    }
}

/// The first line where `got` differs from JAX's `expected` under the JAX suite's rule, or nil.
func jaxConformanceDifference(_ got: String, _ expected: String) -> String? {
    let x = got.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let y = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? x[i] : "<no line>", r = i < y.count ? y[i] : "<no line>"
        if l != r && !jaxLinesMatch(l, r) { return "line \(i + 1):\n  jacobi: \(l)\n  JAX:    \(r)" }
    }
    return nil
}

private let jaxNumber = try! NSRegularExpression(pattern: #"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)"#)

private func jaxLinesMatch(_ a: String, _ b: String) -> Bool {
    func shape(_ s: String) -> String { replacing(jaxNumber, in: s, with: "#").replacingOccurrences(of: " ", with: "") }
    guard shape(a) == shape(b) else { return false }
    func numbers(_ s: String) -> [String] { jaxNumber.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) } }
    let p = numbers(a), q = numbers(b)
    guard p.count == q.count else { return false }
    let scale = q.compactMap(Double.init).filter(\.isFinite).map(abs).max() ?? 0
    for (u, v) in zip(p, q) where u != v {
        let isInteger = { (s: String) in !s.contains(".") && !s.contains("e") && Double(s) != nil }
        if isInteger(u) && isInteger(v) { return false }
        guard let du = Double(u), let dv = Double(v), du.isFinite, dv.isFinite else { return false }
        if abs(du - dv) > 1e-6 * scale { return false }
    }
    return true
}

/// The first line where `got` differs from `expected` under the suite's rule, or nil.
func conformanceDifference(_ got: String, _ expected: String) -> String? {
    let x = got.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let y = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? x[i] : "<no line>", r = i < y.count ? y[i] : "<no line>"
        if !linesMatch(l, r) { return "line \(i + 1):\n  jacobi:  \(l)\n  PyTorch: \(r)" }
    }
    return nil
}

private let timeOrAddress = try! NSRegularExpression(pattern: #"\d(?:\.\d+)?\s*(?:ns|us|µs|ms|s)\b|\bat 0x[0-9a-fA-F]+"#)
private let numberPattern = try! NSRegularExpression(pattern: #"0x[0-9a-fA-F]+|[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"#)
private let unitPattern = try! NSRegularExpression(pattern: #"(?<=<N>)\s*(?:ns|us|µs|ms|s)\b"#)

private func replacing(_ re: NSRegularExpression, in s: String, with t: String) -> String {
    re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: t)
}

private func numbers(_ s: String) -> [String] {
    numberPattern.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) }
}

/// Two lines match exactly, or up to one unit in the last digit of each number, or (lines with
/// times or addresses) with numbers and units masked.
private func linesMatch(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    let range = NSRange(b.startIndex..., in: b)
    if timeOrAddress.firstMatch(in: b, range: range) != nil {
        func masked(_ s: String) -> String { replacing(unitPattern, in: replacing(numberPattern, in: s, with: "<N>"), with: " <U>") }
        return masked(a) == masked(b)
    }
    // Numbers may differ in their last digit (widths with them); everything else must match.
    func shape(_ s: String) -> String { replacing(numberPattern, in: s, with: "#").replacingOccurrences(of: " ", with: "") }
    guard shape(a) == shape(b) else { return false }
    let p = numbers(a), q = numbers(b)
    guard p.count == q.count else { return false }
    for (u, v) in zip(p, q) where u != v {
        guard let du = Double(u), let dv = Double(v) else { return false }
        // A point, the number of decimals and an exponent come from the dtype and must agree.
        func places(_ n: String) -> Int? { n.split(separator: "e")[0].split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count }
        guard places(u) == places(v), u.contains("e") == v.contains("e") else { return false }
        let decimals = places(v) ?? 0
        let exponent = v.contains("e") ? Double(v.split(separator: "e")[1]) ?? 0 : 0
        let unit = pow(10, -Double(decimals) + exponent)
        if abs(du - dv) > unit * 1.0001 { return false }
    }
    return true
}
