/// The knobs of tensor printing, mirroring PyTorch's `torch.set_printoptions`.
///
/// The defaults are PyTorch's `profile="default"`; `nil` for `sciMode` lets the formatter choose
/// scientific notation from the data, as PyTorch does.
///
/// ```swift
/// var options = PrintOptions()
/// options.precision = 2           // torch.set_printoptions(precision=2)
/// TensorFormatter.repr(Tensor(shape: [1], float32: [1.12345]), options: options)
/// // "tensor([1.12])"
/// ```
public struct PrintOptions: Sendable, Hashable {
    // MARK: - Options

    /// Digits after the decimal point of floating-point elements (PyTorch `precision`, default 4).
    /// Negative values are treated as 0.
    ///
    /// ```swift
    /// var o = PrintOptions(); o.precision = 2   // tensor([1.12])
    /// ```
    public var precision = 4

    /// Tensors with more elements than this are summarised with `...` (PyTorch `threshold`,
    /// default 1000). Use `Int.max` for PyTorch's `profile="full"`.
    ///
    /// ```swift
    /// var o = PrintOptions(); o.threshold = 5   // arange(10) prints tensor([0, 1, 2,  ..., 7, 8, 9])
    /// ```
    public var threshold = 1000

    /// Items kept at the start and at the end of each summarised dimension (PyTorch `edgeitems`,
    /// default 3). Negative values are treated as 0.
    ///
    /// ```swift
    /// var o = PrintOptions(); o.threshold = 5; o.edgeItems = 2   // tensor([0., 1.,  ..., 8., 9.])
    /// ```
    public var edgeItems = 3

    /// Characters per line used to wrap the elements of the last dimension (PyTorch `linewidth`,
    /// default 80).
    ///
    /// ```swift
    /// var o = PrintOptions(); o.lineWidth = 40   // three float elements per line
    /// ```
    public var lineWidth = 80

    /// `true` forces scientific notation, `false` forbids it, `nil` (the default) lets the
    /// formatter decide from the magnitudes of the elements (PyTorch `sci_mode`).
    ///
    /// ```swift
    /// var o = PrintOptions(); o.sciMode = true   // tensor([1.0000e+00, 2.5000e+00])
    /// ```
    public var sciMode: Bool? = nil

    // MARK: - Initialisation

    /// PyTorch's default print options: precision 4, threshold 1000, 3 edge items, 80 columns.
    ///
    /// ```swift
    /// let o = PrintOptions()
    /// o.precision   // 4
    /// ```
    public init() {}

    // MARK: - Normalisation

    /// The precision actually used: never negative.
    var effectivePrecision: Int { Swift.max(0, precision) }

    /// The edge item count actually used: never negative.
    var effectiveEdgeItems: Int { Swift.max(0, edgeItems) }
}
