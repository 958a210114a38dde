import Tensor
import CZlib

/// The ZIP container of `.npz` files: reading the central directory (with ZIP64 records, as
/// NumPy writes them), extracting stored and DEFLATE entries (through zlib) with their CRC-32
/// checked, and writing stored archives.
///
/// ```swift
/// let zip = Zip.archive([(name: "a.npy", data: NPY.encode(t))])
/// let entries = try Zip.entries(in: zip, path: "x.npz")     // [a.npy]
/// let data = try Zip.contents(of: entries[0], in: zip, path: "x.npz")
/// ```
enum Zip {
    /// One file of an archive, as its central directory describes it.
    struct Entry: Equatable {
        /// The file name inside the archive.
        var name: String
        /// General-purpose flags (bit 0: encrypted, bit 3: sizes in a trailing descriptor, bit 11: UTF-8 name).
        var flags: UInt16
        /// Compression method: 0 stored, 8 DEFLATE.
        var method: UInt16
        /// CRC-32 of the uncompressed data.
        var crc32: UInt32
        /// Bytes of data in the archive.
        var compressedSize: Int
        /// Bytes once extracted.
        var uncompressedSize: Int
        /// Where the entry's local header starts.
        var localHeaderOffset: Int
    }

    /// When a written archive switches to ZIP64 records (tests lower these to exercise them).
    struct Limits {
        /// Sizes and offsets at or above this are written in ZIP64 extra fields.
        var size: UInt64 = 0xFFFF_FFFF
        /// Entry counts at or above this need the ZIP64 end record.
        var count: Int = 0xFFFF
    }

    static let localSignature: UInt32 = 0x0403_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let end64Signature: UInt32 = 0x0606_4B50
    static let end64LocatorSignature: UInt32 = 0x0706_4B50

    // MARK: - Reading

