import Tensor
import AD
import BigInt
#if canImport(Glibc)
import Glibc
#endif

// Python's `random`: CPython's Mersenne Twister, seeded as CPython seeds it (init_by_array over the
// seed's 32-bit words), with CPython's algorithms for random(), getrandbits, randbelow, randint,
// choice, shuffle, sample, uniform and gauss, so `random.seed(0)` gives Python's sequence.

/// CPython's `random.Random` state.
struct PythonRandom {
    private var engine = MersenneTwister(seed: 5489)
    /// The second value of the last Box-Muller pair (`gauss`).
    var gaussNext: Double?

    /// Seeded with a non-negative integer, as `random.seed(n)`.
    init(seed: BigInt) { self.init(words: Array(seed.magnitude.words)) }

    /// The same without BigInt's generic initialiser, whose first use checks conformances by
    /// scanning the binary's records (0.2 ms of every start: the interpreter seeds its generator
    /// when it is created).
    init(seed: Int) { self.init(words: [seed.magnitude]) }

    /// CPython's `init_by_array` key: the magnitude's 32-bit digits, least significant first, at
    /// least one.
    private init(words: [UInt]) {
        var key: [UInt32] = []
        for w in words {
            for shift in stride(from: 0, to: UInt.bitWidth, by: 32) { key.append(UInt32(truncatingIfNeeded: w >> UInt(shift))) }
        }
        while key.count > 1 && key.last == 0 { key.removeLast() }
        if key.isEmpty { key = [0] }
        engine = MersenneTwister(key: key)
        gaussNext = nil
    }

    /// The next 32 random bits.
    mutating func next32() -> UInt32 {
        engine.next32()
    }

    /// `random.random()`: 53 random bits in [0, 1).
    mutating func random() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// `random.getrandbits(k)`.
    mutating func bits(_ k: Int) -> BigInt {
        if k <= 32 { return BigInt(next32() >> (32 - UInt32(k))) }
        var result = BigInt(0)
        var shift = 0
        var remaining = k
        while remaining > 0 {
            var r = next32()
            if remaining < 32 { r >>= UInt32(32 - remaining) }
            result |= BigInt(r) << shift
            shift += 32
            remaining -= 32
        }
        return result
    }

    /// CPython's `_randbelow(n)`: a uniform integer in [0, n) by rejection.
    mutating func below(_ n: BigInt) -> BigInt {
        let k = n.magnitude.bitWidth
        var r = bits(k)
        while r >= n { r = bits(k) }
        return r
    }

    /// `random.gauss(mu, sigma)`.
    mutating func gauss(_ mu: Double, _ sigma: Double) -> Double {
        var z: Double
        if let g = gaussNext {
            z = g
            gaussNext = nil
        } else {
            let x2pi = random() * 2 * Double.pi
            let g2rad = (-2.0 * log(1.0 - random())).squareRoot()
            z = cos(x2pi) * g2rad
            gaussNext = sin(x2pi) * g2rad
        }
        return mu + z * sigma
    }
}

