import Tensor
import AD
import BigInt
#if canImport(Glibc)
import Glibc
#endif

// Python's standard modules that PyTorch users import: sys, time, os, warnings, typing,
// __future__, abc, contextlib (and, in their own files, math, operator, functools, itertools,
// collections, copy, random).

extension Interpreter {
    var pythonModuleBuilders: [String: (Interpreter) -> Namespace] {
        [
            "sys": { $0.makeSysModule() },
            "time": { $0.makeTimeModule() },
            "os": { $0.makeOSModule() },
            "os.path": { $0.makeOSPathModule() },
            "warnings": { $0.makeWarningsModule() },
            "typing": { $0.makeTypingModule() },
            "__future__": { _ in Namespace(name: "__future__") { _, n in .string(n) } },
            "abc": { $0.makeABCModule() },
            "contextlib": { $0.makeContextlibModule() },
            "math": { $0.makeMathModule() },
            "operator": { $0.makeOperatorModule() },
            "functools": { $0.makeFunctoolsModule() },
            "itertools": { $0.makeItertoolsModule() },
            "collections": { $0.makeCollectionsModule() },
            "collections.abc": { $0.makeCollectionsABCModule() },
            "copy": { $0.makeCopyModule() },
            "random": { $0.makeRandomModule() },
        ]
    }

    // MARK: - sys

    private func makeSysModule() -> Namespace {
        let versionInfo = makeNamedTupleType(name: "version_info", moduleName: "sys", fields: ["major", "minor", "micro", "releaselevel", "serial"],
                                             structseq: false)
        return Namespace(name: "sys", attributes: [
            ("argv", .list(argv.map { .string($0) })),
            ("version_info", namedTuple(versionInfo, [.int(3), .int(11), .int(0), .string("final"), .int(0)])),
            ("version", .string("3.11.0 (Jacobi, a Python subset for PyTorch users)")),
            ("platform", .string("linux")),
            ("byteorder", .string("little")),
            ("maxsize", .int(Int.max)),
            ("executable", .string("jacobi")),
            ("path", .list([])),
            ("stdout", .instance(Instance(cls: BuiltinTypes.standardStream, payload: StandardStream(isError: false)))),
            ("stderr", .instance(Instance(cls: BuiltinTypes.standardStream, payload: StandardStream(isError: true)))),
            ("exit", function("exit", ["status=None", "/"]) { a in
                throw PythonError(.SystemExit, arguments: a.value("status")!.isNone ? [] : [a.value("status")!])
            }),
            ("getrecursionlimit", function("getrecursionlimit", []) { a in .int(a.interpreter.recursionLimit) }),
            ("setrecursionlimit", function("setrecursionlimit", ["limit", "/"]) { a in
                let n = try a.int("limit")
                guard n >= 1 else { throw PythonError(.ValueError, "recursion limit must be greater or equal than 1") }
                a.interpreter.recursionLimit = n
                return .none
            }),
            ("modules", .dict(DictObject(strings: modules.keys.sorted().map { ($0, .namespace(modules[$0]!)) }))),
        ])
    }

    // MARK: - time

    private func makeTimeModule() -> Namespace {
        Namespace(name: "time", attributes: [
            ("time", function("time", []) { _ in
                var ts = timespec()
                clock_gettime(CLOCK_REALTIME, &ts)
                return .float(Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9)
            }),
            ("perf_counter", function("perf_counter", []) { _ in .float(now()) }),
            ("monotonic", function("monotonic", []) { _ in .float(now()) }),
            ("perf_counter_ns", function("perf_counter_ns", []) { _ in .int(Int(now() * 1e9)) }),
            ("time_ns", function("time_ns", []) { _ in
                var ts = timespec()
                clock_gettime(CLOCK_REALTIME, &ts)
                return .int(Int(ts.tv_sec) * 1_000_000_000 + Int(ts.tv_nsec))
            }),
            ("process_time", function("process_time", []) { _ in
                var ts = timespec()
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
                return .float(Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9)
            }),
            ("sleep", function("sleep", ["secs", "/"]) { a in
                var remaining = try a.double("secs")
                guard remaining >= 0 else { throw PythonError(.ValueError, "sleep length must be non-negative") }
                if a.interpreter.sandboxDirectory != nil { return .none }
                while remaining > 0 {
                    if a.interpreter.shouldStop() { throw PythonError(.KeyboardInterrupt, arguments: []) }
                    let step = min(remaining, 0.05)
                    usleep(UInt32(step * 1e6))
                    remaining -= step
                }
                return .none
            }),
        ])
    }

    // MARK: - os

