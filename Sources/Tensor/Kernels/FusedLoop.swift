import CKernels

/// A chain of elementwise operations evaluated in one pass over its shape, a tile of elements at a
/// time, with no intermediate arrays: the kernel behind the optimizer's elementwise fusion
/// (`AD/Optimizer/Fusion.swift`). Each instruction computes the same values, with the same scalar
/// functions, as the unfused kernel of its operation, so fused and unfused programs agree bit for
/// bit.
///
/// Every register has the loop's `shape`: instruction `k` writes register `k`. Inputs are read
/// broadcast (each of their dimensions is the loop's or 1); registers are of the loop's float
/// `dtype`, or bool (comparisons, and bool inputs for `select`).
///
/// ```swift
/// // tanh(x) * (1 - tanh(x)^2)
/// let loop = FusedLoop(shape: [64, 128], dtype: .float32, inputShapes: [[64, 128], []],
///                      instructions: [.input(0), .input(1), .unary(.tanh, 0), .binary(.mul, 2, 2),
///                                     .binary(.sub, 1, 3), .binary(.mul, 2, 4)],
///                      outputs: [5])
/// let y = try Tensor.fused(loop, [x, Tensor(scalar: 1)])
/// ```
public struct FusedLoop: Hashable, Sendable, CustomStringConvertible {
    /// One operation; its operands are registers (earlier instructions).
    public enum Instruction: Hashable, Sendable {
        /// The loop's input number `i`, broadcast to the loop's shape.
        case input(Int)
        case unary(UnaryOp, Int)
        case binary(BinaryOp, Int, Int)
        case compare(CompareOp, Int, Int)
        /// `where(condition, x, y)`.
        case select(Int, Int, Int)
    }

    /// The shape every register has.
    public var shape: Shape
    /// float32 or float64: the type of the registers that are not bool.
    public var dtype: DType
    /// Each input's shape, of the loop's rank, every dimension the loop's or 1.
    public var inputShapes: [Shape]
    /// The operations in order: instruction `k` defines register `k`.
    public var instructions: [Instruction]
    /// The registers written out, as contiguous tensors of `shape`.
    public var outputs: [Int]

    /// Creates a loop.
    public init(shape: Shape, dtype: DType, inputShapes: [Shape], instructions: [Instruction], outputs: [Int]) {
        self.shape = shape; self.dtype = dtype; self.inputShapes = inputShapes
        self.instructions = instructions; self.outputs = outputs
    }

    /// `fused[tanh,mul,sub,mul]`: the operations, as `:trace` shows them.
    public var description: String {
        "fused[" + instructions.compactMap { ins -> String? in
            switch ins {
            case .input: return nil
            case .unary(let op, _): return op.rawValue
            case .binary(let op, _, _): return op.rawValue
            case .compare(let op, _, _): return op.rawValue
            case .select: return "select"
            }
        }.joined(separator: ",") + "]"
    }

    /// Elements per tile: the registers of one tile stay in the first-level caches.
    static let tile = 1024

    /// Loops of this many elements or more run on two threads (when `BLASInfo.threads` allows):
    /// a [64, 16, 64] loop of four products took 45-49 us on one core, memory-bound.
    static let threadedElements = 32 * 1024

    /// How a loop of `n` elements is cut into units for two threads: about eight units of whole
    /// tiles (so that a core the machine's other processes slow down takes fewer), or one unit.
    static func split(_ n: Int, tile: Int) -> (units: Int, length: Int) {
        guard n >= threadedElements && BLASInfo.threads > 1 else { return (1, n) }
        let length = Swift.max(tile, n / 8 / tile * tile)
        return ((n + length - 1) / length, length)
    }
}

extension Tensor {
    /// Evaluates a fused elementwise loop on its inputs (float tensors of the loop's dtype, or bool
    /// for `select` conditions); returns one contiguous tensor of the loop's shape per output.
    public static func fused(_ loop: FusedLoop, _ inputs: [Tensor]) throws -> [Tensor] {
        switch loop.dtype {
        case .float32: return try runFused(loop, inputs, Float.self)
        case .float64: return try runFused(loop, inputs, Double.self)
        case .bool, .int64, .float16, .bfloat16, .uint8, .int8, .int16, .int32, .uint32:
            throw TensorError("internal error: a fused loop of \(loop.dtype.torchName) elements")
        }
    }
}

