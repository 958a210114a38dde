import Tensor
import AD
import BigInt

// `list`, `tuple` and `range`.

extension Interpreter {
    /// Lexicographic comparison of two sequences, as Python compares lists and tuples.
    func compareSequences(_ op: ComparisonOp, _ x: [Value], _ y: [Value]) throws -> Value {
        for (p, q) in zip(x, y) where !(try equal(p, q)) {
            switch op {
            case .eq: return .bool(false)
            case .ne: return .bool(true)
            case .lt, .le, .gt, .ge: return try richCompare(op, p, q, range: nil)
            }
        }
        switch op {
        case .lt: return .bool(x.count < y.count)
        case .le: return .bool(x.count <= y.count)
        case .gt: return .bool(x.count > y.count)
        case .ge: return .bool(x.count >= y.count)
        case .eq: return .bool(x.count == y.count)
        case .ne: return .bool(x.count != y.count)
        }
    }

    /// `[a, b]` / `(a,)` text, with `[...]` for a list that contains itself.
    func sequenceRepr(_ items: [Value], open: String, close: String, identity: ObjectIdentifier?, singleComma: Bool) throws -> String {
        if let identity {
            guard reprInProgress.insert(identity).inserted else { return open + "..." + close }
        }
        defer { if let identity { reprInProgress.remove(identity) } }
        let inner = try items.map { try reprOf($0) }.joined(separator: ", ")
        return open + inner + (singleComma && items.count == 1 ? "," : "") + close
    }

    /// Items of a sequence picked by an index or a slice.
    func sequenceItem(_ items: [Value], _ key: Value, what: String) throws -> (Value?, [Value]?) {
        if case .slice(let a, let b, let c) = key {
            return (nil, try sliceIndices(items.count, a, b, c).map { items[$0] })
        }
        guard let i = try indexValue(key) else {
            throw PythonError(.TypeError, "\(what) indices must be integers or slices, not \(key.pyType.name)")
        }
        return (items[try sequenceIndex(i, count: items.count, what: what)], nil)
    }

    /// Refuses a container, string or tensor that would exceed the session's one memory limit
    /// (`MemoryBudget`, what the session holds included): `MemoryError` as Python raises it, with
    /// the figures. `bytes < 0` stands for a size beyond `Int.max`. `bare`: Python's own
    /// `MemoryError()` without arguments (lists, strings), the figures in the hint.
    func checkAllocation(bytes: Int, what: String, bare: Bool = false) throws {
        do { try MemoryBudget.check(bytes: bytes, what: what) }
        catch let e as TensorError {
            if bare { throw PythonError(.MemoryError, arguments: [], hint: e.message + "; " + (e.hint ?? "")) }
            throw PythonError(.MemoryError, e.message, hint: e.hint)
        }
    }

    /// `checkAllocation` for `elements` of `bytesPerElement` bytes, overflow included.
    func checkAllocation(elements: Int, bytesPerElement: Int, what: String) throws {
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: bytesPerElement)
        try checkAllocation(bytes: overflow || elements < 0 ? -1 : bytes, what: what)
    }

    /// `seq * n` with a size check.
    func repeated(_ items: [Value], _ n: Value) throws -> [Value]? {
        guard Number(n) != nil, let k = try indexValue(n) else { return nil }
        guard k > 0 else { return [] }
        let (total, overflow) = items.count.multipliedReportingOverflow(by: k)
        let (bytes, overflow2) = total.multipliedReportingOverflow(by: 16)
        try checkAllocation(bytes: overflow || overflow2 ? -1 : bytes, what: "a sequence of \(items.count) x \(k) items", bare: true)
        return Array([[Value]](repeating: items, count: k).joined())
    }
}

private func listObject(_ a: BoundArguments) -> ListObject {
    if case .list(let l)? = a.value("self") { return l }
    return ListObject()
}

