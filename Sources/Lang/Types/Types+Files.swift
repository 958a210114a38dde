import Tensor
#if canImport(Glibc)
import Glibc
#endif

// Text files from `open()`: read, readline(s), iteration, write; `with open(...) as f`.
// Files written are written whole on close, to a temporary name renamed over the target, so a
// crash never leaves half a file.

/// An open text file.
final class FilePayload {
    let path: String
    let mode: String
    var lines: [String] = []
    var position = 0
    var text = ""
    var written = ""
    var closed = false

    init(path: String, mode: String) { self.path = path; self.mode = mode }

    var isReadable: Bool { mode.contains("r") || mode.contains("+") }
    var isWritable: Bool { mode.contains("w") || mode.contains("a") || mode.contains("x") || mode.contains("+") }
}

private func file(_ v: Value) throws -> FilePayload {
    guard case .instance(let i) = v, let f = i.payload as? FilePayload else {
        throw PythonError(.TypeError, "expected a file object")
    }
    return f
}

private func openFile(_ f: FilePayload) throws -> FilePayload {
    guard !f.closed else { throw PythonError(.ValueError, "I/O operation on closed file.") }
    return f
}

func makeFileType() -> TypeObject {
    var s = Slots()
    s.repr = { _, v in
        guard let f = try? file(v) else { return "" }
        return "<_io.TextIOWrapper name='\(f.path)' mode='\(f.mode)' encoding='UTF-8'>"
    }
    s.iterate = { _, v in
        let f = try openFile(try file(v))
        return PyIterator {
            guard f.position < f.lines.count else { return nil }
            defer { f.position += 1 }
            return .string(f.lines[f.position])
        }
    }
    s.enter = { _, v in v }
    s.exit = { interp, v, _ in
        try interp.closeFile(try file(v))
        return false
    }
    s.getAttribute = { _, v, name in
        guard let f = try? file(v) else { return nil }
        switch name {
        case "name": return .string(f.path)
        case "mode": return .string(f.mode)
        case "closed": return .bool(f.closed)
        case "encoding": return .string("UTF-8")
        default: return nil
        }
    }
    let t = TypeObject(name: "TextIOWrapper", moduleName: "_io", base: BuiltinTypes.object, slots: s)
    t.method("read", ["size=-1", "/"]) { a in
        let f = try openFile(try file(a.value("self")!))
        guard f.isReadable else { throw PythonError(.OSError, "not readable") }
        let rest = f.lines[f.position...].joined()
        f.position = f.lines.count
        return .string(rest)
    }
    t.method("readline", ["size=-1", "/"]) { a in
        let f = try openFile(try file(a.value("self")!))
        guard f.position < f.lines.count else { return .string("") }
        defer { f.position += 1 }
        return .string(f.lines[f.position])
    }
    t.method("readlines", ["hint=-1", "/"]) { a in
        let f = try openFile(try file(a.value("self")!))
        defer { f.position = f.lines.count }
        return .list(f.lines[f.position...].map { .string($0) })
    }
    t.method("write", ["s", "/"]) { a in
        let f = try openFile(try file(a.value("self")!))
        guard f.isWritable else { throw PythonError(.OSError, "not writable") }
        let text = try a.string("s")
        f.written += text
        return .int(text.unicodeScalars.count)
    }
    t.method("writelines", ["lines", "/"]) { a in
        let f = try openFile(try file(a.value("self")!))
        for v in try a.interpreter.collect(a.value("lines")!, range: a.range) {
            guard case .string(let text) = v else { throw PythonError(.TypeError, "write() argument must be str, not \(v.pyType.name)") }
            f.written += text
        }
        return .none
    }
    t.method("flush", []) { _ in .none }
    t.method("close", []) { a in
        try a.interpreter.closeFile(try file(a.value("self")!))
        return .none
    }
    return t
}

extension Interpreter {
    /// `open(file, mode='r', encoding=None)` for text files.
    func openTextFile(_ path: String, mode: String, range: SourceRange?) throws -> Value {
        guard !mode.contains("b") else {
            throw PythonError(.NotImplementedError, "binary files are not supported by open() in Jacobi", at: range,
                              hint: "use load()/save() for tensors, or open the file in text mode")
        }
        let f = FilePayload(path: path, mode: mode)
        if f.isWritable { try checkWritable(path) }
        if mode.contains("r") || mode.contains("a") || mode.contains("+") {
            var st = stat()
            let exists = stat(path, &st) == 0
            if exists && (st.st_mode & S_IFMT) == S_IFDIR {
                throw PythonError(.IsADirectoryError, arguments: [.int(21), .string("Is a directory")], at: range)
            }
            if !exists && mode.contains("r") {
                let e = PythonError(.FileNotFoundError, arguments: [.int(2), .string("No such file or directory")], at: range)
                e.exception.setAttribute("filename", .string(path))
                throw e
            }
            if exists {
                guard let text = readWholeFile(path) else {
                    throw PythonError(.PermissionError, arguments: [.int(13), .string("Permission denied")], at: range)
                }
                try checkAllocation(bytes: text.utf8.count, what: "reading \(path)")
                f.text = text
                if mode.contains("a") { f.written = text } else { f.lines = splitLinesKeepingEnds(text) }
            }
        }
        if mode.contains("x") {
            var st = stat()
            if stat(path, &st) == 0 { throw PythonError(.FileExistsError, arguments: [.int(17), .string("File exists")], at: range) }
        }
        if f.isWritable, access(parentDirectory(path), W_OK) != 0 {
            throw PythonError(.PermissionError, arguments: [.int(13), .string("Permission denied")], at: range)
        }
        return .instance(Instance(cls: BuiltinTypes.file, payload: f))
    }

    /// Closes a file, writing what was written (atomically: a temporary file renamed).
    func closeFile(_ f: FilePayload) throws {
        guard !f.closed else { return }
        f.closed = true
        guard f.isWritable else { return }
        guard writeFileAtomically(f.path, f.written) else {
            throw PythonError(.OSError, "could not write \(f.path)")
        }
    }
}

private func splitLinesKeepingEnds(_ text: String) -> [String] {
    var lines: [String] = []
    var current = ""
    for c in text.unicodeScalars {
        current.unicodeScalars.append(c)
        if c == "\n" { lines.append(current); current = "" }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

private func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// The whole text of a file, or nil.
func readWholeFile(_ path: String) -> String? {
    guard let fp = fopen(path, "r") else { return nil }
    defer { fclose(fp) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, fp)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes a file atomically: a temporary file in the same folder, renamed over the target.
func writeFileAtomically(_ path: String, _ text: String) -> Bool {
    let tmp = path + ".tmp-\(getpid())"
    guard let fp = fopen(tmp, "w") else { return false }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, fp)
    let closed = fclose(fp) == 0
    guard written == bytes.count && closed else { unlink(tmp); return false }
    return rename(tmp, path) == 0
}
