import Tensor
import AD
import BigInt
#if canImport(Glibc)
import Glibc
#endif

/// A documented Python builtin (shown by `:help python`).
struct PythonBuiltinDoc {
    let name: String
    /// Read when `:help` prints it, not at registration: a signature's spec is read at first use.
    let parameters: Signature
    let summary: String
    /// `print(*values, sep=' ', ...)`.
    var signature: String { parameters.text }
}

extension Interpreter {
    // MARK: - Python builtins

    /// Registers Python's builtins: functions, classes and exceptions, found by bare name after
    /// the session's variables and before Jacobi's torch builtins.
    func registerPythonBuiltins() {
        let types: [(String, TypeObject)] = [
            ("object", BuiltinTypes.object), ("type", BuiltinTypes.type), ("int", BuiltinTypes.int), ("bool", BuiltinTypes.bool),
            ("float", BuiltinTypes.float), ("str", BuiltinTypes.str), ("list", BuiltinTypes.list), ("tuple", BuiltinTypes.tuple),
            ("dict", BuiltinTypes.dict), ("set", BuiltinTypes.set), ("frozenset", BuiltinTypes.frozenset),
            ("range", BuiltinTypes.range), ("slice", BuiltinTypes.slice), ("property", BuiltinTypes.property),
            ("staticmethod", BuiltinTypes.staticMethod), ("classmethod", BuiltinTypes.classMethod), ("super", BuiltinTypes.superType),
        ]
        for (n, t) in types { pythonBuiltins[n] = .type(t) }
        for kind in ExceptionKind.allCases { pythonBuiltins[kind.rawValue] = .type(BuiltinTypes.exception(kind)) }
        pythonBuiltins["NotImplemented"] = BuiltinTypes.notImplemented
        pythonBuiltins["Ellipsis"] = .ellipsis
        pythonBuiltins["__debug__"] = .bool(true)

        builtin("print", ["*objects", "sep=' '", "end='\\n'", "file=None", "flush=False"], "print values") { a in
            let sep = a.has("sep") ? try a.string("sep") : " ", end = a.has("end") ? try a.string("end") : "\n"
            let text = try a.rest.map { try self.strOf($0) }.joined(separator: sep) + end
            try self.write(text, to: a.value("file")!)
            return .none
        }
        builtin("len", ["obj", "/"], "number of items") { a in .int(try self.length(a.value("obj")!, range: a.range)) }
        builtin("repr", ["obj", "/"], "printable representation") { a in .string(try self.reprOf(a.value("obj")!)) }
        builtin("ascii", ["obj", "/"], "repr with non-ASCII escaped") { a in
            .string(String(try self.reprOf(a.value("obj")!).unicodeScalars.map { $0.isASCII ? String($0) : String(format: $0.value > 0xFFFF ? "\\U%08x" : ($0.value > 0xFF ? "\\u%04x" : "\\x%02x"), $0.value) }.joined()))
        }
        builtin("format", ["value", "format_spec=''", "/"], "format a value, e.g. format(x, '.3e')") { a in
            .string(try self.format(a.value("value")!, try a.string("format_spec")))
        }
        builtin("isinstance", ["obj", "class_or_tuple", "/"], "whether obj's class is (or derives from) the class") { a in
            .bool(try self.isInstance(a.value("obj")!, a.value("class_or_tuple")!))
        }
        builtin("issubclass", ["cls", "class_or_tuple", "/"], "whether cls derives from the class") { a in
            guard case .type(let t) = a.value("cls")! else { throw PythonError(.TypeError, "issubclass() arg 1 must be a class") }
            return .bool(try self.classMatches(t, a.value("class_or_tuple")!, function: "issubclass"))
        }
        builtin("callable", ["obj", "/"], "whether obj can be called") { a in .bool(self.isCallable(a.value("obj")!)) }
        builtin("getattr", ["obj", "name", "*default"], "an attribute by name, or the default") { a in
            let name = try a.string("name")
            if let d = a.rest.first { return try self.getAttributeIfPresent(a.value("obj")!, name) ?? d }
            return try self.getAttribute(a.value("obj")!, name, range: a.range)
        }
        builtin("setattr", ["obj", "name", "value", "/"], "sets an attribute by name") { a in
            try self.setAttribute(a.value("obj")!, try a.string("name"), a.value("value")!, range: a.range)
            return .none
        }
        builtin("delattr", ["obj", "name", "/"], "deletes an attribute by name") { a in
            try self.setAttribute(a.value("obj")!, try a.string("name"), nil, range: a.range)
            return .none
        }
        builtin("hasattr", ["obj", "name", "/"], "whether the attribute exists") { a in
            do {
                return .bool(try self.getAttributeIfPresent(a.value("obj")!, try a.string("name")) != nil)
            } catch let e as PythonError where e.isInstance(of: .AttributeError) {
                return .bool(false)
            }
        }
        builtin("vars", ["obj", "/"], "an object's attributes as a dict") { a in
            try self.getAttribute(a.value("obj")!, "__dict__", range: a.range)
        }
        builtin("dir", ["*obj"], "names in scope, or an object's attributes") { a in
            guard let obj = a.rest.first else {
                return .list(self.currentScope.variables.keys.sorted().map { .string($0) })
            }
            var names = Set(self.attributeNames(of: obj))
            names.formUnion(obj.pyType.mro.flatMap(\.attributeOrder))
            return .list(names.sorted().map { .string($0) })
        }
        builtin("globals", [], "the global variables as a dict") { _ in
            .dict(DictObject(strings: self.globals.variables.keys.sorted().map { ($0, self.globals.variables[$0]!) }))
        }
        builtin("locals", [], "the local variables as a dict") { _ in
            .dict(DictObject(strings: self.currentScope.variables.keys.sorted().map { ($0, self.currentScope.variables[$0]!) }))
        }
        builtin("id", ["obj", "/"], "the object's identity") { a in
            .int(Int(self.address(of: a.value("obj")!).dropFirst(2), radix: 16) ?? 0)
        }
        builtin("hash", ["obj", "/"], "the hash of a hashable value") { a in
            .int(try self.pythonHash(a.value("obj")!))
        }
        builtin("iter", ["obj", "/"], "an iterator over obj") { a in
            let v = a.value("obj")!
            if case .instance(let i) = v, i.payload is PyIterator { return v }
            if v.pyType.isUserDefined, self.definesDunder(v.pyType, "__iter__") {
                let it = try self.callDunder(v, "__iter__", [])!
                if try self.getAttributeIfPresent(it, "__next__") != nil { return it }
            }
            return self.makeIterator(try self.iterator(v, range: a.range), typeName: self.iteratorName(v))
        }
        builtin("next", ["iterator", "*default"], "the next item of an iterator") { a in
            let v = a.value("iterator")!
            do {
                if case .instance(let i) = v, let it = i.payload as? PyIterator {
                    if let x = try it.next() { return x }
                    throw PythonError(.StopIteration, arguments: [])
                }
                guard let next = try self.getAttributeIfPresent(v, "__next__") else {
                    throw PythonError(.TypeError, "'\(v.pyType.name)' object is not an iterator")
                }
                return try self.call(next, CallArguments([], range: a.range), range: a.range)
            } catch let e as PythonError where e.isInstance(of: .StopIteration) {
                if let d = a.rest.first { return d }
                throw e
            }
        }
        builtin("enumerate", ["iterable", "start=0"], "(index, item) pairs") { a in
            let it = try self.iterator(a.value("iterable")!, range: a.range)
            var i = a.value("start")!
            return self.makeIterator(PyIterator {
                guard let x = try it.next() else { return nil }
                defer { i = (try? self.binaryOperation(.add, i, .int(1), range: nil)) ?? i }
                return .tuple([i, x])
            }, typeName: "enumerate")
        }
        builtin("zip", ["*iterables", "strict=False"], "tuples of corresponding items") { a in
            let its = try a.rest.map { try self.iterator($0, range: a.range) }
            let strict = try a.bool("strict")
            return self.makeIterator(PyIterator {
                guard !its.isEmpty else { return nil }
                var items: [Value] = []
                for (k, it) in its.enumerated() {
                    guard let x = try it.next() else {
                        let longer = try its.dropFirst().contains { try $0.next() != nil }
                        if strict && (k > 0 || longer) {
                            throw PythonError(.ValueError, "zip() argument \(k + 1) is shorter than argument 1")
                        }
                        return nil
                    }
                    items.append(x)
                }
                return .tuple(items)
            }, typeName: "zip")
        }
        builtin("map", ["function", "*iterables"], "f applied to the items") { a in
            let f = a.value("function")!
            let its = try a.rest.map { try self.iterator($0, range: a.range) }
            guard !its.isEmpty else { throw PythonError(.TypeError, "map() must have at least two arguments.") }
            return self.makeIterator(PyIterator {
                var items: [Value] = []
                for it in its { guard let x = try it.next() else { return nil }; items.append(x) }
                return try self.call(f, CallArguments(items, range: a.range), range: a.range)
            }, typeName: "map")
        }
        builtin("filter", ["function", "iterable", "/"], "the items for which f is true") { a in
            let f = a.value("function")!
            let it = try self.iterator(a.value("iterable")!, range: a.range)
            return self.makeIterator(PyIterator {
                while let x = try it.next() {
                    let keep = f.isNone ? x : try self.call(f, CallArguments([x], range: a.range), range: a.range)
                    if try self.truthy(keep, range: a.range) { return x }
                }
                return nil
            }, typeName: "filter")
        }
        builtin("reversed", ["sequence", "/"], "the items in reverse order") { a in
            let v = a.value("sequence")!
            if self.definesDunder(v.pyType, "__reversed__") { return try self.callDunder(v, "__reversed__", [])! }
            if case .dict = v { return self.makeIterator(PyIterator(try self.collect(v, range: a.range).reversed()), typeName: "dict_reversekeyiterator") }
            guard v.pyType.slots.getItem != nil, v.pyType.slots.length != nil else {
                throw PythonError(.TypeError, "'\(v.pyType.name)' object is not reversible")
            }
            return self.makeIterator(PyIterator(try self.collect(v, range: a.range).reversed()), typeName: "list_reverseiterator")
        }
        builtin("sorted", ["iterable", "/", "|key=None", "|reverse=False"], "a sorted list") { a in
            .list(try self.sorted(try self.collect(a.value("iterable")!, range: a.range), key: a.value("key")!, reverse: try a.bool("reverse")))
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            builtin(name, ["*args", "|key=None", "|default=None"], "the \(isMax ? "largest" : "smallest") item") { a in
                var items = a.rest
                if items.count == 1 { items = try self.collect(items[0], range: a.range) }
                else if items.isEmpty { throw PythonError(.TypeError, "\(name) expected at least 1 argument, got 0") }
                guard !items.isEmpty else {
                    if let d = a.slots[a.builtin.signature.index(of: "default")!] as Value?, a.keywordGiven("default") { return d }
                    throw PythonError(.ValueError, "\(name)() arg is an empty sequence")
                }
                let key = a.value("key")!
                var best = items[0]
                var bestKey = key.isNone ? best : try self.call(key, CallArguments([best]), range: a.range)
                for v in items.dropFirst() {
                    let k = key.isNone ? v : try self.call(key, CallArguments([v]), range: a.range)
                    if isMax ? try self.less(bestKey, k) : try self.less(k, bestKey) { best = v; bestKey = k }
                }
                return best
            }
        }
        builtin("sum", ["iterable", "/", "start=0"], "start plus the items") { a in
            var acc = a.value("start")!
            let it = try self.iterator(a.value("iterable")!, range: a.range)
            while let v = try it.next() { acc = try self.binaryOperation(.add, acc, v, range: a.range) }
            return acc
        }
        for (name, every) in [("any", false), ("all", true)] {
            builtin(name, ["iterable", "/"], every ? "whether every item is true" : "whether some item is true") { a in
                let it = try self.iterator(a.value("iterable")!, range: a.range)
                while let v = try it.next() {
                    if try self.truthy(v, range: a.range) != every { return .bool(!every) }
                }
                return .bool(every)
            }
        }
        builtin("abs", ["x", "/"], "absolute value") { a in
            let v = a.value("x")!
            switch v {
            case .int(let i): return i == Int.min ? .bigInt(-BigInt(i)) : .int(abs(i))
            case .bigInt(let b): return .integer(BigInt(b.magnitude))
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return .float(abs(d))
            case .tensor(let h): return .tensor(try h.value.unary(.abs))
            case .none, .string, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .slice,
                 .shape, .dtype, .ellipsis:
                if let r = try self.callDunder(v, "__abs__", []) { return r }
                throw PythonError(.TypeError, "bad operand type for abs(): '\(v.pyType.name)'")
            }
        }
        builtin("round", ["number", "ndigits=None"], "rounded to ndigits decimals (half to even)") { a in
            try self.pythonRoundValue(a.value("number")!, a.value("ndigits")!)
        }
        builtin("divmod", ["a", "b", "/"], "(a // b, a % b)") { a in
            .tuple([try self.binaryOperation(.floorDivide, a.value("a")!, a.value("b")!, range: a.range),
                    try self.binaryOperation(.modulo, a.value("a")!, a.value("b")!, range: a.range)])
        }
        builtin("pow", ["base", "exp", "mod=None"], "base ** exp") { a in
            let r = try self.binaryOperation(.power, a.value("base")!, a.value("exp")!, range: a.range)
            guard a.has("mod") else { return r }
            return try self.binaryOperation(.modulo, r, a.value("mod")!, range: a.range)
        }
        builtin("chr", ["i", "/"], "the character with this code point") { a in
            guard let s = Unicode.Scalar(UInt32(clamping: max(0, try a.int("i")))) else { throw PythonError(.ValueError, "chr() arg not in range(0x110000)") }
            return .string(String(s))
        }
        builtin("ord", ["c", "/"], "the code point of a character") { a in
            let s = try a.string("c")
            guard s.unicodeScalars.count == 1 else {
                throw PythonError(.TypeError, "ord() expected a character, but string of length \(s.unicodeScalars.count) found")
            }
            return .int(Int(s.unicodeScalars.first!.value))
        }
        for (name, spec) in [("hex", "#x"), ("oct", "#o"), ("bin", "#b")] {
            builtin(name, ["number", "/"], "an integer in base \(name)") { a in
                guard let n = Number(a.value("number")!)?.bigInt, Number(a.value("number")!).map({ if case .float = $0 { return false }; return true }) ?? false else {
                    throw PythonError(.TypeError, "'\(a.value("number")!.pyType.name)' object cannot be interpreted as an integer")
                }
                return .string(try formatInteger(n, spec))
            }
        }
        builtin("open", ["file", "mode='r'", "buffering=-1", "encoding=None", "errors=None", "newline=None"], "open a text file") { a in
            try self.openTextFile(try a.string("file"), mode: try a.string("mode"), range: a.range)
        }
        builtin("input", ["prompt=''", "/"], "a line from standard input") { a in
            self.output(try a.string("prompt"))
            guard self.sandboxDirectory == nil, let line = Swift.readLine() else { throw PythonError(.EOFError, "EOF when reading a line") }
            return .string(line)
        }
        builtin("eval", ["source", "globals=None", "locals=None", "/"], "the value of an expression") { a in
            try self.evalSource(try a.string("source"), globals: a.value("globals")!, mode: .eval, range: a.range)
        }
        builtin("exec", ["source", "globals=None", "locals=None", "/"], "run statements") { a in
            try self.evalSource(try a.string("source"), globals: a.value("globals")!, mode: .exec, range: a.range)
        }
        for name in ["exit", "quit"] {
            let f = Function(name: name, signature: Signature(name: name, spec: ["code=None"])) { a in
                throw PythonError(.SystemExit, arguments: a.value("code")!.isNone ? [] : [a.value("code")!])
            }
            f.attributes["__repr__"] = .string("Use \(name)() or Ctrl-D (i.e. EOF) to exit")
            pythonBuiltins[name] = .instance(Instance(cls: BuiltinTypes.quitter, payload: f))
        }
        pythonBuiltins["help"] = .instance(Instance(cls: BuiltinTypes.helper))
    }

