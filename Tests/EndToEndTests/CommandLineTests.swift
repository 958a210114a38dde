import XCTest
import Foundation

/// The command line as a new user tries it.
final class CommandLineTests: XCTestCase {
    /// `jacobi --help` prints the usage (the script's own arguments are captured as they come,
    /// so the flag must not be taken for a file) and names `-c`'s value.
    func testHelpPrintsUsage() throws {
        for flag in ["--help", "-h"] {
            let (output, status) = try runJacobi([flag])
            XCTAssertEqual(status, 0, output)
            XCTAssertTrue(output.contains("USAGE: jacobi"), output)
            XCTAssertTrue(output.contains("-c <CODE>"), output)
        }
    }

    /// The words after `-c CODE` are `sys.argv[1:]`, as in Python.
    func testWordsAfterCodeAreArguments() throws {
        let (output, status) = try runJacobi(["-c", "import sys; print(sys.argv)", "a.py", "b"])
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output, "['-c', 'a.py', 'b']\n")
    }

    /// Options before `-c` (read without ArgumentParser at start-up) mean what they always meant;
    /// other words still go through ArgumentParser, which takes an unknown option for a script.
    func testOptionsBeforeCodeAndUnknownOptions() throws {
        let (output, status) = try runJacobi(["--keep-going", "--transcript", "-c", "nope\nprint(2)"])
        XCTAssertEqual(status, 1, output)
        XCTAssertTrue(output.contains(">>> print(2)\n2\n"), output)
        let (unknown, bad) = try runJacobi(["--frobnicate"])
        XCTAssertNotEqual(bad, 0)
        XCTAssertTrue(unknown.contains("--frobnicate") && unknown.contains("No such file or directory"), unknown)
    }

    /// A missing script says what the system says.
    func testMissingScriptSaysNoSuchFile() throws {
        let (output, status) = try runJacobi(["no_such_script.jac"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains("No such file or directory"), output)
    }
}

/// OpenBLAS and LAPACKE are loaded by the first BLAS or LAPACK call, not at start
/// (`Sources/CBLAS/Loader.c`): a script that multiplies no matrices never maps them.
final class LazyBLASTests: XCTestCase {
    func testOpenBLASIsMappedOnlyOnceAMatrixIsMultiplied() throws {
        let count = "print(sum('openblas' in l for l in open('/proc/self/maps')))"
        let (before, s1) = try runJacobi(["-c", "x = 1 + 1\n" + count])
        XCTAssertEqual(s1, 0)
        XCTAssertEqual(before.trimmingCharacters(in: .whitespacesAndNewlines), "0", "OpenBLAS mapped before any BLAS call")
        let (after, s2) = try runJacobi(["-c", "import torch\ny = torch.ones(8, 8) @ torch.ones(8, 8)\nprint(y[0, 0].item())\n" + count])
        XCTAssertEqual(s2, 0)
        let lines = after.split(separator: "\n")
        XCTAssertEqual(lines.first, "8.0")
        XCTAssertGreaterThan(Int(lines.last ?? "") ?? 0, 0, "OpenBLAS not mapped after a matmul")
    }
}
