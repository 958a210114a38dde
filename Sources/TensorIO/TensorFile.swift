import Tensor
/// What a tensor file holds: one tensor (`.npy`, `.csv`, `.txt`) or named tensors in order
/// (`.npz`, `.safetensors`).
///
/// ```swift
/// let one = TensorFileContents.tensor(Tensor(shape: [2], float32: [1, 2]))
/// let many = TensorFileContents.dict([("0.weight", w), ("0.bias", b)])
/// ```
public enum TensorFileContents: Sendable {
    /// A single tensor, as in `.npy`, `.csv` and `.txt` files.
    ///
    /// ```swift
    /// if case .tensor(let t) = try TensorFile.load(path: "x.npy") { print(t.shape) }
    /// ```
    case tensor(Tensor)
    /// Named tensors in file order, as in `.npz` and `.safetensors` files (a PyTorch state_dict).
    ///
    /// ```swift
    /// if case .dict(let pairs) = try TensorFile.load(path: "model.safetensors") {
    ///     for (name, t) in pairs { print(name, t.shape) }
    /// }
    /// ```
    case dict([(String, Tensor)])
}

/// Reading and writing tensors in the file formats of NumPy and PyTorch users, chosen by the
/// file's extension:
///
/// | extension | holds | written as |
/// |---|---|---|
/// | `.npy` | one tensor | `np.save`: version 1.0, C order, little-endian, the tensor's dtype |
/// | `.npz` | named tensors | `np.savez`: a ZIP of `<name>.npy` (reads `np.savez_compressed` too) |
/// | `.safetensors` | named tensors | `safetensors.torch.save_file` |
/// | `.csv`, `.txt` | one 2-D float32 table | `np.savetxt` with `,` or a space, shortest round-trip numbers |
///
/// Reading keeps each element type (NumPy's and safetensors' unsigned 16/32-bit integers become
/// int64). PyTorch checkpoints (`.pt`) are `TorchArchive`'s. Writes are atomic: a temporary
/// file renamed over the target. Every problem with a file is a `TensorError` whose message starts with
/// the file's path.
///
/// ```swift
/// try TensorFile.save(.tensor(x), path: "x.npy")
/// try TensorFile.save(.dict([("w", w), ("b", b)]), path: "model.safetensors")
/// let loaded = try TensorFile.load(path: "model.safetensors")   // .dict([("w", w), ("b", b)])
/// ```
public enum TensorFile {
    /// The extensions `load` and `save` understand, as shown in messages.
    static let supportedExtensions = ".npy, .npz, .safetensors, .csv, .txt"

    /// The formats, by extension.
    /// The file formats, by extension.
    public enum Format: String, CaseIterable, Sendable {
        case npy, npz, safetensors, csv, txt

        /// The format of `path` by its extension (any letter case), or an error listing the supported ones.
        ///
        /// ```swift
        /// try TensorFile.Format(path: "w.NPY")   // .npy
        /// try TensorFile.Format(path: "w.pt")    // throws: unsupported file extension '.pt' ...
        /// ```
        init(path: String) throws {
            let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
            let dot = name.lastIndex(of: ".")
            let ext = dot.map { String(name[name.index(after: $0)...]).lowercased() }
            if let ext, let format = Format(rawValue: ext) {
                self = format
                return
            }
            let hint: String?
            switch ext {
            case "pt", "pth", "bin", "ckpt", "pkl", "pickle":
                hint = "a PyTorch checkpoint: read it with TorchArchive.load (torch.load in the language)"
            case "tsv", "dat":
                hint = "for a numeric text table, name the file .txt or .csv"
            default:
                hint = nil
            }
            let shown = ext.map { "extension '.\($0)'" } ?? "a name without an extension"
            throw FileIO.error(path, "unsupported file type (\(shown)); supported: \(TensorFile.supportedExtensions)", hint: hint)
        }
    }

    /// Reads the tensor file at `path`; the extension chooses the format.
    ///
    /// ```swift
    /// switch try TensorFile.load(path: "model.npz") {
    /// case .tensor(let t): print(t.shape)
    /// case .dict(let pairs): print(pairs.map(\.0))   // ["w", "b"]
    /// }
    /// ```
    public static func load(path: String) throws -> TensorFileContents {
        let format = try Format(path: path)
        return try decode(try FileIO.read(path: path), format: format, path: path)
    }

    /// Decodes a file's bytes in `format` (`path` names the file in errors). Untrusted bytes give
    /// an error, never a crash (the fuzzing harness `jacobi-fuzz` checks it).
    ///
    /// ```swift
    /// let contents = try TensorFile.decode(bytes, format: .npy, path: "x.npy")
    /// ```
    public static func decode(_ bytes: [UInt8], format: Format, path: String) throws -> TensorFileContents {
        switch format {
        case .npy: return .tensor(try NPY.decode(bytes, path: path))
        case .npz: return .dict(try NPZ.decode(bytes, path: path))
        case .safetensors: return .dict(try SafeTensors.decode(bytes, path: path))
        case .csv, .txt: return .tensor(try DelimitedText.decode(bytes, path: path))
        }
    }

    /// Writes `contents` to `path` atomically; the extension chooses the format. `.npy`, `.csv`
    /// and `.txt` take a `.tensor`; `.npz` and `.safetensors` take a `.dict`.
    ///
    /// ```swift
    /// try TensorFile.save(.tensor(x), path: "x.npy")
    /// try TensorFile.save(.dict([("tensor", x)]), path: "x.safetensors")
    /// ```
    public static func save(_ contents: TensorFileContents, path: String) throws {
        let format = try Format(path: path)
        let bytes: [UInt8]
        switch (format, contents) {
        case (.npy, .tensor(let t)):
            try NPY.checkWritable(t, path: path)
            bytes = NPY.encode(t)
        case (.csv, .tensor(let t)):
            bytes = try DelimitedText.encode(t, separator: ",", path: path)
        case (.txt, .tensor(let t)):
            bytes = try DelimitedText.encode(t, separator: " ", path: path)
        case (.npz, .dict(let pairs)):
            bytes = try NPZ.encode(pairs, path: path)
        case (.safetensors, .dict(let pairs)):
            bytes = try SafeTensors.encode(pairs, path: path)
        case (.npy, .dict(let pairs)), (.csv, .dict(let pairs)), (.txt, .dict(let pairs)):
            throw FileIO.error(path, "a .\(format.rawValue) file holds one tensor, not a dict of \(pairs.count)",
                               hint: "save the dict as .npz or .safetensors, or save one of its tensors")
        case (.npz, .tensor), (.safetensors, .tensor):
            throw FileIO.error(path, "a .\(format.rawValue) file holds named tensors: pass a dict",
                               hint: "to store one tensor, pass a dict such as {'tensor': x}, or save it as .npy")
        }
        try FileIO.writeAtomically(bytes, path: path)
    }

    /// Checks the names of tensors to write: non-empty, unique, and not `reserved`.
    ///
    /// ```swift
    /// try TensorFile.checkNames(["w", "w"], path: "m.npz", reserved: nil)   // throws: 'w' appears twice
    /// ```
    static func checkNames(_ names: [String], path: String, reserved: String?) throws {
        var seen = Set<String>()
        for name in names {
            if name.isEmpty { throw FileIO.error(path, "cannot write a tensor with an empty name") }
            if name == reserved { throw FileIO.error(path, "'\(name)' is reserved and cannot name a tensor") }
            if !seen.insert(name).inserted { throw FileIO.error(path, "cannot write two tensors named '\(name)'") }
        }
    }
}
