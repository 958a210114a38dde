import Tensor

/// A tensor as the user holds it: a handle over an immutable value, shared by reference as
/// Python shares objects. Two names bound to one handle see the same tensor; `nn.Parameter`s are
/// handles that modules keep, so `net.fc.weight` is the object `parameters()` returns.
///
/// A handle is also the unit of PyTorch's imperative autograd. A handle that requires grad is
/// either a leaf (made by the user, gradients accumulate in `grad`) or the output of a recorded
/// operation (`gradFn` is the node that made it). Operations see such a handle as
/// `Operand.tracked(handle)`, which is how `bind` knows to record them.
///
/// Writes are functional underneath (PyTorch calls this functionalization): an in-place write
/// gives the handle a new value (and, if recorded, a new `gradFn`) and bumps `version`, which
/// nodes that saved the old value check before they use it. A *view* (`x[0]`, `x.T`,
/// `x.view(...)`) is a handle that knows its base and the function from the base's value to its
/// own: it re-reads the base after the base was written, and a write into the view is written
/// back into the base (`writeBack`). Views share the base's version counter, as in PyTorch.
///
/// ```swift
/// let w = TensorHandle(.tensor(Tensor.full([2, 2], 0)), isParameter: true)
/// w.requiresGrad = true
/// let y = try bind1(.unary(.tanh), w.operand)   // recorded: y's handle has gradFn TanhBackward0
/// ```
public final class TensorHandle {
    /// The version counter, shared by a base and its views.
    public final class VersionCounter {
        var value = 0
    }

    /// How a view derives from its base.
    public struct View {
        /// The tensor whose storage the view shares (never itself a view).
        public let base: TensorHandle
        /// The base's value to the view's value (a composition of slicing, transposing,
        /// reshaping ... operations).
        public let function: (Operand) throws -> Operand
        /// Whether the view carries autograd history from its base (false for `detach()` and
        /// `.data`, which share the storage but not the graph).
        public let tracksHistory: Bool
        /// The storage layout, for `is_contiguous()` and for which reshapes are views.
        public let layout: StridedLayout
        /// Names the function (with its arguments) when it is pure and repeatable, so that the
        /// program that writes through it is made once per base type (`x[i, :] = v` in a loop).
        public var key: String? { keyMaker?() }
        private let keyMaker: (() -> String?)?

        /// Describes a view.
        public init(base: TensorHandle, function: @escaping (Operand) throws -> Operand, tracksHistory: Bool,
                    layout: StridedLayout, key: (() -> String?)? = nil) {
            self.base = base
            self.function = function
            self.tracksHistory = tracksHistory
            self.layout = layout
            self.keyMaker = key
        }
    }

    /// The library whose operation made a value, which decides its class and printing: PyTorch's
    /// `Tensor`, or JAX's `Array` (NumPy-style printing, immutable, NumPy's method names); a JAX
    /// value made from Python scalars alone is weakly typed (`weak_type=True`).
    public enum API: Equatable {
        case torch
        case jax(weak: Bool)
    }

    private var stored: Operand
    /// Which library's value this is (PyTorch's unless a JAX operation made it).
    public var api: API = .torch
    /// Whether this is an `nn.Parameter` (printed `Parameter containing:`; registered by modules).
    public var isParameter: Bool
    /// Whether operations on this tensor are recorded for `backward()` (`requires_grad`).
    public var requiresGrad: Bool
    /// The recorded operation that produced this tensor (`grad_fn`); nil for leaves.
    public internal(set) var gradFn: GradNode?
    /// Which output of `gradFn` this tensor is.
    public internal(set) var outputIndex: Int
    /// The accumulated gradient of a leaf (`.grad`), or of a non-leaf that retains it.
    public var grad: TensorHandle?
    /// Whether a non-leaf keeps its gradient in `grad` (`retain_grad()`).
    public var retainsGrad = false
    /// The language's `AccumulateGrad` object for this leaf while one is alive (one object per
    /// leaf, as PyTorch keeps one accumulator per leaf).
    public weak var accumulatorObject: AnyObject?
    /// The base this tensor is a view of, and how.
    public private(set) var view: View?
    private var sharedCounter: VersionCounter?
    /// The version counter, made on first use (most tensors are never written or saved).
    private var counter: VersionCounter {
        if let c = sharedCounter { return c }
        let c = VersionCounter()
        sharedCounter = c
        return c
    }
    /// The base's version when this view last read it.
    private var seenVersion = 0
    /// The trace that was being recorded when this tensor was made (nil outside transforms): a
    /// transformed function may write traced values only into tensors it made itself.
    private let madeInTrace: ObjectIdentifier? = Builder.current.flatMap { $0.isActive ? ObjectIdentifier($0) : nil }

