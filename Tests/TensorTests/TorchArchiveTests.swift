import Foundation
import XCTest
@testable import Tensor
@testable import TensorIO

/// PyTorch checkpoints: fixtures written by PyTorch (Fixtures/make_pt_fixtures.py) load as
/// PyTorch loads them; what Jacobi writes is byte for byte the committed archive that the same
/// script checked with `torch.load(weights_only=True)`; hostile files end in errors naming them.
final class TorchArchiveTests: XCTestCase {
    static let files = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/files").path

    func fixture(_ name: String) -> String { Self.files + "/" + name }

    /// Every tensor of `value`, by the path make_pt_fixtures.py names it with.
    func tensors(_ value: TorchValue, _ prefix: String = "") -> [(String, TorchTensor)] {
        switch value {
        case .tensor(let t): return [(prefix, t)]
        case .dict(let pairs, _):
            return pairs.flatMap { k, v -> [(String, TorchTensor)] in
                let key: String
                switch k {
                case .string(let s): key = s
                case .int(let i): key = String(i)
                default: key = "?"
                }
                return tensors(v, prefix + "/" + key)
            }
        case .list(let items), .tuple(let items):
            return items.enumerated().flatMap { tensors($0.element, prefix + "/" + String($0.offset)) }
        case .none, .bool, .int, .float, .string, .bytes: return []
        }
    }

