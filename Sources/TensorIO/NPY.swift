import Tensor
/// NumPy's `.npy` format (`np.save` / `np.load`): the magic string `\x93NUMPY`, a version
/// (1.0, 2.0 or 3.0), a little-endian header length (2 bytes in 1.0, 4 bytes after), a header
/// that is a Python dict literal, then the raw elements.
///
/// Reading accepts C and Fortran order (a Fortran-order array is transposed into row-major), any
/// byte order, and converts `'<f2'` to float32 and every integer width to int64. Writing produces
/// exactly what `np.save` writes for the tensor's dtype: version 1.0 (2.0 when the header does
/// not fit), C order, little-endian, the header padded so the data starts at a multiple of 64.
///
/// ```swift
/// let bytes = NPY.encode(Tensor(shape: [2], float32: [1, 2]))
/// let back = try NPY.decode(bytes, path: "x.npy")        // shape [2], float32 [1, 2]
/// ```
enum NPY {
    /// The six bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// The dtypes this reader understands, for error messages.
    static let supportedDTypes =
        "'<f4', '<f8', '<i8', '|b1', and (converted on reading) '<f2', '|i1', '<i2', '<i4', '|u1', '<u2', '<u4', "
        + "in either byte order ('<' or '>')"

    /// The tensor stored in the `.npy` bytes; `path` names the file in errors.
    ///
    /// ```swift
    /// let t = try NPY.decode(FileIO.read(path: "w.npy"), path: "w.npy")
    /// ```
    static func decode(_ bytes: [UInt8], path: String) throws -> Tensor {
        guard !bytes.isEmpty else {
            throw FileIO.error(path, "truncated file: expected at least 10 bytes (the .npy preamble), found 0 (the file is empty)")
        }
        let head = Array(bytes.prefix(6))
        guard head == Array(magic.prefix(head.count)) else {
            throw FileIO.error(path, "not a .npy file: it should start with the magic string \\x93NUMPY, "
                               + "but starts with bytes \(bytes.hexPrefix(8))", hint: formatHint(bytes))
        }
        guard bytes.count >= 8 else {
            throw FileIO.error(path, "truncated file: expected at least 10 bytes (the .npy preamble), found \(bytes.count)")
        }
        let (major, minor) = (bytes[6], bytes[7])
        let lengthSize: Int
        switch (major, minor) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        default:
            throw FileIO.error(path, "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        let preamble = 8 + lengthSize
        guard bytes.count >= preamble else {
            throw FileIO.error(path, "truncated file: expected at least \(preamble) bytes (the version \(major).0 preamble), "
                               + "found \(bytes.count)")
        }
        let headerLength = lengthSize == 2 ? Int(bytes.uint16(at: 8)) : Int(bytes.uint32(at: 8))
        let dataOffset = preamble + headerLength
        guard bytes.count >= dataOffset else {
            throw FileIO.error(path, "truncated file: expected at least \(dataOffset) bytes "
                               + "(a \(headerLength)-byte header after the \(preamble)-byte preamble), found \(bytes.count)")
        }
        let headerBytes = bytes[preamble..<dataOffset]
        let headerText: String
        if major == 3 {
            guard let text = String(validating: headerBytes, as: UTF8.self) else {
                throw FileIO.error(path, "invalid .npy header: a version 3.0 header must be UTF-8 text")
            }
            headerText = text
        } else {
            // Versions 1.0 and 2.0 are latin-1: every byte is the code point of the same value.
            headerText = String(appending: headerBytes.map { Unicode.Scalar($0) })
        }
        let header = try parseHeader(headerText, path: path)

        let dims = header.fortranOrder ? Array(header.shape.reversed()) : header.shape
        let shapeText = Shape(header.shape).description
        guard let needed = byteCount(of: dims, itemSize: header.layout.size), needed <= Int.max - dataOffset else {
            throw FileIO.error(path, "invalid .npy header: shape \(shapeText) of '\(header.descr)' is too large")
        }
        let available = bytes.count - dataOffset
        if available < needed {
            throw FileIO.error(path, "truncated file: expected \(dataOffset + needed) bytes (\(dataOffset)-byte header + "
                               + "\(needed) data bytes for shape \(shapeText) of '\(header.descr)'), found \(bytes.count)")
        }
        if available > needed {
            throw FileIO.error(path, "data size mismatch: shape \(shapeText) of '\(header.descr)' needs \(needed) data bytes, "
                               + "but \(available) bytes follow the header")
        }
        let count = needed / header.layout.size
        let storage = ElementLayout.decode(bytes, from: dataOffset, count: count, as: header.layout)
        let stored = Tensor(shape: Shape(dims), storage: storage)
        if header.fortranOrder && dims.count > 1 {
            return try stored.transposed(Array((0..<dims.count).reversed()))
        }
        return stored
    }

    /// Refuses a tensor NumPy has no dtype for (bfloat16), naming the file.
    static func checkWritable(_ tensor: Tensor, path: String, name: String? = nil) throws {
        if tensor.dtype == .bfloat16 {
            throw FileIO.error(path, "NumPy has no bfloat16 dtype\(name.map { " (tensor '\($0)')" } ?? "")",
                               hint: "convert with .float() first, or save as .safetensors or .pt, which keep bfloat16")
        }
    }

    /// The `.npy` bytes `np.save` writes for this tensor: byte for byte the same header.
    ///
    /// ```swift
    /// NPY.encode(Tensor(scalar: 1)).count   // 132: a 128-byte header and one float32
    /// ```
    static func encode(_ tensor: Tensor) -> [UInt8] {
        let descr: String
        switch tensor.dtype {
        case .bool: descr = "|b1"
        case .uint8: descr = "|u1"
        case .int8: descr = "|i1"
        case .int16: descr = "<i2"
        case .int32: descr = "<i4"
        case .uint32: descr = "<u4"
        case .int64: descr = "<i8"
        case .float16: descr = "<f2"
        case .bfloat16: preconditionFailure("NumPy has no bfloat16: callers check with NPY.checkWritable")
        case .float32: descr = "<f4"
        case .float64: descr = "<f8"
        }
        let dims = tensor.shape.dims
        let shapeRepr = dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeRepr), }"
        // NumPy leaves room to grow the first dimension in place: up to 21 digits.
        if let first = dims.first {
            header += String(repeating: " ", count: max(0, 21 - String(first).count))
        }
        let text = Array(header.utf8)
        var out: [UInt8] = magic
        let lineLength = text.count + 1   // the header ends with a newline
        let padV1 = 64 - (10 + lineLength) % 64
        if lineLength + padV1 <= Int(UInt16.max) {
            out += [1, 0]
            out.append(littleEndian: UInt16(lineLength + padV1))
            out += text + [UInt8](repeating: 0x20, count: padV1) + [0x0A]
        } else {
            let padV2 = 64 - (12 + lineLength) % 64
            out += [2, 0]
            out.append(littleEndian: UInt32(lineLength + padV2))
            out += text + [UInt8](repeating: 0x20, count: padV2) + [0x0A]
        }
        out += ElementLayout.encode(tensor.storage)
        return out
    }

    /// What a `.npy` header says.
    struct Header: Equatable {
        /// The `descr` string as written, e.g. `'<f4'`.
        var descr: String
        /// How the elements are stored.
        var layout: ElementLayout
        /// Whether the elements are in column-major order.
        var fortranOrder: Bool
        /// The array's shape.
        var shape: [Int]
    }

    /// Parses and checks a header dict: exactly the keys `descr`, `fortran_order` and `shape`.
    ///
    /// ```swift
    /// try NPY.parseHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", path: "x.npy").shape   // [2]
    /// ```
    static func parseHeader(_ text: String, path: String) throws -> Header {
        let shown = text.trimmingSpaces.count > 120 ? String(text.trimmingSpaces.prefix(120)) + "..." : text.trimmingSpaces
        func invalid(_ why: String) -> TensorError {
            FileIO.error(path, "invalid .npy header: \(why)", hint: "the header is: \(shown)")
        }
        let literal: PythonLiteral
        do {
            literal = try PythonLiteral.parse(text)
        } catch {
            throw invalid("\(error.message) at character \(error.offset)")
        }
        guard case .dict(let entries) = literal else {
            throw invalid("expected a dict, found \(literal.summary)")
        }
        let keys = entries.map(\.0)
        guard Set(keys) == ["descr", "fortran_order", "shape"] else {
            throw invalid("expected the keys 'descr', 'fortran_order' and 'shape', found "
                          + (keys.isEmpty ? "none" : keys.map { "'\($0)'" }.joined(separator: ", ")))
        }
        let fields = Dictionary(uniqueKeysWithValues: entries)
        guard case .bool(let fortranOrder) = fields["fortran_order"]! else {
            throw invalid("'fortran_order' must be True or False, found \(fields["fortran_order"]!.summary)")
        }
        guard case .tuple(let items) = fields["shape"]! else {
            throw invalid("'shape' must be a tuple of integers, found \(fields["shape"]!.summary)")
        }
        var shape: [Int] = []
        for item in items {
            guard case .int(let d) = item, d >= 0 else {
                throw invalid("'shape' must hold non-negative integers, found \(item.summary)")
            }
            shape.append(d)
        }
        let descr: String
        switch fields["descr"]! {
        case .string(let s):
            descr = s
        case .list, .tuple:
            throw FileIO.error(path, "unsupported dtype: a structured dtype with named fields; supported: \(supportedDTypes)",
                               hint: "save each field as its own array, e.g. np.savez(f, x=a['x'], y=a['y'])")
        case .int, .bool, .none, .dict:
            throw invalid("'descr' must be a dtype string such as '<f4', found \(fields["descr"]!.summary)")
        }
        return Header(descr: descr, layout: try layout(descr: descr, path: path), fortranOrder: fortranOrder, shape: shape)
    }

    /// The element layout of a NumPy dtype string such as `'<f4'`, `'>i2'` or `'|b1'`.
    ///
    /// ```swift
    /// try NPY.layout(descr: ">f8", path: "x.npy")   // float, 8 bytes, big-endian
    /// try NPY.layout(descr: "<c8", path: "x.npy")   // throws: unsupported dtype '<c8' (complex64) ...
    /// ```
    static func layout(descr: String, path: String) throws -> ElementLayout {
        var rest = Substring(descr)
        var bigEndian = !ElementLayout.isLittleEndianHost
        switch rest.first {
        case "<": bigEndian = false; rest = rest.dropFirst()
        case ">": bigEndian = true; rest = rest.dropFirst()
        case "|", "=": rest = rest.dropFirst()
        default: break
        }
        let kind = rest.first
        let size = Int(rest.dropFirst())
        switch (kind, size) {
        case ("b", 1): return ElementLayout(kind: .bool, size: 1, bigEndian: bigEndian)
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): return ElementLayout(kind: .signed, size: size!, bigEndian: bigEndian)
        case ("u", 1), ("u", 2), ("u", 4): return ElementLayout(kind: .unsigned, size: size!, bigEndian: bigEndian)
        case ("f", 2), ("f", 4), ("f", 8): return ElementLayout(kind: .float, size: size!, bigEndian: bigEndian)
        default:
            let (what, hint) = describeUnsupported(kind: kind, size: size)
            throw FileIO.error(path, "unsupported dtype '\(descr)'\(what.isEmpty ? "" : " (\(what))"); "
                               + "supported: \(supportedDTypes)", hint: hint)
        }
    }

    private static func describeUnsupported(kind: Character?, size: Int?) -> (String, String?) {
        let bits = size.map { String($0 * 8) } ?? ""
        switch kind {
        case "c": return ("complex\(bits)", "save the real and imaginary parts as two arrays (a.real, a.imag)")
        case "u": return ("uint\(bits)", size == 8 ? "values above 2**63 - 1 do not fit int64; convert with a.astype(np.int64)" : nil)
        case "i": return ("int\(bits)", nil)
        case "f": return ("float\(bits)", "convert with a.astype(np.float64)")
        case "U": return ("a unicode string array", nil)
        case "S", "a": return ("a bytes string array", nil)
        case "O": return ("Python objects, stored with pickle", "convert to a numeric array before np.save")
        case "M": return ("datetime64", nil)
        case "m": return ("timedelta64", nil)
        case "V": return ("raw void bytes", nil)
        default: return ("", nil)
        }
    }

    /// A hint naming the format a mis-named file seems to be in.
    ///
    /// ```swift
    /// NPY.formatHint(Array("PK\u{3}\u{4}".utf8))   // "this looks like a ZIP archive (.npz) ..."
    /// ```
    static func formatHint(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return "this looks like a ZIP archive (.npz, several arrays); load it with a .npz extension"
        }
        if bytes.count > 9, bytes[8] == UInt8(ascii: "{"), bytes.uint64(at: 0) < UInt64(bytes.count) {
            return "this looks like a .safetensors file; load it with a .safetensors extension"
        }
        if bytes.starts(with: magic) {
            return "this looks like a .npy file; load it with a .npy extension"
        }
        if bytes.starts(with: [0x80]) {
            return "this looks like a Python pickle (pickle.dump, or torch.save's legacy format); " + torchSaveAdvice
        }
        return nil
    }

    /// What to do with a `torch.save` file read under another extension.
    static let torchSaveAdvice = "torch.load reads PyTorch checkpoints under any extension but .npy, .npz, .safetensors, "
        + ".csv and .txt: name the file .pt"
}

extension String {
    /// The string of `scalars`, appended one at a time. (`String.UnicodeScalarView(scalars)` is
    /// generic over its argument and looks its types up at run time; the first such lookup
    /// scanned the binary's 5,600 conformance records, 0.1 ms of loading the first .npy file.)
    init(appending scalars: [Unicode.Scalar]) {
        var view = String.UnicodeScalarView()
        for c in scalars { view.append(c) }
        self.init(view)
    }

    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
