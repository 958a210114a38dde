import Tensor
/// How the elements of an array are stored in a file: their kind, size in bytes and byte order.
/// `.npy` and `.safetensors` both describe their data with one of these; reading converts to
/// the nearest `DType` (every integer to int64, float16 and bfloat16 to float32).
///
/// ```swift
/// let half = ElementLayout(kind: .float, size: 2, bigEndian: false)
/// half.dtype                                        // .float32
/// ElementLayout.decode(Array([0x00, 0x3C]), from: 0, count: 1, as: half)   // .float32([1.0])
/// ```
struct ElementLayout: Equatable, Sendable {
    /// What the bytes of one element mean.
    enum Kind: Equatable, Sendable {
        /// One byte, non-zero is true.
        case bool
        /// Two's-complement integer of 1, 2, 4 or 8 bytes.
        case signed
        /// Unsigned integer of 1, 2 or 4 bytes (all fit in int64).
        case unsigned
        /// IEEE 754 binary16, binary32 or binary64.
        case float
        /// bfloat16: the upper half of a binary32.
        case bfloat
    }

    /// What the bytes mean.
    var kind: Kind
    /// Bytes per element.
    var size: Int
    /// Whether multi-byte elements are most significant byte first.
    var bigEndian: Bool

    /// The layout Jacobi writes for a dtype: little-endian, the dtype's own size.
    ///
    /// ```swift
    /// ElementLayout(native: .int64)   // kind .signed, size 8, little-endian
    /// ```
    init(native dtype: DType) {
        switch dtype {
        case .bool: self.init(kind: .bool, size: 1, bigEndian: false)
        case .uint8: self.init(kind: .unsigned, size: 1, bigEndian: false)
        case .int8: self.init(kind: .signed, size: 1, bigEndian: false)
        case .int16: self.init(kind: .signed, size: 2, bigEndian: false)
        case .int32: self.init(kind: .signed, size: 4, bigEndian: false)
        case .uint32: self.init(kind: .unsigned, size: 4, bigEndian: false)
        case .int64: self.init(kind: .signed, size: 8, bigEndian: false)
        case .float16: self.init(kind: .float, size: 2, bigEndian: false)
        case .bfloat16: self.init(kind: .bfloat, size: 2, bigEndian: false)
        case .float32: self.init(kind: .float, size: 4, bigEndian: false)
        case .float64: self.init(kind: .float, size: 8, bigEndian: false)
        }
    }

    /// Creates a layout.
    ///
    /// ```swift
    /// ElementLayout(kind: .float, size: 8, bigEndian: true)   // NumPy's '>f8'
    /// ```
    init(kind: Kind, size: Int, bigEndian: Bool) {
        self.kind = kind; self.size = size; self.bigEndian = bigEndian
    }

    /// The type of the tensor these elements become.
    ///
    /// ```swift
    /// ElementLayout(kind: .unsigned, size: 1, bigEndian: false).dtype   // .uint8
    /// ```
    /// Every layout keeps its own type, except unsigned 16- and 64-bit integers (no such Jacobi
    /// dtype, and PyTorch's are barely usable), which become int64 (uint64 past 2^63 wraps).
    var dtype: DType {
        switch (kind, size) {
        case (.bool, _): return .bool
        case (.signed, 1): return .int8
        case (.signed, 2): return .int16
        case (.signed, 4): return .int32
        case (.signed, _): return .int64
        case (.unsigned, 1): return .uint8
        case (.unsigned, 4): return .uint32
        case (.unsigned, _): return .int64
        case (.float, 2): return .float16
        case (.float, 4): return .float32
        case (.float, _): return .float64
        case (.bfloat, _): return .bfloat16
        }
    }

    /// Reads `count` elements of `layout` starting at byte `offset` of `bytes` (which must hold
    /// them: callers check sizes first and report truncation).
    ///
    /// ```swift
    /// ElementLayout.decode([1, 0, 0, 0, 0, 0, 0, 0], from: 0, count: 1, as: ElementLayout(native: .int64))
    /// // .int64([1])
    /// ```
    static func decode(_ bytes: [UInt8], from offset: Int, count: Int, as layout: ElementLayout) -> Storage {
        precondition(offset >= 0 && offset + count * layout.size <= bytes.count, "decode: range outside the buffer")
        return bytes.withUnsafeBytes { whole in
            let raw = UnsafeRawBufferPointer(rebasing: whole[offset..<(offset + count * layout.size)])
            let big = layout.bigEndian
            switch (layout.kind, layout.size) {
            case (.bool, _):
                return .bool(raw.map { $0 != 0 })
            case (.signed, 1):
                return .int8(raw.map { Int8(bitPattern: $0) })
            case (.signed, 2):
                return .int16(load(raw, count, big) { (v: UInt16) in Int16(bitPattern: v) })
            case (.signed, 4):
                return .int32(load(raw, count, big) { (v: UInt32) in Int32(bitPattern: v) })
            case (.signed, _):
                if !big, isLittleEndianHost { return .int64(copy(raw, count)) }
                return .int64(load(raw, count, big) { (v: UInt64) in Int64(bitPattern: v) })
            case (.unsigned, 1):
                return .uint8(Array(raw))
            case (.unsigned, 2):
                return .int64(load(raw, count, big) { (v: UInt16) in Int64(v) })
            case (.unsigned, 4):
                return .uint32(load(raw, count, big) { (v: UInt32) in v })
            case (.unsigned, _):
                return .int64(load(raw, count, big) { (v: UInt64) in Int64(bitPattern: v) })
            case (.float, 2):
                return .float16(load(raw, count, big) { (v: UInt16) in Float16(bitPattern: v) })
            case (.float, 4):
                if !big, isLittleEndianHost { return .float32(copy(raw, count)) }
                return .float32(load(raw, count, big) { (v: UInt32) in Float(bitPattern: v) })
            case (.float, _):
                if !big, isLittleEndianHost { return .float64(copy(raw, count)) }
                return .float64(load(raw, count, big) { (v: UInt64) in Double(bitPattern: v) })
            case (.bfloat, _):
                return .bfloat16(load(raw, count, big) { (v: UInt16) in BFloat16(bits: v) })
            }
        }
    }

