import Foundation
import XCTest
@testable import Tensor
@testable import TensorIO

/// `.npy`, `.npz`, `.safetensors`, `.csv` and `.txt` against fixtures written by NumPy, PyTorch
/// and safetensors (`Fixtures/make_file_fixtures.py`): exact values, byte-identical output
/// where the Python libraries are deterministic, round trips, and one message per bad file.
final class FileFormatTests: XCTestCase {
    // MARK: - Helpers

    static let fixtureDirectory: String = {
        guard let url = Bundle.module.url(forResource: "files", withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("Fixtures/files is missing from the test bundle")
        }
        return url.path
    }()

    var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "jacobi-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func fixture(_ name: String) -> String { Self.fixtureDirectory + "/" + name }

    func loadTensor(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        switch try TensorFile.load(path: path) {
        case .tensor(let t): return t
        case .dict: XCTFail("\(path) loaded as a dict", file: file, line: line); return Tensor(scalar: 0)
        }
    }

    func loadDict(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [(String, Tensor)] {
        switch try TensorFile.load(path: path) {
        case .dict(let pairs): return pairs
        case .tensor: XCTFail("\(path) loaded as a tensor", file: file, line: line); return []
        }
    }

    func floats(_ t: Tensor) -> [Float] {
        if case .float32(let a) = t.storage { return a }
        XCTFail("expected float32, got \(t.dtype)"); return []
    }

    func doubles(_ t: Tensor) -> [Double] {
        if case .float64(let a) = t.storage { return a }
        XCTFail("expected float64, got \(t.dtype)"); return []
    }

    func ints(_ t: Tensor) -> [Int64] {
        if case .int64(let a) = t.storage { return a }
        XCTFail("expected int64, got \(t.dtype)"); return []
    }

    func bools(_ t: Tensor) -> [Bool] {
        if case .bool(let a) = t.storage { return a }
        XCTFail("expected bool, got \(t.dtype)"); return []
    }

    /// Exact equality, bit for bit for floats (so -0.0 differs from 0.0, and NaNs match NaNs).
    func assertIdentical(_ a: Tensor, _ b: Tensor, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        XCTAssertEqual(a.dtype, b.dtype, "\(what): dtypes differ", file: file, line: line)
        XCTAssertEqual(ElementLayout.encode(a.storage), ElementLayout.encode(b.storage), what, file: file, line: line)
    }

    func assertPairs(_ a: [(String, Tensor)], _ b: [(String, Tensor)], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map(\.0), b.map(\.0), file: file, line: line)
        for ((name, x), (_, y)) in zip(a, b) { assertIdentical(x, y, name, file: file, line: line) }
    }

