import Tensor
/// Hugging Face's `.safetensors` format, as `safetensors.torch.save_file` writes it: an 8-byte
/// little-endian header length N, N bytes of JSON
/// `{"<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ..., "__metadata__": {...}}`
/// padded with spaces to a multiple of 8, then the data; offsets count from the end of the header.
///
/// Reading keeps each dtype (U16 and U32, which Jacobi lacks, become int64) and returns the
/// tensors in the order of their data. Writing is byte for byte what the Python library writes:
/// tensors ordered by dtype, later first in the Rust library's `Dtype` order (I64, F64, F32,
/// I32, BF16, F16, I16, I8, U8, BOOL), then by name, in the header and in the data.
///
/// ```swift
/// let bytes = try SafeTensors.encode([("0.weight", w), ("0.bias", b)], path: "m.safetensors")
/// let pairs = try SafeTensors.decode(bytes, path: "m.safetensors")   // [("0.bias", b), ("0.weight", w)]
/// ```
enum SafeTensors {
    /// The dtypes this reader understands, for error messages.
    static let supportedDTypes = "F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL, and (as int64) U16, U32"

    /// The largest header accepted (the Rust library's limit).
    static let maxHeaderLength = 100_000_000

    /// The reserved header key of the string-to-string metadata.
    static let metadataKey = "__metadata__"

    /// The element layout of a safetensors dtype name, or nil when unsupported.
    ///
    /// ```swift
    /// SafeTensors.layout(dtype: "BF16")?.dtype   // .float32
    /// SafeTensors.layout(dtype: "C64")           // nil
    /// ```
    static func layout(dtype: String) -> ElementLayout? {
        switch dtype {
        case "BOOL": return ElementLayout(kind: .bool, size: 1, bigEndian: false)
        case "I8": return ElementLayout(kind: .signed, size: 1, bigEndian: false)
        case "I16": return ElementLayout(kind: .signed, size: 2, bigEndian: false)
        case "I32": return ElementLayout(kind: .signed, size: 4, bigEndian: false)
        case "I64": return ElementLayout(kind: .signed, size: 8, bigEndian: false)
        case "U8": return ElementLayout(kind: .unsigned, size: 1, bigEndian: false)
        case "U16": return ElementLayout(kind: .unsigned, size: 2, bigEndian: false)
        case "U32": return ElementLayout(kind: .unsigned, size: 4, bigEndian: false)
        case "F16": return ElementLayout(kind: .float, size: 2, bigEndian: false)
        case "BF16": return ElementLayout(kind: .bfloat, size: 2, bigEndian: false)
        case "F32": return ElementLayout(kind: .float, size: 4, bigEndian: false)
        case "F64": return ElementLayout(kind: .float, size: 8, bigEndian: false)
        default: return nil
        }
    }

    /// The safetensors name of a dtype.
    ///
    /// ```swift
    /// SafeTensors.name(of: .bool)   // "BOOL"
    /// ```
    static func name(of dtype: DType) -> String {
        switch dtype {
        case .bool: return "BOOL"
        case .uint8: return "U8"
        case .int8: return "I8"
        case .int16: return "I16"
        case .int32: return "I32"
        case .uint32: return "U32"
        case .int64: return "I64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float32: return "F32"
        case .float64: return "F64"
        }
    }

