import Tensor
/// NumPy's `.npz` format: a ZIP archive of `.npy` files, one per array, named `<key>.npy`.
/// `np.savez` stores them uncompressed and `np.savez_compressed` with DEFLATE; both read.
/// Writing stores them uncompressed, as `np.savez` does.
///
/// ```swift
/// let bytes = try NPZ.encode([("w", w), ("b", b)], path: "model.npz")
/// let pairs = try NPZ.decode(bytes, path: "model.npz")   // [("w", w), ("b", b)]
/// ```
enum NPZ {
    /// The arrays of the archive in `bytes`, keyed by entry name without `.npy`, in archive order.
    ///
    /// ```swift
    /// let pairs = try NPZ.decode(FileIO.read(path: "model.npz"), path: "model.npz")
    /// ```
    static func decode(_ bytes: [UInt8], path: String) throws -> [(String, Tensor)] {
        let entries = try Zip.entries(in: bytes, path: path)
        var result: [(String, Tensor)] = []
        var seen = Set<String>()
        for entry in entries {
            guard entry.name.hasSuffix(".npy"), entry.name.count > 4 else {
                let hint = entry.name.hasSuffix("data.pkl") || entry.name.hasSuffix("/version")
                    ? "this looks like a torch.save checkpoint; " + NPY.torchSaveAdvice
                    : "np.savez and np.savez_compressed write one '<key>.npy' entry per array"
                throw FileIO.error(path, "entry '\(entry.name)' is not a .npy file; .npz archives hold only .npy entries",
                                   hint: hint)
            }
            let key = String(entry.name.dropLast(4))
            guard seen.insert(key).inserted else {
                throw FileIO.error(path, "invalid .npz archive: entry '\(entry.name)' appears more than once")
            }
            let data = try Zip.contents(of: entry, in: bytes, path: path)
            result.append((key, try NPY.decode(data, path: "\(path) (entry '\(entry.name)')")))
        }
        return result
    }

    /// The bytes of an uncompressed archive holding `items` as `<key>.npy` entries, in order.
    ///
    /// ```swift
    /// let bytes = try NPZ.encode([("x", x)], path: "x.npz")   // np.load gives {'x': ...}
    /// ```
    static func encode(_ items: [(String, Tensor)], path: String, limits: Zip.Limits = Zip.Limits()) throws -> [UInt8] {
        try TensorFile.checkNames(items.map(\.0), path: path, reserved: nil)
        for (name, tensor) in items { try NPY.checkWritable(tensor, path: path, name: name) }
        return Zip.archive(items.map { (name: $0.0 + ".npy", data: NPY.encode($0.1)) }, limits: limits)
    }
}
