import CKernels
import RealModule
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The floating-point element types the kernels are written for (`Float` and `Double`):
/// elementary functions from swift-numerics plus the C library's `pow`.
public protocol KernelFloat: Real, BinaryFloatingPoint, Sendable {
    /// `x ** y` with C `pow` semantics (so `(-2) ** 2 == 4`).
    static func cPow(_ x: Self, _ y: Self) -> Self
}

extension Float: KernelFloat {
    @inline(__always) public static func cPow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
}

extension Double: KernelFloat {
    // Module-qualified: inside `extension Double` a bare `pow` is swift-numerics'
    // `Double.pow(_:_:)`, which returns NaN for every negative base (and for 0 ** 0).
    #if canImport(Glibc)
    @inline(__always) public static func cPow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    #elseif canImport(Darwin)
    @inline(__always) public static func cPow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
    #endif
}

// MARK: - Array helpers

/// `a.map(f)` without the closure-call and bounds-check overhead of `Array.map`.
@inline(__always)
func mapArray<T, U>(_ a: [T], _ f: (T) -> U) -> [U] {
    [U](unsafeUninitializedCapacity: a.count) { out, n in
        a.withUnsafeBufferPointer { p in
            for i in 0..<p.count { out[i] = f(p[i]) }
        }
        n = a.count
    }
}

/// Elementwise `f(a[i], b[i])` over two broadcast-compatible operands.
@inline(__always)
func broadcastZip<T, U>(_ a: [T], _ sa: Shape, _ b: [T], _ sb: Shape, out: Shape, _ f: (T, T) -> U) -> [U] {
    let n = out.elementCount
    return [U](unsafeUninitializedCapacity: n) { o, count in
        count = n
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                if n > 0 { zipRows(pa.baseAddress!, sa, pa.count, pb.baseAddress!, sb, pb.count, into: o.baseAddress!, out: out, f) }
            }
        }
    }
}

/// `o[i] = f(a[i], b[i])` over two broadcast-compatible operands of `count` elements each, for
/// the `out.elementCount > 0` elements of the result (`o` is neither operand).
@inline(__always)
func zipRows<T, U>(_ pa: UnsafePointer<T>, _ sa: Shape, _ countA: Int, _ pb: UnsafePointer<T>, _ sb: Shape, _ countB: Int,
                   into o: UnsafeMutablePointer<U>, out: Shape, _ f: (T, T) -> U) {
                let n = out.elementCount
                if sa == sb {
                    for i in 0..<n { (o + i).initialize(to: f(pa[i], pb[i])) }
                } else if countB == 1 {
                    let y = pb[0]
                    for i in 0..<n { (o + i).initialize(to: f(pa[i], y)) }
                } else if countA == 1 {
                    let x = pa[0]
                    for i in 0..<n { (o + i).initialize(to: f(x, pb[i])) }
                } else {
                    // The loop over rows is written out here (not through a closure) so that `f`
                    // is inlined, and each row is read and written through pointers advanced to
                    // its start, so that the inner loops carry no overflow checks and vectorise.
                    let loop = BroadcastLoop(outShape: out, operands: [sa, sb])
                    let r = out.rank, inner = out[r - 1]
                    let stA = loop.strides[0], stB = loop.strides[1]
                    let ia1 = stA[r - 1], ib1 = stB[r - 1]
                    // The odometer over the outer dimensions, in memory the loop owns (an array
                    // here would be checked for uniqueness at every row).
                    let index = UnsafeMutablePointer<Int>.allocate(capacity: r)
                    index.initialize(repeating: 0, count: r)
                    defer { index.deallocate() }
                    var offA = 0, offB = 0, base = 0
                    let oBase = o, aBase = pa, bBase = pb
                    while base < n {
                        let ro = oBase + base, ra = aBase + offA, rb = bBase + offB
                        if ia1 == 1 && ib1 == 1 {
                            for j in 0..<inner { (ro + j).initialize(to: f(ra[j], rb[j])) }
                        } else if ia1 == 1 && ib1 == 0 {
                            let y = rb[0]
                            for j in 0..<inner { (ro + j).initialize(to: f(ra[j], y)) }
                        } else if ia1 == 0 && ib1 == 1 {
                            let x = ra[0]
                            for j in 0..<inner { (ro + j).initialize(to: f(x, rb[j])) }
                        } else {
                            var ia = 0, ib = 0
                            for j in 0..<inner { (ro + j).initialize(to: f(ra[ia], rb[ib])); ia &+= ia1; ib &+= ib1 }
                        }
                        base += inner
                        var d = r - 2
                        while d >= 0 {
                            index[d] += 1
                            offA += stA[d]; offB += stB[d]
                            if index[d] < out[d] { break }
                            offA -= stA[d] * out[d]; offB -= stB[d] * out[d]
                            index[d] = 0
                            d -= 1
                        }
                    }
                }
}

