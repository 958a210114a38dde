import XCTest
import Lang

/// Every function that an error's hint recommends exists: the hints are read from the sources
/// (string literals on lines that set a `hint`), each `name(` or `receiver.method(` in them is
/// looked up in a fresh interpreter, with the user's usual variable names standing for a tensor
/// (`x.float(`) or a module (`net.eval(`).
final class HintNameTests: XCTestCase {
    func testEveryFunctionAHintNamesExists() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("jacobi-bench") }
        let literal = try NSRegularExpression(pattern: #""((?:[^"\\]|\\.)*)""#)
        let interpolation = try NSRegularExpression(pattern: #"\\\([^)]*\)"#)
        let call = try NSRegularExpression(pattern: #"(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\("#)
        let tensorNames: Set<String> = ["x", "y", "A", "J", "W", "t", "v"], moduleNames: Set<String> = ["net", "model"]
        let userFunctions: Set<String> = ["f", "g", "np"]
        var named: [String: String] = [:]  // expression -> where it was found
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains("hint") {
                let l = String(line)
                for m in literal.matches(in: l, range: NSRange(l.startIndex..., in: l)) {
                    var s = String(l[Range(m.range(at: 1), in: l)!])
                    s = interpolation.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "")
                    for c in call.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
                        let name = String(s[Range(c.range(at: 1), in: s)!])
                        let parts = name.split(separator: ".").map(String.init)
                        if userFunctions.contains(parts[0]) { continue }
                        var expression = name
                        if tensorNames.contains(parts[0]) {
                            expression = (["randn(2, 2)"] + parts.dropFirst()).joined(separator: ".")
                        } else if moduleNames.contains(parts[0]) {
                            expression = (["Linear(2, 2)"] + parts.dropFirst()).joined(separator: ".")
                        }
                        named[expression] = "\(file):\(i + 1)"
                    }
                }
            }
        }
        XCTAssertGreaterThan(named.count, 15, "the hints were not found")
        let interp = Interpreter(output: { _ in }, warn: { _ in })
        _ = interp.run("import torch\nimport sys\nimport jax\nfrom jax import jit, grad, vmap, lax", file: "<test>", echo: false)
        for (expression, place) in named.sorted(by: { $0.key < $1.key }) {
            // A bare name may be a function, or a method written without its receiver
            // (`backward()`, `load_state_dict()`).
            let readings = expression.contains(".") ? [expression]
                : [expression, "randn(2, 2)." + expression, "Linear(2, 2)." + expression]
            let found = readings.contains { interp.run($0, file: "<test>", echo: false).succeeded }
            XCTAssertTrue(found, "\(place): a hint names \(expression), which does not exist")
        }
    }
}