    /// The elements of `storage` in the native layout of its dtype (little-endian; bools as 0/1).
    ///
    /// ```swift
    /// ElementLayout.encode(.float32([1]))   // [0x00, 0x00, 0x80, 0x3F]
    /// ```
    static func encode(_ storage: Storage) -> [UInt8] {
        switch storage {
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        case .int64(let a): return littleEndianBytes(a)
        case .float32(let a):
            return isLittleEndianHost ? a.withUnsafeBytes { Array($0) } : littleEndianBytes(a.map(\.bitPattern))
        case .float64(let a):
            return isLittleEndianHost ? a.withUnsafeBytes { Array($0) } : littleEndianBytes(a.map(\.bitPattern))
        case .uint8(let a): return a
        case .int8(let a): return a.map { UInt8(bitPattern: $0) }
        case .int16(let a): return littleEndianBytes(a.map { UInt16(bitPattern: $0) })
        case .int32(let a): return littleEndianBytes(a.map { UInt32(bitPattern: $0) })
        case .uint32(let a): return littleEndianBytes(a)
        case .float16(let a): return littleEndianBytes(a.map(\.bitPattern))
        case .bfloat16(let a): return littleEndianBytes(a.map(\.bits))
        }
    }

    /// Whether this machine stores integers least significant byte first.
    static let isLittleEndianHost: Bool = UInt16(1).littleEndian == 1

    private static func load<T: FixedWidthInteger, R>(_ raw: UnsafeRawBufferPointer, _ count: Int, _ bigEndian: Bool,
                                                       _ convert: (T) -> R) -> [R] {
        [R](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count {
                let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
                out.initializeElement(at: i, to: convert(bigEndian ? T(bigEndian: v) : T(littleEndian: v)))
            }
            initialized = count
        }
    }

    private static func copy<T>(_ raw: UnsafeRawBufferPointer, _ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0 {
                UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
            }
            initialized = count
        }
    }
}

/// The bytes of `values`, least significant byte first.
///
/// ```swift
/// littleEndianBytes([UInt16(0x0102)])   // [0x02, 0x01]
/// ```
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    if ElementLayout.isLittleEndianHost { return values.withUnsafeBytes { Array($0) } }
    return values.map(\.littleEndian).withUnsafeBytes { Array($0) }
}

/// Little-endian reads from a byte array, for binary headers (ZIP records, length prefixes).
/// Callers check the range first.
///
/// ```swift
/// [0x50, 0x4B, 0x03, 0x04].uint32(at: 0)   // 0x04034B50
/// ```
extension Array where Element == UInt8 {
    /// The unsigned 16-bit integer at `offset`.
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The unsigned 32-bit integer at `offset`.
    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    /// The unsigned 64-bit integer at `offset`.
    func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
    }

    /// Appends `value` in little-endian order.
    mutating func append(littleEndian value: UInt16) {
        append(UInt8(truncatingIfNeeded: value)); append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// Appends `value` in little-endian order.
    mutating func append(littleEndian value: UInt32) {
        append(littleEndian: UInt16(truncatingIfNeeded: value)); append(littleEndian: UInt16(truncatingIfNeeded: value >> 16))
    }

    /// Appends `value` in little-endian order.
    mutating func append(littleEndian value: UInt64) {
        append(littleEndian: UInt32(truncatingIfNeeded: value)); append(littleEndian: UInt32(truncatingIfNeeded: value >> 32))
    }

    /// The first `n` bytes as spaced hex, for error messages: `"50 4B 03 04"`.
    func hexPrefix(_ n: Int) -> String {
        prefix(n).map { b in
            let s = String(b, radix: 16, uppercase: true)
            return b < 16 ? "0" + s : s
        }.joined(separator: " ")
    }
}

/// `shape.elementCount * itemSize`, or nil on overflow (a corrupt header's absurd shape).
///
/// ```swift
/// byteCount(of: [2, 3], itemSize: 4)           // 24
/// byteCount(of: [Int.max, 2], itemSize: 1)     // nil
/// ```
func byteCount(of dims: [Int], itemSize: Int) -> Int? {
    var total = itemSize
    for d in dims {
        let (p, overflow) = total.multipliedReportingOverflow(by: d)
        if overflow { return nil }
        total = p
    }
    return total
}
