/// The 32-bit Mersenne Twister (MT19937): the engine under PyTorch's CPU generator (seeded with
/// one word, `init_genrand`) and under Python's `random` (seeded with an array, `init_by_array`).
///
/// ```swift
/// var torchEngine = MersenneTwister(seed: 0)         // torch.manual_seed(0)
/// var pythonEngine = MersenneTwister(key: [0])       // random.seed(0)
/// let bits = torchEngine.next32()
/// ```
public struct MersenneTwister: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// Seeded with one 32-bit word (`init_genrand`), as PyTorch seeds it.
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    /// Seeded with an array of 32-bit words (`init_by_array`), as CPython's `random.seed(n)`
    /// seeds it with the words of `n`, least significant first.
    public init(key: [UInt32]) {
        self.init(seed: 19_650_218)
        let key = key.isEmpty ? [0] : key
        var i = 1, j = 0
        var k = max(624, key.count)
        while k > 0 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            if j >= key.count { j = 0 }
            k -= 1
        }
        k = 623
        while k > 0 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
            k -= 1
        }
        state[0] = 0x8000_0000
    }

    /// The next 32 random bits.
    public mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            var v = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            state[i] = v
        }
        index = 0
    }
}