extension Interpreter {
    func makeRandomModule() -> Namespace {
        func integer(_ a: BoundArguments, _ name: String) throws -> BigInt {
            let v = a.value(name)!
            guard let n = Number(v)?.bigInt, Number(v).map({ if case .float = $0 { return false }; return true }) ?? false else {
                throw PythonError(.TypeError, "'\(v.pyType.name)' object cannot be interpreted as an integer")
            }
            return n
        }
        func randrange(_ interp: Interpreter, _ start: BigInt, _ stop: BigInt?, _ step: BigInt) throws -> Value {
            guard let stop else {
                guard start > 0 else { throw PythonError(.ValueError, "empty range for randrange()") }
                return .integer(interp.pythonRandom.below(start))
            }
            let width = stop - start
            if step == 1 {
                guard width > 0 else { throw PythonError(.ValueError, "empty range in randrange(\(start), \(stop))") }
                return .integer(start + interp.pythonRandom.below(width))
            }
            guard step != 0 else { throw PythonError(.ValueError, "zero step for randrange()") }
            let n = step > 0 ? (width + step - 1) / step : (width + step + 1) / step
            guard n > 0 else { throw PythonError(.ValueError, "empty range for randrange()") }
            return .integer(start + step * interp.pythonRandom.below(n))
        }
        return Namespace(name: "random", attributes: [
            ("seed", function("seed", ["a=None", "version=2"]) { a in
                let v = a.value("a")!
                switch v {
                case .none:
                    var ts = timespec()
                    clock_gettime(CLOCK_REALTIME, &ts)
                    a.interpreter.pythonRandom = PythonRandom(seed: Int(ts.tv_nsec) ^ Int(ts.tv_sec))
                case .int, .bigInt, .bool:
                    a.interpreter.pythonRandom = PythonRandom(seed: try integer(a, "a"))
                case .float(let d):
                    a.interpreter.pythonRandom = PythonRandom(seed: BigInt(abs(d.rounded(.towardZero))))
                case .string, .tensor, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .slice,
                     .shape, .dtype, .ellipsis:
                    throw PythonError(.NotImplementedError, "random.seed() with a \(v.pyType.name) is not supported in Jacobi; use an int")
                }
                return .none
            }),
            ("random", function("random", []) { a in .float(a.interpreter.pythonRandom.random()) }),
            ("getrandbits", function("getrandbits", ["k", "/"]) { a in
                let k = try a.int("k")
                guard k >= 0 else { throw PythonError(.ValueError, "number of bits must be non-negative") }
                return .integer(a.interpreter.pythonRandom.bits(k))
            }),
            ("randrange", function("randrange", ["start", "stop=None", "step=1"]) { a in
                try randrange(a.interpreter, try integer(a, "start"), a.has("stop") ? try integer(a, "stop") : nil, try integer(a, "step"))
            }),
            ("randint", function("randint", ["a", "b"]) { a in
                try randrange(a.interpreter, try integer(a, "a"), try integer(a, "b") + 1, 1)
            }),
            ("choice", function("choice", ["seq"]) { a in
                let items = try a.interpreter.collect(a.value("seq")!, range: a.range)
                guard !items.isEmpty else { throw PythonError(.IndexError, "Cannot choose from an empty sequence") }
                return items[Int(a.interpreter.pythonRandom.below(BigInt(items.count)))]
            }),
            ("shuffle", function("shuffle", ["x"]) { a in
                guard case .list(let l)? = a.value("x") else { throw PythonError(.TypeError, "shuffle() needs a list") }
                var i = l.items.count - 1
                while i > 0 {
                    let j = Int(a.interpreter.pythonRandom.below(BigInt(i + 1)))
                    l.items.swapAt(i, j)
                    i -= 1
                }
                return .none
            }),
            ("sample", function("sample", ["population", "k", "|counts=None"]) { a in
                let population = try a.interpreter.collect(a.value("population")!, range: a.range)
                let n = population.count, k = try a.int("k")
                guard k >= 0 && k <= n else { throw PythonError(.ValueError, "Sample larger than population or is negative") }
                var result = [Value](repeating: .none, count: k)
                var setsize = 21
                if k > 5 { setsize += Int(pow(4.0, ceil(log(Double(k * 3)) / log(4.0)))) }
                if n <= setsize {
                    var pool = population
                    for i in 0..<k {
                        let j = Int(a.interpreter.pythonRandom.below(BigInt(n - i)))
                        result[i] = pool[j]
                        pool[j] = pool[n - i - 1]
                    }
                } else {
                    var selected = Set<Int>()
                    for i in 0..<k {
                        var j = Int(a.interpreter.pythonRandom.below(BigInt(n)))
                        while selected.contains(j) { j = Int(a.interpreter.pythonRandom.below(BigInt(n))) }
                        selected.insert(j)
                        result[i] = population[j]
                    }
                }
                return .list(result)
            }),
            ("uniform", function("uniform", ["a", "b"]) { a in
                let lo = try a.double("a"), hi = try a.double("b")
                return .float(lo + (hi - lo) * a.interpreter.pythonRandom.random())
            }),
            ("gauss", function("gauss", ["mu=0.0", "sigma=1.0"]) { a in
                .float(a.interpreter.pythonRandom.gauss(try a.double("mu"), try a.double("sigma")))
            }),
        ])
    }
}