    /// Adds a documented Python builtin.
    private func builtin(_ name: String, _ params: [String], _ summary: String, _ run: @escaping (BoundArguments) throws -> Value) {
        let sig = Signature(name: name, spec: params)
        let b = Builtin(name: name, signature: sig, summary: summary, doc: "", topic: "python", isMethod: false, run: run)
        pythonBuiltins[name] = .function(Function(name: name, body: .builtin(b)))
        pythonBuiltinDocs.append(PythonBuiltinDoc(name: name, parameters: sig, summary: summary))
    }

    /// Writes printed text to stdout, `sys.stderr` or a file opened for writing.
    func write(_ text: String, to file: Value) throws {
        switch file {
        case .none: output(text)
        case .instance(let i):
            if let f = i.payload as? FilePayload { f.written += text; return }
            if let stream = i.payload as? StandardStream { stream.isError ? errorOutput(text) : output(text); return }
            guard let w = try getAttributeIfPresent(file, "write") else { throw PythonError(.AttributeError, "'\(file.pyType.name)' object has no attribute 'write'") }
            _ = try call(w, CallArguments([.string(text)]), range: nil)
        case .bool, .int, .bigInt, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            guard let w = try getAttributeIfPresent(file, "write") else { throw PythonError(.AttributeError, "'\(file.pyType.name)' object has no attribute 'write'") }
            _ = try call(w, CallArguments([.string(text)]), range: nil)
        }
    }