    /// Wraps a value.
    public init(_ value: Operand, isParameter: Bool = false, requiresGrad: Bool = false) {
        self.stored = value.untracked
        self.isParameter = isParameter
        self.requiresGrad = requiresGrad
        self.gradFn = nil
        self.outputIndex = 0
    }

    /// The output `index` of a recorded operation.
    init(_ value: Tensor, gradFn: GradNode, outputIndex: Int) {
        self.stored = .tensor(value)
        self.isParameter = false
        self.requiresGrad = true
        self.gradFn = gradFn
        self.outputIndex = outputIndex
    }

    /// The current value (a concrete tensor, or a tracer while a function is being traced). A
    /// view whose base was written since it last looked reads the base again.
    public var value: Operand {
        refresh()
        return stored
    }

    /// What operations act on: the value itself, or `.tracked(self)` when it requires grad, so
    /// that the operation is recorded (or, inside a trace, captured as an input).
    public var operand: Operand {
        refresh()
        return requiresGrad ? .tracked(self) : stored
    }

    /// Whether this is a leaf of the autograd graph (`is_leaf`): made by the user, not by a
    /// recorded operation.
    public var isLeaf: Bool {
        refresh()
        return gradFn == nil
    }

    /// Bumped by every in-place write to this tensor, its base or any view of the base.
    public var version: Int { sharedCounter?.value ?? 0 }

    /// The shared version counter.
    var versionCounter: VersionCounter { counter }

    /// Makes this handle a view of `parent` (itself possibly a view): reads go through the base.
    public func becomeView(of parent: TensorHandle, function: @escaping (Operand) throws -> Operand,
                           tracksHistory: Bool, layout: StridedLayout, key: (() -> String?)? = nil) {
        if let p = parent.view {
            let outer = p.function
            let composed: () -> String? = { zip2(p.key, key?()).map { "\($0.0) | \($0.1)" } }
            view = View(base: p.base, function: { try function(try outer($0)) },
                        tracksHistory: tracksHistory && p.tracksHistory, layout: layout, key: composed)
        } else {
            view = View(base: parent, function: function, tracksHistory: tracksHistory, layout: layout, key: key)
        }
        sharedCounter = view!.base.counter
        seenVersion = counter.value
    }

    /// Re-reads the base after it was written (a view only).
    private func refresh() {
        guard let v = view, seenVersion != v.base.version else { return }
        seenVersion = counter.value
        let base = v.base
        let source: Operand = v.tracksHistory && base.requiresGrad ? .tracked(base) : base.stored
        guard let fresh = try? Autograd.withMode(v.tracksHistory && Autograd.isEnabled, { try v.function(source) }) else { return }
        adopt(fresh)
    }

    /// Takes an operation's result as this tensor's value (and history, when recorded).
    private func adopt(_ result: Operand) {
        switch result {
        case .tracked(let r):
            stored = r.stored
            if r.requiresGrad && (view?.tracksHistory ?? true) {
                gradFn = r.gradFn
                outputIndex = r.outputIndex
                requiresGrad = true
            }
        case .tensor, .tracer:
            stored = result
        }
    }

    /// Replaces the value as an in-place write does: with the result of an operation, whose
    /// history (if recorded) becomes this tensor's, and a new version. A view writes the new
    /// value back into its base (`writeBack`).
    public func write(_ result: Operand) throws {
        if case .tracer = result.untracked {
            let target = view?.base ?? self
            let current = Builder.current.flatMap { $0.isActive ? ObjectIdentifier($0) : nil }
            guard let current, target.madeInTrace == current else {
                throw TensorError("a function being transformed (grad, jacrev, vmap ...) wrote a traced value in place into a tensor made outside it",
                                  hint: "make the tensor inside the function (e.g. torch.zeros(...) there) or return the new value instead of storing it")
            }
        }
        if Autograd.isEnabled {
            if let v = view, v.tracksHistory, v.base.requiresGrad, v.base.gradFn == nil {
                throw TensorError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
            }
            if view == nil, requiresGrad, gradFn == nil {
                throw TensorError("a leaf Variable that requires grad is being used in an in-place operation.",
                                  hint: "update parameters inside `with torch.no_grad():`, as optimizers do")
            }
        }
        if let v = view {
            try writeBack(v, result)
        }
        adopt(result)
        counter.value += 1
        seenVersion = counter.value
    }

