import Tensor

/// PyTorch's checkpoint format (`torch.save` since PyTorch 1.6): a ZIP archive whose entries
/// share one folder name, holding `data.pkl` (a pickle of the saved object in which each tensor
/// names a storage by key), `data/<key>` (each storage's raw elements), `byteorder`, `version`
/// and a few bookkeeping records.
///
/// Reading runs the pickle through `Unpickler` (refusing every global a tensor checkpoint does
/// not need), reads each storage once, checks every tensor lies inside its storage, and notes
/// storages saved from a GPU (they load onto the CPU). Writing produces what `torch.save` writes
/// (protocol 2, data aligned to 64 bytes), readable by `torch.load(weights_only=True)`.
///
/// ```swift
/// let loaded = try TorchArchive.load(path: "net.pt")
/// if case .dict(let pairs, _) = loaded.value { ... }
/// try TorchArchive.save(.dict([(.string("w"), .tensor(w))], ordered: true), path: "w.pt")
/// ```
public enum TorchArchive {
    /// What a checkpoint held, and notes for the user (storages moved from a GPU).
    public struct Loaded: Sendable {
        public var value: TorchValue
        public var notes: [String]
        /// Every storage the tensors use, flat, by key (tensors that share a key are views of it).
        public var storages: [String: Tensor]
    }

    /// The first bytes of a checkpoint in the legacy (pre-1.6) format: a pickled magic number.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// Reads the checkpoint at `path`.
    public static func load(path: String) throws -> Loaded {
        try decode(try FileIO.read(path: path), path: path)
    }

    /// Decodes a checkpoint's bytes (`path` names it in errors). Untrusted bytes give an error
    /// with the file's name, never a crash (the `pt` fuzzing harness checks it).
    public static func decode(_ bytes: [UInt8], path: String) throws -> Loaded {
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 0x03, bytes[3] == 0x04 else {
            if bytes.starts(with: legacyMagic) {
                throw FileIO.error(path, "saved in PyTorch's legacy format (torch.save with _use_new_zipfile_serialization=False, or PyTorch before 1.6), which Jacobi does not read",
                                   hint: "in PyTorch: torch.save(torch.load(PATH), NEW_PATH) writes the current format")
            }
            throw FileIO.error(path, "not a PyTorch checkpoint: torch.save writes a ZIP archive (it starts with 'PK'), this file does not",
                               hint: "for NumPy or safetensors files use the .npy, .npz or .safetensors extension")
        }
        let entries = try Zip.entries(in: bytes, path: path)
        if entries.contains(where: { $0.name.hasSuffix("/constants.pkl") || $0.name.contains("/code/") }) {
            throw FileIO.error(path, "a TorchScript archive (torch.jit.save), which holds a compiled program, not just tensors",
                               hint: "in PyTorch, load it with torch.jit and save its state dict with torch.save, then load that file")
        }
        guard let pickle = entries.first(where: { $0.name.hasSuffix("data.pkl") && $0.name.split(separator: "/").count == 2 }) else {
            throw FileIO.error(path, "a ZIP archive without the data.pkl record of a torch.save checkpoint")
        }
        let folder = String(pickle.name.dropLast("data.pkl".count))
        var bigEndian = false
        if let order = entries.first(where: { $0.name == folder + "byteorder" }) {
            let text = String(decoding: try Zip.contents(of: order, in: bytes, path: path), as: UTF8.self)
            switch text {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default: throw FileIO.error(path, "unknown byte order '\(text.prefix(20))' in \(order.name)")
            }
        }
        var storages: [String: Tensor] = [:]
        var notes: [String] = []
        var moved = Set<String>()
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func storage(_ ref: StorageReference) throws -> Tensor {
            if let s = storages[ref.key] {
                guard s.dtype == ref.dtype, s.elementCount == ref.count else {
                    throw FileIO.error(path, "storage \(ref.key) is named with two types or sizes")
                }
                return s
            }
            guard let entry = byName[folder + "data/" + ref.key] else {
                throw FileIO.error(path, "storage \(ref.key) is missing: no record \(folder)data/\(ref.key)")
            }
            let (needed, overflow) = ref.count.multipliedReportingOverflow(by: ref.dtype.byteSize)
            guard !overflow, entry.uncompressedSize >= needed else {
                throw FileIO.error(path, "storage \(ref.key) holds \(entry.uncompressedSize) bytes, but its \(ref.count) \(ref.dtype.rawValue) elements need \(overflow ? "more than Int.max" : String(needed))",
                                   hint: "the file is truncated or damaged")
            }
            try MemoryBudget.check(bytes: needed, what: "storage \(ref.key) of \(path)")
            let data = try Zip.contents(of: entry, in: bytes, path: path)
            var layout = ElementLayout(native: ref.dtype)
            layout.bigEndian = bigEndian && ref.dtype.byteSize > 1
            let flat = Tensor(shape: [ref.count], storage: ElementLayout.decode(data, from: 0, count: ref.count, as: layout))
            storages[ref.key] = flat
            if !ref.location.hasPrefix("cpu"), moved.insert(ref.location).inserted {
                notes.append("\(path): storages saved on \(ref.location) were loaded onto the CPU (Jacobi has no GPU)")
            }
            return flat
        }
        var unpickler = Unpickler(bytes: try Zip.contents(of: pickle, in: bytes, path: path), path: path, storage: storage)
        let value = try unpickler.load()
        return Loaded(value: value, notes: notes, storages: storages)
    }

