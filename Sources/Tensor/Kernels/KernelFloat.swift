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
                if sa == sb {
                    for i in 0..<n { o[i] = f(pa[i], pb[i]) }
                } else if pb.count == 1 {
                    let y = pb[0]
                    for i in 0..<n { o[i] = f(pa[i], y) }
                } else if pa.count == 1 {
                    let x = pa[0]
                    for i in 0..<n { o[i] = f(x, pb[i]) }
                } else {
                    BroadcastLoop(outShape: out, operands: [sa, sb]).forEachRow { base, offs, inner, st in
                        var ia = offs[0], ib = offs[1]
                        let s0 = st[0], s1 = st[1]
                        for j in 0..<inner {
                            o[base + j] = f(pa[ia], pb[ib])
                            ia += s0; ib += s1
                        }
                    }
                }
            }
        }
    }
}
