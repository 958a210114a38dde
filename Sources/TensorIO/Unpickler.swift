import Tensor

/// What a PyTorch checkpoint's pickle holds, once read: the containers `torch.save` writes and
/// tensors that refer to storages by key.
///
/// ```swift
/// if case .dict(let pairs, ordered: true) = value { ... }   // a state_dict
/// ```
public indirect enum TorchValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([TorchValue])
    case tuple([TorchValue])
    /// Keys and values in insertion order; `ordered` for `collections.OrderedDict`.
    case dict([(TorchValue, TorchValue)], ordered: Bool)
    case tensor(TorchTensor)
}

/// A tensor of a checkpoint: its elements, and where they sit in their storage (two tensors
/// with one `storageKey` shared a storage when saved).
public struct TorchTensor: Sendable {
    /// The elements, gathered from the storage.
    public var value: Tensor
    /// The storage's key in the archive (`data/<key>`).
    public var storageKey: String
    /// The layout in the storage.
    public var sizes: [Int], strides: [Int], offset: Int
    /// `requires_grad` as saved.
    public var requiresGrad: Bool
    /// Saved as an `nn.Parameter`.
    public var isParameter: Bool
    /// For writing: the whole flat storage the tensor lies in at `offset`/`strides` (views of
    /// one base share it); nil writes the value contiguously in a storage of its own.
    public var storage: Tensor?

    /// Describes a tensor.
    public init(value: Tensor, storageKey: String, sizes: [Int], strides: [Int], offset: Int,
                requiresGrad: Bool, isParameter: Bool, storage: Tensor? = nil) {
        self.value = value; self.storageKey = storageKey; self.sizes = sizes; self.strides = strides
        self.offset = offset; self.requiresGrad = requiresGrad; self.isParameter = isParameter
        self.storage = storage
    }
}

/// A storage named by a pickle's persistent id: `('storage', torch.FloatStorage, key, location, numel)`.
struct StorageReference {
    var key: String
    var dtype: DType
    var location: String
    var count: Int
}

/// A restricted unpickler in the spirit of PyTorch's `weights_only=True`: it understands the
/// opcodes of protocols 0-5 that containers, numbers and strings need, and exactly the globals
/// a checkpoint of tensors uses (`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`,
/// `_rebuild_parameter`, `_rebuild_parameter_with_state`, the typed `torch.*Storage` classes).
/// Any other global is refused when it is met, by name, and nothing is ever called or imported.
/// Untrusted bytes give an error, never a crash: every read is bounds-checked, containers are
/// reference objects with a nesting limit, and cycles are refused.
///
/// ```swift
/// var u = Unpickler(bytes: pkl, path: "net.pt") { ref in storageTensor(ref) }
/// let value = try u.load()
/// ```
struct Unpickler {
    /// Containers nested deeper than this are refused (a checkpoint nests a few levels).
    static let maxDepth = 1000

    /// A mutable container while the pickle is read (pickle's memo shares them by reference).
    final class Box {
        enum Kind { case list, dict(ordered: Bool) }
        var kind: Kind
        var items: [Item] = []
        var pairs: [(Item, Item)] = []
        init(_ kind: Kind) { self.kind = kind }
    }

    /// An entry of the pickle machine's stack.
    indirect enum Item {
        case value(TorchValue)
        case box(Box)
        case tuple([Item])
        case mark
        case global(String)
        case storage(StorageReference)
    }

    let bytes: [UInt8]
    let path: String
    /// The flat storage for a persistent id (checked and loaded by the archive reader).
    let storage: (StorageReference) throws -> Tensor
    private var position = 0
    private var stack: [Item] = []
    private var marks: [Int] = []
    private var memo: [Int: Item] = [:]

    init(bytes: [UInt8], path: String, storage: @escaping (StorageReference) throws -> Tensor) {
        self.bytes = bytes
        self.path = path
        self.storage = storage
    }