    /// `isinstance(obj, spec)`.
    func isInstance(_ obj: Value, _ spec: Value) throws -> Bool {
        try classMatches(obj.pyType, spec, function: "isinstance")
    }

    /// Whether a class is, or derives from, a class in `spec` (a class or a tuple of them).
    func classMatches(_ t: TypeObject, _ spec: Value, function: String) throws -> Bool {
        switch spec {
        case .type(let c): return t.isSubtype(of: c)
        case .tuple(let items): return try items.contains { try classMatches(t, $0, function: function) }
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .dict, .set, .function, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            throw PythonError(.TypeError, "\(function)() arg 2 must be a type, a tuple of types, or a union")
        }
    }

    /// The iterator type name `iter(x)` gives for x.
    func iteratorName(_ v: Value) -> String {
        switch v {
        case .list: return "list_iterator"
        case .tuple, .shape: return "tuple_iterator"
        case .string: return "str_ascii_iterator"
        case .dict: return "dict_keyiterator"
        case .set: return "set_iterator"
        case .instance(let i) where i.cls === BuiltinTypes.range: return "range_iterator"
        case .none, .bool, .int, .bigInt, .float, .tensor, .function, .type, .instance, .module, .namespace, .slice,
             .dtype, .ellipsis:
            return "iterator"
        }
    }

