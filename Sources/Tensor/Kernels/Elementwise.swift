import CKernels
import RealModule

// MARK: - Unary

extension Tensor {
    /// Applies an elementwise function; throws if the dtype does not support it.
    ///
    /// ```swift
    /// let y = try Tensor.unary(.tanh, x)
    /// ```
    public static func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor {
        if !x.hasComputeType { return try unary(op, x.widened()).narrowed(to: x.dtype) }
        var unsupported: TensorError { TensorError("\(op.rawValue): not supported for \(x.dtype.torchName) tensors") }
        switch x.storage {
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16:
            preconditionFailure("storage types are widened above")
        case .float32(let a):
            switch op {
            case .tanh: return Tensor(shape: x.shape, storage: .float32(float32Tanh(a)))
            case .logistic: return Tensor(shape: x.shape, storage: .float32(float32Logistic(a)))
            case .exp: return Tensor(shape: x.shape, storage: .float32(float32Exp(a)))
            case .neg, .log, .sin, .cos, .sqrt, .rsqrt, .abs, .sign, .log1p, .expm1, .erf, .asin, .acos, .atan, .floor, .ceil, .round, .not:
                return Tensor(shape: x.shape, storage: .float32(try floatUnary(op, a)))
            }
        case .float64(let a): return Tensor(shape: x.shape, storage: .float64(try floatUnary(op, a)))
        case .int64(let a):
            switch op {
            case .neg: return Tensor(shape: x.shape, storage: .int64(mapArray(a) { 0 &- $0 }))
            case .abs: return Tensor(shape: x.shape, storage: .int64(mapArray(a) { $0 < 0 ? 0 &- $0 : $0 }))
            case .sign: return Tensor(shape: x.shape, storage: .int64(mapArray(a) { $0.signum() }))
            case .floor, .ceil, .round: return x
            case .exp, .log, .tanh, .sin, .cos, .sqrt, .rsqrt, .logistic, .log1p, .expm1, .erf, .asin, .acos, .atan, .not:
                throw unsupported
            }
        case .bool(let a):
            switch op {
            case .not: return Tensor(shape: x.shape, storage: .bool(mapArray(a) { !$0 }))
            case .neg, .abs, .sign, .floor, .ceil, .round, .exp, .log, .tanh, .sin, .cos, .sqrt, .rsqrt,
                 .logistic, .log1p, .expm1, .erf, .asin, .acos, .atan:
                throw unsupported
            }
        }
    }
}

func floatUnary<T: KernelFloat>(_ op: UnaryOp, _ a: [T]) throws -> [T] {
    switch op {
    case .neg: return mapArray(a) { -$0 }
    case .exp: return mapArray(a) { T.exp($0) }
    case .log: return mapArray(a) { T.log($0) }
    case .tanh: return mapArray(a) { T.tanh($0) }
    case .sin: return mapArray(a) { T.sin($0) }
    case .cos: return mapArray(a) { T.cos($0) }
    case .sqrt: return mapArray(a) { $0.squareRoot() }
    case .rsqrt: return mapArray(a) { 1 / $0.squareRoot() }
    case .logistic: return mapArray(a) { FloatScalar.logistic($0) }
    case .abs: return mapArray(a) { Swift.abs($0) }
    case .sign: return mapArray(a) { FloatScalar.sign($0) }
    case .log1p: return mapArray(a) { T.log(onePlus: $0) }
    case .expm1: return mapArray(a) { T.expMinusOne($0) }
    case .erf: return mapArray(a) { T.erf($0) }
    case .asin: return mapArray(a) { T.asin($0) }
    case .acos: return mapArray(a) { T.acos($0) }
    case .atan: return mapArray(a) { T.atan($0) }
    case .floor: return mapArray(a) { $0.rounded(.down) }
    case .ceil: return mapArray(a) { $0.rounded(.up) }
    case .round: return mapArray(a) { $0.rounded(.toNearestOrEven) }
    case .not: throw TensorError("logical_not: expects a bool tensor, got a floating point tensor")
    }
}

