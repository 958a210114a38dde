import Foundation
import XCTest
@testable import Tensor

/// The storage dtypes (float16, bfloat16, int8/16/32, uint8): PyTorch's promotion table,
/// bfloat16 rounding, and kernels computed in the compute type then narrowed.
final class DTypeTests: XCTestCase {
    /// Every pair agrees with `torch.promote_types` (Fixtures/promote_types.txt, from PyTorch),
    /// whose table leaves out uint32 (PyTorch refuses to promote it).
    func testPromotionMatchesPyTorchForEveryPair() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "promote_types", withExtension: "txt", subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let torchTypes = DType.allCases.filter { $0 != .uint32 }
        XCTAssertEqual(lines.count, torchTypes.count * torchTypes.count)
        for line in lines {
            let f = line.split(separator: " ").map { DType(rawValue: String($0)) }
            guard f.count == 3, let a = f[0], let b = f[1], let r = f[2] else { return XCTFail("bad line \(line)") }
            XCTAssertEqual(DType.promote(a, b), r, "promote(\(a), \(b))")
        }
    }

    /// uint32 (JAX's key type) promotes as in NumPy and JAX.
    func testUInt32PromotesAsNumPy() {
        XCTAssertEqual(DType.promote(.uint32, .uint8), .uint32)
        XCTAssertEqual(DType.promote(.bool, .uint32), .uint32)
        XCTAssertEqual(DType.promote(.uint32, .int32), .int64)
        XCTAssertEqual(DType.promote(.int8, .uint32), .int64)
        XCTAssertEqual(DType.promote(.uint32, .int64), .int64)
        XCTAssertEqual(DType.promote(.uint32, .float32), .float32)
    }

    func testBFloat16RoundsToNearestEvenAndRoundTrips() {
        for bits in UInt16.min...UInt16.max {
            let value = BFloat16(bits: bits).float
            if value.isNaN { continue }
            XCTAssertEqual(BFloat16(value).bits, bits, "bfloat16 bits \(bits) round-trip")
        }
        // Halfway between 1.0 (0x3F80) and the next value: to the even one; above halfway: up.
        XCTAssertEqual(BFloat16(Float(bitPattern: 0x3F80_8000)).bits, 0x3F80)
        XCTAssertEqual(BFloat16(Float(bitPattern: 0x3F81_8000)).bits, 0x3F82)
        XCTAssertEqual(BFloat16(Float(bitPattern: 0x3F80_8001)).bits, 0x3F81)
        XCTAssertEqual(BFloat16(Float.nan).bits, 0x7FC0)
        XCTAssertEqual(BFloat16(Float.greatestFiniteMagnitude).float, .infinity, "rounds up past the largest bfloat16")
    }

    func testNarrowTypesComputeWideThenWrapOrRound() throws {
        let a = Tensor(shape: [3], storage: .int8([120, -128, 7]))
        let sum = try Tensor.binary(.add, a, Tensor(shape: [3], storage: .int8([10, -1, 1])))
        guard case .int8(let s) = sum.storage else { return XCTFail("\(sum.dtype)") }
        XCTAssertEqual(s, [-126, 127, 8], "int8 wraps as PyTorch's does")
        // Integer sums are int64 (as torch.sum); max keeps the type.
        XCTAssertEqual(try Tensor.reduce(.sum, a, axes: [0]).dtype, .int64)
        XCTAssertEqual(try Tensor.reduce(.max, a, axes: [0]).dtype, .int8)
        // float16: computed in float32, rounded once.
        let h = Tensor(shape: [2], doubles: [1, 2048], dtype: .float16)
        let r = try Tensor.binary(.add, h, Tensor(shape: [2], doubles: [0.0004, 1], dtype: .float16))
        XCTAssertEqual(r.dtype, .float16)
        XCTAssertEqual(r.doubles, [1, 2048], "1 + 0.0004 and 2048 + 1 round back to the inputs in float16")
        // Doubles reach float16 through float32 (as PyTorch converts).
        XCTAssertEqual(Tensor(shape: [1], doubles: [65520], dtype: .float16).doubles, [.infinity])
        XCTAssertEqual(Tensor(shape: [1], doubles: [300], dtype: .uint8).doubles, [44])
        XCTAssertEqual(Tensor(shape: [1], doubles: [-3.7], dtype: .int16).doubles, [-3])
    }
}