/// `t[i] = f(t[i], b[i])` over the `out.elementCount > 0` elements of `t`, which has the result's
/// shape, with `b` broadcast: `zipRows` written over one of its operands. Each element is read
/// once, just before it is written, through the same pointer, so the loops vectorise (two
/// pointers to one buffer would fail the compiler's overlap check and run one element at a time).
@inline(__always)
func zipRowsInPlace<T>(_ t: UnsafeMutablePointer<T>, _ pb: UnsafePointer<T>, _ sb: Shape, _ countB: Int, out: Shape,
                       _ f: (T, T) -> T) {
    let n = out.elementCount
    if sb == out {
        for i in 0..<n { t[i] = f(t[i], pb[i]) }
    } else if countB == 1 {
        let y = pb[0]
        for i in 0..<n { t[i] = f(t[i], y) }
    } else {
        let loop = BroadcastLoop(outShape: out, operands: [sb])
        let r = out.rank, inner = out[r - 1]
        let stB = loop.strides[0], ib1 = stB[r - 1]
        let index = UnsafeMutablePointer<Int>.allocate(capacity: r)
        index.initialize(repeating: 0, count: r)
        defer { index.deallocate() }
        var offB = 0, base = 0
        while base < n {
            let rt = t + base, rb = pb + offB
            if ib1 == 1 {
                for j in 0..<inner { rt[j] = f(rt[j], rb[j]) }
            } else if ib1 == 0 {
                let y = rb[0]
                for j in 0..<inner { rt[j] = f(rt[j], y) }
            } else {
                var ib = 0
                for j in 0..<inner { rt[j] = f(rt[j], rb[ib]); ib &+= ib1 }
            }
            base += inner
            var d = r - 2
            while d >= 0 {
                index[d] += 1
                offB += stB[d]
                if index[d] < out[d] { break }
                offB -= stB[d] * out[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}

/// The storage of the kernel float types, seen through `T` (the fused loops, in-place binaries).
extension Storage {
    /// The elements when they are of type `T` (float32 for `Float`, float64 for `Double`).
    func floatArray<T: KernelFloat>(_: T.Type) -> [T]? {
        switch self {
        case .float32(let a) where T.self == Float.self: return unsafeBitCast(a, to: [T].self)
        case .float64(let a) where T.self == Double.self: return unsafeBitCast(a, to: [T].self)
        default: return nil
        }
    }

    /// Float elements as storage of their dtype.
    static func float<T: KernelFloat>(_ a: [T]) -> Storage {
        if T.self == Float.self { return .float32(unsafeBitCast(a, to: [Float].self)) }
        precondition(T.self == Double.self, "the kernels run on Float and Double")
        return .float64(unsafeBitCast(a, to: [Double].self))
    }
}

/// float32 `add`, `sub`, `mul`, `div` over `rows` rows of `row` elements by the AVX2 kernel
/// (`jc_binary_rows_f32`, eight lanes; one IEEE operation per element, so the same bits as the
/// Swift loops, which compile for SSE2's four); false, with nothing written, for other types and
/// operations or without AVX2.
@inline(__always)
func float32Arithmetic<T: KernelFloat>(_ op: BinaryOp, _ a: UnsafePointer<T>, _ stepA: Int, _ b: UnsafePointer<T>,
                                               _ stepB: Int, _ y: UnsafeMutablePointer<T>, _ rows: Int, _ row: Int) -> Bool {
    guard T.self == Float.self else { return false }
    let code: Int32
    switch op {
    case .add: code = 0
    case .sub: code = 1
    case .mul: code = 2
    case .div: code = 3
    case .pow, .max, .min, .remainder, .and, .or, .xor: return false
    }
    return jc_binary_rows_f32(code, UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), stepA,
                              UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), stepB,
                              UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), rows, row) != 0
}
