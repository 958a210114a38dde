import Tensor

/// PyTorch-identical text for tensors: `repr(t)` of `torch/_tensor_str.py`, character for
/// character, so that users coming from PyTorch see exactly what they are used to.
///
/// ```swift
/// let t = Tensor(shape: [2, 2], float64: [1.5, -2, 0.25, 4])
/// print(TensorFormatter.repr(t))
/// // tensor([[ 1.5000, -2.0000],
/// //         [ 0.2500,  4.0000]], dtype=torch.float64)
/// ```
public enum TensorFormatter {
    // MARK: - Public API

    /// PyTorch's `repr(t)`: `tensor(` + the elements + suffixes such as `dtype=torch.float64`
    /// or `size=(0, 3)` + `)`.
    ///
    /// ```swift
    /// TensorFormatter.repr(Tensor(shape: [2], float32: [1, 2.5]))   // "tensor([1.0000, 2.5000])"
    /// TensorFormatter.repr(Tensor(shape: [], float32: [3]))         // "tensor(3.)"
    /// TensorFormatter.repr(Tensor(shape: [2], bool: [true, false])) // "tensor([ True, False])"
    /// TensorFormatter.repr(Tensor(shape: [0, 3], int64: []))        // "tensor([], size=(0, 3), dtype=torch.int64)"
    /// ```
    public static func repr(_ t: Tensor, options: PrintOptions = .init(), extraSuffixes: [String] = []) -> String {
        let prefix = "tensor("
        let indent = prefix.utf8.count
        var suffixes: [String] = []
        let body: String
        if t.elementCount == 0 {
            // No element shows the shape or whether the tensor is integral, so both are spelled out.
            if t.rank != 1 { suffixes.append("size=" + pythonTuple(t.shape)) }
            if t.dtype != .float32 { suffixes.append("dtype=" + t.dtype.torchName) }
            body = "[]"
        } else {
            if options.effectiveEdgeItems == 0 { suffixes.append("size=" + pythonTuple(t.shape)) }
            if !isImpliedByElements(t.dtype) { suffixes.append("dtype=" + t.dtype.torchName) }
            body = elements(t, indent: indent, options: options)
        }
        return appendingSuffixes(prefix + body, suffixes + extraSuffixes, indent: indent, lineWidth: options.lineWidth)
    }

    /// The tensor as `print(t)` shows it in PyTorch, which is the same text as `repr`.
    ///
    /// ```swift
    /// TensorFormatter.str(Tensor(shape: [], float64: [0.1]))   // "tensor(0.1000, dtype=torch.float64)"
    /// ```
    public static func str(_ t: Tensor, options: PrintOptions = .init()) -> String {
        repr(t, options: options)
    }

    // MARK: - Elements

    /// The bracketed elements of a non-empty tensor (PyTorch's `_tensor_str`), whose first line
    /// starts at column `indent`.
    static func elements(_ t: Tensor, indent: Int, options: PrintOptions) -> String {
        // PyTorch prints half types through float32 and integers as integers: the compute type.
        let t = t.widened()
        let edgeItems = options.effectiveEdgeItems
        let summarize = t.elementCount > options.threshold
        let formatter = summarize
            ? ElementFormatter(storage: t.storage,
                               indices: Summarization.keptIndices(shape: t.shape, edgeItems: edgeItems),
                               options: options)
            : ElementFormatter(storage: t.storage, indices: 0..<t.elementCount, options: options)
        let layout = TensorLayout(storage: t.storage, dims: t.shape.dims, strides: t.shape.strides,
                                  summarize: summarize, edgeItems: edgeItems,
                                  lineWidth: options.lineWidth, formatter: formatter)
        return layout.render(indent: indent)
    }

    // MARK: - Suffixes

    /// Whether PyTorch leaves out `dtype=` for a non-empty tensor of this type: the default
    /// float type, and int64 and bool, which the spelling of the elements already reveals.
    static func isImpliedByElements(_ dtype: DType) -> Bool {
        switch dtype {
        case .float32, .int64, .bool: return true
        case .float64, .float16, .bfloat16, .int32, .uint32, .int16, .int8, .uint8: return false
        }
    }

    /// PyTorch's `_add_suffixes`: each suffix follows `", "` on the last line, or starts a new
    /// line indented by `indent` when the last line would exceed `lineWidth`; then `)`.
    static func appendingSuffixes(_ text: String, _ suffixes: [String], indent: Int, lineWidth: Int) -> String {
        var result = text
        let utf8 = Array(text.utf8)
        let lastNewline = utf8.lastIndex(of: UInt8(ascii: "\n")) ?? -1
        // PyTorch's measure: the last line's length plus 2 (its ", " and ")" to come).
        var lastLineLength = utf8.count - lastNewline + 1
        for suffix in suffixes {
            let length = suffix.utf8.count
            if lastLineLength + length + 2 > lineWidth {
                result += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + length
            } else {
                result += ", " + suffix
                lastLineLength += length + 2
            }
        }
        return result + ")"
    }
}