    /// The entries of the archive in `bytes`, in central-directory order.
    ///
    /// ```swift
    /// try Zip.entries(in: FileIO.read(path: "w.npz"), path: "w.npz").map(\.name)   // ["a.npy", "b.npy"]
    /// ```
    static func entries(in bytes: [UInt8], path: String) throws -> [Entry] {
        let startsLocal = bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let startsEmpty = bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
        guard startsLocal || startsEmpty else {
            if bytes.count < 4 && [0x50, 0x4B, 0x03, 0x04].starts(with: bytes) {
                throw FileIO.error(path, "truncated file: expected at least 22 bytes (an empty ZIP archive), found \(bytes.count)")
            }
            throw FileIO.error(path, "not a .npz file: a ZIP archive starts with PK\\x03\\x04, "
                               + "but this file starts with bytes \(bytes.hexPrefix(8))", hint: NPY.formatHint(bytes))
        }
        guard let end = findEndRecord(bytes) else { throw truncation(bytes, path: path) }
        func invalid(_ why: String) -> TensorError { FileIO.error(path, "invalid ZIP archive: \(why)") }

        if bytes.uint16(at: end + 4) != 0 || bytes.uint16(at: end + 6) != 0 {
            throw invalid("split (multi-disk) archives are not supported")
        }
        var total = Int(bytes.uint16(at: end + 10))
        var directorySize = UInt64(bytes.uint32(at: end + 12))
        var directoryOffset = UInt64(bytes.uint32(at: end + 16))
        var directoryLimit = end
        let locator = end - 20
        if locator >= 0 && bytes.uint32(at: locator) == end64LocatorSignature {
            let record64 = bytes.uint64(at: locator + 8)
            guard locator >= 56, record64 <= UInt64(locator - 56), bytes.uint32(at: Int(record64)) == end64Signature else {
                throw invalid("the ZIP64 end record is missing")
            }
            let r = Int(record64)
            guard bytes.uint64(at: r + 32) <= UInt64(Int.max) else { throw invalid("the ZIP64 entry count is too large") }
            total = Int(bytes.uint64(at: r + 32))
            directorySize = bytes.uint64(at: r + 40)
            directoryOffset = bytes.uint64(at: r + 48)
            directoryLimit = r
        } else if total == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw invalid("the end record points to a ZIP64 record that is missing")
        }
        guard directoryOffset <= UInt64(directoryLimit), directorySize <= UInt64(directoryLimit) - directoryOffset else {
            throw invalid("the central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside "
                          + "the \(bytes.count)-byte file")
        }
        let directoryEnd = Int(directoryOffset + directorySize)
        var pos = Int(directoryOffset)
        var entries: [Entry] = []
        for k in 0..<total {
            guard pos + 46 <= directoryEnd, bytes.uint32(at: pos) == centralSignature else {
                throw invalid("central directory entry \(k + 1) of \(total) is missing or damaged")
            }
            let flags = bytes.uint16(at: pos + 8)
            let nameLength = Int(bytes.uint16(at: pos + 28))
            let extraLength = Int(bytes.uint16(at: pos + 30))
            let commentLength = Int(bytes.uint16(at: pos + 32))
            let next = pos + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw invalid("central directory entry \(k + 1) of \(total) is cut short") }
            let name = decodeName(bytes[(pos + 46)..<(pos + 46 + nameLength)], utf8: flags & 0x0800 != 0)
            var uncompressed = UInt64(bytes.uint32(at: pos + 24))
            var compressed = UInt64(bytes.uint32(at: pos + 20))
            var offset = UInt64(bytes.uint32(at: pos + 42))
            if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                // The ZIP64 extra field holds, in this order, each field whose 32-bit slot is full.
                guard var field = zip64Field(bytes, from: pos + 46 + nameLength, length: extraLength) else {
                    throw invalid("entry '\(name)' has full 32-bit sizes but no ZIP64 extra field")
                }
                for slot in [0, 1, 2] {
                    let isFull = [uncompressed, compressed, offset][slot] == 0xFFFF_FFFF
                    guard isFull else { continue }
                    guard field.count >= 8 else { throw invalid("entry '\(name)' has a short ZIP64 extra field") }
                    let value = field.uint64(at: 0)
                    field.removeFirst(8)
                    switch slot {
                    case 0: uncompressed = value
                    case 1: compressed = value
                    default: offset = value
                    }
                }
            }
            guard uncompressed <= UInt64(Int.max), compressed <= UInt64(bytes.count), offset <= UInt64(bytes.count) else {
                throw invalid("entry '\(name)' has sizes or an offset beyond the \(bytes.count)-byte file")
            }
            entries.append(Entry(name: name, flags: flags, method: bytes.uint16(at: pos + 10), crc32: bytes.uint32(at: pos + 16),
                                 compressedSize: Int(compressed), uncompressedSize: Int(uncompressed),
                                 localHeaderOffset: Int(offset)))
            pos = next
        }
        return entries
    }

    /// The extracted, CRC-checked data of one entry.
    ///
    /// ```swift
    /// let npy = try Zip.contents(of: entry, in: bytes, path: "w.npz")
    /// ```
    static func contents(of entry: Entry, in bytes: [UInt8], path: String) throws -> [UInt8] {
        func invalid(_ why: String) -> TensorError { FileIO.error(path, "invalid ZIP archive: entry '\(entry.name)' \(why)") }
        if entry.flags & 1 != 0 {
            throw FileIO.error(path, "entry '\(entry.name)' is encrypted; encrypted archives are not supported")
        }
        let local = entry.localHeaderOffset
        guard local + 30 <= bytes.count, bytes.uint32(at: local) == localSignature else {
            throw invalid("has no local header at offset \(local)")
        }
        let start = local + 30 + Int(bytes.uint16(at: local + 26)) + Int(bytes.uint16(at: local + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw FileIO.error(path, "truncated file: entry '\(entry.name)' needs bytes up to "
                               + "\(start + entry.compressedSize), found \(bytes.count)")
        }
        let raw = bytes[start..<(start + entry.compressedSize)]
        let data: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw invalid("is stored uncompressed but its sizes differ (\(entry.compressedSize) and \(entry.uncompressedSize) bytes)")
            }
            data = Array(raw)
        case 8:
            // DEFLATE expands at most about 1032:1; a larger claim is a damaged directory.
            guard entry.uncompressedSize / 1032 <= entry.compressedSize + 1 else {
                throw invalid("claims \(entry.uncompressedSize) bytes from \(entry.compressedSize) compressed bytes")
            }
            switch inflateRaw(raw, expectedSize: entry.uncompressedSize) {
            case .success(let out): data = out
            case .failure(let problem): throw invalid("has damaged DEFLATE data: \(problem.message)")
            }
        default:
            throw FileIO.error(path, "entry '\(entry.name)' uses unsupported compression method \(entry.method)"
                               + " (\(methodName(entry.method))); supported: 0 (stored, np.savez) and 8 (deflate, np.savez_compressed)",
                               hint: "recompress the archive with np.savez or np.savez_compressed")
        }
        let crc = crc32(data)
        guard crc == entry.crc32 else {
            throw FileIO.error(path, "entry '\(entry.name)' is corrupted: its CRC-32 is \(hex(crc)) but the archive records \(hex(entry.crc32))")
        }
        return data
    }

    /// The name of a ZIP compression method, for messages.
    ///
    /// ```swift
    /// Zip.methodName(12)   // "bzip2"
    /// ```
    static func methodName(_ method: UInt16) -> String {
        switch method {
        case 0: return "stored"
        case 1: return "shrink"
        case 2, 3, 4, 5: return "reduce"
        case 6: return "implode"
        case 8: return "deflate"
        case 9: return "deflate64"
        case 12: return "bzip2"
        case 14: return "lzma"
        case 93: return "zstandard"
        case 95: return "xz"
        case 98: return "ppmd"
        case 99: return "AES encryption"
        default: return "unknown"
        }
    }

    private static func findEndRecord(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var i = bytes.count - 22
        while i >= lowest {
            if bytes[i] == 0x50, bytes.uint32(at: i) == endSignature, i + 22 + Int(bytes.uint16(at: i + 20)) <= bytes.count {
                return i
            }
            i -= 1
        }
        return nil
    }

    /// Why an archive without an end record is short: the first local entry that runs past the
    /// end, or else the missing central directory.
    private static func truncation(_ bytes: [UInt8], path: String) -> TensorError {
        var offset = 0
        while offset + 30 <= bytes.count, bytes.uint32(at: offset) == localSignature {
            let flags = bytes.uint16(at: offset + 6)
            let nameLength = Int(bytes.uint16(at: offset + 26)), extraLength = Int(bytes.uint16(at: offset + 28))
            let dataStart = offset + 30 + nameLength + extraLength
            guard dataStart <= bytes.count else {
                return FileIO.error(path, "truncated file: expected at least \(dataStart) bytes (a local ZIP header), found \(bytes.count)")
            }
            let name = decodeName(bytes[(offset + 30)..<(offset + 30 + nameLength)], utf8: flags & 0x0800 != 0)
            var compressed = UInt64(bytes.uint32(at: offset + 18))
            if compressed == 0xFFFF_FFFF,
               let field = zip64Field(bytes, from: offset + 30 + nameLength, length: extraLength), field.count >= 16 {
                compressed = field.uint64(at: 8)
            }
            if flags & 0x08 != 0 { break }   // sizes follow the data: the end cannot be known here
            let (end, overflow) = UInt64(dataStart).addingReportingOverflow(compressed)
            if overflow || end > UInt64(bytes.count) {
                return FileIO.error(path, "truncated file: expected at least \(end) bytes (entry '\(name)' ends there), "
                                    + "found \(bytes.count)")
            }
            offset = Int(end)
        }
        return FileIO.error(path, "truncated file: the ZIP central directory at the end is missing; "
                            + "expected at least \(bytes.count + 22) bytes, found \(bytes.count)")
    }

    /// The data of the ZIP64 extra field (id 1) among the extra fields at `from`.
    private static func zip64Field(_ bytes: [UInt8], from start: Int, length: Int) -> [UInt8]? {
        var p = start
        let end = min(start + length, bytes.count)
        while p + 4 <= end {
            let id = bytes.uint16(at: p), size = Int(bytes.uint16(at: p + 2))
            guard p + 4 + size <= end else { return nil }
            if id == 0x0001 { return Array(bytes[(p + 4)..<(p + 4 + size)]) }
            p += 4 + size
        }
        return nil
    }

    /// File names are UTF-8 when flag bit 11 is set, and code page 437 otherwise.
    private static func decodeName(_ raw: ArraySlice<UInt8>, utf8: Bool) -> String {
        if utf8 || raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        return String(appending: raw.map { $0 < 0x80 ? Unicode.Scalar($0) : cp437High[Int($0) - 0x80] })
    }

    private static let cp437High: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}"
            .unicodeScalars)

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - s.count) + s
    }

    // MARK: - zlib

    /// Why DEFLATE data could not be inflated.
    struct InflateError: Error, Equatable {
        var message: String
    }

    /// Inflates raw DEFLATE data (no zlib header) that must produce exactly `expectedSize` bytes.
    ///
    /// ```swift
    /// Zip.inflateRaw([0x03, 0x00], expectedSize: 0)   // .success([])
    /// ```
    static func inflateRaw(_ input: ArraySlice<UInt8>, expectedSize: Int) -> Result<[UInt8], InflateError> {
        var stream = z_stream()
        guard czlib_inflate_init_raw(&stream) == Z_OK else { return .failure(InflateError(message: "zlib could not start")) }
        defer { inflateEnd(&stream) }
        // One spare byte: output beyond the expected size shows up instead of being cut off.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        let chunk = 1 << 30
        let problem: String? = input.withUnsafeBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                var inOffset = 0, outOffset = 0
                while true {
                    if stream.avail_in == 0 && inOffset < inBuffer.count {
                        let n = min(chunk, inBuffer.count - inOffset)
                        stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + inOffset)
                        stream.avail_in = uInt(n)
                        inOffset += n
                    }
                    if stream.avail_out == 0 && outOffset < outBuffer.count {
                        let n = min(chunk, outBuffer.count - outOffset)
                        stream.next_out = outBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + outOffset
                        stream.avail_out = uInt(n)
                        outOffset += n
                    }
                    let status = inflate(&stream, Z_NO_FLUSH)
                    switch status {
                    case Z_STREAM_END:
                        return nil
                    case Z_OK:
                        continue
                    case Z_BUF_ERROR where stream.avail_in == 0 && inOffset == inBuffer.count:
                        return "the compressed data ends early"
                    case Z_BUF_ERROR where stream.avail_out == 0 && outOffset == outBuffer.count:
                        return "it inflates to more than the \(expectedSize) bytes the archive records"
                    default:
                        return stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    }
                }
            }
        }
        if let problem { return .failure(InflateError(message: problem)) }
        let produced = Int(stream.total_out)
        guard produced == expectedSize else {
            return .failure(InflateError(message: produced > expectedSize
                ? "it inflates to more than the \(expectedSize) bytes the archive records"
                : "it inflates to \(produced) bytes, but the archive records \(expectedSize)"))
        }
        output.removeLast()
        return .success(output)
    }

    /// The CRC-32 (ZIP's, through zlib) of `data`.
    ///
    /// ```swift
    /// Zip.crc32(Array("123456789".utf8))   // 0xCBF43926
    /// ```
    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBytes { raw in
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < raw.count {
                let n = min(1 << 30, raw.count - offset)
                crc = CZlib.crc32(crc, raw.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(n))
                offset += n
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    // MARK: - Writing

    /// A ZIP archive of stored (uncompressed) files, as `np.savez` writes; entries and offsets
    /// past 4 GiB use ZIP64 records. Dates are fixed (1980-01-01) so output is reproducible.
    ///
    /// ```swift
    /// let zip = Zip.archive([(name: "x.npy", data: NPY.encode(x))])
    /// ```
    /// With an `alignment`, each file's data starts at a multiple of it: the local header gets
    /// an extra field of id "FB" holding padding, as PyTorch's archive writer does (so that
    /// storages can be memory-mapped).
    static func archive(_ files: [(name: String, data: [UInt8])], limits: Limits = Limits(), alignment: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let date: UInt16 = (0 << 9) | (1 << 5) | 1   // 1980-01-01
        for (name, data) in files {
            let nameBytes = Array(name.utf8)
            let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
            let crc = crc32(data)
            let size = UInt64(data.count), offset = UInt64(out.count)
            let bigSize = size >= limits.size, bigOffset = offset >= limits.size
            let version: UInt16 = bigSize || bigOffset ? 45 : 20
            let size32: UInt32 = bigSize ? 0xFFFF_FFFF : UInt32(size)

            out.append(littleEndian: localSignature)
            out.append(littleEndian: version)
            out.append(littleEndian: flags)
            out.append(littleEndian: UInt16(0))   // stored
            out.append(littleEndian: UInt16(0))   // time
            out.append(littleEndian: date)
            out.append(littleEndian: crc)
            out.append(littleEndian: size32)
            out.append(littleEndian: size32)
            var localExtra: [UInt8] = []
            if bigSize {
                localExtra.append(littleEndian: UInt16(1))
                localExtra.append(littleEndian: UInt16(16))
                localExtra.append(littleEndian: size)
                localExtra.append(littleEndian: size)
            }
            if alignment > 1 {
                let start = Int(offset) + 30 + nameBytes.count + localExtra.count + 4
                let padding = (alignment - start % alignment) % alignment
                localExtra += [0x46, 0x42]   // "FB"
                localExtra.append(littleEndian: UInt16(padding))
                localExtra += [UInt8](repeating: 0x5A, count: padding)   // "Z"
            }
            out.append(littleEndian: UInt16(nameBytes.count))
            out.append(littleEndian: UInt16(localExtra.count))
            out += nameBytes
            out += localExtra
            out += data

            var extra: [UInt8] = []
            if bigSize { extra.append(littleEndian: size); extra.append(littleEndian: size) }
            if bigOffset { extra.append(littleEndian: offset) }
            central.append(littleEndian: centralSignature)
            central.append(littleEndian: UInt16(3 << 8) | version)   // made by: Unix
            central.append(littleEndian: version)
            central.append(littleEndian: flags)
            central.append(littleEndian: UInt16(0))
            central.append(littleEndian: UInt16(0))
            central.append(littleEndian: date)
            central.append(littleEndian: crc)
            central.append(littleEndian: size32)
            central.append(littleEndian: size32)
            central.append(littleEndian: UInt16(nameBytes.count))
            central.append(littleEndian: UInt16(extra.isEmpty ? 0 : 4 + extra.count))
            central.append(littleEndian: UInt16(0))   // comment
            central.append(littleEndian: UInt16(0))   // disk
            central.append(littleEndian: UInt16(0))   // internal attributes
            central.append(littleEndian: UInt32(0o100644) << 16)   // a regular file, rw-r--r--
            central.append(littleEndian: bigOffset ? 0xFFFF_FFFF : UInt32(offset))
            central += nameBytes
            if !extra.isEmpty {
                central.append(littleEndian: UInt16(1))
                central.append(littleEndian: UInt16(extra.count))
                central += extra
            }
        }
        let directoryOffset = UInt64(out.count), directorySize = UInt64(central.count)
        out += central
        let manyEntries = files.count >= limits.count
        let bigOffset = directoryOffset >= limits.size, bigSize = directorySize >= limits.size
        if manyEntries || bigOffset || bigSize {
            let record64 = UInt64(out.count)
            out.append(littleEndian: end64Signature)
            out.append(littleEndian: UInt64(44))   // the size of the rest of this record
            out.append(littleEndian: UInt16(3 << 8 | 45))
            out.append(littleEndian: UInt16(45))
            out.append(littleEndian: UInt32(0))
            out.append(littleEndian: UInt32(0))
            out.append(littleEndian: UInt64(files.count))
            out.append(littleEndian: UInt64(files.count))
            out.append(littleEndian: directorySize)
            out.append(littleEndian: directoryOffset)
            out.append(littleEndian: end64LocatorSignature)
            out.append(littleEndian: UInt32(0))
            out.append(littleEndian: record64)
            out.append(littleEndian: UInt32(1))
        }
        out.append(littleEndian: endSignature)
        out.append(littleEndian: UInt16(0))
        out.append(littleEndian: UInt16(0))
        out.append(littleEndian: manyEntries ? 0xFFFF : UInt16(files.count))
        out.append(littleEndian: manyEntries ? 0xFFFF : UInt16(files.count))
        out.append(littleEndian: bigSize ? 0xFFFF_FFFF : UInt32(directorySize))
        out.append(littleEndian: bigOffset ? 0xFFFF_FFFF : UInt32(directoryOffset))
        out.append(littleEndian: UInt16(0))
        return out
    }
}