    /// `hash(x)`: ints hash to themselves (as CPython for small ints); other values by a
    /// deterministic hash.
    func pythonHash(_ v: Value) throws -> Int {
        let k = try HashKey(v)
        switch v {
        case .int, .bigInt:
            // CPython: the integer modulo 2**61 - 1, with the sign; -1 is reserved.
            let n = Number(v)!.bigInt!
            let modulus = (BigInt(1) << 61) - 1
            var h = BigInt(n.magnitude) % modulus
            if n < 0 { h = -h }
            let r = Int(h)
            return r == -1 ? -2 : r
        case .bool(let b): return b ? 1 : 0
        case .float(let d) where d.rounded() == d && abs(d) < 9e18: return Int(d) == -1 ? -2 : Int(d)
        case .none, .float, .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module,
             .namespace, .slice, .shape, .dtype, .ellipsis:
            var fnv: UInt64 = 0xcbf29ce484222325
            for byte in repr(k.value).utf8 { fnv = (fnv ^ UInt64(byte)) &* 0x100000001b3 }
            if case .tensor = v { return Int(truncatingIfNeeded: UInt(bitPattern: ObjectIdentifier(v as AnyObject).hashValue)) >> 4 }
            return Int(truncatingIfNeeded: fnv >> 2)
        }
    }