/// The register kinds of a loop, checked against its instructions and inputs.
private func registerKinds(_ loop: FusedLoop, _ inputs: [Tensor]) throws -> [Bool] {
    // (Made only when thrown: the loop's description costs more than the whole check.)
    var bad: TensorError { TensorError("internal error: malformed fused loop \(loop)") }
    guard inputs.count == loop.inputShapes.count else { throw bad }
    for (t, s) in zip(inputs, loop.inputShapes) {
        guard t.elementCount == s.elementCount, s.rank == loop.shape.rank,
              t.dtype == loop.dtype || t.dtype == .bool,
              zip(s.dims, loop.shape.dims).allSatisfy({ $0 == $1 || $0 == 1 }) else { throw bad }
    }
    var isBool: [Bool] = []
    func operand(_ r: Int, bool: Bool) throws {
        guard r >= 0 && r < isBool.count && isBool[r] == bool else { throw bad }
    }
    for ins in loop.instructions {
        switch ins {
        case .input(let i):
            guard i >= 0 && i < inputs.count else { throw bad }
            isBool.append(inputs[i].dtype == .bool)
        case .unary(let op, let a):
            guard op != .not else { throw bad }
            try operand(a, bool: false); isBool.append(false)
        case .binary(let op, let a, let b):
            guard op != .and && op != .or && op != .xor else { throw bad }
            try operand(a, bool: false); try operand(b, bool: false); isBool.append(false)
        case .compare(_, let a, let b):
            try operand(a, bool: false); try operand(b, bool: false); isBool.append(true)
        case .select(let c, let a, let b):
            try operand(c, bool: true); try operand(a, bool: false); try operand(b, bool: false); isBool.append(false)
        }
    }
    for (k, r) in loop.outputs.enumerated() where r < 0 || r >= isBool.count || loop.outputs[..<k].contains(r) { throw bad }
    return isBool
}

/// How one input is read for a range of the loop's elements.
private struct InputReader {
    /// The input's strides laid against the loop's shape (0 where broadcast).
    let strides: [Int]
    /// True when the input has the loop's shape: a tile is a contiguous run of it.
    let isFull: Bool

    init(shape: Shape, loopShape: Shape) {
        let own = shape.strides
        strides = (0..<shape.rank).map { shape[$0] == 1 ? 0 : own[$0] }
        isFull = shape == loopShape
    }

    /// True when the input is one element: it is spread over a tile once, before the loop.
    var isScalar: Bool { strides.allSatisfy { $0 == 0 } }

    /// For an input that is whole along the loop's last dimension and broadcast along the one
    /// before (a `[B, 1, N]` operand of a `[B, K, N]` loop): the number of elements over which it
    /// repeats one row, rows times row length (`K * N`); nil for other inputs.
    func rowRepeat(_ loopShape: Shape) -> Int? {
        let r = loopShape.rank
        guard r >= 2, strides[r - 1] == 1, strides[r - 2] == 0 else { return nil }
        var span = loopShape[r - 1], d = r - 2
        while d >= 0 && strides[d] == 0 { span *= loopShape[d]; d -= 1 }
        return span
    }

    /// The input's offset for the loop's flat index `start`.
    func offset(_ loopShape: Shape, start: Int) -> Int {
        var rest = start, offset = 0
        for d in stride(from: loopShape.rank - 1, through: 0, by: -1) {
            offset += (rest % loopShape[d]) * strides[d]
            rest /= loopShape[d]
        }
        return offset
    }

