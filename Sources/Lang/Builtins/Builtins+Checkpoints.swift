import Tensor
import AD
import NN
import TensorIO

// `torch.load` and `torch.save` of PyTorch checkpoints (.pt, .pth, .bin): values to and from the
// reader's `TorchValue`, with storages shared by several tensors rebuilt as views of one base.

extension Interpreter {
    /// Whether `load`/`save` treat `path` as a PyTorch checkpoint: every extension other than
    /// the tensor-file ones (`.pt`, `.pth`, `.bin`, `.ckpt`, `.tar`, ... as `torch.save` users
    /// name them).
    static func isCheckpointPath(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return true }
        let ext = name[name.index(after: dot)...].lowercased()
        return TensorFile.Format(rawValue: ext) == nil
    }

    /// `torch.load(path)` of a checkpoint: its containers as Python values, its tensors as
    /// tensors (parameters as `nn.Parameter`), storages shared by several tensors as one base
    /// with views, state dicts as `OrderedDict`. Storages saved on a GPU load onto the CPU with
    /// a note.
    func loadCheckpoint(_ path: String, weightsOnly: Value?) throws -> Value {
        if case .bool(false)? = weightsOnly {
            throw PythonError(.NotImplementedError, "torch.load(weights_only=False) unpickles arbitrary Python objects, which Jacobi never does",
                              hint: "load with weights_only=True (the default): tensors, state dicts and containers of them load; for a pickled module, save model.state_dict() in PyTorch")
        }
        let loaded = try TorchArchive.load(path: path)
        for note in loaded.notes { warn(note) }
        var bases: [String: TensorHandle] = [:]
        let sharedKeys = Self.sharedStorageKeys(loaded.value)
        func convert(_ v: TorchValue) throws -> Value {
            switch v {
            case .none: return .none
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            case .string(let s): return .string(s)
            case .bytes(let b): return .string(String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) })))
            case .list(let items): return .list(ListObject(try items.map(convert)))
            case .tuple(let items): return .tuple(try items.map(convert))
            case .dict(let pairs, let ordered):
                let d = DictObject(flavor: ordered ? .ordered : .plain)
                for (k, x) in pairs { d[try hashKey(try convert(k))] = try convert(x) }
                return .dict(d)
            case .tensor(let t):
                let handle = TensorHandle(.tensor(t.value), isParameter: t.isParameter, requiresGrad: t.requiresGrad && t.value.dtype.isFloatingPoint)
                // The base is the whole storage the file holds, as in PyTorch.
                if sharedKeys.contains(t.storageKey), !t.isParameter, !handle.requiresGrad,
                   let base = bases[t.storageKey] ?? loaded.storages[t.storageKey].map({ TensorHandle(.tensor($0)) }) {
                    bases[t.storageKey] = base
                    let (sizes, strides, offset) = (t.sizes, t.strides, t.offset)
                    if try base.value.asStrided(sizes: sizes, strides: strides, offset: offset) != nil {
                        handle.becomeView(of: base, function: { flat in
                            guard let v = try flat.asStrided(sizes: sizes, strides: strides, offset: offset) else {
                                throw PythonError(.RuntimeError, "as_strided: layout no longer fits its storage")
                            }
                            return v
                        }, tracksHistory: true, layout: StridedLayout(sizes: sizes, strides: strides, offset: offset))
                    }
                }
                return .tensor(handle)
            }
        }
        return try convert(loaded.value)
    }

    /// The storage keys that more than one tensor of `value` uses.
    static func sharedStorageKeys(_ value: TorchValue) -> Set<String> {
        var uses: [String: Int] = [:]
        func walk(_ v: TorchValue) {
            switch v {
            case .tensor(let t): uses[t.storageKey, default: 0] += 1
            case .list(let items), .tuple(let items): items.forEach(walk)
            case .dict(let pairs, _): pairs.forEach { walk($0.0); walk($0.1) }
            case .none, .bool, .int, .float, .string, .bytes: break
            }
        }
        walk(value)
        return Set(uses.filter { $0.value > 1 }.keys)
    }

    /// `torch.save(obj, path)` of tensors, state dicts, modules (their state dict) and
    /// containers of them, as PyTorch writes a checkpoint.
    func saveCheckpoint(_ v: Value, _ path: String) throws {
        func convert(_ v: Value, depth: Int) throws -> TorchValue {
            guard depth < 1000 else { throw PythonError(.RecursionError, "torch.save: containers nested more than 1000 deep") }
            switch v {
            case .none: return .none
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            case .string(let s): return .string(s)
            case .list(let l): return .list(try l.items.map { try convert($0, depth: depth + 1) })
            case .tuple(let items): return .tuple(try items.map { try convert($0, depth: depth + 1) })
            case .dict(let d):
                let ordered: Bool
                if case .ordered = d.flavor { ordered = true } else { ordered = false }
                return .dict(try d.pairs.map { (try convert($0.0, depth: depth + 1), try convert($0.1, depth: depth + 1)) }, ordered: ordered)
            case .tensor(let h):
                // A view is saved as PyTorch saves it: its base's whole storage, with its own
                // offset and strides, shared with the base and the base's other views.
                let value = try h.value.requireConcrete("torch.save")
                let base = h.view?.base ?? h
                let flat = try base.value.requireConcrete("torch.save")
                let layout = h.layout
                return .tensor(TorchTensor(value: value, storageKey: "\(ObjectIdentifier(base).hashValue)",
                                           sizes: layout.sizes, strides: layout.strides, offset: layout.offset,
                                           requiresGrad: h.requiresGrad, isParameter: h.isParameter,
                                           storage: flat.reshaped([flat.elementCount])))
            case .module(let m):
                let d = DictObject(flavor: .ordered)
                for (name, h) in m.namedParameterHandles() { d[.string(name)] = .tensor(h) }
                return try convert(.dict(d), depth: depth + 1)
            case .bigInt:
                throw PythonError(.OverflowError, "torch.save: an integer beyond 64 bits")
            case .instance(let i) where i.payload is Module:
                return try convert(.module(i.payload as! Module), depth: depth)
            case .set, .function, .type, .instance, .namespace, .slice, .shape, .dtype, .ellipsis:
                throw PythonError(.TypeError, "torch.save here writes tensors, state dicts and containers of them, not \(v.pyType.name)",
                                  hint: "PyTorch's torch.load(weights_only=True) refuses other objects too; save model.state_dict() for a model")
            }
        }
        try TorchArchive.save(try convert(v, depth: 0), path: path)
    }
}