// MARK: - Binary

extension Tensor {
    /// Applies an elementwise function of two tensors of the same dtype, broadcasting their shapes.
    ///
    /// ```swift
    /// let z = try Tensor.binary(.add, x, bias)   // [B, n] + [n]
    /// ```
    public static func binary(_ op: BinaryOp, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        guard x.dtype == y.dtype else {
            throw TensorError("\(op.rawValue): dtypes differ (\(x.dtype.torchName) and \(y.dtype.torchName))")
        }
        if !x.hasComputeType { return try binary(op, x.widened(), y.widened()).narrowed(to: x.dtype) }
        let out = try Shape.broadcast(x.shape, y.shape, op: op.rawValue)
        var unsupported: TensorError { TensorError("\(op.rawValue): not supported for \(x.dtype.torchName) tensors") }
        switch (x.storage, y.storage) {
        case (.float32(let a), .float32(let b)):
            if op == .pow, b.count == 1, let r = powByConstant(a, b[0]) {
                // One exponent: the result has the base's elements in the base's order.
                return Tensor(shape: out, storage: .float32(r))
            }
            return Tensor(shape: out, storage: .float32(try floatBinary(op, a, x.shape, b, y.shape, out)))
        case (.float64(let a), .float64(let b)):
            if op == .pow, b.count == 1, let r = powByConstant(a, b[0]) {
                // One exponent: the result has the base's elements in the base's order.
                return Tensor(shape: out, storage: .float64(r))
            }
            return Tensor(shape: out, storage: .float64(try floatBinary(op, a, x.shape, b, y.shape, out)))
        case (.int64(let a), .int64(let b)):
            let r: [Int64]
            switch op {
            case .add: r = broadcastZip(a, x.shape, b, y.shape, out: out) { $0 &+ $1 }
            case .sub: r = broadcastZip(a, x.shape, b, y.shape, out: out) { $0 &- $1 }
            case .mul: r = broadcastZip(a, x.shape, b, y.shape, out: out) { $0 &* $1 }
            case .max: r = broadcastZip(a, x.shape, b, y.shape, out: out) { Swift.max($0, $1) }
            case .min: r = broadcastZip(a, x.shape, b, y.shape, out: out) { Swift.min($0, $1) }
            case .div:
                if b.contains(0) { throw TensorError("div: integer division by zero") }
                r = broadcastZip(a, x.shape, b, y.shape, out: out) { p, q in
                    let d = p / q
                    return (p % q != 0 && ((p < 0) != (q < 0))) ? d - 1 : d
                }
            case .remainder:
                if b.contains(0) { throw TensorError("remainder: integer division by zero") }
                r = broadcastZip(a, x.shape, b, y.shape, out: out) { p, q in
                    let m = p % q
                    return (m != 0 && ((m < 0) != (q < 0))) ? m + q : m
                }
            case .pow:
                if b.contains(where: { $0 < 0 }) {
                    throw TensorError("pow: integers to negative integer powers are not allowed")
                }
                r = broadcastZip(a, x.shape, b, y.shape, out: out) { p, q in
                    var result: Int64 = 1, base = p, e = q
                    while e > 0 {
                        if e & 1 == 1 { result = result &* base }
                        base = base &* base
                        e >>= 1
                    }
                    return result
                }
            case .and, .or, .xor: throw unsupported
            }
            return Tensor(shape: out, storage: .int64(r))
        case (.bool(let a), .bool(let b)):
            let r: [Bool]
            switch op {
            case .and, .mul, .min: r = broadcastZip(a, x.shape, b, y.shape, out: out) { $0 && $1 }
            case .or, .add, .max: r = broadcastZip(a, x.shape, b, y.shape, out: out) { $0 || $1 }
            case .xor: r = broadcastZip(a, x.shape, b, y.shape, out: out) { $0 != $1 }
            case .sub, .div, .pow, .remainder: throw unsupported
            }
            return Tensor(shape: out, storage: .bool(r))
        default:
            preconditionFailure("dtype check above guarantees equal storage kinds")
        }
    }
}