    /// Writes a view's new value into its base: the positions the view covers take the new
    /// values, the rest keeps the base's. The positions come from the transpose of the view
    /// function (its VJP), so every view function the AD core can differentiate can be written.
    private func writeBack(_ v: View, _ result: Operand) throws {
        let base = v.base
        let baseValue = base.stored
        let writer = try WriteBack.program(for: v, baseType: baseValue.type,
                                           regionType: TensorType(shape: result.shape, dtype: baseValue.dtype))
        let recorded = v.tracksHistory && Autograd.isEnabled && (result.trackedHandle != nil || base.requiresGrad)
        let symbolic = result.concrete == nil || baseValue.concrete == nil
        let newBase: Operand = try Autograd.withMode(recorded) {
            let region = try result.converted(to: baseValue.dtype)
            let placed: Operand
            if recorded || symbolic {
                placed = try apply(writer.place, [baseValue.untracked, region])[0]
            } else {
                var ev = Evaluator()
                placed = .tensor(try ev.run(writer.place, [try baseValue.requireConcrete("a write"), try region.requireConcrete("a write")])[0])
            }
            let keep = recorded && base.requiresGrad ? Operand.tracked(base) : baseValue
            return try Operand.select(.tensor(writer.mask), placed, keep)
        }
        if case .tracked(let r) = newBase { r.gradFn?.name = "CopySlices" }
        base.adopt(recorded || symbolic ? newBase : newBase.untracked)
    }

    /// Forgets the history: `detach_()`.
    public func detachInPlace() {
        gradFn = nil
        outputIndex = 0
        requiresGrad = false
    }

    /// The storage layout: the view's, or contiguous.
    public var layout: StridedLayout { view?.layout ?? StridedLayout(contiguous: shape) }

    /// Shape and dtype of the value.
    public var type: TensorType { value.type }
    /// The value's shape.
    public var shape: Shape { stored.shape }
    /// The value's element type.
    public var dtype: DType { stored.dtype }
    /// The value's number of dimensions.
    public var rank: Int { stored.rank }
    /// The concrete tensor, or nil while tracing.
    public var concrete: Tensor? { value.concrete }
}

/// `(a, b)` when both are present.
private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// The programs that write a view's new values into its base: `place(base, region)` puts the
/// region where the view reads (the transpose of the view function, from `Program.vjp`), and
/// `mask` marks those positions. Made once per (view key, base type, region type).
enum WriteBack {
    struct Writer {
        let place: Program
        let mask: Tensor
    }

    private struct Key: Hashable {
        let view: String
        let base: TensorType
        let region: TensorType
    }

    nonisolated(unsafe) private static var cache: [Key: Writer] = [:]

    static func program(for v: TensorHandle.View, baseType: TensorType, regionType: TensorType) throws -> Writer {
        let key = v.key.map { Key(view: $0, base: baseType, region: regionType) }
        if let key, let w = cache[key] { return w }
        let w = try Autograd.withMode(false) { () -> Writer in
            let forward = try trace(inputTypes: [baseType]) { try [v.function($0[0])] }
            guard forward.captured.isEmpty, forward.program.outputTypes.first?.shape == regionType.shape else {
                throw TensorError("internal error: a view function that cannot be written through")
            }
            let place = try forward.program.vjp(wrt: [true]).selectingOutputs([1]).optimized()
            var ev = Evaluator()
            let ones = Tensor.full(regionType.shape, 1, dtype: baseType.dtype)
            let counts = try ev.run(place, [Tensor.full(baseType.shape, 0, dtype: baseType.dtype), ones])[0]
            if counts.doubles.contains(where: { $0 > 1 }) {
                throw TensorError("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.")
            }
            let mask = try Tensor.compare(.ne, counts, Tensor(scalar: 0, dtype: baseType.dtype))
            return Writer(place: place, mask: mask)
        }
        if let key {
            if cache.count > 4096 { cache.removeAll() }
            cache[key] = w
        }
        return w
    }
}
