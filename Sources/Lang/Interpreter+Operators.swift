import Tensor
import AD
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    // MARK: - Converting values to tensors

    /// A tensor from a value: tensors as they are; numbers and (nested) lists/tuples of numbers
    /// become tensors with PyTorch's dtype inference (ints -> int64, any float -> float32, bools -> bool).
    public func toOperand(_ v: Value, what: String, range: SourceRange?, dtype: DType? = nil) throws -> Operand {
        if case .tensor(let o) = v { return try dtype.map { try o.converted(to: $0) } ?? o }
        var shape: [Int] = []
        var leaves: [Value] = []
        var tensors: [Operand] = []
        func walk(_ x: Value, depth: Int) throws {
            switch x {
            case .list(let a), .tuple(let a):
                if depth == shape.count { shape.append(a.count) } else if depth > shape.count || shape[depth] != a.count {
                    throw Diagnostic(.error, "\(what): nested lists have inconsistent lengths (expected \(depth < shape.count ? shape[depth] : 0) at depth \(depth), got \(a.count))", range: range)
                }
                for e in a { try walk(e, depth: depth + 1) }
            case .shape(let s):
                try walk(.list(s.dims.map { .int($0) }), depth: depth)
            case .tensor(let o):
                tensors.append(o)
                leaves.append(x)
            case .int, .float, .bool:
                leaves.append(x)
            default:
                throw Diagnostic(.error, "\(what): expected a tensor or numbers, got \(x.typeName)", range: range)
            }
        }
        try walk(v, depth: 0)
        if !tensors.isEmpty {
            // A list of tensors: stack them (torch.tensor refuses this; stack is what users mean).
            let items = try leaves.map { try toOperand($0, what: what, range: range) }
            return try wrap(range) { try Operand.stack(items, dim: 0) }
        }
        let inferred: DType
        if leaves.contains(where: { if case .float = $0 { return true }; return false }) { inferred = .float32 }
        else if leaves.allSatisfy({ if case .bool = $0 { return true }; return false }) && !leaves.isEmpty { inferred = .bool }
        else if leaves.isEmpty { inferred = .float32 }
        else { inferred = .int64 }
        let values = leaves.map { x -> Double in
            switch x {
            case .int(let i): return Double(i)
            case .float(let d): return d
            case .bool(let b): return b ? 1 : 0
            default: return 0
            }
        }
        return .tensor(Tensor(shape: Shape(shape), doubles: values, dtype: dtype ?? inferred))
    }

    /// A Python number as a 0-d tensor that takes the other operand's dtype when that is
    /// compatible (PyTorch's "weak" scalar typing): `x * 2` keeps x's float32.
    func scalarOperand(_ v: Value, like other: Operand) -> Operand? {
        switch v {
        case .int(let i): return .scalar(Double(i), other.dtype == .bool ? .int64 : other.dtype)
        case .bool(let b): return .scalar(b ? 1 : 0, other.dtype)
        case .float(let d): return .scalar(d, other.dtype.isFloatingPoint ? other.dtype : .float32)
        default: return nil
        }
    }

    /// Both operands as tensors, if either is a tensor.
    func tensorPair(_ a: Value, _ b: Value, range: SourceRange?) throws -> (Operand, Operand)? {
        switch (a, b) {
        case (.tensor(let x), .tensor(let y)): return (x, y)
        case (.tensor(let x), _):
            if let y = scalarOperand(b, like: x) { return (x, y) }
            return (x, try toOperand(b, what: "operand", range: range))
        case (_, .tensor(let y)):
            if let x = scalarOperand(a, like: y) { return (x, y) }
            return (try toOperand(a, what: "operand", range: range), y)
        default: return nil
        }
    }

    // MARK: - Operators

    func unaryOperation(_ op: UnaryOperator, _ v: Value, range: SourceRange) throws -> Value {
        switch (op, v) {
        case (.not, _): return .bool(!(try truthy(v, range: range)))
        case (.negate, .int(let i)): return .int(-i)
        case (.negate, .float(let d)): return .float(-d)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .tensor(let o)): return .tensor(try o.unary(o.dtype == .bool ? .not : .neg))
        case (.plus, .int), (.plus, .float), (.plus, .tensor): return v
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.invert, .tensor(let o)):
            guard o.dtype == .bool else { throw TensorError("~ (bitwise not) is only supported for bool tensors here") }
            return .tensor(try o.unary(.not))
        default:
            throw Diagnostic(.error, "bad operand type for unary \(op.rawValue): '\(v.typeName)'", range: range)
        }
    }

    func binaryOperation(_ op: BinaryOperator, _ a: Value, _ b: Value, range: SourceRange) throws -> Value {
        if let (x, y) = try tensorPair(a, b, range: range) { return .tensor(try tensorBinary(op, x, y)) }
        switch (a, b) {
        case (.int, .int), (.int, .bool), (.bool, .int), (.bool, .bool):
            return try intBinary(op, intValue(a), intValue(b), range: range)
        case (.int, .float), (.float, .int), (.float, .float), (.bool, .float), (.float, .bool):
            return try floatBinary(op, doubleValue(a), doubleValue(b), range: range)
        case (.string(let x), .string(let y)) where op == .add: return .string(x + y)
        case (.string(let x), .int(let n)) where op == .multiply: return .string(String(repeating: x, count: max(0, n)))
        case (.list(let x), .list(let y)) where op == .add: return .list(x + y)
        case (.tuple(let x), .tuple(let y)) where op == .add: return .tuple(x + y)
        case (.list(let x), .int(let n)) where op == .multiply: return .list(Array([[Value]](repeating: x, count: max(0, n)).joined()))
        case (.tuple(let x), .int(let n)) where op == .multiply: return .tuple(Array([[Value]](repeating: x, count: max(0, n)).joined()))
        case (.string(let fmt), _) where op == .modulo: return .string(try percentFormat(fmt, b, range: range))
        default:
            throw Diagnostic(.error, "unsupported operand types for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'", range: range)
        }
    }

    func tensorBinary(_ op: BinaryOperator, _ x: Operand, _ y: Operand) throws -> Operand {
        switch op {
        case .add: return try x + y
        case .subtract: return try x - y
        case .multiply: return try x * y
        case .divide:
            // True division: integer tensors divide as float32 (as PyTorch).
            let (p, q) = try Operand.promoted(x, y)
            if !p.dtype.isFloatingPoint { return try p.converted(to: .float32) / q.converted(to: .float32) }
            return try p / q
        case .floorDivide:
            let (p, q) = try Operand.promoted(x, y)
            if !p.dtype.isFloatingPoint { return try Operand.binary(.div, p, q) }
            return try (p / q).unary(.floor)
        case .modulo: return try Operand.binary(.remainder, x, y)
        case .power:
            return try Operand.binary(.pow, x, y)
        case .matmul: return try x.matmul(y)
        case .bitAnd: return try Operand.binary(.and, x, y)
        case .bitOr: return try Operand.binary(.or, x, y)
        case .bitXor: return try Operand.binary(.xor, x, y)
        }
    }

    func intValue(_ v: Value) -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
    }

    func doubleValue(_ v: Value) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return .nan
        }
    }

    func intBinary(_ op: BinaryOperator, _ x: Int, _ y: Int, range: SourceRange) throws -> Value {
        func zero() -> Diagnostic { Diagnostic(.error, "division by zero", range: range) }
        switch op {
        case .add: return .int(x &+ y)
        case .subtract: return .int(x &- y)
        case .multiply: return .int(x &* y)
        case .divide:
            guard y != 0 else { throw zero() }
            return .float(Double(x) / Double(y))
        case .floorDivide:
            guard y != 0 else { throw zero() }
            let q = x / y
            return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
        case .modulo:
            guard y != 0 else { throw zero() }
            let m = x % y
            return .int((m != 0 && ((m < 0) != (y < 0))) ? m + y : m)
        case .power:
            if y < 0 { return .float(pow(Double(x), Double(y))) }
            var r = 1, b = x, e = y
            while e > 0 { if e & 1 == 1 { r = r &* b }; b = b &* b; e >>= 1 }
            return .int(r)
        case .matmul: throw Diagnostic(.error, "unsupported operand types for @: 'int' and 'int'", range: range)
        case .bitAnd: return .int(x & y)
        case .bitOr: return .int(x | y)
        case .bitXor: return .int(x ^ y)
        }
    }

    func floatBinary(_ op: BinaryOperator, _ x: Double, _ y: Double, range: SourceRange) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide:
            guard y != 0 else { throw Diagnostic(.error, "float division by zero", range: range) }
            return .float(x / y)
        case .floorDivide:
            guard y != 0 else { throw Diagnostic(.error, "float floor division by zero", range: range) }
            return .float((x / y).rounded(.down))
        case .modulo:
            guard y != 0 else { throw Diagnostic(.error, "float modulo", range: range) }
            let m = fmod(x, y)
            return .float((m != 0 && ((m < 0) != (y < 0))) ? m + y : m)
        case .power: return .float(pow(x, y))
        case .matmul, .bitAnd, .bitOr, .bitXor:
            throw Diagnostic(.error, "unsupported operand types for \(op.rawValue): 'float' and 'float'", range: range)
        }
    }

    func comparison(_ op: CompareOperator, _ a: Value, _ b: Value, range: SourceRange) throws -> Value {
        switch op {
        case .in, .notIn:
            let found: Bool
            switch b {
            case .list(let xs), .tuple(let xs): found = try xs.contains { try valuesEqual($0, a, range: range) }
            case .dict(let d): found = d[try dictKey(a, range: range)] != nil
            case .string(let s):
                guard case .string(let sub) = a else { throw Diagnostic(.error, "'in <string>' requires string as left operand", range: range) }
                found = s.contains(sub)
            case .shape(let s): found = s.dims.contains(intValue(a))
            default: throw Diagnostic(.error, "argument of type '\(b.typeName)' is not iterable", range: range)
            }
            return .bool(op == .in ? found : !found)
        case .is, .isNot:
            let same: Bool
            switch (a, b) {
            case (.none, .none): same = true
            case (.bool(let x), .bool(let y)): same = x == y
            case (.function(let f), .function(let g)): same = f === g
            default: same = false
            }
            return .bool(op == .is ? same : !same)
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
            let cmp: CompareOp
            switch op {
            case .less: cmp = .lt
            case .lessEqual: cmp = .le
            case .greater: cmp = .gt
            case .greaterEqual: cmp = .ge
            case .equal: cmp = .eq
            default: cmp = .ne
            }
            if let (x, y) = try tensorPair(a, b, range: range) { return .tensor(try Operand.compare(cmp, x, y)) }
            switch (a, b) {
            case (.int, .int), (.int, .float), (.float, .int), (.float, .float), (.bool, _), (_, .bool):
                let x = doubleValue(a), y = doubleValue(b)
                if x.isNaN && !isNumber(a) || y.isNaN && !isNumber(b) { break }
                return .bool(ordered(cmp, x, y))
            case (.string(let x), .string(let y)):
                return .bool(ordered(cmp, x, y))
            default: break
            }
            if cmp == .eq { return .bool(try valuesEqual(a, b, range: range)) }
            if cmp == .ne { return .bool(!(try valuesEqual(a, b, range: range))) }
            throw Diagnostic(.error, "'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'", range: range)
        }
    }

    /// A comparison of two comparable Python values.
    func ordered<T: Comparable>(_ cmp: CompareOp, _ x: T, _ y: T) -> Bool {
        switch cmp {
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        case .eq: return x == y
        case .ne: return x != y
        }
    }

    func isNumber(_ v: Value) -> Bool {
        switch v {
        case .int, .float, .bool: return true
        default: return false
        }
    }

    /// Python `==` for non-tensor values (shapes equal tuples and lists of the same ints).
    func valuesEqual(_ a: Value, _ b: Value, range: SourceRange?) throws -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.int, _), (.float, _), (.bool, _):
            return isNumber(b) && doubleValue(a) == doubleValue(b)
        case (.string(let x), .string(let y)): return x == y
        case (.shape(let s), _): return try valuesEqual(.tuple(s.dims.map { .int($0) }), b, range: range)
        case (_, .shape(let s)): return try valuesEqual(a, .tuple(s.dims.map { .int($0) }), range: range)
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)), (.list(let x), .tuple(let y)), (.tuple(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !(try valuesEqual(p, q, range: range)) { return false }
            return true
        case (.dtype(let x), .dtype(let y)): return x == y
        case (.function(let f), .function(let g)): return f === g
        case (.tensor, _), (_, .tensor):
            if case .tensor(let r) = try comparison(.equal, a, b, range: range ?? SourceRange(SourceLocation(offset: 0, line: 1, column: 1), SourceLocation(offset: 0, line: 1, column: 1))) {
                return try truthy(.tensor(try r.converted(to: .int64).extremum(max: false)), range: range)
            }
            return false
        default: return false
        }
    }

    /// `"%d items" % n` and `"%.3f" % (x,)`.
    func percentFormat(_ fmt: String, _ arg: Value, range: SourceRange) throws -> String {
        var args: [Value]
        if case .tuple(let a) = arg { args = a } else { args = [arg] }
        var out = ""
        var chars = Array(fmt)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else { out.append(c); continue }
            var spec = ""
            while let d = chars.first, !"sdfegrxi%".contains(d) { spec.append(d); chars = chars.dropFirst() }
            guard let conv = chars.first else { break }
            chars = chars.dropFirst()
            if conv == "%" { out += "%"; continue }
            guard !args.isEmpty else { throw Diagnostic(.error, "not enough arguments for format string", range: range) }
            let a = args.removeFirst()
            out += try formatSpec(String(conv), spec: spec, a, range: range)
        }
        return out
    }

    /// Formats one value with a printf-style conversion (`f`, `e`, `d`, `s`, `r`, `g`).
    func formatSpec(_ conv: String, spec: String, _ a: Value, range: SourceRange?) throws -> String {
        switch conv {
        case "s": return str(a)
        case "r": return repr(a)
        case "d", "i":
            return cFormat("%" + spec + "ld", Double(intValue(a)), integer: intValue(a))
        default:
            let d: Double
            if case .tensor(let o) = a, let t = o.concrete, t.elementCount == 1 { d = t.scalarValue! } else { d = doubleValue(a) }
            return cFormat("%" + spec + conv, d, integer: nil)
        }
    }

    func cFormat(_ format: String, _ d: Double, integer: Int?) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let n: Int32
        if let integer {
            n = withVaList([integer]) { vsnprintf(&buffer, 512, format, $0) }
        } else {
            n = withVaList([d]) { vsnprintf(&buffer, 512, format, $0) }
        }
        return n >= 0 ? String(cString: buffer) : format
    }
}
