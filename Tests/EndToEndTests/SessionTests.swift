import XCTest
import Foundation

/// Replays every `sessions/*.jac` script with the built `jacobi` binary and compares its
/// transcript with the golden `sessions/*.out`. A script's first lines may say
/// `# args: ...` (extra flags) and `# exit: N` (expected exit status, default 0).
/// Set `JACOBI_UPDATE_GOLDEN=1` to rewrite the goldens after an intended change.
final class SessionTests: XCTestCase {
    func testEverySessionMatchesItsGoldenTranscript() throws {
        let sessions = packageRoot.appendingPathComponent("sessions")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: sessions.path)
            .filter { $0.hasSuffix(".jac") }.sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 3, "expected session scripts in \(sessions.path)")
        for script in scripts {
            let path = "sessions/" + script
            let text = try String(contentsOfFile: packageRoot.appendingPathComponent(path).path, encoding: .utf8)
            var args = ["--transcript", "--stable-output"]
            var expectedStatus: Int32 = 0
            for line in text.split(separator: "\n").prefix(3) {
                if line.hasPrefix("# args:") { args += line.dropFirst(7).split(separator: " ").map(String.init) }
                if line.hasPrefix("# exit:") { expectedStatus = Int32(line.dropFirst(7).trimmingCharacters(in: .whitespaces)) ?? 0 }
            }
            // Sessions that draw pictures are checked at a second width too (NAME.cols200.out).
            let widths = text.contains(":spy") || text.contains(":heat") || text.contains("heatmap(") ? ["80", "200"] : ["80"]
            for width in widths {
                let (output, status) = try runJacobi(args + [path], environment: ["COLUMNS": width])
                XCTAssertEqual(status, expectedStatus, "\(script): exit status")
                let suffix = width == "80" ? ".out" : ".cols\(width).out"
                let golden = packageRoot.appendingPathComponent("sessions/" + script.replacingOccurrences(of: ".jac", with: suffix))
                if ProcessInfo.processInfo.environment["JACOBI_UPDATE_GOLDEN"] == "1" {
                    try output.write(to: golden, atomically: true, encoding: .utf8)
                    continue
                }
                guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
                    XCTFail("\(script): no golden transcript at \(golden.path); run with JACOBI_UPDATE_GOLDEN=1")
                    continue
                }
                if output != expected {
                    XCTFail("\(script) at \(width) columns: transcript differs from \(golden.lastPathComponent):\n" + firstDifference(output, expected))
                }
            }
        }
    }

    func testReplayIsDeterministic() throws {
        let (a, _) = try runJacobi(["--transcript", "--stable-output", "sessions/transforms.jac"])
        let (b, _) = try runJacobi(["--transcript", "--stable-output", "sessions/transforms.jac"])
        XCTAssertEqual(a, b)
    }

    func testPipedStdinRunsAsScriptWithoutPrompts() throws {
        let (out, status) = try runJacobi([], stdin: "x = tensor([1., 2.])\nx * 2\n")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(out, "tensor([2., 4.])\n")
    }

    func testScriptStopsAtFirstErrorWithPlaceAndCaret() throws {
        let (out, status) = try runJacobi(["-c", "a = 1\nb = a +* 2\nprint('not reached')"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(out.contains("<string>:2:8: error:"), out)
        XCTAssertTrue(out.contains("b = a +* 2\n       ^"), out)
        XCTAssertFalse(out.contains("not reached"))
    }

    func testKeepGoingRunsPastErrors() throws {
        let (out, status) = try runJacobi(["--keep-going", "-c", "print(1)\nnope\nprint(2)"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(out.contains("1\n") && out.contains("2\n") && out.contains("name 'nope' is not defined"), out)
    }

    func testATerabyteJacobianIsRefusedInWellUnderASecond() throws {
        let start = Date()
        let (out, status) = try runJacobi(["-c", "net = mlp(512, 512)\nx = randn(1024, 512)\nJ = jacobian(net, x, vectorize=True)"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0, "the whole process, refusal included")
        XCTAssertEqual(status, 1)
        XCTAssertTrue(out.contains("the full Jacobian would need 1.1 TB"), out)
    }

    func testVersionNamesTheBLASKernel() throws {
        let (out, status) = try runJacobi(["--version"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(out.contains("BLAS: OpenBLAS, kernel "), out)
        XCTAssertFalse(out.contains("kernel Prescott"), "the generic Prescott kernel should have been replaced:\n\(out)")
    }

    func testGEMMAgreesWithNaiveLoopOnTheKernelUsersGet() throws {
        let (out, status) = try runJacobi(["--check-blas"])
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("all 48 cases agree"), out)
    }
}

// MARK: - Helpers

let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built binary: `$JACOBI_BIN`, else the release build, else the debug build.
func jacobiBinary() throws -> URL {
    if let p = ProcessInfo.processInfo.environment["JACOBI_BIN"], FileManager.default.isExecutableFile(atPath: p) {
        return URL(fileURLWithPath: p)
    }
    for config in ["release", "debug"] {
        let u = packageRoot.appendingPathComponent(".build/\(config)/jacobi")
        if FileManager.default.isExecutableFile(atPath: u.path) { return u }
    }
    throw XCTSkip("jacobi binary not built; run `swift build -c release --product jacobi`")
}

/// Runs jacobi in the package root; returns stdout+stderr merged and the exit status.
func runJacobi(_ args: [String], stdin: String = "", environment: [String: String] = [:]) throws -> (String, Int32) {
    let p = Process()
    p.executableURL = try jacobiBinary()
    p.arguments = args
    // A fixed output width (pictures follow it), whatever the developer's shell exports.
    p.environment = ProcessInfo.processInfo.environment.merging(["COLUMNS": "80"].merging(environment) { $1 }) { $1 }
    p.currentDirectoryURL = packageRoot
    let out = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = input
    try p.run()
    input.fileHandleForWriting.write(stdin.data(using: .utf8)!)
    try input.fileHandleForWriting.close()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), p.terminationStatus)
}

/// The first differing line of two texts, with context.
func firstDifference(_ a: String, _ b: String) -> String {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? String(x[i]) : "<end>", r = i < y.count ? String(y[i]) : "<end>"
        if l != r { return "line \(i + 1):\n  got:      \(l)\n  expected: \(r)" }
    }
    return "(identical lines; trailing difference)"
}
