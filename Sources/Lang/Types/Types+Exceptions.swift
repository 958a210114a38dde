import Tensor
import AD

// The builtin exception classes: `args`, `str(e)`, `repr(e)`, `__cause__`/`__context__`, and
// `BaseException.__init__` for user subclasses.

func makeExceptionType(_ kind: ExceptionKind, base: TypeObject) -> TypeObject {
    func arguments(_ v: Value) -> [Value] {
        if case .instance(let i) = v, case .tuple(let a)? = i.attributes["args"] { return a }
        return []
    }
    var s = BuiltinTypes.object.slots
    s.getAttribute = { _, v, name in
        guard case .instance(let i) = v else { return nil }
        if let own = i.attributes[name] { return own }
        switch name {
        case "args": return .tuple([])
        case "__cause__", "__context__", "__traceback__": return Value.none
        case "__suppress_context__": return .bool(false)
        case "__class__": return .type(i.cls)
        case "code" where i.cls.isSubtype(of: BuiltinTypes.exception(.SystemExit)):
            return arguments(v).first ?? Value.none
        case "value" where i.cls.isSubtype(of: BuiltinTypes.exception(.StopIteration)):
            return arguments(v).first ?? Value.none
        case let field where ["errno", "strerror", "filename", "filename2"].contains(field)
                          && i.cls.isSubtype(of: BuiltinTypes.exception(.OSError)):
            // OSError(errno, strerror[, filename[, winerror[, filename2]]]).
            let a = arguments(v)
            guard a.count >= 2 else { return Value.none }
            let index = ["errno": 0, "strerror": 1, "filename": 2, "filename2": 4][field]!
            return index < a.count ? a[index] : Value.none
        case let field where (field == "name" || field == "path") && i.cls.isSubtype(of: BuiltinTypes.exception(.ImportError)):
            return Value.none
        default: return nil
        }
    }
    s.setAttribute = { _, v, name, value in
        guard case .instance(let i) = v else { return }
        i.setAttribute(name, value)
    }
    s.str = { interp, v in
        let a = arguments(v)
        if case .instance(let i) = v, i.cls.isSubtype(of: BuiltinTypes.exception(.OSError)), a.count == 2, case .int(let errno) = a[0] {
            let filename = try i.attributes["filename"].map { ": " + (try interp.reprOf($0)) } ?? ""
            return "[Errno \(errno)] \(try interp.strOf(a[1]))" + filename
        }
        switch a.count {
        case 0: return ""
        case 1:
            if case .instance(let i) = v, i.cls.isSubtype(of: BuiltinTypes.exception(.KeyError)) { return try interp.reprOf(a[0]) }
            return try interp.strOf(a[0])
        default: return try interp.reprOf(.tuple(a))
        }
    }
    s.repr = { interp, v in
        let a = arguments(v)
        let inner = a.count == 1 ? try interp.reprOf(a[0]) : try a.map { try interp.reprOf($0) }.joined(separator: ", ")
        return "\(v.pyType.name)(\(inner))"
    }
    let t = TypeObject(name: kind.rawValue, base: base, slots: s) { _, cls, args in
        .instance(Instance(cls: cls, attributes: ["args": .tuple(args.positional)]))
    }
    if kind == .BaseException {
        t.method("__init__", ["*args", "**kwargs"]) { a in
            if case .instance(let i)? = a.value("self") { i.setAttribute("args", .tuple(a.rest)) }
            return .none
        }
        t.method("with_traceback", ["tb", "/"]) { a in a.value("self")! }
        t.method("add_note", ["note", "/"]) { a in
            if case .instance(let i)? = a.value("self") {
                var notes: [Value] = []
                if case .list(let l)? = i.attributes["__notes__"] { notes = l.items }
                i.setAttribute("__notes__", .list(notes + [a.value("note")!]))
            }
            return .none
        }
    }
    return t
}
