import Tensor
import AD
import BigInt

// `functools` (partial, reduce, wraps, lru_cache, cache) and `itertools` (lazy iterators).

extension Interpreter {
    func makeFunctoolsModule() -> Namespace {
        Namespace(name: "functools", attributes: [
            ("partial", .type(BuiltinTypes.partial)),
            ("reduce", function("reduce", ["function", "iterable", "*initial"]) { a in
                let f = a.value("function")!
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                var acc: Value
                if let first = a.rest.first { acc = first } else {
                    guard let first = try it.next() else {
                        throw PythonError(.TypeError, "reduce() of empty iterable with no initial value")
                    }
                    acc = first
                }
                while let v = try it.next() { acc = try a.interpreter.call(f, CallArguments([acc, v], range: a.range), range: a.range) }
                return acc
            }),
            ("wraps", function("wraps", ["wrapped", "assigned=None", "updated=None"]) { a in
                let wrapped = a.value("wrapped")!
                return a.interpreter.function("decorator", ["wrapper"]) { b in
                    try b.interpreter.copyFunctionMetadata(from: wrapped, to: b.value("wrapper")!)
                }
            }),
            ("update_wrapper", function("update_wrapper", ["wrapper", "wrapped", "assigned=None", "updated=None"]) { a in
                try a.interpreter.copyFunctionMetadata(from: a.value("wrapped")!, to: a.value("wrapper")!)
            }),
            ("lru_cache", function("lru_cache", ["maxsize=128", "typed=False"]) { a in
                // @lru_cache without parentheses passes the function itself.
                if let f = a.value("maxsize"), a.interpreter.isCallable(f) { return a.interpreter.cached(f, maxsize: 128) }
                let maxsize: Int? = a.has("maxsize") ? try a.int("maxsize") : nil
                return a.interpreter.function("decorating_function", ["user_function"]) { b in
                    b.interpreter.cached(b.value("user_function")!, maxsize: maxsize)
                }
            }),
            ("cache", function("cache", ["user_function"]) { a in a.interpreter.cached(a.value("user_function")!, maxsize: nil) }),
        ])
    }

    /// `functools.wraps`: the wrapper takes the wrapped function's name, docstring and
    /// `__wrapped__`.
    func copyFunctionMetadata(from wrapped: Value, to wrapper: Value) throws -> Value {
        guard case .function(let w) = wrapper else { return wrapper }
        if case .function(let f) = wrapped {
            w.name = f.name
            w.qualname = f.qualname
            if case .user(let code) = f.body { w.attributes["__doc__"] = code.docstring.map { .string($0) } ?? Value.none }
            if let doc = f.attributes["__doc__"] { w.attributes["__doc__"] = doc }
        } else if let name = try getAttributeIfPresent(wrapped, "__name__"), case .string(let n) = name {
            w.name = n
            w.qualname = n
        }
        w.attributes["__wrapped__"] = wrapped
        return wrapper
    }

    /// `functools.lru_cache(maxsize)(f)`: calls are cached by their arguments (which must be
    /// hashable); `cache_info()` and `cache_clear()` as in Python.
    func cached(_ f: Value, maxsize: Int?) -> Value {
        final class Cache {
            var entries: [HashKey: Value] = [:]
            var order: [HashKey] = []
            var hits = 0, misses = 0
        }
        let cache = Cache()
        let info = makeNamedTupleType(name: "CacheInfo", moduleName: "functools", fields: ["hits", "misses", "maxsize", "currsize"])
        let wrapper = Function(name: "wrapper", native: { args, interp in
            let key = try HashKey(.tuple(args.positional + args.keywords.flatMap { [Value.string($0.0), $0.1] }))
            if let v = cache.entries[key] {
                cache.hits += 1
                if let i = cache.order.firstIndex(of: key) { cache.order.remove(at: i); cache.order.append(key) }
                return v
            }
            cache.misses += 1
            let v = try interp.call(f, args, range: args.range)
            if maxsize != 0 {
                cache.entries[key] = v
                cache.order.append(key)
                if let maxsize, cache.order.count > maxsize { cache.entries[cache.order.removeFirst()] = nil }
            }
            return v
        })
        _ = try? copyFunctionMetadata(from: f, to: .function(wrapper))
        wrapper.attributes["cache_info"] = function("cache_info", []) { a in
            a.interpreter.namedTuple(info, [.int(cache.hits), .int(cache.misses), maxsize.map { .int($0) } ?? .none, .int(cache.entries.count)])
        }
        wrapper.attributes["cache_clear"] = function("cache_clear", []) { _ in
            cache.entries = [:]; cache.order = []; cache.hits = 0; cache.misses = 0
            return .none
        }
        return .function(wrapper)
    }