    /// Python's `round(number, ndigits)`.
    func pythonRoundValue(_ v: Value, _ ndigits: Value) throws -> Value {
        let digits: Int? = ndigits.isNone ? nil : try indexValue(ndigits)
        switch v {
        case .int, .bool, .bigInt:
            guard let n = digits, n < 0, let x = Number(v)?.bigInt else { return try toInt(v) }
            let scale = BigInt(10).power(-n)
            var (q, r) = x.quotientAndRemainder(dividingBy: scale)
            if r < 0 { q -= 1; r += scale }
            if r * 2 > scale || (r * 2 == scale && q % 2 != 0) { q += 1 }
            return .integer(q * scale)
        case .float(let d):
            guard let n = digits else {
                if d.isNaN { throw PythonError(.ValueError, "cannot convert float NaN to integer") }
                if d.isInfinite { throw PythonError(.OverflowError, "cannot convert float infinity to integer") }
                return .integer(BigInt(d.rounded(.toNearestOrEven)))
            }
            return .float(pythonRound(d, n))
        case .tensor(let h):
            let n = digits ?? 0
            if n == 0 { return .tensor(try h.value.unary(.round)) }
            let scale = pow(10, Double(n))
            return .tensor(try (h.value * h.value.constant(scale)).unary(.round) / h.value.constant(scale))
        case .none, .string, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .slice,
             .shape, .dtype, .ellipsis:
            if let r = try callDunder(v, "__round__", digits.map { [.int($0)] } ?? []) { return r }
            throw PythonError(.TypeError, "type \(v.pyType.name) doesn't define __round__ method")
        }
    }

