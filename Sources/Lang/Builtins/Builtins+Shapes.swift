import Tensor
import AD

extension Interpreter {
    // MARK: - Shapes, dtypes, joining

    func registerShapeBuiltins() {
        let t = "shapes"
        registry.add("reshape", ["input", "*shape"], topic: t, method: true, summary: "same elements, new shape (one -1 allowed)",
                     aliases: ["view"]) { a in
            .tensor(try a.tensor("input").view(try a.sizes("shape")))
        }
        registry.add("permute", ["input", "*dims"], topic: t, method: true, summary: "reorder dimensions") { a in
            .tensor(try a.tensor("input").permute(try a.sizes("dims")))
        }
        registry.add("transpose", ["input", "dim0", "dim1"], topic: t, method: true, summary: "swap two dimensions",
                     aliases: ["swapaxes", "swapdims"]) { a in
            .tensor(try a.tensor("input").transpose(try a.int("dim0"), try a.int("dim1")))
        }
        registry.add("t", ["input"], topic: t, method: true, summary: "transpose of a matrix (<= 2-D)") { a in
            let x = try a.tensor("input")
            guard x.rank <= 2 else { throw a.fail("expects a tensor with <= 2 dimensions, got \(x.shape)", hint: "use transpose(dim0, dim1) or .mT") }
            return .tensor(x.rank < 2 ? x : try x.transpose(0, 1))
        }
        registry.add("unsqueeze", ["input", "dim"], topic: t, method: true, summary: "insert a dimension of size 1", aliases: ["expand_dims"]) { a in
            .tensor(try a.tensor("input").unsqueeze(try a.int("dim")))
        }
        registry.add("squeeze", ["input", "dim=None"], topic: t, method: true, summary: "remove dimensions of size 1") { a in
            .tensor(try a.tensor("input").squeeze(try a.optionalInt("dim")))
        }
        registry.add("flatten", ["input", "start_dim=0", "end_dim=-1"], topic: t, method: true, summary: "merge dimensions start_dim..end_dim") { a in
            .tensor(try a.tensor("input").flatten(try a.int("start_dim", default: 0), try a.int("end_dim", default: -1)))
        }
        registry.add("expand", ["input", "*sizes"], topic: t, method: true, summary: "broadcast to a larger shape (-1 keeps a size)",
                     aliases: ["broadcast_to"]) { a in
            .tensor(try a.tensor("input").expand(try a.sizes("sizes")))
        }
        registry.add("movedim", ["input", "source", "destination"], topic: t, method: true, summary: "move one dimension", aliases: ["moveaxis"]) { a in
            .tensor(try a.tensor("input").movedim(try a.int("source"), try a.int("destination")))
        }
        registry.add("cat", ["tensors", "dim=0"], topic: t, summary: "join tensors along an existing dimension",
                     aliases: ["concat", "concatenate"]) { a in
            let parts = try self.iterate(a.value("tensors")!, range: a.range).map { try self.toOperand($0, what: "cat", range: a.range) }
            return .tensor(try Operand.cat(parts, dim: try a.int("dim", default: 0)))
        }
        registry.add("stack", ["tensors", "dim=0"], topic: t, summary: "join tensors along a new dimension") { a in
            let parts = try self.iterate(a.value("tensors")!, range: a.range).map { try self.toOperand($0, what: "stack", range: a.range) }
            return .tensor(try Operand.stack(parts, dim: try a.int("dim", default: 0)))
        }
        registry.add("size", ["input", "dim=None"], topic: t, method: true, summary: "the shape, or the size of one dimension") { a in
            let x = try a.tensor("input")
            guard let d = try a.optionalInt("dim") else { return .shape(x.shape) }
            return .int(x.shape[try x.shape.axis(d, op: "size")])
        }
        registry.add("numel", ["input"], topic: t, method: true, summary: "number of elements") { a in .int(try a.tensor("input").shape.elementCount) }
        registry.add("dim", ["input"], topic: t, method: true, summary: "number of dimensions", aliases: ["ndimension"]) { a in .int(try a.tensor("input").rank) }
        registry.add("to", ["input", "dtype"], topic: t, method: true, summary: "convert to a dtype (devices are ignored: Jacobi runs on the CPU)") { a in
            let x = try a.tensor("input")
            if case .string(let s) = a.value("dtype")!, parseDType(s) == nil { return .tensor(x) }   // x.to("cpu")
            guard let d = try a.dtype("dtype") else { return .tensor(x) }
            return .tensor(try x.converted(to: d))
        }
        for (name, d) in [("float", DType.float32), ("double", .float64), ("long", .int64), ("bool", .bool)] {
            registry.add(name, ["input=0"], topic: t, method: true, summary: "convert to \(d.torchName)") { a in
                let v = a.value("input") ?? .int(0)
                if case .tensor(let x) = v { return .tensor(try x.converted(to: d)) }
                switch name {
                case "float":
                    if case .string(let text) = v {
                        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
                        switch t {
                        case "nan", "+nan", "-nan": return .float(.nan)
                        case "inf", "+inf", "infinity": return .float(.infinity)
                        case "-inf", "-infinity": return .float(-.infinity)
                        default:
                            guard let d = Double(t) else { throw a.fail("could not convert string to float: '\(text)'") }
                            return .float(d)
                        }
                    }
                    return .float(try a.double("input", default: 0))
                case "bool": return .bool(try self.truthy(v, range: a.range))
                default: return .tensor(try self.toOperand(v, what: name, range: a.range, dtype: d))
                }
            }
        }
        registry.add("item", ["input"], topic: t, method: true, summary: "the single number in a one-element tensor") { a in
            let x = try a.tensor("input").requireConcrete("item()")
            guard x.elementCount == 1 else { throw a.fail("a Tensor with \(x.elementCount) elements cannot be converted to a Python number") }
            switch x.dtype {
            case .float32, .float64: return .float(x.scalarValue!)
            case .int64: return .int(Int(x.scalarValue!))
            case .bool: return .bool(x.scalarValue! != 0)
            }
        }
        registry.add("tolist", ["input"], topic: t, method: true, summary: "nested Python lists") { a in
            let x = try a.tensor("input").requireConcrete("tolist()")
            let flat = x.doubles
            func number(_ d: Double) -> Value {
                switch x.dtype {
                case .float32, .float64: return .float(d)
                case .int64: return .int(Int(d))
                case .bool: return .bool(d != 0)
                }
            }
            func build(_ dim: Int, _ offset: Int) -> Value {
                if dim == x.rank { return number(flat[offset]) }
                let stride = x.shape.dims[(dim + 1)...].reduce(1, *)
                return .list((0..<x.shape[dim]).map { build(dim + 1, offset + $0 * stride) })
            }
            return build(0, 0)
        }
    }
}

import Foundation
