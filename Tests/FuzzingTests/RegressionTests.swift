import XCTest
import Fuzzing
import Tensor
import TensorIO

/// Every input that crashed a fuzzing harness or the program generator, replayed through the
/// same harness. Each must now end in the expected clean error (or value), never a crash.
final class RegressionTests: XCTestCase {
    /// (program, whether it runs without error).
    static let programs: [(String, Bool)] = [
        // 0-d tensors given to operations that need a dimension
        ("tensor(1.5).narrow(0, 0, 1)", false),
        ("tensor(1.5).select(0, 0)", false),
        ("tensor(1.5).split(1)", false),
        ("tensor(1.5).chunk(2)", false),
        ("tensor(1.5).unbind()", false),
        ("tensor(1.5).diagonal()", false),
        ("cat([tensor(1.0), tensor(2.0)])", false),
        ("cat([])", false),
        ("stack([])", false),
        ("tensor(1.5).index_select(0, tensor([0]))", false),
        ("tensor(1.5).size(0)", false),
        ("tensor(1.5).argmax(0)", true),
        ("softmax(tensor(1.5), 0)", true),
        ("log_softmax(tensor(1.5), -1)", true),
        ("tensor(1.5).movedim(0, 0)", true),
        ("tensor(1.5).permute(0)", false),
        ("tensor(1.5).squeeze(0)", true),
        // sizes from the user
        ("Linear(-3, 2)", false),
        ("Linear(2**62, 2**62)", false),
        ("LayerNorm(-1)", false),
        ("randn(3).expand(-2, 3)", false),
        ("randn(3).reshape(2**62, 4)", false),
        ("arange(0, 1e300)", false),
        ("arange(0, float('inf'))", false),
        ("arange(0, -1e20)", false),
        ("arange(0, -1e300, 1e-300)", false),
        ("eye(2**40)", false),
        ("randn(3, 1) + randn(1, 2**40)", false),
        // float to int conversions of values int64 cannot hold
        ("tensor([float('inf'), float('nan'), 1e30]).long()", true),
        ("tensor([1e30], dtype=float64).to(int64)", true),
    ]

    func testCrashInputsEndInCleanErrors() {
        for (program, runs) in Self.programs {
            let result = FuzzHarness.runProgram(program)
            XCTAssertEqual(result.succeeded, runs, "\(program): \(result.diagnostics.map(\.message))")
        }
    }

    /// Inputs saved by libFuzzer (`make fuzz`) that crashed the `lang` harness, replayed whole
    /// (`Crashes/lang-*`): they must run to their end (errors are fine).
    func testSavedFuzzerInputsRunToTheirEnd() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Crashes")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("lang-") }.sorted()
        XCTAssertFalse(names.isEmpty, "no saved inputs in \(folder.path)")
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var printed = ""
            let result = FuzzHarness.runProgram(text, output: { printed += $0 })
            // The harness keeps going after errors: a shape printed after the former crash point
            // shows that the input ran past it.
            XCTAssertTrue(printed.contains("torch.Size"), "\(name) stopped early: \(result.diagnostics.map(\.message))")
        }
    }

    /// Truncated, corrupt and hostile files for each reader.
    func testFileReadersRefuseHostileBytes() {
        let npyHeader = Array("\u{93}NUMPY\u{01}\u{00}".utf8)
        let cases: [(TensorFile.Format, [UInt8])] = [
            (.npy, []),
            (.npy, npyHeader),
            (.npy, npyHeader + [0x76, 0x00] + Array("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }".utf8) + [0x0a]),
            (.npz, Array("PK\u{03}\u{04}".utf8) + [UInt8](repeating: 0xff, count: 40)),
            (.safetensors, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f] + Array("{}".utf8)),
            (.safetensors, [8, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}".utf8)),
            (.csv, Array("1,2\n3".utf8)),
        ]
        for (format, bytes) in cases {
            XCTAssertThrowsError(try TensorFile.decode(bytes, format: format, path: "fuzz.\(format.rawValue)"), "\(format) \(bytes.count) bytes")
        }
    }
}
