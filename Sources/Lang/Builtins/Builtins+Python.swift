import Tensor
import AD

extension Interpreter {
    // MARK: - Python builtins

    func registerPythonBuiltins() {
        let t = "python"
        registry.add("print", ["*objects", "|sep=' '", "|end='\\n'"], topic: t, summary: "print values, as Python's print") { a in
            let sep = try a.string("sep", default: " "), end = try a.string("end", default: "\n")
            self.output(a.rest.map { self.str($0) }.joined(separator: sep) + end)
            return .none
        }
        registry.add("len", ["obj"], topic: t, summary: "number of items (a tensor's first dimension)") { a in
            switch a.value("obj")! {
            case .list(let x), .tuple(let x): return .int(x.count)
            case .string(let s): return .int(s.count)
            case .dict(let d): return .int(d.count)
            case .shape(let s): return .int(s.rank)
            case .tensor(let o):
                guard o.rank > 0 else { throw a.fail("len() of a 0-d tensor") }
                return .int(o.shape[0])
            case .module(let m): return .int(m.children.count)
            case .object(let obj):
                if case .list(let items)? = obj.attributes[.string("_children")] { return .int(items.count) }
                throw a.fail("object of type '\(obj.typeName)' has no len()")
            case let v: throw a.fail("object of type '\(v.typeName)' has no len()")
            }
        }
        registry.add("range", ["start", "stop=None", "step=1"], topic: t, summary: "a list of integers") { a in
            var start = try a.int("start"), stop = try a.optionalInt("stop") ?? Int.min
            if stop == Int.min { stop = start; start = 0 }
            let step = try a.int("step", default: 1)
            guard step != 0 else { throw a.fail("range() arg 3 must not be zero") }
            return .list(Array(stride(from: start, to: stop, by: step)).map { .int($0) })
        }
        registry.add("list", ["iterable=()"], topic: t, summary: "a list of the items") { a in
            .list(try a.value("iterable").map { try self.iterate($0, range: a.range) } ?? [])
        }
        registry.add("tuple", ["iterable=()"], topic: t, summary: "a tuple of the items") { a in
            .tuple(try a.value("iterable").map { try self.iterate($0, range: a.range) } ?? [])
        }
        registry.add("dict", ["mapping=None", "|**kwargs"], topic: t, summary: "a dict from pairs or keywords",
                     aliases: ["OrderedDict"]) { a in
            var d = OrderedDict()
            if let m = a.value("mapping") {
                switch m {
                case .dict(let x): d = x
                case .none: break
                default:
                    for pair in try self.iterate(m, range: a.range) {
                        let kv = try self.iterate(pair, range: a.range)
                        guard kv.count == 2 else { throw a.fail("dict() needs (key, value) pairs") }
                        d[try self.dictKey(kv[0], range: a.range)] = kv[1]
                    }
                }
            }
            for (k, v) in a.keywordExtras { d[.string(k)] = v }
            return .dict(d)
        }
        registry.add("zip", ["*iterables"], topic: t, summary: "tuples of corresponding items") { a in
            let lists = try a.rest.map { try self.iterate($0, range: a.range) }
            let n = lists.map(\.count).min() ?? 0
            return .list((0..<n).map { i in .tuple(lists.map { $0[i] }) })
        }
        registry.add("enumerate", ["iterable", "start=0"], topic: t, summary: "(index, item) pairs") { a in
            let items = try self.iterate(a.value("iterable")!, range: a.range)
            let s = try a.int("start", default: 0)
            return .list(items.enumerated().map { .tuple([.int($0.offset + s), $0.element]) })
        }
        registry.add("int", ["x=0"], topic: t, summary: "convert to an integer") { a in
            switch a.value("x") ?? .int(0) {
            case .int(let i): return .int(i)
            case .float(let d):
                guard d.isFinite else { throw a.fail("cannot convert \(pythonFloat(d)) to integer") }
                return .int(Int(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .string(let s):
                guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw a.fail("invalid literal for int(): '\(s)'") }
                return .int(i)
            case .tensor(let o):
                let x = try o.requireConcrete("int()")
                guard x.elementCount == 1 else { throw a.fail("only one-element tensors can be converted to Python scalars") }
                return .int(Int(x.scalarValue!))
            case let v: throw a.fail("int() argument must be a number or string, not \(v.typeName)")
            }
        }
        registry.add("str", ["object=''"], topic: t, summary: "text of a value") { a in .string(self.str(a.value("object") ?? .string(""))) }
        registry.add("repr", ["object"], topic: t, summary: "printable representation") { a in .string(self.repr(a.value("object")!)) }
        registry.add("type", ["object"], topic: t, summary: "the name of a value's type") { a in .string(a.value("object")!.typeName) }
        registry.add("isinstance", ["object", "classinfo"], topic: t, summary: "whether object's type has this name") { a in
            let name: String
            switch a.value("classinfo")! {
            case .string(let s): name = s
            case .function(let f): name = f.name
            case .namespace(let n): name = String(n.split(separator: ".").last ?? "")
            default: name = ""
            }
            let typeName = a.value("object")!.typeName
            return .bool(typeName == name || (name == "Tensor" && typeName == "Tensor") || (name == "float" && typeName == "int"))
        }
        registry.add("help", ["obj=None"], topic: t, summary: "documentation of a function, or of everything") { a in
            self.output(self.helpText(a.value("obj")) + "\n")
            return .none
        }
        registry.add("format", ["value", "format_spec=''"], topic: t, summary: "format a number, e.g. format(x, '.3e')") { a in
            let spec = try a.string("format_spec", default: "")
            guard let conv = spec.last, "fegd".contains(conv) else { return .string(self.str(a.value("value")!)) }
            return .string(try self.formatSpec(String(conv), spec: String(spec.dropLast()), a.value("value")!, range: a.range))
        }
    }

    /// Text for `help(x)` and `:help name`.
    public func helpText(_ v: Value?) -> String {
        guard let v else {
            var lines = ["Jacobi builtins by topic (:help TOPIC lists a topic with summaries, :help name gives details):"]
            let topics = ["transforms", "tensors", "math", "shapes", "linalg", "nn", "files", "pictures", "python"]
            for topic in topics {
                let names = registry.names.filter { registry.byName[$0]!.topic == topic && registry.byName[$0]!.name == $0 }
                if names.isEmpty { continue }
                lines.append("  \(topic):")
                var line = "    "
                for n in names.sorted() {
                    if line.count + n.count + 2 > 78 { lines.append(line); line = "    " }
                    line += n + "  "
                }
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
        switch v {
        case .string(let s):
            if let b = registry.byName[s] { return builtinHelp(b) }
            let inTopic = registry.names.filter { registry.byName[$0]!.topic == s && registry.byName[$0]!.name == $0 }
            if !inTopic.isEmpty {
                // A topic: each builtin's signature and one-line summary.
                return (["\(s):"] + inTopic.sorted().map { n in
                    let b = registry.byName[n]!
                    return "  \(b.signature)\n      \(b.summary)"
                }).joined(separator: "\n")
            }
            return "no help for '\(s)'" + (closestName(s, among: registry.names).map { "; did you mean '\($0)'?" } ?? "")
        case .function(let f):
            switch f.body {
            case .builtin(let b, _): return builtinHelp(b)
            case .user(let params, _, _):
                return "\(f.name)(" + params.map(\.name).joined(separator: ", ") + ")"
            case .native: return f.summary ?? f.name
            }
        default:
            return "\(v.typeName): \(repr(v))"
        }
    }

    func builtinHelp(_ b: Builtin) -> String {
        var s = b.signature + "\n  " + b.summary
        if !b.doc.isEmpty { s += "\n\n" + b.doc }
        if b.isMethod { s += "\n\n  also a tensor method: x.\(b.name)(...)" }
        return s
    }
}

import Foundation