    // MARK: - Writing

    /// Writes `value` to `path` atomically (a temporary file renamed over it), as `torch.save`
    /// writes it; the archive's folder is the file's name without its extension.
    public static func save(_ value: TorchValue, path: String) throws {
        let name = (path.split(separator: "/").last.map(String.init) ?? "archive")
        let stem = name.split(separator: ".").first.map(String.init) ?? "archive"
        try FileIO.writeAtomically(try encode(value, archiveName: stem.isEmpty ? "archive" : stem, path: path), path: path)
    }

    /// The archive's bytes. Tensors with the same `storageKey` and a `storage` share one storage
    /// record (views keep their offsets and strides); others are written contiguously.
    static func encode(_ value: TorchValue, archiveName: String, path: String) throws -> [UInt8] {
        var pickler = Pickler()
        try pickler.save(value)
        let pkl = pickler.finish()
        if pickler.storages.contains(where: { $0.1.dtype == .uint32 }) {
            throw FileIO.error(path, "Jacobi does not write uint32 tensors to PyTorch checkpoints",
                               hint: "convert with .long() first, or save as .npy or .safetensors, which keep uint32")
        }
        let folder = archiveName + "/"
        var files: [(name: String, data: [UInt8])] = [(folder + "data.pkl", pkl), (folder + ".format_version", Array("1".utf8)),
                                                      (folder + ".storage_alignment", Array("64".utf8)),
                                                      (folder + "byteorder", Array("little".utf8))]
        for (key, tensor) in pickler.storages {
            files.append((folder + "data/" + key, ElementLayout.encode(tensor.storage)))
        }
        files.append((folder + "version", Array("3\n".utf8)))
        // torch.save records an id of 40 digits; this one is derived from the contents, so
        // that saving the same object twice gives the same bytes.
        var digits = ""
        var seed = UInt64(Zip.crc32(pkl)) << 32 | UInt64(pickler.storages.count)
        for (_, t) in pickler.storages { seed = seed &* 6364136223846793005 &+ UInt64(Zip.crc32(ElementLayout.encode(t.storage))) }
        while digits.count < 40 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            digits += String((seed >> 33) % 10)
        }
        files.append((folder + ".data/serialization_id", Array(digits.utf8)))
        return Zip.archive(files, alignment: 64)
    }
}

/// Writes a `TorchValue` as Python's pickler (protocol 2) writes what `torch.save` hands it:
/// containers, numbers and strings, tensors as `torch._utils._rebuild_tensor_v2` of a storage
/// persistent id (parameters wrapped in `_rebuild_parameter`), dicts marked ordered as
/// `collections.OrderedDict`.
struct Pickler {
    private(set) var out: [UInt8] = [0x80, 0x02]
    /// The storages written, in key order ("0", "1", ...).
    private(set) var storages: [(String, Tensor)] = []
    /// The index in `storages` of each caller's storage key.
    private var indexOf: [String: Int] = [:]
    private var memoOfGlobal: [String: Int] = [:]
    private var memoCount = 0

    mutating func finish() -> [UInt8] { out + [0x2E] }   // STOP

    private mutating func memoize() {
        if memoCount < 256 { out += [0x71, UInt8(memoCount)] } else {
            out.append(0x72); out.append(littleEndian: UInt32(memoCount))
        }
        memoCount += 1
    }

    private mutating func global(_ module: String, _ name: String) {
        let full = module + " " + name
        if let m = memoOfGlobal[full] {
            if m < 256 { out += [0x68, UInt8(m)] } else { out.append(0x6A); out.append(littleEndian: UInt32(m)) }
            return
        }
        out.append(0x63)
        out += Array((module + "\n" + name + "\n").utf8)
        memoOfGlobal[full] = memoCount
        memoize()
    }

