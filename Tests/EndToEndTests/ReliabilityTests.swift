import XCTest
import Foundation

/// A long session holds its memory flat: 10,000 `vmap(jacrev(f))(x)` calls on a fresh lambda each
/// time (so nothing can be served by reusing one function object) grow the resident set by less
/// than a few megabytes once the first thousand have filled the program cache (512 programs and
/// their plans, about 5 MB here) and started it afresh.
final class ReliabilityTests: XCTestCase {
    func testTenThousandTransformCallsHoldMemoryFlat() throws {
        let script = """
        import torch
        from torch.func import vmap, jacrev
        net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 4))
        x = torch.randn(32, 8)
        def rss():
            with open('/proc/self/status') as f:
                for line in f:
                    if line.startswith('VmRSS'):
                        return int(line.split()[1])
        for i in range(1000):
            J = vmap(jacrev(lambda v: net(v).tanh()))(x)
        before = rss()
        for i in range(9000):
            J = vmap(jacrev(lambda v: net(v).tanh()))(x)
        print(tuple(J.shape), rss() - before)
        """
        let (output, status) = try runJacobi(["-c", script])
        XCTAssertEqual(status, 0, output)
        let parts = output.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: ") ")
        XCTAssertEqual(parts.first, "(32, 4, 8", output)
        let growthKB = try XCTUnwrap(Int(parts.last ?? ""), output)
        // Measured: about 0.4 MB (allocator noise); a leak of the transformed functions would be
        // tens of megabytes.
        XCTAssertLessThan(growthKB, 4096, "resident memory grew by \(growthKB) KB over 9,000 calls")
    }
}
