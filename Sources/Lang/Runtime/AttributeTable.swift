/// Named values in the order they were first set: the `__dict__` of instances, classes and
/// modules (`dir()`, `vars()` and printing follow the order).
///
/// ```swift
/// var table = AttributeTable()
/// table.set("weight", .int(1))
/// table.set("bias", .int(2))
/// table.order          // ["weight", "bias"]
/// table.set("weight", nil)
/// table.values.keys    // ["bias"]
/// ```
public struct AttributeTable {
    /// The values by name.
    public private(set) var values: [String: Value] = [:]
    /// The names in the order they were first set.
    public private(set) var order: [String] = []

    /// An empty table.
    public init() {}

    /// Sets `name` (appended to the order if new), or with nil removes it.
    public mutating func set(_ name: String, _ value: Value?) {
        if let value {
            if values.updateValue(value, forKey: name) == nil { order.append(name) }
        } else if values.removeValue(forKey: name) != nil {
            order.removeAll { $0 == name }
        }
    }
}