extension Tensor {
    /// `binary(op, x, y)` written over the elements of `target`, the operand with the result's
    /// shape (`x` when `targetIsLeft`, else `y`; `other` is the one that broadcasts, nil when it is
    /// `target` itself, as in `x * x`): the same values, no second buffer. For float32/float64
    /// `add`, `sub`, `mul`, `div`, `max`, `min`; returns false (and leaves `target` as it was) for
    /// anything else. The caller gives up its other references first (the evaluator at a value's
    /// last use): a storage shared with another tensor is copied before it is written, as any write.
    public static func binary(_ op: BinaryOp, into target: inout Tensor, other: Tensor?, targetIsLeft: Bool) -> Bool {
        // (Not `other ?? target`: a second reference to target's storage would make the write copy it.)
        let otherShape = other?.shape ?? target.shape
        guard other == nil || other!.dtype == target.dtype,
              op == .add || op == .sub || op == .mul || op == .div || op == .max || op == .min,
              target.elementCount > 0, (try? Shape.broadcast(target.shape, otherShape, op: "")) == target.shape else { return false }
        func write<T: KernelFloat>(_: T.Type) -> Bool {
            guard var a = target.storage.floatArray(T.self) else { return false }
            let shared = other?.storage.floatArray(T.self)   // (its dtype is target's: checked above)
            // `a` holds the storage's only reference once `target` lets go of it.
            target.storage = .bool([])
            a.withUnsafeMutableBufferPointer { pa in
                floatZipInPlace(op, pa.baseAddress!, shared, otherShape, target.shape, targetIsLeft)
            }
            target.storage = Storage.float(a)
            return true
        }
        switch target.dtype {
        case .float32: return write(Float.self)
        case .float64: return write(Double.self)
        case .uint8, .int8, .int16, .int32, .uint32, .int64, .float16, .bfloat16, .bool: return false
        }
    }
}

/// `t = op(t, b)` (or `op(b, t)`), the values of `floatBinary`; `b` nil: `op(t, t)`.
private func floatZipInPlace<T: KernelFloat>(_ op: BinaryOp, _ t: UnsafeMutablePointer<T>, _ b: [T]?, _ sb: Shape,
                                             _ out: Shape, _ targetIsLeft: Bool) {
    let other = b == nil ? out : sb
    if let plan = Float32Rows(T.self, op, targetIsLeft ? out : other, targetIsLeft ? other : out, out) {
        guard let b else { return plan.run(t, t, into: t) }
        b.withUnsafeBufferPointer { pb in
            if targetIsLeft { plan.run(t, pb.baseAddress!, into: t) } else { plan.run(pb.baseAddress!, t, into: t) }
        }
        return
    }
    @inline(__always) func run(_ f: (T, T) -> T) {
        guard let b else {
            for i in 0..<out.elementCount { t[i] = f(t[i], t[i]) }
            return
        }
        b.withUnsafeBufferPointer { pb in
            if targetIsLeft { zipRowsInPlace(t, pb.baseAddress!, sb, pb.count, out: out, f) }
            else { zipRowsInPlace(t, pb.baseAddress!, sb, pb.count, out: out) { x, y in f(y, x) } }
        }
    }
    switch op {
    case .add: run { $0 + $1 }
    case .sub: run { $0 - $1 }
    case .mul: run { $0 * $1 }
    case .div: run { $0 / $1 }
    case .max: run { FloatScalar.maximum($0, $1) }
    case .min: run { FloatScalar.minimum($0, $1) }
    case .pow, .remainder, .and, .or, .xor: preconditionFailure("checked by Tensor.binary(_:into:other:targetIsLeft:)")
    }
}

