import Tensor
import AD

// Functions, builtins and bound methods.

func makeFunctionType(name: String) -> TypeObject {
    var s = Slots()
    s.call = { interp, v, args in
        guard case .function(let f) = v else { return .none }
        return try interp.callFunction(f, args)
    }
    s.getAttribute = { interp, v, attr in
        guard case .function(let f) = v else { return nil }
        if let own = f.attributes[attr] { return own }
        switch attr {
        case "__name__": return .string(f.name)
        case "__qualname__": return .string(f.qualname)
        case "__module__": return .string("__main__")
        case "__doc__":
            switch f.body {
            case .user(let code): return code.docstring.map { .string($0) } ?? Value.none
            case .builtin(let b): return .string(b.summary + (b.doc.isEmpty ? "" : "\n\n" + b.doc))
            case .native, .bound: return Value.none
            }
        case "__self__":
            if case .bound(_, let receiver) = f.body { return receiver }
            return nil
        case "__func__":
            if case .bound(let callee, _) = f.body { return callee }
            return nil
        case "__defaults__":
            guard case .user(let code) = f.body else { return nil }
            let defaults = code.signature.parameters.filter { $0.kind == .positionalOrKeyword || $0.kind == .positionalOnly }.compactMap(\.defaultValue)
            return defaults.isEmpty ? Value.none : .tuple(defaults)
        case "__wrapped__":
            return nil
        default:
            // A bound method reads the attributes of its function.
            if case .bound(let callee, _) = f.body { return try interp.getAttributeIfPresent(callee, attr) }
            return nil
        }
    }
    s.setAttribute = { _, v, attr, value in
        guard case .function(let f) = v else { return }
        switch attr {
        case "__name__":
            guard case .string(let n)? = value else { throw PythonError(.TypeError, "__name__ must be set to a string object") }
            f.name = n
        case "__qualname__":
            guard case .string(let n)? = value else { throw PythonError(.TypeError, "__qualname__ must be set to a string object") }
            f.qualname = n
        default:
            f.attributes[attr] = value
        }
    }
    s.repr = { interp, v in
        guard case .function(let f) = v else { return "" }
        switch f.body {
        case .user: return "<function \(f.qualname) at \(interp.address(of: v))>"
        case .builtin(let b): return "<built-in function \(b.name)>"
        case .native: return f.summary.map { "<function \($0)>" } ?? "<built-in function \(f.name)>"
        case .bound(let callee, let receiver):
            var calleeName = f.name
            if case .function(let g) = callee { calleeName = g.qualname }
            if case .function(let g) = callee, case .builtin = g.body {
                return "<built-in method \(f.name) of \(receiver.pyType.name) object at \(interp.address(of: receiver))>"
            }
            return "<bound method \(calleeName) of \(try interp.reprOf(receiver))>"
        }
    }
    s.attributeNames = { _, v in
        guard case .function(let f) = v else { return [] }
        return ["__name__", "__qualname__", "__doc__", "__module__"] + f.attributes.keys.sorted()
    }
    return TypeObject(name: name, base: BuiltinTypes.object, slots: s)
}
