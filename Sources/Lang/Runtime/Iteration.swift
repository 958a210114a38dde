/// Python's iterator protocol: `next()` gives the next item or nil when exhausted. Iterators are
/// lazy, so `for i in range(10**9): ... break` and generator expressions cost what they use.
///
/// ```swift
/// let it = PyIterator([.int(1), .int(2)])
/// while let v = try it.next() { ... }
/// ```
public final class PyIterator {
    private let nextItem: () throws -> Value?
    private var finished = false

    /// An iterator from a closure that returns nil when done.
    public init(_ next: @escaping () throws -> Value?) { self.nextItem = next }

    /// An iterator over an array.
    public convenience init(_ items: [Value]) {
        var i = 0
        self.init { () -> Value? in
            guard i < items.count else { return nil }
            defer { i += 1 }
            return items[i]
        }
    }

    /// The next item, or nil at the end (and ever after).
    public func next() throws -> Value? {
        if finished { return nil }
        guard let v = try nextItem() else { finished = true; return nil }
        return v
    }
}
