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

/// OpenBLAS starts with one thread and gets the machine's cores at the first large product
/// (`BLASInfo.deferThreads`): a small matmul starts no worker thread, a large one does.
final class DeferredBLASThreadsTests: XCTestCase {
    func testWorkerThreadsStartAtTheFirstLargeProduct() throws {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { throw XCTSkip("one core: nothing to defer") }
        let env = ProcessInfo.processInfo.environment
        if ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"].contains(where: { env[$0] != nil }) {
            throw XCTSkip("the environment chooses OpenBLAS's threads")
        }
        let threads = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('Threads')][0])"
        let (small, s1) = try runJacobi(["-c", "import torch\ny = torch.ones(8, 8) @ torch.ones(8, 8)\n" + threads])
        let (large, s2) = try runJacobi(["-c", "import torch\ny = torch.ones(300, 300) @ torch.ones(300, 300)\n" + threads])
        XCTAssertEqual(s1, 0)
        XCTAssertEqual(s2, 0)
        let before = Int(small.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let after = Int(large.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertGreaterThan(after, before, "OpenBLAS's workers start with the first large product")
        let (environment, s3) = try runJacobi(["-c", "import torch\ny = torch.ones(8, 8) @ torch.ones(8, 8)\nprint(torch.get_num_threads())"])
        XCTAssertEqual(s3, 0)
        XCTAssertEqual(Int(environment.trimmingCharacters(in: .whitespacesAndNewlines)), ProcessInfo.processInfo.activeProcessorCount)
    }
}
