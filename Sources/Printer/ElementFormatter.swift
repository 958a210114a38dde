import Tensor

/// Turns single elements into fixed-width strings: PyTorch's `_Formatter`.
///
/// It is built once per printed tensor from the elements that will actually be shown (the
/// summarised data when the tensor is summarised) and decides, for floating-point tensors:
///
/// - integer mode, when every nonzero finite element is integral: `1.`, `-0.`, `100.`;
/// - scientific mode (unless `PrintOptions.sciMode` forces it either way), when over the nonzero
///   finite absolute values `max / min > 1000`, `max > 1e8` or `min < 1e-4`: `1.0000e-05`;
/// - otherwise fixed mode with `precision` decimals: `-3.1250`;
///
/// and the common width, that of the widest nonzero finite element. Zeros, NaNs and infinities
/// take no part in any of these decisions. Bool and int64 elements print as Python prints them
/// (`True`, `-20`), padded to the widest shown element.
struct ElementFormatter {
    // MARK: - Styles

    /// How floating-point elements are spelled (bool and int64 elements always print as Python's
    /// `str()` of the value).
    enum FloatStyle: Equatable {
        /// Integral floats: `'{:.0f}'` and a trailing `.` on finite values.
        case integral
        /// `'{:.<precision>f}'`.
        case fixed
        /// `'{:<width>.<precision>e}'`.
        case scientific
    }

    /// The chosen spelling of floating-point elements.
    private(set) var style = FloatStyle.integral
    /// Width every element is left-padded to (longer elements, such as `nan` or `-0.` in integer
    /// mode, are not cut).
    private(set) var width = 1
    /// Digits after the point in fixed and scientific modes.
    let precision: Int

    // MARK: - Construction

    /// The formatter for `storage`, looking only at the elements at the flat `indices`.
    init<Indices: Sequence<Int>>(storage: Storage, indices: Indices, options: PrintOptions) {
        precision = options.effectivePrecision
        switch storage {
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16:
            preconditionFailure("TensorFormatter widens storage types (as PyTorch prints half types through float)")
        case .bool(let a):
            for i in indices { width = Swift.max(width, a[i] ? 4 : 5) }
        case .int64(let a):
            for i in indices { width = Swift.max(width, String(a[i]).utf8.count) }
        case .float32(let a):
            analyseFloats(indices.lazy.map { Double(a[$0]) }, sciMode: options.sciMode)
        case .float64(let a):
            analyseFloats(indices.lazy.map { a[$0] }, sciMode: options.sciMode)
        }
    }

    /// Chooses the floating-point style and width from the nonzero finite `values`.
    private mutating func analyseFloats<Values: Sequence<Double>>(_ values: Values, sciMode: Bool?) {
        let significant: [Double] = values.filter { $0.isFinite && $0 != 0 }
        guard let first = significant.first else { return }   // nothing to measure: integral, width 1
        var minAbs = Swift.abs(first), maxAbs = minAbs
        var integral = true
        for v in significant {
            minAbs = Swift.min(minAbs, Swift.abs(v))
            maxAbs = Swift.max(maxAbs, Swift.abs(v))
            if v != v.rounded(.up) { integral = false }
        }
        let scientific = sciMode ?? (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4)
        style = scientific ? .scientific : integral ? .integral : .fixed
        for v in significant { width = Swift.max(width, spell(v).utf8.count) }
    }

    // MARK: - Formatting

    /// Element `index` of `storage`, padded on the left to `width`.
    func format(_ storage: Storage, at index: Int) -> String {
        let text: String
        switch storage {
        case .uint8, .int8, .int16, .int32, .uint32, .float16, .bfloat16:
            preconditionFailure("TensorFormatter widens storage types (as PyTorch prints half types through float)")
        case .bool(let a): text = a[index] ? "True" : "False"
        case .int64(let a): text = String(a[index])
        case .float32(let a): text = spell(Double(a[index]))
        case .float64(let a): text = spell(a[index])
        }
        return Self.padded(text, to: width)
    }

    /// A floating-point value in the current style, unpadded.
    private func spell(_ v: Double) -> String {
        switch style {
        case .fixed:
            return PythonFloatFormat.fixed(v, precision: precision)
        case .integral:
            let digits = PythonFloatFormat.fixed(v, precision: 0)
            return v.isFinite ? digits + "." : digits
        case .scientific:
            return PythonFloatFormat.scientific(v, precision: precision)
        }
    }

    /// `text` with spaces prepended up to `width` characters.
    static func padded(_ text: String, to width: Int) -> String {
        let missing = width - text.utf8.count
        return missing > 0 ? String(repeating: " ", count: missing) + text : text
    }
}