    /// The globals a checkpoint may name, and how the error explains the others.
    static let allowedGlobals: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "_codecs.encode",
    ]

    /// The element type of a typed storage class (`torch.FloatStorage`), or nil.
    static func storageDType(_ global: String) -> DType? {
        switch global {
        case "torch.FloatStorage": return .float32
        case "torch.DoubleStorage": return .float64
        case "torch.HalfStorage": return .float16
        case "torch.BFloat16Storage": return .bfloat16
        case "torch.LongStorage": return .int64
        case "torch.IntStorage": return .int32
        case "torch.ShortStorage": return .int16
        case "torch.CharStorage": return .int8
        case "torch.ByteStorage": return .uint8
        case "torch.BoolStorage": return .bool
        default: return nil
        }
    }

    private func fail(_ why: String) -> TensorError {
        FileIO.error(path, "invalid checkpoint pickle (data.pkl): \(why)")
    }

    // MARK: - Reading bytes

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - position else {
            throw fail("truncated at byte \(position) (needs \(n) more bytes)")
        }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    private mutating func byte() throws -> UInt8 { try take(1).first! }

    private mutating func littleEndian(_ n: Int) throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw fail("unterminated text argument at byte \(position)") }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }

    private mutating func length(_ n: Int) throws -> Int {
        let v = try littleEndian(n)
        guard v <= UInt64(bytes.count - position) else { throw fail("a length of \(v) bytes at byte \(position - n) runs past the end") }
        return Int(v)
    }

    // MARK: - The machine

    private mutating func pop() throws -> Item {
        guard let top = stack.popLast() else { throw fail("stack underflow at byte \(position - 1)") }
        if let m = marks.last, stack.count < m { throw fail("stack underflow past a mark at byte \(position - 1)") }
        return top
    }

    private mutating func popToMark() throws -> [Item] {
        guard let m = marks.popLast() else { throw fail("no mark at byte \(position - 1)") }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    private mutating func push(_ item: Item) throws {
        guard stack.count < 1_000_000 else { throw fail("more than a million items on the stack") }
        stack.append(item)
    }

    /// Runs the pickle to its STOP; returns the value it built.
    mutating func load() throws -> TorchValue {
        while true {
            let at = position
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                       // PROTO
            case 0x95: _ = try littleEndian(8)                              // FRAME
            case 0x2E:                                                      // STOP
                let top = try pop()
                return try value(top, depth: 0, seen: [])
            case 0x28: marks.append(stack.count)                            // MARK
            case 0x30: _ = try pop()                                        // POP
            case 0x31: _ = try popToMark()                                  // POP_MARK
            case 0x32: guard let top = stack.last else { throw fail("DUP of an empty stack") }; try push(top)
            case 0x4E: try push(.value(.none))                              // NONE
            case 0x88: try push(.value(.bool(true)))                        // NEWTRUE
            case 0x89: try push(.value(.bool(false)))                       // NEWFALSE
            case 0x4B: try push(.value(.int(Int(try byte()))))              // BININT1
            case 0x4D: try push(.value(.int(Int(try littleEndian(2)))))     // BININT2
            case 0x4A: try push(.value(.int(Int(Int32(truncatingIfNeeded: try littleEndian(4)))))) // BININT
            case 0x8A, 0x8B:                                                // LONG1, LONG4
                let n = try length(op == 0x8A ? 1 : 4)
                guard n <= 8 else { throw fail("an integer of \(n) bytes at byte \(at) is too large") }
                var v: UInt64 = 0
                for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
                if n > 0, n < 8, bytes[position - 1] & 0x80 != 0 { v |= ~UInt64(0) << (8 * UInt64(n)) }
                try push(.value(.int(Int(Int64(bitPattern: v)))))
            case 0x49, 0x4C:                                                // INT, LONG (text)
                var text = try line()
                if text.hasSuffix("L") { text.removeLast() }
                if text == "01" { try push(.value(.bool(true))) } else if text == "00" { try push(.value(.bool(false))) }
                else if let v = Int(text) { try push(.value(.int(v))) } else { throw fail("bad integer '\(text)' at byte \(at)") }
            case 0x47:                                                      // BINFLOAT (big-endian)
                var v: UInt64 = 0
                for b in try take(8) { v = v << 8 | UInt64(b) }
                try push(.value(.float(Double(bitPattern: v))))
            case 0x46:                                                      // FLOAT (text)
                let text = try line()
                guard let v = Double(text) else { throw fail("bad float '\(text)' at byte \(at)") }
                try push(.value(.float(v)))
            case 0x58, 0x8C, 0x8D:                                          // BINUNICODE, SHORT_, 8
                let n = try length(op == 0x58 ? 4 : op == 0x8C ? 1 : 8)
                try push(.value(.string(String(decoding: try take(n), as: UTF8.self))))
            case 0x54, 0x55:                                                // BINSTRING, SHORT_BINSTRING
                let n = try length(op == 0x54 ? 4 : 1)
                try push(.value(.string(String(decoding: try take(n), as: UTF8.self))))
            case 0x42, 0x43, 0x8E, 0x96:                                    // BINBYTES, SHORT_, 8, BYTEARRAY8
                let n = try length(op == 0x42 ? 4 : op == 0x43 ? 1 : 8)
                try push(.value(.bytes(Array(try take(n)))))
            case 0x5D: try push(.box(Box(.list)))                           // EMPTY_LIST
            case 0x7D: try push(.box(Box(.dict(ordered: false))))           // EMPTY_DICT
            case 0x29: try push(.tuple([]))                                 // EMPTY_TUPLE
            case 0x6C:                                                      // LIST
                let b = Box(.list); b.items = try popToMark(); try push(.box(b))
            case 0x74: try push(.tuple(try popToMark()))                    // TUPLE
            case 0x85, 0x86, 0x87:                                          // TUPLE1..3
                var items: [Item] = []
                for _ in 0..<Int(op - 0x84) { items.insert(try pop(), at: 0) }
                try push(.tuple(items))
            case 0x64:                                                      // DICT
                let items = try popToMark()
                guard items.count % 2 == 0 else { throw fail("DICT with an odd number of items at byte \(at)") }
                let b = Box(.dict(ordered: false))
                b.pairs = stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
                try push(.box(b))
            case 0x61:                                                      // APPEND
                let v = try pop()
                try list(at: at).items.append(v)
            case 0x65:                                                      // APPENDS
                let items = try popToMark()
                try list(at: at).items += items
            case 0x73:                                                      // SETITEM
                let v = try pop(), k = try pop()
                try dict(at: at).pairs.append((k, v))
            case 0x75:                                                      // SETITEMS
                let items = try popToMark()
                guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items at byte \(at)") }
                let d = try dict(at: at)
                for i in stride(from: 0, to: items.count, by: 2) { d.pairs.append((items[i], items[i + 1])) }
            case 0x71: memo[Int(try byte())] = try top(at)                  // BINPUT
            case 0x72: memo[Int(try littleEndian(4))] = try top(at)         // LONG_BINPUT
            case 0x70:                                                      // PUT (text)
                guard let k = Int(try line()) else { throw fail("bad memo key at byte \(at)") }
                memo[k] = try top(at)
            case 0x94: memo[memo.count] = try top(at)                       // MEMOIZE
            case 0x68, 0x6A, 0x67:                                          // BINGET, LONG_BINGET, GET
                let k = op == 0x68 ? Int(try byte()) : op == 0x6A ? Int(try littleEndian(4)) : (Int(try line()) ?? -1)
                guard let v = memo[k] else { throw fail("memo key \(k) used before it was set (byte \(at))") }
                try push(v)
            case 0x63:                                                      // GLOBAL
                let module = try line(), name = try line()
                try push(.global(try allow(module + "." + name)))
            case 0x93:                                                      // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard case .value(.string(let n)) = name, case .value(.string(let m)) = module else {
                    throw fail("STACK_GLOBAL needs two strings (byte \(at))")
                }
                try push(.global(try allow(m + "." + n)))
            case 0x51:                                                      // BINPERSID
                try push(.storage(try persistent(try pop(), at: at)))
            case 0x50:                                                      // PERSID (text): not used by torch.save
                throw fail("a text persistent id at byte \(at) (torch.save writes binary ones)")
            case 0x52:                                                      // REDUCE
                let args = try pop(), callee = try pop()
                try push(try reduce(callee, args, at: at))
            case 0x81:                                                      // NEWOBJ
                let args = try pop(), cls = try pop()
                try push(try reduce(cls, args, at: at))
            case 0x62:                                                      // BUILD
                let state = try pop()
                guard let target = stack.last else { throw fail("BUILD with nothing to build (byte \(at))") }
                switch target {
                case .box(let b):
                    // An OrderedDict's attributes: a state_dict keeps `_metadata` there. Nothing to run.
                    guard case .dict = b.kind else { throw fail("BUILD on a list (byte \(at))") }
                    _ = state
                case .value(.tensor):
                    break   // a tensor's Python attributes (from _rebuild_parameter_with_state): ignored
                default:
                    throw fail("BUILD on \(describe(target)) (byte \(at))")
                }
            default:
                let hex = String(op, radix: 16)
                throw fail("unknown or unsupported opcode 0x\(hex.count == 1 ? "0" : "")\(hex) at byte \(at)")
            }
        }
    }

    private func top(_ at: Int) throws -> Item {
        guard let t = stack.last else { throw fail("memo write of an empty stack (byte \(at))") }
        return t
    }

    private func list(at: Int) throws -> Box {
        guard case .box(let b)? = stack.last, case .list = b.kind else { throw fail("APPEND to something not a list (byte \(at))") }
        return b
    }

    private func dict(at: Int) throws -> Box {
        guard case .box(let b)? = stack.last, case .dict = b.kind else { throw fail("SETITEM on something not a dict (byte \(at))") }
        return b
    }

    private func describe(_ item: Item) -> String {
        switch item {
        case .value(let v): return "a \(String(describing: v).prefix(20))"
        case .box: return "a container"
        case .tuple: return "a tuple"
        case .mark: return "a mark"
        case .global(let g): return "the global \(g)"
        case .storage: return "a storage"
        }
    }

    /// A global that may be named, or the refusal that names it.
    private func allow(_ global: String) throws -> String {
        if Self.allowedGlobals.contains(global) || Self.storageDType(global) != nil { return global }
        let hint: String
        if global.hasPrefix("__main__.") || global.hasPrefix("torch.nn.modules.") {
            hint = "this file holds a pickled module or class, which only Python can rebuild; in PyTorch save the weights instead: torch.save(model.state_dict(), PATH), then net.load_state_dict(torch.load(PATH)) here"
        } else if global.hasPrefix("torch.") && global.hasSuffix("Storage") {
            hint = "Jacobi reads float32/64, float16, bfloat16, int8/16/32/64, uint8 and bool storages; convert the tensor in PyTorch before saving"
        } else {
            hint = "Jacobi loads tensors, state dicts and containers of them (dict, OrderedDict, list, tuple, str, int, float, bool, None), as torch.load(weights_only=True) does; save such an object instead"
        }
        throw TensorError("\(path): torch.load refuses the global '\(global)': unpickling it could run arbitrary code (weights_only=True)",
                          hint: hint)
    }

    private func persistent(_ pid: Item, at: Int) throws -> StorageReference {
        guard case .tuple(let f) = pid, f.count == 5, case .value(.string("storage")) = f[0],
              case .global(let type) = f[1], case .value(.string(let key)) = f[2],
              case .value(.string(let location)) = f[3], case .value(.int(let count)) = f[4] else {
            throw fail("a persistent id at byte \(at) is not ('storage', type, key, location, numel)")
        }
        guard let dtype = Self.storageDType(type) else { throw fail("unknown storage type \(type) (byte \(at))") }
        guard count >= 0 else { throw fail("storage \(key) has a negative size \(count)") }
        return StorageReference(key: key, dtype: dtype, location: location, count: count)
    }

    private func ints(_ item: Item, _ what: String) throws -> [Int] {
        guard case .tuple(let items) = item else { throw fail("\(what) is not a tuple") }
        return try items.map { i in
            guard case .value(.int(let v)) = i else { throw fail("\(what) holds a non-integer") }
            return v
        }
    }

    /// Calls one of the allowed globals, as its Python would.
    private func reduce(_ callee: Item, _ args: Item, at: Int) throws -> Item {
        guard case .global(let g) = callee, case .tuple(let a) = args else {
            throw fail("REDUCE of \(describe(callee)) at byte \(at): only the allowed globals are called")
        }
        switch g {
        case "collections.OrderedDict":
            guard a.isEmpty else { throw fail("OrderedDict called with arguments (byte \(at))") }
            return .box(Box(.dict(ordered: true)))
        case "_codecs.encode":   // how protocol 2 pickles bytes: encode(text, 'latin1')
            guard a.count == 2, case .value(.string(let text)) = a[0], case .value(.string("latin1")) = a[1] else {
                throw fail("_codecs.encode with unexpected arguments (byte \(at))")
            }
            return .value(.bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }))
        case "torch._utils._rebuild_tensor_v2":
            guard a.count >= 6, case .storage(let ref) = a[0], case .value(.int(let offset)) = a[1],
                  case .value(.bool(let requiresGrad)) = a[4] else {
                throw fail("_rebuild_tensor_v2 with unexpected arguments (byte \(at))")
            }
            let sizes = try ints(a[2], "a tensor's size"), strides = try ints(a[3], "a tensor's stride")
            return .value(.tensor(try tensor(ref, sizes: sizes, strides: strides, offset: offset, requiresGrad: requiresGrad)))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard a.count >= 2, case .value(.tensor(var t)) = a[0], case .value(.bool(let requiresGrad)) = a[1] else {
                throw fail("\(g) with unexpected arguments (byte \(at))")
            }
            t.isParameter = true
            t.requiresGrad = requiresGrad
            return .value(.tensor(t))
        default:
            if Self.storageDType(g) != nil { throw fail("a storage class is called (byte \(at)); torch.save stores storages by persistent id") }
            throw fail("REDUCE of \(g) (byte \(at))")
        }
    }

    /// The tensor at `offset`/`strides` in its storage, after checking it lies inside.
    private func tensor(_ ref: StorageReference, sizes: [Int], strides: [Int], offset: Int, requiresGrad: Bool) throws -> TorchTensor {
        guard sizes.count == strides.count, sizes.count <= 64 else {
            throw fail("tensor in storage \(ref.key): \(sizes.count) sizes but \(strides.count) strides")
        }
        guard sizes.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }), offset >= 0 else {
            throw FileIO.error(path, "tensor in storage \(ref.key) has a negative size, stride or offset (size \(sizes), stride \(strides), offset \(offset))")
        }
        let shape = Shape(sizes)
        var last = offset
        if shape.elementCount > 0 {
            for (s, st) in zip(sizes, strides) {
                let (product, o1) = (s - 1).multipliedReportingOverflow(by: st)
                let (sum, o2) = last.addingReportingOverflow(product)
                guard !o1, !o2 else { last = Int.max; break }
                last = sum
            }
            guard last < ref.count else {
                throw FileIO.error(path, "tensor of size \(sizes), stride \(strides) and offset \(offset) reaches element \(last == Int.max ? "beyond Int.max" : String(last)) of storage \(ref.key), which has \(ref.count) elements",
                                   hint: "the file is damaged or was not written by torch.save")
            }
        }
        try MemoryBudget.check(bytes: shape.elementCount.multipliedReportingOverflow(by: ref.dtype.byteSize).partialValue, what: "a tensor of \(path)")
        let flat = try storage(ref)
        let value = Tensor(shape: shape, storage: flat.storage.gather(offset: offset, strides: strides, outShape: shape))
        return TorchTensor(value: value, storageKey: ref.key, sizes: sizes, strides: strides, offset: offset,
                           requiresGrad: requiresGrad, isParameter: false)
    }

    // MARK: - To values

    private func value(_ item: Item, depth: Int, seen: Set<ObjectIdentifier>) throws -> TorchValue {
        guard depth < Self.maxDepth else {
            throw FileIO.error(path, "containers nested more than \(Self.maxDepth) deep", hint: "a checkpoint nests a few levels; this file is damaged or hostile")
        }
        switch item {
        case .value(let v): return v
        case .tuple(let items): return .tuple(try items.map { try value($0, depth: depth + 1, seen: seen) })
        case .box(let b):
            let id = ObjectIdentifier(b)
            guard !seen.contains(id) else { throw FileIO.error(path, "a container contains itself, which a checkpoint never does") }
            let inner = seen.union([id])
            switch b.kind {
            case .list: return .list(try b.items.map { try value($0, depth: depth + 1, seen: inner) })
            case .dict(let ordered):
                return .dict(try b.pairs.map { (try value($0.0, depth: depth + 1, seen: inner), try value($0.1, depth: depth + 1, seen: inner)) },
                             ordered: ordered)
            }
        case .mark: throw fail("a mark left on the stack")
        case .global(let g): throw fail("the bare global \(g) as a value")
        case .storage(let r): throw fail("a bare storage (\(r.key)) as a value; torch.save wraps storages in tensors")
        }
    }
}