func floatBinary<T: KernelFloat>(_ op: BinaryOp, _ a: [T], _ sa: Shape, _ b: [T], _ sb: Shape,
                                 _ out: Shape) throws -> [T] {
    if let plan = Float32Rows(T.self, op, sa, sb, out) {
        return [T](unsafeUninitializedCapacity: out.elementCount) { o, count in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in plan.run(pa.baseAddress!, pb.baseAddress!, into: o.baseAddress!) }
            }
            count = out.elementCount
        }
    }
    switch op {
    case .add: return broadcastZip(a, sa, b, sb, out: out) { $0 + $1 }
    case .sub: return broadcastZip(a, sa, b, sb, out: out) { $0 - $1 }
    case .mul: return broadcastZip(a, sa, b, sb, out: out) { $0 * $1 }
    case .div: return broadcastZip(a, sa, b, sb, out: out) { $0 / $1 }
    case .pow: return broadcastZip(a, sa, b, sb, out: out) { T.cPow($0, $1) }
    case .max: return broadcastZip(a, sa, b, sb, out: out) { FloatScalar.maximum($0, $1) }
    case .min: return broadcastZip(a, sa, b, sb, out: out) { FloatScalar.minimum($0, $1) }
    case .remainder: return broadcastZip(a, sa, b, sb, out: out) { FloatScalar.remainder($0, $1) }
    case .and, .or, .xor:
        throw TensorError("\(op.rawValue): expects bool tensors, got floating point tensors")
    }
}

/// float32 `add`, `sub`, `mul`, `div` of operands that both run along the result's last
/// dimension, by the AVX2 row kernel over the last two dimensions at a time (`float32Arithmetic`:
/// an operand broadcast along the second-to-last dimension is one row read for every row). The
/// same bits as the Swift loops (one IEEE operation per element), in 6x less time for
/// `[16, 64] * [64, 1, 64]`, which the SSE2 loop ran row by row. `floatBinary` writes a new array
/// with it and `floatZipInPlace` writes over its target (the kernel reads each element before it
/// writes that element).
struct Float32Rows {
    let op: BinaryOp, out: Shape
    /// Rows of `row` elements per block, and each operand's step between rows (0: one row read
    /// for every row).
    let rows, row, stepA, stepB: Int
    /// Each operand's strides against `out` (empty when both have `out`'s shape: one run).
    let strides: [[Int]]

    /// The plan for operands of shapes `sa` and `sb`, or nil for other types, operations and
    /// layouts, or without AVX2.
    init?<T: KernelFloat>(_: T.Type, _ op: BinaryOp, _ sa: Shape, _ sb: Shape, _ out: Shape) {
        guard T.self == Float.self, out.elementCount > 0, jc_has_avx2_fma() != 0 else { return nil }
        switch op {
        case .add, .sub, .mul, .div: break
        case .pow, .max, .min, .remainder, .and, .or, .xor: return nil
        }
        self.op = op
        self.out = out
        let r = out.rank
        if sa == sb {
            (rows, row, stepA, stepB, strides) = (1, out.elementCount, 0, 0, [])
            return
        }
        guard r >= 2 else { return nil }
        let st = BroadcastLoop(outShape: out, operands: [sa, sb]).strides
        guard st[0][r - 1] == 1, st[1][r - 1] == 1 else { return nil }
        (rows, row, stepA, stepB, strides) = (out[r - 2], out[r - 1], st[0][r - 2], st[1][r - 2], st)
    }