    private func makeOSModule() -> Namespace {
        var environment: [(String, Value)] = []
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") { environment.append((String(text[..<eq]), .string(String(text[text.index(after: eq)...])))) }
            p += 1
        }
        environment.sort { $0.0 < $1.0 }
        func pathArgument(_ a: BoundArguments) throws -> String { try a.string("path") }
        return Namespace(name: "os", attributes: [
            ("environ", .dict(DictObject(strings: environment))),
            ("sep", .string("/")),
            ("name", .string("posix")),
            ("getcwd", function("getcwd", []) { _ in
                var buffer = [CChar](repeating: 0, count: 4096)
                return .string(getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : ".")
            }),
            ("getenv", function("getenv", ["key", "default=None"]) { a in
                guard let v = getenv(try a.string("key")) else { return a.value("default")! }
                return .string(String(cString: v))
            }),
            ("listdir", function("listdir", ["path='.'"]) { a in
                let path = try pathArgument(a)
                guard let dir = opendir(path) else {
                    throw PythonError(.FileNotFoundError, arguments: [.int(2), .string("No such file or directory")])
                }
                defer { closedir(dir) }
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                    if name != "." && name != ".." { names.append(name) }
                }
                return .list(names.sorted().map { .string($0) })
            }),
            ("remove", function("remove", ["path"]) { a in
                let path = try pathArgument(a)
                try a.interpreter.checkWritable(path)
                guard unlink(path) == 0 else {
                    throw PythonError(.FileNotFoundError, arguments: [.int(2), .string("No such file or directory")])
                }
                return .none
            }),
            ("makedirs", function("makedirs", ["name", "mode=511", "exist_ok=False"]) { a in
                let path = try a.string("name")
                try a.interpreter.checkWritable(path)
                var current = path.hasPrefix("/") ? "/" : ""
                for part in path.split(separator: "/") {
                    current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
                    if mkdir(current, 0o755) != 0 && errno != EEXIST {
                        throw PythonError(.OSError, "could not create \(current)")
                    }
                }
                _ = try a.bool("exist_ok")
                return .none
            }),
        ], resolve: { interp, n in n == "path" ? interp.module(named: "os.path").map { .namespace($0) } : nil })
    }

    private func makeOSPathModule() -> Namespace {
        func exists(_ p: String, directory: Bool?) -> Bool {
            var st = stat()
            guard stat(p, &st) == 0 else { return false }
            guard let directory else { return true }
            return ((st.st_mode & S_IFMT) == S_IFDIR) == directory
        }
        return Namespace(name: "os.path", attributes: [
            ("exists", function("exists", ["path"]) { a in .bool(exists(try a.string("path"), directory: nil)) }),
            ("isfile", function("isfile", ["path"]) { a in .bool(exists(try a.string("path"), directory: false)) }),
            ("isdir", function("isdir", ["path"]) { a in .bool(exists(try a.string("path"), directory: true)) }),
            ("join", function("join", ["a", "*p"]) { a in
                var path = try a.string("a")
                for part in a.rest {
                    guard case .string(let s) = part else { throw PythonError(.TypeError, "join() arguments must be str") }
                    path = s.hasPrefix("/") ? s : (path.isEmpty || path.hasSuffix("/") ? path + s : path + "/" + s)
                }
                return .string(path)
            }),
            ("basename", function("basename", ["p"]) { a in .string(String(try a.string("p").split(separator: "/", omittingEmptySubsequences: false).last ?? "")) }),
            ("dirname", function("dirname", ["p"]) { a in
                let p = try a.string("p")
                guard let slash = p.lastIndex(of: "/") else { return .string("") }
                return .string(slash == p.startIndex ? "/" : String(p[..<slash]))
            }),
            ("splitext", function("splitext", ["p"]) { a in
                let p = try a.string("p")
                let base = p.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
                guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return .tuple([.string(p), .string("")]) }
                let ext = String(base[dot...])
                return .tuple([.string(String(p.dropLast(ext.count))), .string(ext)])
            }),
            ("abspath", function("abspath", ["path"]) { a in
                let p = try a.string("path")
                if p.hasPrefix("/") { return .string(p) }
                var buffer = [CChar](repeating: 0, count: 4096)
                let cwd = getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : ""
                return .string(cwd + "/" + p)
            }),
        ])
    }

    // MARK: - warnings

    private func makeWarningsModule() -> Namespace {
        let noop: ([String]) -> (String) -> Value = { params in { name in self.function(name, params) { _ in .none } } }
        return Namespace(name: "warnings", attributes: [
            ("warn", function("warn", ["message", "category=None", "stacklevel=1", "source=None"]) { a in
                let message = try a.interpreter.strOf(a.value("message")!)
                var category = "UserWarning"
                if case .type(let t)? = a.value("category") { category = t.name }
                if case .instance(let i)? = a.value("message") { category = i.cls.name }
                a.interpreter.errorOutput("\(category): \(message)\n")
                return .none
            }),
            ("filterwarnings", noop(["action", "message=''", "category=None", "module=''", "lineno=0", "append=False"])("filterwarnings")),
            ("simplefilter", noop(["action", "category=None", "lineno=0", "append=False"])("simplefilter")),
            ("resetwarnings", noop([])("resetwarnings")),
            ("catch_warnings", function("catch_warnings", ["*args", "**kwargs"]) { a in
                .instance(Instance(cls: BuiltinTypes.contextManager, payload: ContextPayload(enter: { _ in .list([]) }, exit: { _, _ in false })))
            }),
        ])
    }

    // MARK: - typing, abc, contextlib

    private func makeTypingModule() -> Namespace {
        let forms = ["Any", "List", "Dict", "Tuple", "Optional", "Union", "Callable", "Sequence", "Iterable", "Iterator",
                     "Mapping", "Set", "FrozenSet", "Type", "Literal", "Final", "ClassVar", "Generator", "Annotated",
                     "MutableMapping", "MutableSequence", "Hashable", "Sized", "NoReturn"]
        var attrs: [(String, Value)] = forms.map { ($0, .type(TypeObject(name: $0, moduleName: "typing", base: BuiltinTypes.object, slots: BuiltinTypes.type.slots))) }
        attrs += [
            ("TYPE_CHECKING", .bool(false)),
            ("cast", function("cast", ["typ", "val"]) { a in a.value("val")! }),
            ("TypeVar", function("TypeVar", ["name", "*constraints", "**kwargs"]) { a in .string(try a.string("name")) }),
            ("overload", function("overload", ["func"]) { a in a.value("func")! }),
            ("no_type_check", function("no_type_check", ["arg"]) { a in a.value("arg")! }),
            ("NamedTuple", .type(BuiltinTypes.tuple)),
        ]
        return Namespace(name: "typing", attributes: attrs)
    }

    private func makeABCModule() -> Namespace {
        let abc = TypeObject(name: "ABC", moduleName: "abc", base: BuiltinTypes.object, slots: BuiltinTypes.userClassSlots(inheriting: BuiltinTypes.object.slots),
                             isUserDefined: true)
        return Namespace(name: "abc", attributes: [
            ("ABC", .type(abc)),
            ("abstractmethod", function("abstractmethod", ["funcobj"]) { a in a.value("funcobj")! }),
        ])
    }

    private func makeContextlibModule() -> Namespace {
        Namespace(name: "contextlib", attributes: [
            ("nullcontext", function("nullcontext", ["enter_result=None"]) { a in
                let v = a.value("enter_result")!
                return .instance(Instance(cls: BuiltinTypes.contextManager, payload: ContextPayload(enter: { _ in v }, exit: { _, _ in false })))
            }),
            ("suppress", function("suppress", ["*exceptions"]) { a in
                let kinds = a.rest
                return .instance(Instance(cls: BuiltinTypes.contextManager, payload: ContextPayload(enter: { _ in .none }, exit: { interp, e in
                    guard let e else { return false }
                    return kinds.contains { k in
                        guard case .type(let t) = k else { return false }
                        return e.exception.cls.isSubtype(of: t)
                    }
                })))
            }),
            ("contextmanager", function("contextmanager", ["func"]) { _ in
                throw PythonError(.NotImplementedError, "contextlib.contextmanager needs generator functions (yield), which Jacobi does not support",
                                  hint: "write a class with __enter__ and __exit__ instead")
            }),
        ])
    }

    private func makeCollectionsABCModule() -> Namespace {
        func abstract(_ name: String, _ check: @escaping (TypeObject) -> Bool) -> (String, Value) {
            let t = TypeObject(name: name, moduleName: "collections.abc", base: BuiltinTypes.object)
            t.subclassCheck = check
            return (name, .type(t))
        }
        return Namespace(name: "collections.abc", attributes: [
            abstract("Iterable") { $0.slots.iterate != nil || $0.lookup("__iter__") != nil },
            abstract("Sized") { $0.slots.length != nil || $0.lookup("__len__") != nil },
            abstract("Container") { $0.slots.contains != nil || $0.lookup("__contains__") != nil },
            abstract("Callable") { $0.slots.call != nil || $0.lookup("__call__") != nil },
            abstract("Sequence") { $0.isSubtype(of: BuiltinTypes.list) || $0.isSubtype(of: BuiltinTypes.tuple) || $0.isSubtype(of: BuiltinTypes.str) || $0 === BuiltinTypes.range },
            abstract("Mapping") { $0.isSubtype(of: BuiltinTypes.dict) },
        ])
    }
}