    /// The tensors of the file in `bytes`, in the order of their data offsets.
    ///
    /// ```swift
    /// let pairs = try SafeTensors.decode(FileIO.read(path: "m.safetensors"), path: "m.safetensors")
    /// ```
    static func decode(_ bytes: [UInt8], path: String) throws -> [(String, Tensor)] {
        guard bytes.count >= 8 else {
            throw FileIO.error(path, "truncated file: expected at least 8 bytes (the header length), found \(bytes.count)")
        }
        if bytes.count > 8 && bytes[8] != UInt8(ascii: "{") {
            throw FileIO.error(path, "not a .safetensors file: the JSON header after the 8-byte length should start with '{', "
                               + "but the file starts with bytes \(bytes.hexPrefix(10))", hint: NPY.formatHint(bytes))
        }
        let declared = bytes.uint64(at: 0)
        guard declared <= UInt64(maxHeaderLength) else {
            throw FileIO.error(path, "invalid .safetensors header: its length \(declared) is over the \(maxHeaderLength)-byte limit")
        }
        let headerLength = Int(declared)
        let dataStart = 8 + headerLength
        guard bytes.count >= dataStart else {
            throw FileIO.error(path, "truncated file: expected at least \(dataStart) bytes (8-byte length + \(headerLength)-byte "
                               + "JSON header), found \(bytes.count)")
        }
        func invalid(_ why: String) -> TensorError { FileIO.error(path, "invalid .safetensors header: \(why)") }
        let header: JSON
        do {
            header = try JSON.parse(bytes[8..<dataStart])
        } catch {
            throw invalid("\(error.message) at byte \(error.offset) of the JSON header")
        }
        guard case .object(let members) = header else { throw invalid("expected a JSON object, found \(header.summary)") }

        struct Item { var name: String; var dtype: String; var layout: ElementLayout; var shape: [Int]; var begin: Int; var end: Int }
        var items: [Item] = []
        for (name, value) in members {
            if name == metadataKey {
                guard case .object(let entries) = value, entries.allSatisfy({ if case .string = $0.1 { true } else { false } }) else {
                    throw invalid("'\(metadataKey)' must map strings to strings, found \(value.summary)")
                }
                continue
            }
            guard case .object(let fields) = value else { throw invalid("tensor '\(name)' must be an object, found \(value.summary)") }
            let info = Dictionary(fields, uniquingKeysWith: { a, _ in a })
            guard case .string(let dtype)? = info["dtype"] else {
                throw invalid("tensor '\(name)' needs a string \"dtype\", found \(info["dtype"]?.summary ?? "none")")
            }
            guard let layout = layout(dtype: dtype) else {
                throw FileIO.error(path, "tensor '\(name)' has unsupported dtype '\(dtype)'; supported: \(supportedDTypes)")
            }
            guard case .array(let shapeItems)? = info["shape"] else {
                throw invalid("tensor '\(name)' needs a \"shape\" array, found \(info["shape"]?.summary ?? "none")")
            }
            var shape: [Int] = []
            for item in shapeItems {
                guard let d = item.intValue, d >= 0 else {
                    throw invalid("tensor '\(name)' has a \"shape\" entry that is not a non-negative integer: \(item.summary)")
                }
                shape.append(d)
            }
            guard case .array(let offsets)? = info["data_offsets"], offsets.count == 2,
                  let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= 0 else {
                throw invalid("tensor '\(name)' needs \"data_offsets\" [begin, end] of two non-negative integers, found "
                              + (info["data_offsets"]?.summary ?? "none"))
            }
            guard begin <= end else {
                throw FileIO.error(path, "tensor '\(name)' has data_offsets [\(begin), \(end)] out of range: the end is before the beginning")
            }
            guard let needed = byteCount(of: shape, itemSize: layout.size), needed == end - begin else {
                throw FileIO.error(path, "data size mismatch: tensor '\(name)' of shape \(Shape(shape)) and dtype \(dtype) needs "
                                   + "\(byteCount(of: shape, itemSize: layout.size).map(String.init) ?? "too many") bytes, "
                                   + "but its data_offsets [\(begin), \(end)] span \(end - begin)")
            }
            items.append(Item(name: name, dtype: dtype, layout: layout, shape: shape, begin: begin, end: end))
        }
        // The header order is a JSON object's (unordered); the data order is the file's.
        let ordered = items.enumerated().sorted { a, b in
            (a.element.begin, a.element.end, a.offset) < (b.element.begin, b.element.end, b.offset)
        }.map(\.element)
        for (a, b) in zip(ordered, ordered.dropFirst()) where b.begin < a.end {
            throw FileIO.error(path, "tensors '\(a.name)' (data_offsets [\(a.begin), \(a.end)]) and '\(b.name)' "
                               + "(data_offsets [\(b.begin), \(b.end)]) overlap")
        }
        let dataLength = bytes.count - dataStart
        if let beyond = ordered.first(where: { $0.end > dataLength }) {
            let contiguous = zip([0] + ordered.map(\.end), ordered.map(\.begin)).allSatisfy { $0 == $1 }
            let needed = dataStart + ordered.last!.end
            if contiguous {
                throw FileIO.error(path, "truncated file: expected \(needed) bytes (8-byte length + \(headerLength)-byte header + "
                                   + "\(ordered.last!.end) data bytes), found \(bytes.count)")
            }
            throw FileIO.error(path, "tensor '\(beyond.name)' has data_offsets [\(beyond.begin), \(beyond.end)] out of range: "
                               + "the data section holds \(dataLength) bytes")
        }
        return ordered.map { item in
            let storage = ElementLayout.decode(bytes, from: dataStart + item.begin, count: (item.end - item.begin) / item.layout.size,
                                               as: item.layout)
            return (item.name, Tensor(shape: Shape(item.shape), storage: storage))
        }
    }

    /// The bytes `safetensors.torch.save_file` writes for these tensors (without metadata).
    ///
    /// ```swift
    /// let bytes = try SafeTensors.encode([("w", Tensor(shape: [2], float32: [1, 2]))], path: "w.safetensors")
    /// // 8-byte length, {"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} padded to 8, then 8 data bytes
    /// ```
    static func encode(_ items: [(String, Tensor)], path: String) throws -> [UInt8] {
        try TensorFile.checkNames(items.map(\.0), path: path, reserved: metadataKey)
        // The Rust library sorts by its `Dtype` enum's declaration order, later first, then by name.
        func rank(_ d: DType) -> Int {
            switch d {
            case .bool: return 0
            case .uint8: return 1
            case .int8: return 2
            case .int16: return 5
            case .float16: return 7
            case .bfloat16: return 8
            case .int32: return 9
            case .uint32: return 10
            case .float32: return 11
            case .float64: return 12
            case .int64: return 13
            }
        }
        let ordered = items.sorted { a, b in
            rank(a.1.dtype) != rank(b.1.dtype) ? rank(a.1.dtype) > rank(b.1.dtype)
                : Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8))
        }
        var offset = 0
        var fields: [String] = []
        for (name, tensor) in ordered {
            let shape = "[" + tensor.shape.dims.map(String.init).joined(separator: ",") + "]"
            fields.append(JSON.quote(name) + ":{\"dtype\":\"\(self.name(of: tensor.dtype))\",\"shape\":\(shape),"
                          + "\"data_offsets\":[\(offset),\(offset + tensor.byteCount)]}")
            offset += tensor.byteCount
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        out.append(littleEndian: UInt64(header.count))
        out += header
        for (_, tensor) in ordered { out += ElementLayout.encode(tensor.storage) }
        return out
    }
}
