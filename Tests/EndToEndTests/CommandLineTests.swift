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

/// OpenBLAS and LAPACKE are linked from their static archives (`Sources/CBLAS`): no BLAS, LAPACK
/// or Fortran runtime library is mapped, products and factorisations run, and the command line and
/// the environment survive the constructor that prepares OpenBLAS's start.
final class StaticBLASTests: XCTestCase {
    func testNoBLASLibraryIsMappedAndLinearAlgebraRuns() throws {
        let code = """
            import os, sys, torch
            print(os.environ.get('OPENBLAS_NUM_THREADS'), os.environ.get('OPENBLAS_CORETYPE'))
            y = torch.ones(8, 8) @ torch.ones(8, 8)
            s = torch.linalg.svdvals(torch.tensor([[3.0, 0.0], [0.0, 2.0]]))
            i = torch.linalg.inv(torch.eye(2) * 4)
            print(y[0, 0].item(), s.tolist(), i[1, 1].item(), sys.argv[1:])
            print(sum(any(n in l for n in ('libopenblas', 'liblapack', 'libblas', 'libgfortran')) for l in open('/proc/self/maps')))
            """
        let (out, status) = try runJacobi(["-c", code, "first", "second"])
        XCTAssertEqual(status, 0)
        let lines = out.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, out)
        guard lines.count == 3 else { return }
        // The variables set for OpenBLAS's start are removed again (unless given by the caller).
        let env = ProcessInfo.processInfo.environment
        let expected = [env["OPENBLAS_NUM_THREADS"], env["OPENBLAS_CORETYPE"]].map { $0 ?? "None" }.joined(separator: " ")
        XCTAssertEqual(String(lines[0]), expected)
        XCTAssertEqual(lines[1], "8.0 [3.0, 2.0] 0.25 ['first', 'second']")
        XCTAssertEqual(lines[2], "0", "a BLAS library is mapped from a shared object")
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