    /// `y = op(a, b)` over `out` (`y` may be `a` or `b` when that operand has `out`'s shape). From
    /// `FusedLoop.threadedElements` elements on, on two threads (`ParallelUnits`): each writes its
    /// own blocks, so the bits are those of one thread.
    func run<T: KernelFloat>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, into y: UnsafeMutablePointer<T>) {
        let n = out.elementCount
        // What the threads share out: runs of 64 elements when both operands have `out`'s shape,
        // else blocks of the last two dimensions.
        let piece = strides.isEmpty ? 64 : rows * row
        let pieces = (n + piece - 1) / piece
        // Units of whole pieces, as the fused loops split theirs (`FusedLoop.split`).
        let split = FusedLoop.split(n, tile: piece)
        if split.units > 1 {
            let perUnit = split.length / piece
            let work = ParallelUnits { u in
                self.run(a, b, into: y, pieces: (u * perUnit)..<Swift.min(pieces, (u + 1) * perUnit))
            }
            if work.run(units: split.units) { return }
        }
        run(a, b, into: y, pieces: 0..<pieces)
    }

    /// `run` over some of the pieces (runs of 64 elements, or blocks).
    private func run<T: KernelFloat>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, into y: UnsafeMutablePointer<T>,
                                     pieces: Range<Int>) {
        let n = out.elementCount
        if strides.isEmpty {
            let start = pieces.lowerBound * 64, end = Swift.min(n, pieces.upperBound * 64)
            _ = float32Arithmetic(op, a + start, end - start, b + start, end - start, y + start, 1, end - start)
            return
        }
        let r = out.rank, block = rows * row
        // The odometer over the dimensions before the last two, set to the first block.
        let index = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, r - 2))
        defer { index.deallocate() }
        var offA = 0, offB = 0, rest = pieces.lowerBound
        for d in stride(from: r - 3, through: 0, by: -1) {
            index[d] = rest % out[d]
            rest /= out[d]
            offA += index[d] * strides[0][d]; offB += index[d] * strides[1][d]
        }
        for q in pieces {
            _ = float32Arithmetic(op, a + offA, stepA, b + offB, stepB, y + q * block, rows, row)
            var d = r - 3
            while d >= 0 {
                index[d] += 1; offA += strides[0][d]; offB += strides[1][d]
                if index[d] < out[d] { break }
                offA -= strides[0][d] * out[d]; offB -= strides[1][d] * out[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}

// MARK: - Compare, select, convert

extension Tensor {
    /// Elementwise comparison of two tensors of the same dtype (broadcasting); the result is bool.
    ///
    /// ```swift
    /// let mask = try Tensor.compare(.gt, x, Tensor(scalar: 0))
    /// ```
    public static func compare(_ op: CompareOp, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        guard x.dtype == y.dtype else {
            throw TensorError("\(op.rawValue): dtypes differ (\(x.dtype.torchName) and \(y.dtype.torchName))")
        }
        if !x.hasComputeType { return try compare(op, x.widened(), y.widened()) }
        let out = try Shape.broadcast(x.shape, y.shape, op: op.rawValue)
        func cmp<T: Comparable>(_ a: [T], _ b: [T]) -> [Bool] {
            switch op {
            case .lt: return broadcastZip(a, x.shape, b, y.shape, out: out) { $0 < $1 }
            case .le: return broadcastZip(a, x.shape, b, y.shape, out: out) { $0 <= $1 }
            case .gt: return broadcastZip(a, x.shape, b, y.shape, out: out) { $0 > $1 }
            case .ge: return broadcastZip(a, x.shape, b, y.shape, out: out) { $0 >= $1 }
            case .eq: return broadcastZip(a, x.shape, b, y.shape, out: out) { $0 == $1 }
            case .ne: return broadcastZip(a, x.shape, b, y.shape, out: out) { $0 != $1 }
            }
        }
        switch (x.storage, y.storage) {
        case (.float32(let a), .float32(let b)): return Tensor(shape: out, storage: .bool(cmp(a, b)))
        case (.float64(let a), .float64(let b)): return Tensor(shape: out, storage: .bool(cmp(a, b)))
        case (.int64(let a), .int64(let b)): return Tensor(shape: out, storage: .bool(cmp(a, b)))
        case (.bool(let a), .bool(let b)):
            return Tensor(shape: out, storage: .bool(cmp(a.map { $0 ? 1 : 0 }, b.map { $0 ? 1 : 0 } as [Int8])))
        default: preconditionFailure("dtype check above guarantees equal storage kinds")
        }
    }

    /// `where(condition, x, y)`: elements of `x` where `condition` is true, else of `y` (broadcasting).
    public static func select(_ condition: Tensor, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        guard case .bool(let c) = condition.storage else {
            throw TensorError("where: condition must be a bool tensor, got \(condition.dtype.torchName)")
        }
        guard x.dtype == y.dtype else {
            throw TensorError("where: dtypes differ (\(x.dtype.torchName) and \(y.dtype.torchName))")
        }
        if !x.hasComputeType { return try select(condition, x.widened(), y.widened()).narrowed(to: x.dtype) }
        let xy = try Shape.broadcast(x.shape, y.shape, op: "where")
        let out = try Shape.broadcast(condition.shape, xy, op: "where")
        let loop = BroadcastLoop(outShape: out, operands: [condition.shape, x.shape, y.shape])
        func sel<T>(_ a: [T], _ b: [T]) -> [T] {
            let n = out.elementCount
            return [T](unsafeUninitializedCapacity: n) { o, count in
                count = n
                c.withUnsafeBufferPointer { pc in a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    loop.forEachRow { base, offs, inner, st in
                        // Pointers advanced to the row's start: no overflow checks in the inner loop.
                        let ro = o.baseAddress! + base
                        let rc = pc.baseAddress! + offs[0], ra = pa.baseAddress! + offs[1], rb = pb.baseAddress! + offs[2]
                        if st[0] == 1 && st[1] == 1 && st[2] == 1 {
                            for j in 0..<inner { (ro + j).initialize(to: rc[j] ? ra[j] : rb[j]) }
                        } else {
                            let sc = st[0], sa = st[1], sb = st[2]
                            var ic = 0, ia = 0, ib = 0
                            for j in 0..<inner {
                                (ro + j).initialize(to: rc[ic] ? ra[ia] : rb[ib])
                                ic &+= sc; ia &+= sa; ib &+= sb
                            }
                        }
                    }
                } } }
            }
        }
        switch (x.storage, y.storage) {
        case (.float32(let a), .float32(let b)): return Tensor(shape: out, storage: .float32(sel(a, b)))
        case (.float64(let a), .float64(let b)): return Tensor(shape: out, storage: .float64(sel(a, b)))
        case (.int64(let a), .int64(let b)): return Tensor(shape: out, storage: .int64(sel(a, b)))
        case (.bool(let a), .bool(let b)): return Tensor(shape: out, storage: .bool(sel(a, b)))
        default: preconditionFailure("dtype check above guarantees equal storage kinds")
        }
    }

    /// The same values converted to another element type (floats to integers truncate toward
    /// zero; storage types go through their compute types, so doubles reach the half types
    /// through float32, as PyTorch converts).
    public func converted(to dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        if !hasComputeType || dtype != dtype.computeType {
            return widened().converted(to: dtype.computeType).narrowed(to: dtype)
        }
        switch (storage, dtype) {
        case (.float32(let a), .float64): return Tensor(shape: shape, storage: .float64(mapArray(a) { Double($0) }))
        case (.float64(let a), .float32): return Tensor(shape: shape, storage: .float32(mapArray(a) { Float($0) }))
        case (.int64(let a), .float32): return Tensor(shape: shape, storage: .float32(mapArray(a) { Float($0) }))
        case (.int64(let a), .float64): return Tensor(shape: shape, storage: .float64(mapArray(a) { Double($0) }))
        case (.bool(let a), .float32): return Tensor(shape: shape, storage: .float32(mapArray(a) { $0 ? 1 : 0 }))
        case (.bool(let a), .float64): return Tensor(shape: shape, storage: .float64(mapArray(a) { $0 ? 1 : 0 }))
        case (.bool(let a), .int64): return Tensor(shape: shape, storage: .int64(mapArray(a) { $0 ? 1 : 0 }))
        case (.float32(let a), .int64):
            return Tensor(shape: shape, storage: .int64(mapArray(a) { int64Converting(Double($0)) }))
        case (.float64(let a), .int64):
            return Tensor(shape: shape, storage: .int64(mapArray(a) { int64Converting(Double($0)) }))
        case (.float32(let a), .bool): return Tensor(shape: shape, storage: .bool(mapArray(a) { $0 != 0 }))
        case (.float64(let a), .bool): return Tensor(shape: shape, storage: .bool(mapArray(a) { $0 != 0 }))
        case (.int64(let a), .bool): return Tensor(shape: shape, storage: .bool(mapArray(a) { $0 != 0 }))
        default:
            preconditionFailure("converted: \(self.dtype) to \(dtype) is handled above")
        }
    }
}