func makeListType() -> TypeObject {
    var s = Slots()
    s.repr = { interp, v in
        guard case .list(let l) = v else { return "" }
        return try interp.sequenceRepr(l.items, open: "[", close: "]", identity: ObjectIdentifier(l), singleComma: false)
    }
    s.length = { _, v in
        if case .list(let l) = v { return l.items.count }
        return 0
    }
    s.iterate = { _, v in
        guard case .list(let l) = v else { return PyIterator([]) }
        var i = 0
        return PyIterator {   // sees appends made while iterating, as Python does
            guard i < l.items.count else { return nil }
            defer { i += 1 }
            return l.items[i]
        }
    }
    s.getItem = { interp, v, key in
        guard case .list(let l) = v else { return .none }
        let (one, many) = try interp.sequenceItem(l.items, key, what: "list")
        return one ?? .list(many!)
    }
    s.setItem = { interp, v, key, value in
        guard case .list(let l) = v else { return }
        if case .slice(let a, let b, let c) = key {
            let indices = try sliceIndices(l.items.count, a, b, c)
            guard let value else {
                for i in indices.sorted(by: >) { l.items.remove(at: i) }
                return
            }
            let new = try interp.collect(value, range: nil)
            if (c ?? 1) == 1 {
                let (start, stop, _) = try sliceBounds(l.items.count, a, b, c)
                l.items.replaceSubrange(start..<max(start, stop), with: new)
            } else {
                guard new.count == indices.count else {
                    throw PythonError(.ValueError, "attempt to assign sequence of size \(new.count) to extended slice of size \(indices.count)")
                }
                for (i, x) in zip(indices, new) { l.items[i] = x }
            }
            return
        }
        guard let i = try interp.indexValue(key) else {
            throw PythonError(.TypeError, "list indices must be integers or slices, not \(key.pyType.name)")
        }
        let j = try sequenceIndex(i, count: l.items.count, what: value == nil ? "list assignment" : "list assignment")
        if let value { l.items[j] = value } else { l.items.remove(at: j) }
    }
    s.compare = { interp, op, a, b in
        guard case .list(let x) = a, case .list(let y) = b else { return nil }
        return try interp.compareSequences(op, x.items, y.items)
    }
    s.binary = { interp, op, v, other, reflected in
        guard case .list(let l) = v else { return nil }
        switch op {
        case .add:
            guard case .list(let o) = other else { return nil }
            return .list(reflected ? o.items + l.items : l.items + o.items)
        case .multiply:
            return try interp.repeated(l.items, other).map { .list($0) }
        case .subtract, .divide, .floorDivide, .modulo, .power, .matmul, .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
            return nil
        }
    }
    s.inPlace = { interp, op, v, other in
        guard case .list(let l) = v else { return nil }
        switch op {
        case .add:
            l.items += try interp.collect(other, range: nil)
            return v
        case .multiply:
            guard let items = try interp.repeated(l.items, other) else { return nil }
            l.items = items
            return v
        case .subtract, .divide, .floorDivide, .modulo, .power, .matmul, .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
            return nil
        }
    }
    let t = TypeObject(name: "list", base: BuiltinTypes.object, slots: s) { interp, _, args in
        let v = try Signature(name: "list", spec: ["iterable=()", "/"]).bind(args)
        return .list(try interp.collect(v[0], range: args.range))
    }
    t.method("append", ["object", "/"]) { a in listObject(a).items.append(a.value("object")!); return .none }
    t.method("extend", ["iterable", "/"]) { a in
        listObject(a).items += try a.interpreter.collect(a.value("iterable")!, range: a.range)
        return .none
    }
    t.method("insert", ["index", "object", "/"]) { a in
        let l = listObject(a)
        var i = try a.int("index")
        if i < 0 { i = max(0, i + l.items.count) }
        l.items.insert(a.value("object")!, at: min(i, l.items.count))
        return .none
    }
    t.method("pop", ["index=-1", "/"]) { a in
        let l = listObject(a)
        guard !l.items.isEmpty else { throw PythonError(.IndexError, "pop from empty list") }
        let i = try sequenceIndex(try a.int("index"), count: l.items.count, what: "pop")
        return l.items.remove(at: i)
    }
    t.method("remove", ["value", "/"]) { a in
        let l = listObject(a)
        for (i, x) in l.items.enumerated() where try a.interpreter.equal(x, a.value("value")!) {
            l.items.remove(at: i)
            return .none
        }
        throw PythonError(.ValueError, "list.remove(x): x not in list")
    }
    t.method("index", ["value", "start=0", "/"]) { a in
        let l = listObject(a)
        let start = try a.int("start")
        for (i, x) in l.items.enumerated() where i >= start {
            if try a.interpreter.equal(x, a.value("value")!) { return .int(i) }
        }
        throw PythonError(.ValueError, "\(try a.interpreter.reprOf(a.value("value")!)) is not in list")
    }
    t.method("count", ["value", "/"]) { a in
        .int(try listObject(a).items.filter { try a.interpreter.equal($0, a.value("value")!) }.count)
    }
    t.method("reverse", []) { a in listObject(a).items.reverse(); return .none }
    t.method("clear", []) { a in listObject(a).items.removeAll(); return .none }
    t.method("copy", []) { a in .list(listObject(a).items) }
    t.method("sort", ["|key=None", "|reverse=False"]) { a in
        let l = listObject(a)
        l.items = try a.interpreter.sorted(l.items, key: a.value("key")!, reverse: try a.bool("reverse"))
        return .none
    }
    return t
}