    func testFixturesLoadAsPyTorchSeesThem() throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture("pt_expected.json"))))
        let expected = try XCTUnwrap(json as? [String: [String: [String: Any]]])
        XCTAssertEqual(expected.count, 5)
        for (file, wanted) in expected {
            let loaded = try TorchArchive.load(path: fixture(file))
            let got = Dictionary(tensors(loaded.value), uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(Set(got.keys), Set(wanted.keys), file)
            var storageOf: [Int: String] = [:]
            for (name, w) in wanted {
                guard let t = got[name] else { continue }
                let what = "\(file) \(name)"
                XCTAssertEqual(t.value.dtype.rawValue, w["dtype"] as? String, what)
                XCTAssertEqual(t.sizes, w["shape"] as? [Int], what)
                XCTAssertEqual(t.value.shape.dims, w["shape"] as? [Int], what)
                XCTAssertEqual(t.strides, w["stride"] as? [Int], what)
                XCTAssertEqual(t.offset, w["offset"] as? Int, what)
                XCTAssertEqual(t.isParameter, w["parameter"] as? Bool, what)
                XCTAssertEqual(t.isParameter ? t.requiresGrad : false, w["requires_grad"] as? Bool, what)
                // (Foundation's JSON parser may miss a double's last bit: compare to 1e-12.)
                let values = try XCTUnwrap((w["values"] as? [NSNumber])?.map(\.doubleValue), what)
                XCTAssertEqual(t.value.doubles.count, values.count, what)
                for (a, b) in zip(t.value.doubles, values) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b)), what) }
                // Equal storage ids in PyTorch are equal keys here, and the other way round.
                let id = try XCTUnwrap(w["storage"] as? Int)
                if let key = storageOf[id] { XCTAssertEqual(t.storageKey, key, "\(what) shares its storage") }
                storageOf[id] = t.storageKey
            }
            XCTAssertEqual(Set(storageOf.values).count, storageOf.count, "\(file): distinct storages stay distinct")
        }
        // The view fixture: a transpose, a slice with an offset and a row share x's storage.
        let views = Dictionary(tensors(try TorchArchive.load(path: fixture("pt_views.pt")).value), uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(["/x", "/t", "/slice", "/row"].map { views[$0]!.storageKey }).count, 1)
        XCTAssertEqual(views["/slice"]!.offset, 6)
    }

    func testCheckpointContainersKeepTheirValues() throws {
        let loaded = try TorchArchive.load(path: fixture("pt_checkpoint.pt"))
        guard case .dict(let pairs, ordered: false) = loaded.value else { return XCTFail("\(loaded.value)") }
        var byKey: [String: TorchValue] = [:]
        for (k, v) in pairs { if case .string(let s) = k { byKey[s] = v } }
        if case .int(3)? = byKey["epoch"] {} else { XCTFail("epoch: \(String(describing: byKey["epoch"]))") }
        if case .int(1 << 40)? = byKey["big"] {} else { XCTFail("big") }
        if case .int(-70000)? = byKey["negative"] {} else { XCTFail("negative") }
        if case .string("run-1")? = byKey["name"] {} else { XCTFail("name") }
        if case .bool(false)? = byKey["done"] {} else { XCTFail("done") }
        if case .none? = byKey["note"] {} else { XCTFail("note") }
        if case .dict(_, ordered: true)? = byKey["model"] {} else { XCTFail("the state dict is an OrderedDict") }
        guard case .dict(let opt, _)? = byKey["optimizer"], case .tuple(let betas)? = opt.first(where: {
            if case .string("betas") = $0.0 { return true }; return false })?.1 else { return XCTFail("optimizer") }
        if case .float(0.999) = betas[1] {} else { XCTFail("betas \(betas)") }
        XCTAssertTrue(loaded.notes.isEmpty)
    }

    func testGPUStoragesLoadOntoTheCPUWithANote() throws {
        let loaded = try TorchArchive.load(path: fixture("pt_gpu.pt"))
        XCTAssertEqual(loaded.notes.count, 1)
        XCTAssertTrue(loaded.notes[0].contains("cuda:0") && loaded.notes[0].contains("CPU"), loaded.notes[0])
        XCTAssertTrue(loaded.notes[0].hasPrefix(fixture("pt_gpu.pt")))
    }

    func message(_ path: String) -> String {
        do {
            _ = try TorchArchive.load(path: path)
            return "(loaded without an error)"
        } catch let e as TensorError {
            return e.message + " | hint: " + (e.hint ?? "")
        } catch {
            return "\(error)"
        }
    }

    func testRefusedFilesSayWhatTheyAreAndWhatToDo() {
        let module = message(fixture("pt_module.pt"))
        XCTAssertTrue(module.contains("refuses the global 'torch.nn.modules.container.Sequential'"), module)
        XCTAssertTrue(module.contains("torch.save(model.state_dict(), PATH)"), module)
        let legacy = message(fixture("pt_legacy.pt"))
        XCTAssertTrue(legacy.contains("legacy format") && legacy.contains("_use_new_zipfile_serialization=False"), legacy)
        let script = message(fixture("pt_script.pt"))
        XCTAssertTrue(script.contains("TorchScript archive (torch.jit.save)"), script)
        for (name, text) in [("pt_module.pt", module), ("pt_legacy.pt", legacy), ("pt_script.pt", script)] {
            XCTAssertTrue(text.hasPrefix(fixture(name) + ": "), "the message names the file: \(text)")
        }
    }

    // MARK: - Hostile files

    /// A pickle made of raw opcodes, in an archive with the given storages.
    func archive(_ pickle: [UInt8], storages: [(String, [UInt8])] = []) -> [UInt8] {
        Zip.archive([("a/data.pkl", pickle)] + storages.map { ("a/data/" + $0.0, $0.1) } + [("a/version", Array("3\n".utf8))])
    }

    /// `_rebuild_tensor_v2(('storage', torch.FloatStorage, '0', 'cpu', numel), offset, size, stride, False, OrderedDict())`.
    func tensorPickle(numel: Int, offset: Int, size: [Int], stride: [Int]) -> [UInt8] {
        func int(_ v: Int) -> [UInt8] { [0x8A, 8] + withUnsafeBytes(of: Int64(v).littleEndian, Array.init) }
        func str(_ s: String) -> [UInt8] { [0x58] + withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian, Array.init) + Array(s.utf8) }
        var p: [UInt8] = [0x80, 0x02] + Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28, 0x28]
        p += str("storage") + Array("ctorch\nFloatStorage\n".utf8) + str("0") + str("cpu") + int(numel) + [0x74, 0x51]
        p += int(offset) + [0x28] + size.flatMap(int) + [0x74] + [0x28] + stride.flatMap(int) + [0x74]
        p += [0x89] + Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x74, 0x52, 0x2E]
        return p
    }

    func decodeMessage(_ bytes: [UInt8]) -> String {
        do {
            _ = try TorchArchive.decode(bytes, path: "hostile.pt")
            return "(loaded without an error)"
        } catch let e as TensorError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    func testHostileFilesEndInErrorsNamingTheFile() throws {
        let good = tensorPickle(numel: 4, offset: 0, size: [2, 2], stride: [2, 1])
        let storage = [UInt8](repeating: 0, count: 16)
        XCTAssertEqual(decodeMessage(archive(good, storages: [("0", storage)])), "(loaded without an error)")
        let valid = try FileIO.read(path: fixture("pt_state_dict.pt"))
        let cases: [(String, [UInt8], String)] = [
            ("truncated archive", Array(valid.prefix(valid.count / 2)), "ZIP"),
            ("storage shorter than its elements", archive(good, storages: [("0", Array(storage.prefix(8)))]), "storage 0 holds 8 bytes, but its 4 float32 elements need 16"),
            ("tensor past its storage", archive(tensorPickle(numel: 4, offset: 1, size: [2, 2], stride: [2, 1]), storages: [("0", storage)]),
             "reaches element 4 of storage 0, which has 4 elements"),
            ("strides past the storage", archive(tensorPickle(numel: 4, offset: 0, size: [2, 2], stride: [3, 1]), storages: [("0", storage)]),
             "reaches element 4 of storage 0"),
            ("absurd sizes", archive(tensorPickle(numel: 4, offset: 0, size: [1 << 40, 1 << 40], stride: [1 << 40, 1]), storages: [("0", storage)]),
             "beyond Int.max"),
            ("negative size", archive(tensorPickle(numel: 4, offset: 0, size: [-2, 2], stride: [2, 1]), storages: [("0", storage)]),
             "negative size"),
            ("missing storage", archive(good), "storage 0 is missing"),
            ("deeply nested", archive([0x80, 0x02] + [UInt8](repeating: 0x5D, count: 3000) + [UInt8](repeating: 0x61, count: 2999) + [0x2E]),
             "nested more than 1000 deep"),
            ("unknown opcode", archive([0x80, 0x02, 0xFF, 0x2E]), "unknown or unsupported opcode 0xff at byte 2"),
            ("arbitrary callable", archive([0x80, 0x02] + Array("cos\nsystem\n".utf8) + [0x2E]), "refuses the global 'os.system'"),
            ("stack underflow", archive([0x80, 0x02, 0x52, 0x2E]), "stack underflow"),
            ("no data.pkl", Zip.archive([("a/version", Array("3\n".utf8))]), "without the data.pkl"),
            ("not a checkpoint", Array("hello".utf8), "not a PyTorch checkpoint"),
            ("self-containing list", archive([0x80, 0x02, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2E]), "contains itself"),
        ]
        var seen = Set<String>()
        for (what, bytes, expected) in cases {
            let text = decodeMessage(bytes)
            XCTAssertTrue(text.hasPrefix("hostile.pt: "), "\(what): the message names the file: \(text)")
            XCTAssertTrue(text.contains(expected), "\(what):\n  got      \(text)\n  expected \(expected)")
            XCTAssertTrue(seen.insert(text).inserted, "\(what) shares its message")
        }
    }

    // MARK: - Writing

    /// The object of pt_jacobi_written.pt (make_pt_fixtures.py checks the same values in PyTorch).
    func writtenObject() -> TorchValue {
        func t(_ x: Tensor, parameter: Bool = false, key: String) -> TorchValue {
            .tensor(TorchTensor(value: x, storageKey: key, sizes: x.shape.dims, strides: [], offset: 0,
                                requiresGrad: parameter, isParameter: parameter))
        }
        let model: TorchValue = .dict([(.string("0.weight"), t(Tensor(shape: [2, 3], float32: [1, 2, 3, 4, 5, 6]), key: "w")),
                                       (.string("0.bias"), t(Tensor(shape: [2], float32: [0.5, -0.5]), key: "b"))], ordered: true)
        return .dict([
            (.string("model"), model),
            (.string("half"), t(Tensor(shape: [2], doubles: [0.5, -1], dtype: .float16), key: "h")),
            (.string("param"), t(Tensor(shape: [2], float32: [1, 2]), parameter: true, key: "p")),
            (.string("meta"), .list([.int(1), .float(2.5), .string("x"), .none, .bool(true), .tuple([.int(3), .int(4)])])),
            (.string("int8"), t(Tensor(shape: [2], storage: .int8([-128, 127])), key: "i")),
        ], ordered: false)
    }

    func testWriterMatchesTheCommittedArchive() throws {
        let bytes = try TorchArchive.encode(writtenObject(), archiveName: "pt_jacobi_written", path: "pt_jacobi_written.pt")
        let committed = fixture("pt_jacobi_written.pt")
        if ProcessInfo.processInfo.environment["JACOBI_WRITE_FIXTURES"] == "1" {
            try Data(bytes).write(to: URL(fileURLWithPath: committed))
        }
        XCTAssertEqual(bytes, try FileIO.read(path: committed),
                       "the writer changed: check the new archive with make_pt_fixtures.py (torch.load), then commit it")
        // And it reads back as written.
        let back = try TorchArchive.decode(bytes, path: "pt_jacobi_written.pt")
        let got = Dictionary(tensors(back.value), uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(got["/model/0.weight"]?.value.doubles, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(got["/half"]?.value.dtype, .float16)
        XCTAssertEqual(got["/param"]?.isParameter, true)
        XCTAssertEqual(got["/int8"]?.value.doubles, [-128, 127])
        // Storage records are 64-byte aligned, as PyTorch writes them (torch.load(mmap=True) needs it).
        for entry in try Zip.entries(in: bytes, path: "w.pt") where entry.name.contains("/data/") {
            let nameLength = Int(bytes[entry.localHeaderOffset + 26]) | Int(bytes[entry.localHeaderOffset + 27]) << 8
            let extraLength = Int(bytes[entry.localHeaderOffset + 28]) | Int(bytes[entry.localHeaderOffset + 29]) << 8
            XCTAssertEqual((entry.localHeaderOffset + 30 + nameLength + extraLength) % 64, 0, entry.name)
        }
    }
}