/// `x ** e` for the exponents PyTorch computes without `pow` (`x * x` for 2, `sqrt` for 0.5, ...:
/// its `pow_tensor_scalar_optimized_kernel`), so that `x ** 2` gives PyTorch's bits and costs a
/// multiply; nil for other exponents. Shared by the kernel and fused loops.
func powByConstant<T: KernelFloat>(_ a: [T], _ e: T) -> [T]? {
    guard FloatScalar.hasPowShortcut(e) else { return nil }
    return [T](unsafeUninitializedCapacity: a.count) { out, n in
        a.withUnsafeBufferPointer { p in
            if let x = p.baseAddress, let y = out.baseAddress { powByConstantRun(x, e, y, p.count) }
        }
        n = a.count
    }
}

/// `y[j] = x[j] ** e` for an exponent with `FloatScalar.hasPowShortcut(e)`.
@inline(__always)
func powByConstantRun<T: KernelFloat>(_ x: UnsafePointer<T>, _ e: T, _ y: UnsafeMutablePointer<T>, _ n: Int) {
    switch e {
    case 2: for j in 0..<n { (y + j).initialize(to: x[j] * x[j]) }
    case 3: for j in 0..<n { (y + j).initialize(to: x[j] * x[j] * x[j]) }
    case 1: (y).initialize(from: x, count: n)
    case 0.5: for j in 0..<n { (y + j).initialize(to: x[j].squareRoot()) }
    case -0.5: for j in 0..<n { (y + j).initialize(to: 1 / x[j].squareRoot()) }
    case -1: for j in 0..<n { (y + j).initialize(to: 1 / x[j]) }
    case -2: for j in 0..<n { (y + j).initialize(to: 1 / (x[j] * x[j])) }
    default: for j in 0..<n { (y + j).initialize(to: T.cPow(x[j], e)) }
    }
}