    func errorMessage(_ body: () throws -> Void) -> TensorError? {
        do {
            try body()
            return nil
        } catch let error as TensorError {
            return error
        } catch {
            XCTFail("expected a TensorError, got \(error)")
            return nil
        }
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = scratch + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    // A fixed set of awkward values for round trips.
    let awkwardFloats: [Float] = [0, -0.0, 0.1, -1.5, 1e-45, 1.1754944e-38, 3.4028235e38, -3.4028235e38,
                                  .infinity, -.infinity, .nan, 16_777_217, 1.0000001, 123456.79]

    // MARK: - .npy reading

    func testNpyNativeDTypes() throws {
        let f4 = try loadTensor(fixture("f4.npy"))
        XCTAssertEqual(f4.shape, [2, 3])
        XCTAssertEqual(floats(f4).map(\.bitPattern), ([0.5, -1.25, 3.0, 1e-7, 65504.0, -0.0] as [Float]).map(\.bitPattern))
        let f8 = try loadTensor(fixture("f8.npy"))
        XCTAssertEqual(f8.shape, [3])
        XCTAssertEqual(doubles(f8), [0.1, -2.5, 1e300])
        let i8 = try loadTensor(fixture("i8.npy"))
        XCTAssertEqual(i8.shape, [2, 2])
        XCTAssertEqual(ints(i8), [Int64.min, Int64.max, 0, -1])
        let b1 = try loadTensor(fixture("b1.npy"))
        XCTAssertEqual(b1.shape, [4])
        XCTAssertEqual(bools(b1), [true, false, false, true])
    }

    func testNpyKeepsNarrowDTypes() throws {
        let expected: [(String, DType, [Int64])] = [
            ("i4.npy", .int32, [-2_147_483_648, 2_147_483_647, 7]),
            ("i2.npy", .int16, [-32768, 32767, -3]),
            ("i1.npy", .int8, [-128, 127, 0]),
            ("u1.npy", .uint8, [0, 255, 17]),
            ("u2.npy", .int64, [0, 65535, 300]),
            ("u4.npy", .uint32, [0, 4_294_967_295, 70000]),
            ("i4_big.npy", .int32, [-5, 100_000]),
        ]
        for (name, dtype, values) in expected {
            let t = try loadTensor(fixture(name))
            XCTAssertEqual(t.dtype, dtype, name)
            XCTAssertEqual(t.shape, [values.count], name)
            XCTAssertEqual(t.doubles, values.map(Double.init), name)
        }
        let f2 = try loadTensor(fixture("f2.npy"))
        XCTAssertEqual(f2.dtype, .float16)
        XCTAssertEqual(f2.doubles, [1, -2.5, 65504, 0x1p-24, .infinity])
        // Written back, each keeps its NumPy dtype.
        for name in ["i4.npy", "i2.npy", "i1.npy", "u1.npy", "f2.npy"] {
            let t = try loadTensor(fixture(name))
            assertIdentical(try NPY.decode(NPY.encode(t), path: name), t, name)
        }
    }

    func testNpyBigEndian() throws {
        let f4 = try loadTensor(fixture("f4_big.npy"))
        XCTAssertEqual(floats(f4), [1.5, -2, 1e30])
        let f8 = try loadTensor(fixture("f8_big.npy"))
        XCTAssertEqual(f8.shape, [1, 2])
        XCTAssertEqual(doubles(f8), [0.1, -0.2])
    }

    func testNpyFortranOrderIsTransposedIntoRowMajor() throws {
        let t = try loadTensor(fixture("fortran.npy"))
        XCTAssertEqual(t.shape, [2, 3, 4])
        XCTAssertEqual(floats(t), (0..<24).map(Float.init))
        // The file really is column-major: its first data bytes are 0 then 12 (element [1, 0, 0]).
        let raw = try bytes(fixture("fortran.npy"))
        let header = String(decoding: raw.prefix(128), as: UTF8.self)
        XCTAssertTrue(header.contains("'fortran_order': True"), header)
        XCTAssertEqual(ElementLayout.decode(raw, from: 128, count: 2, as: ElementLayout(native: .float32)).double(at: 1), 12)
    }

    func testNpyVersions2And3() throws {
        for name in ["v2.npy", "v3.npy"] {
            let raw = try bytes(fixture(name))
            XCTAssertEqual(raw[6], name == "v2.npy" ? 2 : 3)
            let t = try loadTensor(fixture(name))
            XCTAssertEqual(t.shape, [3, 2], name)
            XCTAssertEqual(doubles(t), [0, 1, 2, 3, 4, 5], name)
        }
    }

    func testNpyZeroDimensionalAndEmpty() throws {
        let s = try loadTensor(fixture("scalar.npy"))
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(doubles(s), [3.5])
        let e = try loadTensor(fixture("empty.npy"))
        XCTAssertEqual(e.shape, [0, 3])
        XCTAssertEqual(e.dtype, .float32)
    }

    func testNpyHeaderParsing() throws {
        let python2 = try NPY.parseHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (2L, 3L)}", path: "x.npy")
        XCTAssertEqual(python2.shape, [2, 3])
        let quoted = try NPY.parseHeader("{\"shape\": (), \"fortran_order\": True, \"descr\": \"=f8\"}", path: "x.npy")
        XCTAssertEqual(quoted.shape, [])
        XCTAssertTrue(quoted.fortranOrder)
        XCTAssertEqual(quoted.layout, ElementLayout(kind: .float, size: 8, bigEndian: false))
        XCTAssertEqual(try PythonLiteral.parse("[(1,), (2), ()]"), .list([.tuple([.int(1)]), .int(2), .tuple([])]))

        let cases: [(String, String)] = [
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", "'shape' must hold non-negative integers, found the integer -1"),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "'fortran_order' must be True or False, found the integer 0"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", "'shape' must be a tuple of integers, found a list"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "expected the keys 'descr', 'fortran_order' and 'shape'"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", "unexpected end of text at character 53"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}", "expected ',' or ')' at character 53"),
            ("['descr']", "expected a dict, found a list"),
            ("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (2,)}", "unsupported dtype: a structured dtype"),
            ("{'descr': '<U3', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '<U3' (a unicode string array)"),
            ("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '|O' (Python objects, stored with pickle)"),
            ("{'descr': '<u8', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '<u8' (uint64)"),
        ]
        for (header, expected) in cases {
            let error = errorMessage { _ = try NPY.parseHeader(header, path: "x.npy") }
            XCTAssertTrue(error?.message.hasPrefix("x.npy: ") ?? false, "\(header): \(String(describing: error))")
            XCTAssertTrue(error?.message.contains(expected) ?? false, "\(header): \(error?.message ?? "no error")")
        }
    }

    // MARK: - .npy writing

    func testNpyWriteIsByteIdenticalToNumPy() throws {
        for name in ["f4.npy", "f8.npy", "i8.npy", "b1.npy", "scalar.npy", "empty.npy", "v2.npy"] {
            let original = try bytes(fixture(name))
            let t = try loadTensor(fixture(name))
            let ours = NPY.encode(t)
            if name == "v2.npy" {
                // np.save picks version 1.0 for a header this small; the data is the same.
                XCTAssertEqual(ours[6], 1)
                XCTAssertEqual(Array(ours.suffix(48)), Array(original.suffix(48)))
            } else {
                XCTAssertEqual(ours, original, name)
            }
        }
    }

    func testNpyRoundTrip() throws {
        let cases: [Tensor] = [
            Tensor(shape: [2, 7], float32: awkwardFloats),
            Tensor(shape: [3], float64: [0.1, -.nan, Double.leastNonzeroMagnitude]),
            Tensor(shape: [2, 1, 2], int64: [Int64.min, -1, 0, Int64.max]),
            Tensor(shape: [5], bool: [true, false, true, true, false]),
            Tensor(scalar: -2.25, dtype: .float32),
            Tensor(shape: [0], float64: []),
            Tensor(shape: [4, 0, 2], int64: []),
        ]
        for (i, t) in cases.enumerated() {
            let path = scratch + "/t\(i).npy"
            try TensorFile.save(.tensor(t), path: path)
            assertIdentical(try loadTensor(path), t, "case \(i)")
        }
    }

    func testNpyVersion2WhenTheHeaderIsLong() throws {
        // 22 000 dimensions of size 1 make a header over 65 535 bytes.
        let t = Tensor(shape: Shape([Int](repeating: 1, count: 22_000)), float32: [4.5])
        let encoded = NPY.encode(t)
        XCTAssertEqual(Array(encoded[6..<8]), [2, 0])
        XCTAssertEqual((12 + Int(encoded.uint32(at: 8))) % 64, 0, "data starts at a multiple of 64")
        let back = try NPY.decode(encoded, path: "long.npy")
        XCTAssertEqual(back.shape, t.shape)
        XCTAssertEqual(floats(back), [4.5])
    }

    // MARK: - .npz

    func npzExpected() -> [(String, Tensor)] {
        [("weight", Tensor(shape: [3, 4], float32: (0..<12).map { Float($0) / 4 })),
         ("bias", Tensor(shape: [3], float64: [-1, 0, 1])),
         ("step", Tensor(shape: [], int64: [7])),
         ("mask", Tensor(shape: [2], bool: [true, false]))]
    }

    func testNpzStoredAndCompressed() throws {
        for name in ["stored.npz", "compressed.npz"] {
            assertPairs(try loadDict(fixture(name)), npzExpected())
        }
        let entries = try Zip.entries(in: bytes(fixture("compressed.npz")), path: "compressed.npz")
        XCTAssertEqual(entries.map(\.method), [8, 8, 8, 8], "np.savez_compressed uses DEFLATE")
        XCTAssertTrue(entries.contains { $0.compressedSize < $0.uncompressedSize })
    }

    func testNpzWithZip64Records() throws {
        let raw = try bytes(fixture("zip64.npz"))
        XCTAssertNotNil(raw.firstRange(of: [0x50, 0x4B, 0x06, 0x06]), "the fixture has a ZIP64 end record")
        assertPairs(try loadDict(fixture("zip64.npz")), Array(npzExpected().prefix(2)))

        // Our writer's ZIP64 records, forced with tiny limits, read back.
        let pairs = npzExpected()
        let forced = try NPZ.encode(pairs, path: "x.npz", limits: Zip.Limits(size: 100, count: 2))
        XCTAssertNotNil(forced.firstRange(of: [0x50, 0x4B, 0x06, 0x06]))
        XCTAssertNotNil(forced.firstRange(of: [0x50, 0x4B, 0x06, 0x07]))
        let entries = try Zip.entries(in: forced, path: "x.npz")
        XCTAssertEqual(entries.map(\.name), ["weight.npy", "bias.npy", "step.npy", "mask.npy"])
        XCTAssertGreaterThan(entries[3].localHeaderOffset, 100)
        assertPairs(try NPZ.decode(forced, path: "x.npz"), pairs)
    }

    func testNpzRoundTrip() throws {
        let pairs: [(String, Tensor)] = [
            ("z", Tensor(shape: [2, 7], float32: awkwardFloats)),
            ("a/nested name", Tensor(shape: [], float64: [1e-300])),
            ("ünïcode", Tensor(shape: [3], int64: [1, 2, 3])),
            ("flags", Tensor(shape: [1, 2], bool: [false, true])),
        ]
        let path = scratch + "/round.npz"
        try TensorFile.save(.dict(pairs), path: path)
        assertPairs(try loadDict(path), pairs)
        // Each entry is byte for byte what np.save writes.
        let raw = try bytes(path)
        let entries = try Zip.entries(in: raw, path: path)
        XCTAssertEqual(entries.map(\.method), [0, 0, 0, 0])
        XCTAssertEqual(try Zip.contents(of: entries[0], in: raw, path: path), NPY.encode(pairs[0].1))
        // An empty dict is an empty archive.
        try TensorFile.save(.dict([]), path: scratch + "/empty.npz")
        XCTAssertEqual(try loadDict(scratch + "/empty.npz").count, 0)
    }

    func testZlibHelpers() {
        XCTAssertEqual(Zip.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(Zip.crc32([]), 0)
        // "hello" as a fixed-Huffman DEFLATE block (Python: zlib.compressobj(wbits=-15)).
        let hello: [UInt8] = [0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        XCTAssertEqual(try Zip.inflateRaw(hello[...], expectedSize: 5).get(), Array("hello".utf8))
        XCTAssertEqual(try Zip.inflateRaw([0x03, 0x00][...], expectedSize: 0).get(), [])
        guard case .failure(let short) = Zip.inflateRaw(hello.prefix(3), expectedSize: 5) else { return XCTFail("cut data inflated") }
        XCTAssertEqual(short.message, "the compressed data ends early")
        guard case .failure(let long) = Zip.inflateRaw(hello[...], expectedSize: 4) else { return XCTFail("size not checked") }
        XCTAssertTrue(long.message.contains("more than the 4 bytes"), long.message)
        guard case .failure(let small) = Zip.inflateRaw(hello[...], expectedSize: 6) else { return XCTFail("size not checked") }
        XCTAssertEqual(small.message, "it inflates to 5 bytes, but the archive records 6")
        guard case .failure(let garbage) = Zip.inflateRaw([0xFF, 0xFF, 0xFF][...], expectedSize: 5) else { return XCTFail("garbage inflated") }
        XCTAssertFalse(garbage.message.isEmpty)
    }

    // MARK: - .safetensors

    func testSafetensorsDTypesInDataOrder() throws {
        let pairs = try loadDict(fixture("dtypes.safetensors"))
        // safetensors orders data by dtype (larger alignment first), then by name.
        XCTAssertEqual(pairs.map(\.0), ["i64", "f64", "f32", "scalar", "i32", "bf16", "f16", "i16", "i8", "u8", "bool"])
        let d = Dictionary(uniqueKeysWithValues: pairs)
        XCTAssertEqual(d["f32"]!.shape, [2, 2])
        XCTAssertEqual(floats(d["f32"]!), [1.5, -2, 0.25, 1e-3])
        XCTAssertEqual(doubles(d["f64"]!), [0.1, -1e200])
        XCTAssertEqual(ints(d["i64"]!), [Int64.min, Int64.max, 5])
        XCTAssertEqual(bools(d["bool"]!), [true, false, true])
        // Each keeps its dtype.
        let narrow: [(String, DType, [Double])] = [
            ("f16", .float16, [1, -0.5, 65504]), ("bf16", .bfloat16, [1, -3, 0x1p100]),
            ("i32", .int32, [-2_147_483_648, 2_147_483_647]), ("i16", .int16, [-32768, 123]),
            ("i8", .int8, [-128, 127]), ("u8", .uint8, [0, 255]),
        ]
        for (name, dtype, values) in narrow {
            XCTAssertEqual(d[name]!.dtype, dtype, name)
            XCTAssertEqual(d[name]!.doubles, values, name)
        }
        // Written back, the file is byte for byte the one the Python library wrote.
        let original = try FileIO.read(path: fixture("dtypes.safetensors"))
        XCTAssertEqual(try SafeTensors.encode(pairs, path: "dtypes.safetensors"), original)
        XCTAssertEqual(d["scalar"]!.shape, [])
        XCTAssertEqual(floats(d["scalar"]!), [2.5])
    }

    func testSafetensorsStateDict() throws {
        let pairs = try loadDict(fixture("state_dict.safetensors"))
        assertPairs(pairs, [
            ("0.bias", Tensor(shape: [2], float32: [0.5, -0.5])),
            ("0.weight", Tensor(shape: [2, 3], float32: (0..<6).map { Float($0) / 8 })),
            ("block1.0.bias", Tensor(shape: [2], float32: [-1, 1])),
            ("block1.0.weight", Tensor(shape: [2, 2], float32: [1, 2, 3, 4])),
        ])
    }

    func testSafetensorsWriteIsByteIdenticalToTheLibrary() throws {
        let original = try bytes(fixture("golden.safetensors"))
        let pairs = try loadDict(fixture("golden.safetensors"))
        XCTAssertEqual(pairs.map(\.0), ["d", "a", "aa", "b", "c"])
        // Whatever order the caller gives, the output is the library's.
        XCTAssertEqual(try SafeTensors.encode(pairs.reversed(), path: "g.safetensors"), original)
        let path = scratch + "/golden.safetensors"
        try TensorFile.save(.dict(pairs), path: path)
        XCTAssertEqual(try bytes(path), original)
        XCTAssertEqual(Int(original.uint64(at: 0)) % 8, 0, "the header is padded to 8 bytes")
    }

    func testSafetensorsRoundTrip() throws {
        let pairs: [(String, Tensor)] = [
            ("layer.0.weight", Tensor(shape: [2, 7], float32: awkwardFloats)),
            ("quote\"and\\back\nslash", Tensor(shape: [], float64: [-0.0])),
            ("ids", Tensor(shape: [3], int64: [-1, 0, Int64.max])),
            ("mask", Tensor(shape: [2, 2], bool: [true, false, false, true])),
            ("empty", Tensor(shape: [0, 4], float32: [])),
        ]
        let path = scratch + "/round.safetensors"
        try TensorFile.save(.dict(pairs), path: path)
        let back = try loadDict(path)
        XCTAssertEqual(back.map(\.0), ["ids", "quote\"and\\back\nslash", "empty", "layer.0.weight", "mask"])
        let byName = Dictionary(uniqueKeysWithValues: back)
        for (name, t) in pairs { assertIdentical(byName[name]!, t, name) }
    }

    func testJSON() throws {
        let v = try JSON.parse(Array(#" {"a": [1, -2.5e3, true, null], "b\u00e9\ud83d\ude00": {"c": "x\ny"}} "#.utf8)[...])
        XCTAssertEqual(v, .object([("a", .array([.number("1"), .number("-2.5e3"), .bool(true), .null])),
                                   ("bé😀", .object([("c", .string("x\ny"))]))]))
        XCTAssertEqual(JSON.number("12").intValue, 12)
        XCTAssertNil(JSON.number("1e3").intValue)
        XCTAssertEqual(JSON.quote("a\"b\\c\n\u{1}é"), #""a\"b\\c\n\u0001é""#)
        for bad in ["[1,]", "{\"a\":1,\"a\":2}", "01", "\"\u{1}\"", "[1] 2", "{\"a\" 1}", "\"\\x\""] {
            XCTAssertThrowsError(try JSON.parse(Array(bad.utf8)[...]), bad)
        }
    }

    // MARK: - .csv and .txt

    func testDelimitedText() throws {
        let plain = try loadTensor(fixture("plain.csv"))
        XCTAssertEqual(plain.shape, [2, 3])
        XCTAssertEqual(floats(plain), [1, 2.5, -3, 4, 1e-3, 6])
        let header = try loadTensor(fixture("header.csv"))
        XCTAssertEqual(header.shape, [2, 3])
        XCTAssertEqual(floats(header), [1, 2, 0, 3.5, -4e-2, 1])
        let column = try loadTensor(fixture("column.txt"))
        XCTAssertEqual(column.shape, [3, 1])
        XCTAssertEqual(floats(column), [0.5, -1, 2.25])
        let row = try loadTensor(fixture("row.txt"))
        XCTAssertEqual(row.shape, [1, 4])
        XCTAssertEqual(floats(row), [1, 2, 3, 4])
        let pandas = try loadTensor(fixture("pandas.csv"))
        XCTAssertEqual(pandas.shape, [2, 3])
        XCTAssertEqual(floats(pandas), [0, 0.1, 0.2, 1, 0.3, 0.4])
        let quoted = try DelimitedText.decode(Array("\u{FEFF}\"a\",\"b\"\n\"1\", 2 \n".utf8), path: "q.csv")
        XCTAssertEqual(floats(quoted), [1, 2])
    }

    func testDelimitedTextWritesShortestRoundTripNumbers() throws {
        let t = Tensor(shape: [2, 2], float32: [0.1, 2, -1e-5, 3.4028235e38])
        XCTAssertEqual(String(decoding: try DelimitedText.encode(t, separator: ",", path: "t.csv"), as: UTF8.self),
                       "0.1,2.0\n-1e-05,3.4028235e+38\n")
        XCTAssertEqual(String(decoding: try DelimitedText.encode(Tensor(shape: [3], int64: [1, -2, 3]), separator: " ", path: "v.txt"),
                              as: UTF8.self), "1\n-2\n3\n")
        XCTAssertEqual(String(decoding: try DelimitedText.encode(Tensor(shape: [2], bool: [true, false]), separator: " ", path: "v.txt"),
                              as: UTF8.self), "1\n0\n")
        for ext in ["csv", "txt"] {
            let path = scratch + "/t.\(ext)"
            let original = Tensor(shape: [2, 7], float32: awkwardFloats)
            try TensorFile.save(.tensor(original), path: path)
            assertIdentical(try loadTensor(path), original, ext)
            try TensorFile.save(.tensor(Tensor(shape: [3], float32: [1, 2, 3])), path: path)
            XCTAssertEqual(try loadTensor(path).shape, [3, 1], "1-D is written as a column")
            try TensorFile.save(.tensor(Tensor(scalar: 0.1)), path: path)
            assertIdentical(try loadTensor(path), Tensor(shape: [1, 1], float32: [0.1]))
        }
        // float64 values are written in full and read back as the nearest float32.
        let path = scratch + "/d.csv"
        try TensorFile.save(.tensor(Tensor(shape: [1, 2], float64: [0.1, 1.0 / 3])), path: path)
        XCTAssertEqual(String(decoding: try bytes(path), as: UTF8.self), "0.1,0.3333333333333333\n")
        assertIdentical(try loadTensor(path), Tensor(shape: [1, 2], float32: [0.1, 1.0 / 3]))
    }

    // MARK: - Bad files

    func testEachBadFileHasItsOwnMessage() throws {
        let cases: [(String, String)] = [
            ("bad_truncated.npy", "truncated file: expected 152 bytes (128-byte header + 24 data bytes for shape [2, 3] of '<f4'), found 147"),
            ("bad_magic.npy", "not a .npy file: it should start with the magic string \\x93NUMPY, but starts with bytes 4E 4F 54 4E"),
            ("bad_size.npy", "data size mismatch: shape [2, 3] of '<f4' needs 24 data bytes, but 28 bytes follow the header"),
            ("bad_dtype.npy", "unsupported dtype '<c8' (complex64); supported: '<f4', '<f8', '<i8', '|b1'"),
            ("bad_header.npy", "invalid .npy header: expected the keys 'descr', 'fortran_order' and 'shape', found 'descr', 'shape'"),
            ("bad_version.npy", "unsupported .npy format version 7.0 (supported: 1.0, 2.0, 3.0)"),
            ("bad_truncated.npz", "truncated file: expected at least "),
            ("bad_entry.npz", "entry 'notes.txt' is not a .npy file; .npz archives hold only .npy entries"),
            ("bad_method.npz", "entry 'weight.npy' uses unsupported compression method 12 (bzip2); supported: 0 (stored, np.savez) and 8 (deflate, np.savez_compressed)"),
            ("bad_crc.npz", "entry 'weight.npy' is corrupted: its CRC-32 is "),
            ("bad_truncated.safetensors", "truncated file: expected 360 bytes (8-byte length + 296-byte header + 56 data bytes), found 354"),
            ("bad_magic.safetensors", "not a .safetensors file: the JSON header after the 8-byte length should start with '{'"),
            ("bad_dtype.safetensors", "tensor 'x' has unsupported dtype 'C64'; supported: F32, F64, F16, BF16, I64"),
            ("bad_offsets.safetensors", "tensor 'b' has data_offsets [400, 408] out of range: the data section holds 16 bytes"),
            ("bad_overlap.safetensors", "tensors 'a' (data_offsets [0, 16]) and 'b' (data_offsets [8, 16]) overlap"),
            ("bad_size.safetensors", "data size mismatch: tensor 'a' of shape [3] and dtype F32 needs 12 bytes, but its data_offsets [0, 16] span 16"),
            ("bad_header.safetensors", "invalid .safetensors header: expected a string key at byte 61 of the JSON header"),
            ("bad_ragged.csv", "line 2 has 2 values, but line 1 has 3"),
            ("bad_value.csv", "line 3, column 2: 'oops' is not a number"),
        ]
        var messages = Set<String>()
        for (name, expected) in cases {
            let path = fixture(name)
            guard let error = errorMessage({ _ = try TensorFile.load(path: path) }) else {
                XCTFail("\(name) loaded without an error"); continue
            }
            XCTAssertTrue(error.message.hasPrefix(path + ": "), "\(name): the message names the file: \(error.message)")
            XCTAssertTrue(error.message.contains(expected), "\(name):\n  got      \(error.message)\n  expected \(expected)")
            let withoutPath = String(error.message.dropFirst(path.count))
            XCTAssertTrue(messages.insert(withoutPath).inserted, "\(name) shares its message: \(withoutPath)")
        }
    }

    func testTruncatedNpzNamesTheEntryThatIsCut() throws {
        let raw = try bytes(fixture("stored.npz"))
        let entries = try Zip.entries(in: raw, path: "stored.npz")
        // Cut in the middle of the second entry's data.
        let cut = Array(raw.prefix(entries[1].localHeaderOffset + 100))
        let error = errorMessage { _ = try NPZ.decode(cut, path: "cut.npz") }
        XCTAssertEqual(error?.message.hasPrefix("cut.npz: truncated file: expected at least "), true, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("(entry 'bias.npy' ends there), found \(cut.count)") ?? false, "\(String(describing: error))")
        // Cut inside the central directory.
        let noEnd = Array(raw.dropLast(10))
        XCTAssertEqual(errorMessage { _ = try NPZ.decode(noEnd, path: "cut.npz") }?.message,
                       "cut.npz: truncated file: the ZIP central directory at the end is missing; "
                       + "expected at least \(noEnd.count + 22) bytes, found \(noEnd.count)")
    }

    func testBadNpyInsideNpzNamesTheEntry() throws {
        let good = NPY.encode(Tensor(shape: [2], float32: [1, 2]))
        let zip = Zip.archive([(name: "ok.npy", data: good), (name: "cut.npy", data: Array(good.dropLast(3)))])
        XCTAssertEqual(errorMessage { _ = try NPZ.decode(zip, path: "m.npz") }?.message,
                       "m.npz (entry 'cut.npy'): truncated file: expected 136 bytes (128-byte header + 8 data bytes "
                       + "for shape [2] of '<f4'), found 133")
        let twice = Zip.archive([(name: "a.npy", data: good), (name: "a.npy", data: good)])
        XCTAssertEqual(errorMessage { _ = try NPZ.decode(twice, path: "m.npz") }?.message,
                       "m.npz: invalid .npz archive: entry 'a.npy' appears more than once")
        let torch = Zip.archive([(name: "archive/data.pkl", data: [0x80])])
        XCTAssertTrue(errorMessage { _ = try NPZ.decode(torch, path: "m.npz") }?.hint?.contains("torch.save") ?? false)
    }

    func testEmptyAndMisnamedFiles() throws {
        let empty: [(String, String)] = [
            ("e.npy", "truncated file: expected at least 10 bytes (the .npy preamble), found 0 (the file is empty)"),
            ("e.npz", "truncated file: expected at least 22 bytes (an empty ZIP archive), found 0"),
            ("e.safetensors", "truncated file: expected at least 8 bytes (the header length), found 0"),
            ("e.csv", "no numbers: the file has no data rows"),
        ]
        for (name, expected) in empty {
            let path = try write([], name)
            XCTAssertEqual(errorMessage { _ = try TensorFile.load(path: path) }?.message, "\(path): \(expected)")
        }
        let headerOnly = try write(Array("a,b\n".utf8), "h.csv")
        XCTAssertEqual(errorMessage { _ = try TensorFile.load(path: headerOnly) }?.message,
                       "\(headerOnly): no numbers: the file has only a header row (line 1)")

        // A file in another format gets a hint naming it.
        let zipAsNpy = try write(try bytes(fixture("stored.npz")), "model.npy")
        let e1 = errorMessage { _ = try TensorFile.load(path: zipAsNpy) }
        XCTAssertTrue(e1?.hint?.contains("ZIP archive (.npz") ?? false, "\(String(describing: e1))")
        let npyAsNpz = try write(try bytes(fixture("f4.npy")), "x.npz")
        let e2 = errorMessage { _ = try TensorFile.load(path: npyAsNpz) }
        XCTAssertTrue(e2?.message.contains("not a .npz file") ?? false, "\(String(describing: e2))")
        XCTAssertTrue(e2?.hint?.contains(".npy file") ?? false, "\(String(describing: e2))")
        let stAsNpy = try write(try bytes(fixture("golden.safetensors")), "w.npy")
        XCTAssertTrue(errorMessage { _ = try TensorFile.load(path: stAsNpy) }?.hint?.contains(".safetensors") ?? false)
        let pickle = try write([0x80, 0x02, 0x7D, 0x71], "p.npy")
        XCTAssertTrue(errorMessage { _ = try TensorFile.load(path: pickle) }?.hint?.contains("pickle") ?? false)
    }

    func testMissingFileAndUnknownExtension() throws {
        let missing = scratch + "/nope.npy"
        XCTAssertEqual(errorMessage { _ = try TensorFile.load(path: missing) }?.message, "[Errno 2] No such file or directory: '\(missing)'")
        let directory = scratch + "/dir.npy"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        XCTAssertEqual(errorMessage { _ = try TensorFile.load(path: directory) }?.message, "\(directory): is a directory, not a file")

        let supported = "supported: .npy, .npz, .safetensors, .csv, .txt"
        let pt = errorMessage { _ = try TensorFile.load(path: "model.pt") }
        XCTAssertEqual(pt?.message, "model.pt: unsupported file type (extension '.pt'); \(supported)")
        XCTAssertTrue(pt?.hint?.contains("TorchArchive.load") ?? false, "\(String(describing: pt?.hint))")
        XCTAssertEqual(errorMessage { try TensorFile.save(.tensor(Tensor(scalar: 1)), path: "a.b/noext") }?.message,
                       "a.b/noext: unsupported file type (a name without an extension); \(supported)")
        XCTAssertEqual(try TensorFile.Format(path: "dir.v2/W.NPY"), .npy)
        XCTAssertEqual(try TensorFile.Format(path: "x.SafeTensors"), .safetensors)
    }

    func testSaveErrors() throws {
        let t = Tensor(shape: [2], float32: [1, 2])
        let cases: [(TensorFileContents, String, String)] = [
            (.dict([("a", t)]), "x.npy", "a .npy file holds one tensor, not a dict of 1"),
            (.dict([("a", t)]), "x.csv", "a .csv file holds one tensor, not a dict of 1"),
            (.tensor(t), "x.npz", "a .npz file holds named tensors: pass a dict"),
            (.tensor(t), "x.safetensors", "a .safetensors file holds named tensors: pass a dict"),
            (.tensor(Tensor(shape: [1, 1, 2], float32: [1, 2])), "x.txt", "cannot write a tensor of shape [1, 1, 2] as a table: it needs at most 2 dimensions"),
            (.dict([("a", t), ("a", t)]), "x.npz", "cannot write two tensors named 'a'"),
            (.dict([("", t)]), "x.safetensors", "cannot write a tensor with an empty name"),
            (.dict([("__metadata__", t)]), "x.safetensors", "'__metadata__' is reserved and cannot name a tensor"),
            (.tensor(t), "no-such-directory/x.npy", "cannot write: directory '\(scratch)/no-such-directory' does not exist"),
        ]
        for (contents, name, expected) in cases {
            let path = scratch + "/" + name
            let error = errorMessage { try TensorFile.save(contents, path: path) }
            XCTAssertEqual(error?.message, "\(path): \(expected)")
        }
        let hint = errorMessage { try TensorFile.save(.tensor(t), path: scratch + "/x.npz") }?.hint
        XCTAssertEqual(hint, "to store one tensor, pass a dict such as {'tensor': x}, or save it as .npy")
        // A single tensor saves fine under a key the caller chooses.
        try TensorFile.save(.dict([("tensor", t)]), path: scratch + "/one.safetensors")
        assertPairs(try loadDict(scratch + "/one.safetensors"), [("tensor", t)])
    }

    func testWritesAreAtomic() throws {
        let path = scratch + "/w.npy"
        try TensorFile.save(.tensor(Tensor(shape: [1], float32: [1])), path: path)
        try TensorFile.save(.tensor(Tensor(shape: [2], float32: [2, 3])), path: path)
        XCTAssertEqual(floats(try loadTensor(path)), [2, 3])
        // A save that fails leaves the file as it was and no temporary files behind.
        XCTAssertThrowsError(try TensorFile.save(.dict([("a", Tensor(scalar: 1))]), path: path))
        XCTAssertEqual(floats(try loadTensor(path)), [2, 3])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), ["w.npy"])
        // Saving over a directory fails without touching it.
        let directory = scratch + "/d.npy"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        XCTAssertThrowsError(try TensorFile.save(.tensor(Tensor(scalar: 1)), path: directory))
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: scratch)), ["w.npy", "d.npy"])
        // Saving through a symbolic link replaces the file it points to and keeps the link.
        let link = scratch + "/link.npy"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        try TensorFile.save(.tensor(Tensor(shape: [1], float32: [9])), path: link)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), path)
        XCTAssertEqual(floats(try loadTensor(path)), [9])
        // A relative path is written in the current directory's terms.
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        try TensorFile.save(.tensor(Tensor(scalar: 5)), path: "relative.csv")
        assertIdentical(try loadTensor("relative.csv"), Tensor(shape: [1, 1], float32: [5]))
    }
}
