/// JAX's counter-based random generator: the Threefry-2x32 block cipher (Salmon et al., "Parallel
/// random numbers: as easy as 1, 2, 3", 2011, with 20 rounds) and the key derivations JAX builds on
/// it, with JAX's defaults (`jax_threefry_partitionable` on, 32-bit seeds). A key is two `UInt32`s;
/// it is never advanced: new keys come from `split` and `foldIn`, and the bits of a draw of shape
/// `s` are the cipher applied to the row-major indices of `s` (as 64-bit counters, high word first).
///
/// ```swift
/// let key = Threefry.seed(0)                       // [0, 0]
/// Threefry.split(key, count: 2)                    // [[1797259609, 2579123966], [928981903, 3453687069]]
/// Threefry.bits32(key, count: 3)                   // the bits of jax.random.bits(key, (3,))
/// ```
public enum Threefry {
    /// A key: the two words of `jax.random.key_data(key)`.
    public typealias Key = (UInt32, UInt32)

    private static let rotations: [[UInt32]] = [[13, 15, 26, 6], [17, 29, 16, 24]]

    /// The cipher on one block `(x0, x1)` under `key`: five groups of four rounds, the key schedule
    /// (`k0, k1, k0 ^ k1 ^ 0x1BD11BDA`, rotating) injected after each group with its group number.
    @inline(__always)
    public static func hash(_ key: Key, _ x0: UInt32, _ x1: UInt32) -> (UInt32, UInt32) {
        let ks = [key.0, key.1, key.0 ^ key.1 ^ 0x1BD1_1BDA]
        var a = x0 &+ ks[0], b = x1 &+ ks[1]
        for group in 0..<5 {
            for r in rotations[group % 2] {
                a = a &+ b
                b = (b << r) | (b >> (32 - r))
                b ^= a
            }
            a = a &+ ks[(group + 1) % 3]
            b = b &+ ks[(group + 2) % 3] &+ UInt32(group + 1)
        }
        return (a, b)
    }

    /// `jax.random.PRNGKey(seed)`: the seed's low 32 bits, after its high 32 bits; with 64-bit
    /// types off (JAX's default) seeds are 32-bit and the high word is zero.
    public static func seed(_ seed: Int64, x64: Bool = false) -> Key {
        (x64 ? UInt32(truncatingIfNeeded: UInt64(bitPattern: seed) >> 32) : 0, UInt32(truncatingIfNeeded: seed))
    }

    /// The cipher applied to the counters `0 ..< count` (high word, low word): the two words of
    /// every draw of `count` elements.
    public static func counterBlocks(_ key: Key, count: Int) -> (hi: [UInt32], lo: [UInt32]) {
        var hi = [UInt32](repeating: 0, count: count), lo = hi
        for i in 0..<count {
            let c = UInt64(i)
            let (a, b) = hash(key, UInt32(truncatingIfNeeded: c >> 32), UInt32(truncatingIfNeeded: c))
            hi[i] = a; lo[i] = b
        }
        return (hi, lo)
    }

    /// `jax.random.split(key, count)`: key `i` is the cipher's block for counter `i`.
    public static func split(_ key: Key, count: Int) -> [Key] {
        let (hi, lo) = counterBlocks(key, count: count)
        return (0..<count).map { (hi[$0], lo[$0]) }
    }

    /// `jax.random.fold_in(key, data)`: the cipher applied to the key `data` seeds as a uint32.
    public static func foldIn(_ key: Key, _ data: Int64) -> Key {
        hash(key, 0, UInt32(truncatingIfNeeded: data))
    }

    /// `jax.random.bits(key, shape)` for 32-bit words: the two words of each block xor-ed.
    public static func bits32(_ key: Key, count: Int) -> [UInt32] {
        let (hi, lo) = counterBlocks(key, count: count)
        return (0..<count).map { hi[$0] ^ lo[$0] }
    }

    /// 64-bit words: the high word of each block, then the low one.
    public static func bits64(_ key: Key, count: Int) -> [UInt64] {
        let (hi, lo) = counterBlocks(key, count: count)
        return (0..<count).map { UInt64(hi[$0]) << 32 | UInt64(lo[$0]) }
    }
}