/// The elementwise float functions that are more than one operator, defined once for the kernels
/// above and the fused loops (`FusedLoop`), so that both compute the same values.
enum FloatScalar {
    /// `1 / (1 + e^-x)`, without overflow for negative `x`.
    @inline(__always) static func logistic<T: KernelFloat>(_ x: T) -> T {
        if x >= 0 { return 1 / (1 + T.exp(-x)) }
        let e = T.exp(x)
        return e / (1 + e)
    }
    /// -1, 0 or 1 (NaN and -0 stay).
    @inline(__always) static func sign<T: KernelFloat>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : x) }
    /// `torch.maximum`: NaN propagates.
    @inline(__always) static func maximum<T: KernelFloat>(_ a: T, _ b: T) -> T { (a.isNaN || b.isNaN) ? T.nan : Swift.max(a, b) }
    /// `torch.minimum`: NaN propagates.
    @inline(__always) static func minimum<T: KernelFloat>(_ a: T, _ b: T) -> T { (a.isNaN || b.isNaN) ? T.nan : Swift.min(a, b) }
    /// Whether `x ** e` is computed without `pow` (see `powByConstant`).
    @inline(__always) static func hasPowShortcut<T: KernelFloat>(_ e: T) -> Bool {
        e == 2 || e == 3 || e == 1 || e == 0.5 || e == -0.5 || e == -1 || e == -2
    }
    /// Python's `%`: the sign follows the divisor.
    @inline(__always) static func remainder<T: KernelFloat>(_ p: T, _ q: T) -> T {
        let m = p.truncatingRemainder(dividingBy: q)
        return (m != 0 && ((m < 0) != (q < 0))) ? m + q : m
    }
}
