import CFormat
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// Python's `format()` of a `float` for the two presentation types PyTorch's printer uses:
/// `'{:.Nf}'` (fixed) and `'{:.Ne}'` (scientific).
///
/// Finite values go through C's `snprintf`, which, like Python's own `dtoa`, rounds the exact
/// binary value of the Double correctly (ties to even on exact halves): `0.125` with 2 digits is
/// `0.12`, `2.5` with 0 digits is `2`. Both print at least two exponent digits (`1.0000e-05`).
/// Non-finite values are spelled as Python spells them, which differs from C for NaNs whose
/// sign bit is set (C prints `-nan`, Python always `nan`).
enum PythonFloatFormat {
    // MARK: - Presentation types

    /// `'{:.<precision>f}'.format(value)`: `1.5` → `1.5000`, `-0.0` → `-0.0000`.
    static func fixed(_ value: Double, precision: Int) -> String {
        nonFinite(value) ?? printf("%.*f", value, precision: precision,
                                   capacity: fixedCapacity(value, precision: precision))
    }

    /// `'{:.<precision>e}'.format(value)`: `1e-5` → `1.0000e-05`, `1e300` → `1.0000e+300`.
    static func scientific(_ value: Double, precision: Int) -> String {
        nonFinite(value) ?? printf("%.*e", value, precision: precision, capacity: precision + 16)
    }

    /// `'{:.<precision>g}'.format(value)`: `0.000123456` → `0.0001235`, `1234567.0` → `1.235e+06`.
    static func general(_ value: Double, precision: Int) -> String {
        nonFinite(value) ?? printf("%.*g", value, precision: precision, capacity: precision + 16)
    }

    // MARK: - Helpers

    /// Python's spelling of a non-finite float, or `nil` for a finite one.
    private static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return nil
    }

    /// Buffer bytes enough for `%.*f` of `value`: sign, integer digits, point, fraction, NUL.
    private static func fixedCapacity(_ value: Double, precision: Int) -> Int {
        let magnitude = Swift.abs(value)
        let integerDigits = magnitude < 1 ? 1 : Int(magnitude.exponent) * 30103 / 100_000 + 2
        return integerDigits + precision + 8
    }

    /// One `snprintf` call with a `*` precision and a Double argument (`CFormat`: without
    /// `CVarArg`, whose first use scans the binary's conformances).
    private static func printf(_ format: String, _ value: Double, precision: Int, capacity: Int) -> String {
        var buffer = [CChar](repeating: 0, count: capacity)
        let written = buffer.withUnsafeMutableBufferPointer { out in
            jc_format_double(out.baseAddress, out.count, format, Int32(clamping: precision), value)
        }
        precondition(written >= 0 && Int(written) < capacity,
                     "PythonFloatFormat: \(format) of \(value) needs \(written) bytes, had \(capacity)")
        let bytes = buffer[..<Int(written)].map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