    // MARK: - itertools

    func makeItertoolsModule() -> Namespace {
        func iter(_ name: String, _ it: PyIterator) -> Value { makeIterator(it, typeName: "itertools." + name) }
        let chain = TypeObject(name: "chain", moduleName: "itertools", base: BuiltinTypes.object) { interp, _, args in
            let its = try args.positional.map { try interp.iterator($0, range: args.range) }
            return interp.makeIterator(chainIterators(its), typeName: "itertools.chain")
        }
        chain.setAttribute("from_iterable", .instance(Instance(cls: BuiltinTypes.staticMethod, payload: StaticMethodPayload(function:
            function("from_iterable", ["iterable", "/"]) { a in
                let outer = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                var current: PyIterator?
                return a.interpreter.makeIterator(PyIterator {
                    while true {
                        if let c = current, let x = try c.next() { return x }
                        guard let next = try outer.next() else { return nil }
                        current = try a.interpreter.iterator(next, range: a.range)
                    }
                }, typeName: "itertools.chain")
            }))))
        return Namespace(name: "itertools", attributes: [
            ("chain", .type(chain)),
            ("product", function("product", ["*iterables", "|repeat=1"]) { a in
                let pools = try a.rest.map { try a.interpreter.collect($0, range: a.range) }
                let all = Array([[[Value]]](repeating: pools, count: max(0, try a.int("repeat"))).joined())
                var indices = [Int](repeating: 0, count: all.count)
                var done = all.contains { $0.isEmpty }
                return iter("product", PyIterator {
                    guard !done else { return nil }
                    let item = Value.tuple(zip(all, indices).map { $0[$1] })
                    var k = all.count - 1
                    while k >= 0 {
                        indices[k] += 1
                        if indices[k] < all[k].count { break }
                        indices[k] = 0
                        k -= 1
                    }
                    if k < 0 { done = true }
                    return item
                })
            }),
            ("count", function("count", ["start=0", "step=1"]) { a in
                var current = a.value("start")!
                let step = a.value("step")!
                return iter("count", PyIterator {
                    defer { current = (try? a.interpreter.binaryOperation(.add, current, step, range: nil)) ?? current }
                    return current
                })
            }),
            ("repeat", function("repeat", ["object", "times=None"]) { a in
                let v = a.value("object")!
                var left = a.has("times") ? try a.int("times") : Int.max
                return iter("repeat", PyIterator {
                    guard left > 0 else { return nil }
                    left -= 1
                    return v
                })
            }),
            ("cycle", function("cycle", ["iterable", "/"]) { a in
                let items = try a.interpreter.collect(a.value("iterable")!, range: a.range)
                var i = 0
                return iter("cycle", PyIterator {
                    guard !items.isEmpty else { return nil }
                    defer { i = (i + 1) % items.count }
                    return items[i]
                })
            }),
            ("islice", function("islice", ["iterable", "*args"]) { a in
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                func bound(_ v: Value?) throws -> Int? {
                    guard let v, !v.isNone else { return nil }
                    return try a.interpreter.indexValue(v) ?? 0
                }
                let args = a.rest
                let start: Int, stop: Int?, step: Int
                switch args.count {
                case 1: start = 0; stop = try bound(args[0]); step = 1
                case 2: start = try bound(args[0]) ?? 0; stop = try bound(args[1]); step = 1
                case 3: start = try bound(args[0]) ?? 0; stop = try bound(args[1]); step = try bound(args[2]) ?? 1
                default: throw PythonError(.TypeError, "islice expected 2 to 4 arguments")
                }
                guard step > 0, start >= 0, (stop ?? 0) >= 0 else {
                    throw PythonError(.ValueError, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
                }
                var position = 0
                var nextWanted = start
                return iter("islice", PyIterator {
                    while true {
                        if let stop, nextWanted >= stop { return nil }
                        guard let x = try it.next() else { return nil }
                        defer { position += 1 }
                        if position == nextWanted { nextWanted += step; return x }
                    }
                })
            }),
            ("combinations", function("combinations", ["iterable", "r"]) { a in
                let pool = try a.interpreter.collect(a.value("iterable")!, range: a.range)
                let r = try a.int("r")
                return iter("combinations", PyIterator(combinations(pool.count, r).map { .tuple($0.map { pool[$0] }) }))
            }),
            ("permutations", function("permutations", ["iterable", "r=None"]) { a in
                let pool = try a.interpreter.collect(a.value("iterable")!, range: a.range)
                let r = a.has("r") ? try a.int("r") : pool.count
                return iter("permutations", PyIterator(permutations(pool.count, r).map { .tuple($0.map { pool[$0] }) }))
            }),
            ("accumulate", function("accumulate", ["iterable", "func=None", "|initial=None"]) { a in
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                let f = a.value("func")!
                var total: Value? = a.has("initial") ? a.value("initial")! : nil
                var emittedInitial = !a.has("initial")
                return iter("accumulate", PyIterator {
                    if !emittedInitial { emittedInitial = true; return total }
                    guard let x = try it.next() else { return nil }
                    if let t = total {
                        total = f.isNone ? try a.interpreter.binaryOperation(.add, t, x, range: a.range)
                                         : try a.interpreter.call(f, CallArguments([t, x], range: a.range), range: a.range)
                    } else {
                        total = x
                    }
                    return total
                })
            }),
            ("zip_longest", function("zip_longest", ["*iterables", "|fillvalue=None"]) { a in
                let its = try a.rest.map { try a.interpreter.iterator($0, range: a.range) }
                let fill = a.value("fillvalue")!
                var active = its.map { _ in true }
                return iter("zip_longest", PyIterator {
                    var items: [Value] = []
                    for (k, it) in its.enumerated() {
                        if active[k], let x = try it.next() { items.append(x) } else { active[k] = false; items.append(fill) }
                    }
                    return active.contains(true) ? .tuple(items) : nil
                })
            }),
            ("starmap", function("starmap", ["function", "iterable", "/"]) { a in
                let f = a.value("function")!
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                return iter("starmap", PyIterator {
                    guard let x = try it.next() else { return nil }
                    return try a.interpreter.call(f, CallArguments(try a.interpreter.collect(x, range: a.range), range: a.range), range: a.range)
                })
            }),
            ("takewhile", function("takewhile", ["predicate", "iterable", "/"]) { a in
                let f = a.value("predicate")!
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                var done = false
                return iter("takewhile", PyIterator {
                    guard !done, let x = try it.next() else { return nil }
                    if try a.interpreter.truthy(try a.interpreter.call(f, CallArguments([x]), range: a.range), range: a.range) { return x }
                    done = true
                    return nil
                })
            }),
            ("dropwhile", function("dropwhile", ["predicate", "iterable", "/"]) { a in
                let f = a.value("predicate")!
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                var dropping = true
                return iter("dropwhile", PyIterator {
                    while let x = try it.next() {
                        if dropping, try a.interpreter.truthy(try a.interpreter.call(f, CallArguments([x]), range: a.range), range: a.range) { continue }
                        dropping = false
                        return x
                    }
                    return nil
                })
            }),
            ("pairwise", function("pairwise", ["iterable", "/"]) { a in
                let it = try a.interpreter.iterator(a.value("iterable")!, range: a.range)
                var previous = try it.next()
                return iter("pairwise", PyIterator {
                    guard let p = previous, let x = try it.next() else { return nil }
                    previous = x
                    return .tuple([p, x])
                })
            }),
            ("groupby", function("groupby", ["iterable", "key=None"]) { a in
                let items = try a.interpreter.collect(a.value("iterable")!, range: a.range)
                let key = a.value("key")!
                var groups: [(Value, [Value])] = []
                for x in items {
                    let k = key.isNone ? x : try a.interpreter.call(key, CallArguments([x]), range: a.range)
                    if let last = groups.last, try a.interpreter.equal(last.0, k) { groups[groups.count - 1].1.append(x) }
                    else { groups.append((k, [x])) }
                }
                return iter("groupby", PyIterator(groups.map { .tuple([$0.0, a.interpreter.makeIterator(PyIterator($0.1), typeName: "itertools._grouper")]) }))
            }),
        ])
    }
}

/// Iterators one after another.
func chainIterators(_ its: [PyIterator]) -> PyIterator {
    var k = 0
    return PyIterator {
        while k < its.count {
            if let x = try its[k].next() { return x }
            k += 1
        }
        return nil
    }
}

/// Index combinations of `r` out of `n` in lexicographic order (as itertools).
func combinations(_ n: Int, _ r: Int) -> [[Int]] {
    guard r >= 0, r <= n else { return [] }
    var out: [[Int]] = []
    var c = Array(0..<r)
    while true {
        out.append(c)
        var i = r - 1
        while i >= 0 && c[i] == i + n - r { i -= 1 }
        if i < 0 { return out }
        c[i] += 1
        for j in (i + 1)..<r { c[j] = c[j - 1] + 1 }
    }
}

/// Index permutations of length `r` out of `n` in itertools' order.
func permutations(_ n: Int, _ r: Int) -> [[Int]] {
    guard r >= 0, r <= n else { return [] }
    var out: [[Int]] = []
    func extend(_ prefix: [Int]) {
        if prefix.count == r { out.append(prefix); return }
        for i in 0..<n where !prefix.contains(i) { extend(prefix + [i]) }
    }
    extend([])
    return out
}
