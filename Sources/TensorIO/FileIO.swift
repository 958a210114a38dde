import Tensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with POSIX calls, and the error every format throws for
/// a bad file: the message starts with the file's path.
///
/// ```swift
/// let bytes = try FileIO.read(path: "w.npy")
/// try FileIO.writeAtomically(bytes, path: "copy.npy")   // temporary file + rename
/// ```
enum FileIO {
    /// An error about the file at `path`: `"<path>: <message>"`.
    ///
    /// ```swift
    /// throw FileIO.error("w.npy", "not a .npy file")   // "w.npy: not a .npy file"
    /// ```
    static func error(_ path: String, _ message: String, hint: String? = nil) -> TensorError {
        TensorError("\(path): \(message)", hint: hint)
    }

    /// The text of the C library's message for an `errno` value, e.g. "Permission denied".
    ///
    /// ```swift
    /// FileIO.describe(errno: ENOENT)   // "No such file or directory"
    /// ```
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Every byte of the file at `path`.
    ///
    /// ```swift
    /// let bytes = try FileIO.read(path: "w.npy")   // FileNotFoundError when missing
    /// ```
    static func read(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT {
                let cwd = currentDirectory()
                throw TensorError("[Errno 2] No such file or directory: '\(path)'",
                                  hint: path.hasPrefix("/") || cwd == nil ? nil : "relative paths start from \(cwd!)",
                                  kind: .fileNotFound)
            }
            throw error(path, "cannot open: \(describe(errno: code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error(path, "cannot read: \(describe(errno: errno))") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw error(path, "is a directory, not a file") }
        try MemoryBudget.check(bytes: Int(info.st_size), what: "loading \(path)")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        // Megabyte reads for large files; a small file's one read (and the one that finds its end)
        // without zeroing and faulting in a megabyte for it (seven small .npy files at start
        // spent a millisecond there).
        var chunk = [UInt8](repeating: 0, count: min(1 << 20, max(Int(info.st_size) + 1, 4096)))
        while true {
            try Cancellation.check()  // Ctrl-C between megabytes of a large file
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(path, "cannot read: \(describe(errno: errno))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Writes `bytes` to `path` atomically: into a new temporary file in the same directory,
    /// flushed to disk, then renamed over `path` (or over the file a symbolic link at `path`
    /// points to). A failed write leaves `path` as it was.
    ///
    /// ```swift
    /// try FileIO.writeAtomically(Array("1,2\n".utf8), path: "x.csv")
    /// ```
    static func writeAtomically(_ bytes: [UInt8], path: String) throws {
        // Through a symbolic link, as np.save writes: replace the file it points to.
        var target = path
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        let slash = target.lastIndex(of: "/")
        let prefix = slash.map { String(target[...$0]) } ?? ""
        let directory = prefix.isEmpty ? "." : prefix == "/" ? "/" : String(prefix.dropLast())
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        guard !name.isEmpty else { throw error(path, "cannot write: the path names a directory") }
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            temporary = prefix + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 {
            let code = errno
            let reason = code == ENOENT ? "directory '\(directory)' does not exist" : describe(errno: code)
            throw error(path, "cannot write: \(reason)")
        }
        func fail(_ what: String, _ code: Int32) -> TensorError {
            close(fd)
            unlink(temporary)
            return error(path, "cannot write: \(what): \(describe(errno: code))")
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                posixWrite(fd, raw.baseAddress! + written, Swift.min(raw.count - written, 1 << 30))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write failed", errno)
            }
            written += n
        }
        if fsync(fd) != 0 { throw fail("flushing to disk failed", errno) }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw error(path, "cannot write: \(describe(errno: code))")
        }
        if rename(temporary, target) != 0 {
            let code = errno
            unlink(temporary)
            throw error(path, "cannot write: \(describe(errno: code))")
        }
    }

    private static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(cString: buffer)
    }
}

// Inside `FileIO`, `read` names `FileIO.read(path:)`; these file-level wrappers
// reach the C calls.
@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