    /// Writes the input's elements for the loop's flat indices `start ..< start + count` to `dst`
    /// (`index` is room for the loop's rank).
    func gather<E>(_ base: UnsafePointer<E>, _ loopShape: Shape, start: Int, count: Int, into dst: UnsafeMutablePointer<E>,
                   index: UnsafeMutablePointer<Int>) {
        let r = loopShape.rank
        if r == 0 { dst.initialize(to: base[0]); return }
        // The multi-index of `start`, then one run per (part of a) row of the last dimension.
        var rest = start
        for d in stride(from: r - 1, through: 0, by: -1) { index[d] = rest % loopShape[d]; rest /= loopShape[d] }
        var offset = 0
        for d in 0..<r { offset += index[d] * strides[d] }
        let inner = loopShape[r - 1], innerStride = strides[r - 1]
        var done = 0
        while done < count {
            let run = Swift.min(inner - index[r - 1], count - done)
            if innerStride == 0 {
                (dst + done).initialize(repeating: base[offset], count: run)
            } else {
                (dst + done).initialize(from: base + offset, count: run)
            }
            done += run
            if done == count { break }
            // To the start of the next row.
            offset -= index[r - 1] * innerStride
            index[r - 1] = 0
            var d = r - 2
            while d >= 0 {
                index[d] += 1
                offset += strides[d]
                if index[d] < loopShape[d] { break }
                offset -= strides[d] * loopShape[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}

/// The loop for one float type.
private func runFused<T: KernelFloat>(_ loop: FusedLoop, _ inputs: [Tensor], _: T.Type) throws -> [Tensor] {
    let isBool = try registerKinds(loop, inputs)
    let n = loop.shape.elementCount
    let outputIsBool = loop.outputs.map { isBool[$0] }
    if n == 0 {
        return outputIsBool.map { Tensor(shape: loop.shape, storage: .zeros($0 ? .bool : loop.dtype, count: 0)) }
    }
    // The inputs' elements, and the readers that broadcast them.
    var floats: [[T]] = [], bools: [[Bool]] = []
    var slot: [Int] = []   // input i -> its index in floats or bools
    for t in inputs {
        switch t.storage {
        case .bool(let a): slot.append(bools.count); bools.append(a)
        default:
            guard let a = t.storage.floatArray(T.self) else {
                throw TensorError("internal error: a fused loop input of \(t.dtype.torchName) elements")
            }
            slot.append(floats.count); floats.append(a)
        }
    }
    let readers = loop.inputShapes.map { InputReader(shape: $0, loopShape: loop.shape) }
    var isBoolInput = [Bool](repeating: false, count: loop.inputShapes.count)
    for (k, ins) in loop.instructions.enumerated() { if case .input(let i) = ins { isBoolInput[i] = isBool[k] } }
    let tiling = Tiling(loop, readers, isBoolInput: isBoolInput)
    let floatOutputs = outputIsBool.filter { !$0 }.count, boolOutputs = outputIsBool.count - floatOutputs
    var results: [[T]] = [], boolResults: [[Bool]] = []
    withBases(floats) { floatBases in
        withBases(bools) { boolBases in
            results = makeArrays(floatOutputs, n) { floatOuts in
                boolResults = makeArrays(boolOutputs, n) { boolOuts in
                    let split = FusedLoop.split(n, tile: tiling.tile)
                    // Units of a loop split between threads use each thread's kept scratch.
                    let evaluate = { (range: Range<Int>) in
                        evaluateTiles(loop, isBool, range, tiling, readers, slot, floatBases, boolBases, floatOuts, boolOuts,
                                      threadScratch: split.units > 1)
                    }
                    guard split.units > 1 else { return evaluate(0..<n) }
                    // Units of whole tiles on the two threads of the small products; each writes
                    // its own part of the outputs, so the bits are the one-thread loop's.
                    let work = ParallelUnits { u in evaluate((u * split.length)..<Swift.min(n, (u + 1) * split.length)) }
                    if !work.run(units: split.units) { evaluate(0..<n) }
                }
            }
        }
    }
    var fi = 0, bi = 0
    return outputIsBool.map { b in
        if b { bi += 1; return Tensor(shape: loop.shape, storage: .bool(boolResults[bi - 1])) }
        fi += 1
        return Tensor(shape: loop.shape, storage: Storage.float(results[fi - 1]))
    }
}

/// How a loop's tiles are cut: the tile length and, when operands broadcast along all but the
/// last dimension are read in place, the row length they repeat.
///
/// An operand `[B, 1, N]` of a `[B, K, N]` loop repeats one row of `N` elements `K` times. When
/// every tile lies within one such repeat (its length a multiple of `N` dividing `K * N`), the
/// operand's register for a tile is a pointer to that row in the input, not a copy, and a binary
/// operation with it reads the row for every row of the tile (`binaryRowsRun`); other operations
/// repeat it into the register's scratch first. Only inputs are rows: every instruction's result
/// has the loop's shape. Measured on `-((x*y)*z + (x*y)*z)` with x [64,16,64], y and z [64,1,64]
/// (docs/performance.md).
private struct Tiling {
    /// Elements per tile.
    let tile: Int
    /// The row length of the inputs read in place (0: none; every input read as before).
    let row: Int
    /// Which inputs are read in place as rows.
    let inPlace: [Bool]

    init(_ loop: FusedLoop, _ readers: [InputReader], isBoolInput: [Bool]) {
        let r = loop.shape.rank
        let row = r >= 2 ? loop.shape[r - 1] : 0
        // The repeats of the float inputs that are rows; the tile a multiple of the row that
        // divides each repeat, as long as it stays near FusedLoop.tile (shorter rows would run
        // too few elements per instruction).
        let repeats = readers.indices.map { isBoolInput[$0] || row < 16 ? nil : readers[$0].rowRepeat(loop.shape) }
        let counts = repeats.compactMap { $0.map { $0 / row } }
        var k = 0
        if let first = counts.first {
            let g = counts.reduce(first) { Tiling.gcd($0, $1) }
            k = Swift.max(1, Swift.min(g, FusedLoop.tile / row))
            while g % k != 0 { k -= 1 }
        }
        if k > 0 && row * k >= FusedLoop.tile / 2 {
            tile = row * k
            self.row = row
            inPlace = repeats.map { $0 != nil }
        } else {
            tile = FusedLoop.tile
            self.row = 0
            inPlace = readers.map { _ in false }
        }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

/// Runs the instructions over the loop's elements in `range` (whose start is a multiple of the
/// tile), one tile at a time.
private func evaluateTiles<T: KernelFloat>(_ loop: FusedLoop, _ isBool: [Bool], _ range: Range<Int>, _ tiling: Tiling,
                                           _ readers: [InputReader], _ slot: [Int], _ floatInputs: [UnsafePointer<T>],
                                           _ boolInputs: [UnsafePointer<Bool>], _ floatOutputs: [UnsafeMutablePointer<T>],
                                           _ boolOutputs: [UnsafeMutablePointer<Bool>], threadScratch: Bool) {
    let tile = tiling.tile, row = tiling.row, n = range.upperBound
    let count = loop.instructions.count
    // Where each register lives: an output array, or a tile-sized scratch buffer of its own.
    var outputIndex = [Int](repeating: -1, count: count)
    var fo = 0, bo = 0
    for r in loop.outputs where outputIndex[r] < 0 {
        outputIndex[r] = isBool[r] ? bo : fo
        if isBool[r] { bo += 1 } else { fo += 1 }
    }
    // Scratch registers a little more than a tile apart, so that they do not share their
    // addresses modulo 4 KB (loads and stores that do stall each other).
    let spacing = tile + 16
    // The float32 registers of a loop split between two threads in each thread's own scratch, kept
    // between calls (`jc_thread_scratch_f32`): a block allocated here per unit was often the one the
    // other thread had just freed, and every register write then fetched its line from the other
    // core ([64, 16, 64], four products: 47 -> 18 us, `jacobi-bench fused`). A loop on one thread
    // shares nothing with the other core and keeps a block of its own per call, as before.
    let ownScratch = threadScratch && T.self == Float.self
        ? jc_thread_scratch_f32(spacing * count).map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: T.self) }
        : nil
    let floatScratch = ownScratch ?? UnsafeMutablePointer<T>.allocate(capacity: spacing * count)
    let boolScratch = UnsafeMutablePointer<Bool>.allocate(capacity: spacing * count)
    let index = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, loop.shape.rank))
    defer {
        if ownScratch == nil { floatScratch.deallocate() }
        boolScratch.deallocate(); index.deallocate()
    }
    // Each register's elements for the current tile.
    let fregs = UnsafeMutablePointer<UnsafePointer<T>>.allocate(capacity: count)
    let bregs = UnsafeMutablePointer<UnsafePointer<Bool>>.allocate(capacity: count)
    defer { fregs.deallocate(); bregs.deallocate() }
    // Input registers that hold one row (`row` elements, in the input) which the tile repeats.
    var isRow = [Bool](repeating: false, count: count)
    // One-element inputs are spread over a tile once.
    var constant = [Bool](repeating: false, count: count)
    for (k, ins) in loop.instructions.enumerated() {
        guard case .input(let i) = ins, readers[i].isScalar, outputIndex[k] < 0 else { continue }
        constant[k] = true
        if isBool[k] {
            (boolScratch + k * spacing).initialize(repeating: boolInputs[slot[i]][0], count: tile)
            bregs[k] = UnsafePointer(boolScratch + k * spacing)
        } else {
            (floatScratch + k * spacing).initialize(repeating: floatInputs[slot[i]][0], count: tile)
            fregs[k] = UnsafePointer(floatScratch + k * spacing)
        }
    }
    /// Register `r` as a whole tile: a row register (an input's row, read in place) is repeated
    /// into its scratch buffer.
    func whole(_ r: Int, _ len: Int) -> UnsafePointer<T> {
        guard isRow[r] else { return fregs[r] }
        let src = fregs[r], dst = floatScratch + r * spacing
        for q in 0..<(len / row) { (dst + q * row).initialize(from: src, count: row) }
        isRow[r] = false
        fregs[r] = UnsafePointer(dst)
        return fregs[r]
    }
    let instructions = loop.instructions
    var start = range.lowerBound
    while start < n {
        let len = Swift.min(tile, n - start)
        for k in 0..<count where !constant[k] {
            let ins = instructions[k]
            let out = outputIndex[k]
            if isBool[k] {
                let dst = out >= 0 ? boolOutputs[out] + start : boolScratch + k * spacing
                switch ins {
                case .input(let i):
                    if readers[i].isFull && out < 0 { bregs[k] = boolInputs[slot[i]] + start; continue }
                    readers[i].gather(boolInputs[slot[i]], loop.shape, start: start, count: len, into: dst, index: index)
                case .compare(let op, let a, let b):
                    compareRun(op, whole(a, len), whole(b, len), dst, len)
                case .unary, .binary, .select:
                    preconditionFailure("checked by registerKinds")
                }
                bregs[k] = UnsafePointer(dst)
            } else {
                let dst = out >= 0 ? floatOutputs[out] + start : floatScratch + k * spacing
                switch ins {
                case .input(let i):
                    if readers[i].isFull && out < 0 { fregs[k] = floatInputs[slot[i]] + start; continue }
                    if tiling.inPlace[i] {
                        fregs[k] = floatInputs[slot[i]] + readers[i].offset(loop.shape, start: start)
                        isRow[k] = true
                        continue
                    }
                    readers[i].gather(floatInputs[slot[i]], loop.shape, start: start, count: len, into: dst, index: index)
                case .unary(let op, let a): unaryRun(op, whole(a, len), dst, len)
                case .binary(.pow, let a, let b) where (constant[b] || n == 1) && FloatScalar.hasPowShortcut(fregs[b][0]):
                    // One exponent (a one-element input, or any register of a one-element loop),
                    // as `Tensor.binary` computes it (`x * x` for 2, ...).
                    powByConstantRun(whole(a, len), fregs[b][0], dst, len)
                case .binary(let op, let a, let b) where isRow[a] != isRow[b] && !constant[a] && !constant[b]:
                    // A row against a whole tile: the row read in place for every row. (Only
                    // inputs are rows: every instruction's result has the loop's shape.)
                    binaryRowsRun(op, fregs[a], isRow[a] ? 0 : row, fregs[b], isRow[b] ? 0 : row, dst, len / row, row)
                case .binary(let op, let a, let b): binaryRun(op, whole(a, len), whole(b, len), dst, len)
                case .select(let c, let a, let b):
                    let pc = bregs[c], pa = whole(a, len), pb = whole(b, len)
                    for j in 0..<len { (dst + j).initialize(to: pc[j] ? pa[j] : pb[j]) }
                case .compare:
                    preconditionFailure("checked by registerKinds")
                }
                fregs[k] = UnsafePointer(dst)
            }
        }
        start += len
    }
}

/// `y[j] = op(x[j])`, with the values of `Tensor.unary`.
private func unaryRun<T: KernelFloat>(_ op: UnaryOp, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
    if T.self == Float.self {
        // float32 tanh, exp and logistic: the vector kernels `Tensor.unary` uses.
        let xf = UnsafeRawPointer(x).assumingMemoryBound(to: Float.self)
        let yf = UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
        switch op {
        case .tanh: float32Run(xf, yf, n, jc_tanh_f32, tanhViaDouble); return
        case .logistic: float32Run(xf, yf, n, jc_logistic_f32, logisticViaDouble); return
        case .exp: float32Run(xf, yf, n, jc_exp_f32, expViaDouble); return
        default: break
        }
    }
    switch op {
    case .neg: for j in 0..<n { (y + j).initialize(to: -x[j]) }
    case .exp: for j in 0..<n { (y + j).initialize(to: T.exp(x[j])) }
    case .log: for j in 0..<n { (y + j).initialize(to: T.log(x[j])) }
    case .tanh: for j in 0..<n { (y + j).initialize(to: T.tanh(x[j])) }
    case .sin: for j in 0..<n { (y + j).initialize(to: T.sin(x[j])) }
    case .cos: for j in 0..<n { (y + j).initialize(to: T.cos(x[j])) }
    case .sqrt: for j in 0..<n { (y + j).initialize(to: x[j].squareRoot()) }
    case .rsqrt: for j in 0..<n { (y + j).initialize(to: 1 / x[j].squareRoot()) }
    case .logistic: for j in 0..<n { (y + j).initialize(to: FloatScalar.logistic(x[j])) }
    case .abs: for j in 0..<n { (y + j).initialize(to: Swift.abs(x[j])) }
    case .sign: for j in 0..<n { (y + j).initialize(to: FloatScalar.sign(x[j])) }
    case .log1p: for j in 0..<n { (y + j).initialize(to: T.log(onePlus: x[j])) }
    case .expm1: for j in 0..<n { (y + j).initialize(to: T.expMinusOne(x[j])) }
    case .erf: for j in 0..<n { (y + j).initialize(to: T.erf(x[j])) }
    case .asin: for j in 0..<n { (y + j).initialize(to: T.asin(x[j])) }
    case .acos: for j in 0..<n { (y + j).initialize(to: T.acos(x[j])) }
    case .atan: for j in 0..<n { (y + j).initialize(to: T.atan(x[j])) }
    case .floor: for j in 0..<n { (y + j).initialize(to: x[j].rounded(.down)) }
    case .ceil: for j in 0..<n { (y + j).initialize(to: x[j].rounded(.up)) }
    case .round: for j in 0..<n { (y + j).initialize(to: x[j].rounded(.toNearestOrEven)) }
    case .not: preconditionFailure("checked by registerKinds")
    }
}

/// `y[j] = op(a[j], b[j])`, with the values of `Tensor.binary`.
private func binaryRun<T: KernelFloat>(_ op: BinaryOp, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                                       _ y: UnsafeMutablePointer<T>, _ n: Int) {
    if float32Arithmetic(op, a, n, b, n, y, 1, n) { return }
    switch op {
    case .add: for j in 0..<n { (y + j).initialize(to: a[j] + b[j]) }
    case .sub: for j in 0..<n { (y + j).initialize(to: a[j] - b[j]) }
    case .mul: for j in 0..<n { (y + j).initialize(to: a[j] * b[j]) }
    case .div: for j in 0..<n { (y + j).initialize(to: a[j] / b[j]) }
    case .pow: for j in 0..<n { (y + j).initialize(to: T.cPow(a[j], b[j])) }
    case .max: for j in 0..<n { (y + j).initialize(to: FloatScalar.maximum(a[j], b[j])) }
    case .min: for j in 0..<n { (y + j).initialize(to: FloatScalar.minimum(a[j], b[j])) }
    case .remainder: for j in 0..<n { (y + j).initialize(to: FloatScalar.remainder(a[j], b[j])) }
    case .and, .or, .xor: preconditionFailure("checked by registerKinds")
    }
}

/// `binaryRun` over `rows` rows of `row` elements, where an operand's rows are `step` apart
/// (0: one row read for every row), with the operation chosen once.
private func binaryRowsRun<T: KernelFloat>(_ op: BinaryOp, _ a: UnsafePointer<T>, _ stepA: Int, _ b: UnsafePointer<T>,
                                           _ stepB: Int, _ y: UnsafeMutablePointer<T>, _ rows: Int, _ row: Int) {
    if float32Arithmetic(op, a, stepA, b, stepB, y, rows, row) { return }
    @inline(__always) func each(_ f: (T, T) -> T) {
        for q in 0..<rows {
            let pa = a + q * stepA, pb = b + q * stepB, py = y + q * row
            for j in 0..<row { (py + j).initialize(to: f(pa[j], pb[j])) }
        }
    }
    switch op {
    case .add: each { $0 + $1 }
    case .sub: each { $0 - $1 }
    case .mul: each { $0 * $1 }
    case .div: each { $0 / $1 }
    case .pow: each { T.cPow($0, $1) }
    case .max: each { FloatScalar.maximum($0, $1) }
    case .min: each { FloatScalar.minimum($0, $1) }
    case .remainder: each { FloatScalar.remainder($0, $1) }
    case .and, .or, .xor: preconditionFailure("checked by registerKinds")
    }
}

/// `y[j] = op(a[j], b[j])` for a comparison.
private func compareRun<T: KernelFloat>(_ op: CompareOp, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                                        _ y: UnsafeMutablePointer<Bool>, _ n: Int) {
    switch op {
    case .lt: for j in 0..<n { (y + j).initialize(to: a[j] < b[j]) }
    case .le: for j in 0..<n { (y + j).initialize(to: a[j] <= b[j]) }
    case .gt: for j in 0..<n { (y + j).initialize(to: a[j] > b[j]) }
    case .ge: for j in 0..<n { (y + j).initialize(to: a[j] >= b[j]) }
    case .eq: for j in 0..<n { (y + j).initialize(to: a[j] == b[j]) }
    case .ne: for j in 0..<n { (y + j).initialize(to: a[j] != b[j]) }
    }
}

/// Pointers to the elements of every (non-empty) array, for the duration of `body`.
private func withBases<E>(_ arrays: [[E]], _ done: [UnsafePointer<E>] = [], _ body: ([UnsafePointer<E>]) -> Void) {
    if done.count == arrays.count { body(done); return }
    arrays[done.count].withUnsafeBufferPointer { withBases(arrays, done + [$0.baseAddress!], body) }
}

/// `count` arrays of `n` elements, each initialised by `body` through its pointer.
private func makeArrays<E>(_ count: Int, _ n: Int, _ made: [UnsafeMutablePointer<E>] = [],
                           _ body: ([UnsafeMutablePointer<E>]) -> Void) -> [[E]] {
    if made.count == count { body(made); return [] }
    if count == 1 {
        // The common case, without the recursion's arrays.
        return [[E](unsafeUninitializedCapacity: n) { buffer, initialized in
            body([buffer.baseAddress!])
            initialized = n
        }]
    }
    var rest: [[E]] = []
    let first = [E](unsafeUninitializedCapacity: n) { buffer, initialized in
        rest = makeArrays(count, n, made + [buffer.baseAddress!], body)
        initialized = n
    }
    return [first] + rest
}