extension Interpreter {
    /// A stable sort with Python's `key=` and `reverse=`, comparing with `<`.
    func sorted(_ items: [Value], key: Value, reverse: Bool) throws -> [Value] {
        let keys = try key.isNone ? items : items.map { try call(key, CallArguments([$0]), range: nil) }
        var order = Array(items.indices)
        var failure: Error?
        // Merge sort (stable); a comparison error stops it.
        func lessThan(_ i: Int, _ j: Int) -> Bool {
            if failure != nil { return false }
            do { return reverse ? try less(keys[j], keys[i]) : try less(keys[i], keys[j]) } catch { failure = error; return false }
        }
        func mergeSort(_ xs: [Int]) -> [Int] {
            guard xs.count > 1 else { return xs }
            let mid = xs.count / 2
            let left = mergeSort(Array(xs[..<mid])), right = mergeSort(Array(xs[mid...]))
            var out: [Int] = [], i = 0, j = 0
            out.reserveCapacity(xs.count)
            while i < left.count && j < right.count {
                if lessThan(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
            }
            return out + left[i...] + right[j...]
        }
        order = mergeSort(order)
        if let failure { throw failure }
        return order.map { items[$0] }
    }
}

func makeTupleType() -> TypeObject {
    var s = Slots()
    s.repr = { interp, v in
        guard case .tuple(let items) = v else { return "" }
        return try interp.sequenceRepr(items, open: "(", close: ")", identity: nil, singleComma: true)
    }
    s.length = { _, v in
        if case .tuple(let items) = v { return items.count }
        return 0
    }
    s.iterate = { _, v in
        guard case .tuple(let items) = v else { return PyIterator([]) }
        return PyIterator(items)
    }
    s.getItem = { interp, v, key in
        guard case .tuple(let items) = v else { return .none }
        let (one, many) = try interp.sequenceItem(items, key, what: "tuple")
        return one ?? .tuple(many!)
    }
    s.compare = { interp, op, a, b in
        guard case .tuple(let x) = a else { return nil }
        switch b {
        case .tuple(let y): return try interp.compareSequences(op, x, y)
        case .shape(let sh): return try interp.compareSequences(op, x, sh.dims.map { .int($0) })
        case .none, .bool, .int, .bigInt, .float, .string, .tensor, .list, .dict, .set, .function, .type, .instance,
             .module, .namespace, .slice, .dtype, .ellipsis:
            return nil
        }
    }
    s.binary = { interp, op, v, other, reflected in
        guard case .tuple(let items) = v else { return nil }
        switch op {
        case .add:
            guard case .tuple(let o) = other else { return nil }
            return .tuple(reflected ? o + items : items + o)
        case .multiply:
            return try interp.repeated(items, other).map { .tuple($0) }
        case .subtract, .divide, .floorDivide, .modulo, .power, .matmul, .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
            return nil
        }
    }
    let t = TypeObject(name: "tuple", base: BuiltinTypes.object, slots: s) { interp, _, args in
        let v = try Signature(name: "tuple", spec: ["iterable=()", "/"]).bind(args)
        return .tuple(try interp.collect(v[0], range: args.range))
    }
    t.method("index", ["value", "/"]) { a in
        let items = try a.interpreter.collect(a.value("self")!, range: a.range)
        for (i, x) in items.enumerated() where try a.interpreter.equal(x, a.value("value")!) { return .int(i) }
        throw PythonError(.ValueError, "tuple.index(x): x not in tuple")
    }
    t.method("count", ["value", "/"]) { a in
        let items = try a.interpreter.collect(a.value("self")!, range: a.range)
        return .int(try items.filter { try a.interpreter.equal($0, a.value("value")!) }.count)
    }
    return t
}

// MARK: - range

private func rangePayload(_ v: Value) -> RangePayload? {
    if case .instance(let i) = v { return i.payload as? RangePayload }
    return nil
}

func makeRangeType() -> TypeObject {
    var s = Slots()
    s.repr = { _, v in
        guard let r = rangePayload(v) else { return "" }
        return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
    }
    s.length = { _, v in
        guard let r = rangePayload(v) else { return 0 }
        guard let n = Int(exactly: r.count) else { throw PythonError(.OverflowError, "Python int too large to convert to C ssize_t") }
        return n
    }
    s.iterate = { _, v in
        guard let r = rangePayload(v) else { return PyIterator([]) }
        if let start = Int(exactly: r.start), let stop = Int(exactly: r.stop), let step = Int(exactly: r.step) {
            var i = start
            return PyIterator {
                guard step > 0 ? i < stop : i > stop else { return nil }
                defer { i += step }
                return .int(i)
            }
        }
        var i = r.start
        return PyIterator {
            guard r.step > 0 ? i < r.stop : i > r.stop else { return nil }
            defer { i += r.step }
            return .integer(i)
        }
    }
    s.getItem = { interp, v, key in
        guard let r = rangePayload(v) else { return .none }
        let n = r.count
        if case .slice(let a, let b, let c) = key {
            guard let count = Int(exactly: n) else { throw PythonError(.OverflowError, "range too large to slice") }
            let (start, stop, step) = try sliceBounds(count, a, b, c)
            return .instance(Instance(cls: BuiltinTypes.range, payload: RangePayload(
                start: r.item(BigInt(start)), stop: r.item(BigInt(stop)), step: r.step * BigInt(step))))
        }
        guard let i = try interp.indexValue(key) else {
            throw PythonError(.TypeError, "range indices must be integers or slices, not \(key.pyType.name)")
        }
        let j = i < 0 ? BigInt(i) + n : BigInt(i)
        guard j >= 0 && j < n else { throw PythonError(.IndexError, "range object index out of range") }
        return .integer(r.item(j))
    }
    s.contains = { _, v, item in
        guard let r = rangePayload(v), let x = Number(item)?.bigInt else { return false }
        guard r.step > 0 ? (x >= r.start && x < r.stop) : (x <= r.start && x > r.stop) else { return false }
        return (x - r.start) % r.step == 0
    }
    s.compare = { _, op, a, b in
        guard op == .eq || op == .ne, let x = rangePayload(a), let y = rangePayload(b) else { return nil }
        let same = x.count == y.count && (x.count == 0 || (x.start == y.start && (x.count == 1 || x.step == y.step)))
        return .bool(op == .eq ? same : !same)
    }
    s.getAttribute = { _, v, name in
        guard let r = rangePayload(v) else { return nil }
        switch name {
        case "start": return .integer(r.start)
        case "stop": return .integer(r.stop)
        case "step": return .integer(r.step)
        default: return nil
        }
    }
    return TypeObject(name: "range", base: BuiltinTypes.object, slots: s) { interp, cls, args in
        guard args.keywords.isEmpty else { throw PythonError(.TypeError, "range() takes no keyword arguments") }
        let xs = try args.positional.map { v -> BigInt in
            guard let n = Number(v)?.bigInt, Number(v).map({ if case .float = $0 { return false }; return true }) ?? false else {
                if case .tensor(let h) = v, !h.dtype.isFloatingPoint, h.shape.elementCount == 1 {
                    return BigInt(try h.value.requireConcrete("range()").scalarValue!)
                }
                throw PythonError(.TypeError, "'\(v.pyType.name)' object cannot be interpreted as an integer")
            }
            return n
        }
        let payload: RangePayload
        switch xs.count {
        case 1: payload = RangePayload(start: 0, stop: xs[0], step: 1)
        case 2: payload = RangePayload(start: xs[0], stop: xs[1], step: 1)
        case 3:
            guard xs[2] != 0 else { throw PythonError(.ValueError, "range() arg 3 must not be zero") }
            payload = RangePayload(start: xs[0], stop: xs[1], step: xs[2])
        default:
            throw PythonError(.TypeError, xs.isEmpty ? "range expected at least 1 argument, got 0" : "range expected at most 3 arguments, got \(xs.count)")
        }
        _ = interp
        return .instance(Instance(cls: cls, payload: payload))
    }
}