    /// How `evalSource` runs its text.
    enum EvalMode { case eval, exec }

    /// `eval(source)` / `exec(source)`, in the current scope or in a dict of globals.
    func evalSource(_ source: String, globals spec: Value, mode: EvalMode, range: SourceRange?) throws -> Value {
        let scope: Scope
        var dict: DictObject?
        if case .dict(let d) = spec {
            scope = Scope(parent: nil, kind: .module)
            for (k, v) in d.pairs { if case .string(let name) = k { scope.variables[name] = v } }
            dict = d
        } else {
            scope = currentScope
        }
        let text = SourceText(file: "<string>", text: source)
        let statements: [Statement]
        switch parse(source) {
        case .complete(let s): statements = s
        case .incomplete: throw PythonError(.SyntaxError, "unexpected EOF while parsing", at: range)
        case .failure(let d): throw PythonError(.SyntaxError, d.message, at: range, hint: d.hint)
        }
        let saved = currentSource, savedScope = currentScope
        currentSource = text
        currentScope = scope
        defer {
            currentSource = saved
            currentScope = savedScope
            if let dict { for (k, v) in scope.variables { dict[string: k] = v } }
        }
        switch mode {
        case .eval:
            guard statements.count == 1, case .expression(let e) = statements[0] else {
                throw PythonError(.SyntaxError, "eval() needs one expression; use exec() for statements", at: range)
            }
            return try evaluate(e, in: scope)
        case .exec:
            _ = try execute(statements, in: scope)
            return .none
        }
    }
}

extension BoundArguments {
    /// Whether a keyword-only parameter was given by the caller (not left at its default).
    func keywordGiven(_ name: String) -> Bool {
        guard let i = builtin.signature.index(of: name) else { return false }
        if case .none = slots[i] { return false }
        return true
    }
}

/// `sys.stdout` and `sys.stderr`.
final class StandardStream {
    let isError: Bool
    init(isError: Bool) { self.isError = isError }
}

extension BuiltinTypes {
    /// The class of `exit` and `quit`: calling raises `SystemExit`; printing says how to leave.
    static let quitter: TypeObject = {
        var s = Slots()
        s.call = { interp, v, args in
            guard case .instance(let i) = v, let f = i.payload as? Function else { return .none }
            return try interp.callFunction(f, args)
        }
        s.repr = { _, v in
            guard case .instance(let i) = v, let f = i.payload as? Function, case .string(let text)? = f.attributes["__repr__"] else { return "" }
            return text
        }
        return TypeObject(name: "Quitter", moduleName: "_sitebuiltins", base: object, slots: s)
    }()

    /// The class of `help`: `help(x)` prints documentation; `help` alone says how to use it.
    static let helper: TypeObject = {
        var s = Slots()
        s.call = { interp, _, args in
            let v = try Signature(name: "help", spec: ["request=None"]).bind(args)
            interp.output(interp.helpText(v[0].isNone ? nil : v[0]) + "\n")
            return .none
        }
        s.repr = { _, _ in "Type help() for interactive help, or help(object) for help about object." }
        return TypeObject(name: "_Helper", moduleName: "_sitebuiltins", base: object, slots: s)
    }()

    /// `sys.stdout` / `sys.stderr`.
    static let standardStream: TypeObject = {
        var s = Slots()
        s.repr = { _, v in
            guard case .instance(let i) = v, let st = i.payload as? StandardStream else { return "" }
            return st.isError ? "<_io.TextIOWrapper name='<stderr>' mode='w' encoding='utf-8'>" : "<_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>"
        }
        let t = TypeObject(name: "TextIOWrapper", moduleName: "_io", base: object, slots: s)
        t.method("write", ["s", "/"]) { a in
            guard case .instance(let i)? = a.value("self"), let st = i.payload as? StandardStream else { return .none }
            let text = try a.string("s")
            st.isError ? a.interpreter.errorOutput(text) : a.interpreter.output(text)
            return .int(text.unicodeScalars.count)
        }
        t.method("flush", []) { _ in .none }
        return t
    }()
}

import Foundation