    private mutating func string(_ s: String) {
        let b = Array(s.utf8)
        out.append(0x58)
        out.append(littleEndian: UInt32(b.count))
        out += b
        memoize()
    }

    private mutating func int(_ v: Int) {
        if v >= 0 && v < 256 { out += [0x4B, UInt8(v)] }
        else if v >= 0 && v < 65536 { out.append(0x4D); out.append(littleEndian: UInt16(v)) }
        else if v >= Int(Int32.min) && v <= Int(Int32.max) { out.append(0x4A); out.append(littleEndian: UInt32(bitPattern: Int32(v))) }
        else {
            out += [0x8A, 8]
            out.append(littleEndian: UInt64(bitPattern: Int64(v)))
        }
    }

    private mutating func intTuple(_ values: [Int]) {
        switch values.count {
        case 0: out.append(0x29); return
        case 1...3:
            for v in values { int(v) }
            out.append(UInt8(0x84 + values.count))
        default:
            out.append(0x28)
            for v in values { int(v) }
            out.append(0x74)
        }
        memoize()
    }

    private static func storageClass(_ d: DType) -> String {
        switch d {
        case .float32: return "FloatStorage"
        case .float64: return "DoubleStorage"
        case .float16: return "HalfStorage"
        case .bfloat16: return "BFloat16Storage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .int16: return "ShortStorage"
        case .int8: return "CharStorage"
        case .uint8: return "ByteStorage"
        case .uint32: return "UInt32Storage"   // refused by encode: torch.save writes it in another form
        case .bool: return "BoolStorage"
        }
    }

    mutating func save(_ v: TorchValue) throws {
        switch v {
        case .none: out.append(0x4E)
        case .bool(let b): out.append(b ? 0x88 : 0x89)
        case .int(let i): int(i)
        case .float(let d):
            out.append(0x47)
            let bits = d.bitPattern
            for k in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
        case .string(let s): string(s)
        case .bytes(let b):
            global("_codecs", "encode")
            string(String(appending: b.map { Unicode.Scalar($0) }))
            string("latin1")
            out.append(0x86); memoize(); out.append(0x52); memoize()
        case .list(let items):
            out.append(0x5D); memoize()
            if !items.isEmpty {
                out.append(0x28)
                for i in items { try save(i) }
                out.append(0x65)
            }
        case .tuple(let items):
            if items.isEmpty { out.append(0x29); return }
            if items.count <= 3 {
                for i in items { try save(i) }
                out.append(UInt8(0x84 + items.count))
            } else {
                out.append(0x28)
                for i in items { try save(i) }
                out.append(0x74)
            }
            memoize()
        case .dict(let pairs, let ordered):
            if ordered {
                global("collections", "OrderedDict")
                out.append(0x29); out.append(0x52); memoize()
            } else {
                out.append(0x7D); memoize()
            }
            if !pairs.isEmpty {
                out.append(0x28)
                for (k, x) in pairs { try save(k); try save(x) }
                out.append(0x75)
            }
        case .tensor(let t): try tensor(t)
        }
    }

    private mutating func tensor(_ t: TorchTensor) throws {
        if t.isParameter { global("torch._utils", "_rebuild_parameter") }
        global("torch._utils", "_rebuild_tensor_v2")
        out.append(0x28)
        // The persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel).
        let flat = t.storage ?? t.value
        let key: String
        if let i = indexOf[t.storageKey], storages[i].1.dtype == flat.dtype, storages[i].1.elementCount == flat.elementCount {
            key = storages[i].0
        } else {
            key = String(storages.count)
            indexOf[t.storageKey] = storages.count
            storages.append((key, flat))
        }
        out.append(0x28)
        string("storage")
        global("torch", Self.storageClass(flat.dtype))
        string(key)
        string("cpu")
        int(flat.elementCount)
        out.append(0x74); memoize()
        out.append(0x51)   // BINPERSID
        if t.storage != nil {
            int(t.offset)
            intTuple(t.sizes)
            intTuple(t.strides)
        } else {
            int(0)
            intTuple(t.value.shape.dims)
            intTuple(t.value.shape.strides)
        }
        out.append(t.requiresGrad && !t.isParameter ? 0x88 : 0x89)
        global("collections", "OrderedDict")
        out.append(0x29); out.append(0x52); memoize()
        out.append(0x74); memoize()
        out.append(0x52); memoize()
        if t.isParameter {
            out.append(t.requiresGrad ? 0x88 : 0x89)
            global("collections", "OrderedDict")
            out.append(0x29); out.append(0x52); memoize()
            out.append(0x87); memoize()
            out.append(0x52); memoize()
        }
    }
}
