import Tensor
import AD

extension Interpreter {
    // MARK: - Shapes, dtypes, joining

    func registerShapeBuiltins() {
        let t = "shapes"
        registry.add("reshape", ["input", "*shape"], topic: t, method: true, summary: "same elements, new shape (one -1 allowed)") { a in
            let dims = try a.sizes("shape")
            for d in dims where d < -1 { throw PythonError(.RuntimeError, "invalid shape dimension \(d)", at: a.range) }
            return .tensor(try a.tensor("input").view(dims))
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
            .tensor(try a.tensor("input").flatten(try a.int("start_dim"), try a.int("end_dim")))
        }
        registry.add("expand", ["input", "*sizes"], topic: t, method: true, summary: "broadcast to a larger shape (-1 keeps a size)",
                     aliases: ["broadcast_to"]) { a in
            let dims = try a.sizes("sizes")
            _ = try self.checkedShape(dims.map { max($0, 0) })
            return .tensor(try a.tensor("input").expand(dims))
        }
        registry.add("movedim", ["input", "source", "destination"], topic: t, method: true, summary: "move one dimension", aliases: ["moveaxis"]) { a in
            .tensor(try a.tensor("input").movedim(try a.int("source"), try a.int("destination")))
        }
        registry.add("cat", ["tensors", "dim=0"], topic: t, summary: "join tensors along an existing dimension",
                     aliases: ["concat", "concatenate"]) { a in
            let parts = try self.collect(a.value("tensors")!, range: a.range).map { try self.toOperand($0, what: "cat", range: a.range) }
            return .tensor(try Operand.cat(parts, dim: try a.int("dim")))
        }
        registry.add("stack", ["tensors", "dim=0"], topic: t, summary: "join tensors along a new dimension") { a in
            let parts = try self.collect(a.value("tensors")!, range: a.range).map { try self.toOperand($0, what: "stack", range: a.range) }
            return .tensor(try Operand.stack(parts, dim: try a.int("dim")))
        }
        registry.add("size", ["input", "dim=None"], topic: t, method: true, summary: "the shape, or the size of one dimension") { a in
            let x = try a.tensor("input")
            guard let d = try a.optionalInt("dim") else { return .shape(x.shape) }
            let axis = try x.shape.axis(d, op: "size")
            guard x.rank > 0 else { throw PythonError(.IndexError, "dimension specified as \(d) but tensor has no dimensions", at: a.range) }
            return .int(x.shape[axis])
        }
        registry.add("numel", ["input"], topic: t, method: true, summary: "number of elements") { a in .int(try a.tensor("input").shape.elementCount) }
        registry.add("dim", ["input"], topic: t, method: true, summary: "number of dimensions", aliases: ["ndimension"]) { a in .int(try a.tensor("input").rank) }
        registry.add("to", ["input", "*args", "**kwargs"], topic: t, method: true,
                     summary: "convert to a dtype (x.to(torch.float64)); devices other than the CPU are refused") { a in
            var x = try a.tensor("input")
            for v in a.rest + a.keywordExtras.map(\.1) {
                switch v {
                case .dtype(let d): x = try x.converted(to: d)
                case .tensor(let other): x = try x.converted(to: other.dtype)
                case .string(let s):
                    guard s == "cpu" || s.hasPrefix("cpu:") else {
                        throw PythonError(.RuntimeError, "Jacobi runs on the CPU: there is no '\(s)' device", at: a.range,
                                          hint: "remove .to('\(s)'); tensors are already on the CPU")
                    }
                case .instance(let i) where i.cls === BuiltinTypes.device: break
                case .bool, .none: break
                case .int, .bigInt, .float, .list, .tuple, .dict, .set, .function, .type, .instance, .module, .namespace, .slice,
                     .shape, .ellipsis:
                    throw a.fail("to() received an invalid combination of arguments: \(v.pyType.name)")
                }
            }
            return .tensor(x)
        }
        for (name, d) in [("float", DType.float32), ("double", .float64), ("half", .float16), ("bfloat16", .bfloat16),
                          ("long", .int64), ("int", .int32), ("short", .int16), ("char", .int8), ("byte", .uint8),
                          ("bool", .bool)] {
            registry.add(name, ["input", "memory_format=None"], topic: t, method: true, summary: "convert to \(d.torchName)") { a in
                .tensor(try a.tensor("input").converted(to: d))
            }
        }
        registry.add("item", ["input"], topic: t, method: true, summary: "the single number in a one-element tensor") { a in
            let x = try a.tensor("input").requireConcrete("item()")
            guard x.elementCount == 1 else {
                throw PythonError(.RuntimeError, "a Tensor with \(x.elementCount) elements cannot be converted to Scalar", at: a.range)
            }
            if x.dtype.isFloatingPoint { return .float(x.scalarValue!) }
            if x.dtype.isInteger { return .int(Int(x.scalarValue!)) }
            return .bool(x.scalarValue! != 0)
        }
        registry.add("tolist", ["input"], topic: t, method: true, summary: "nested Python lists") { a in
            let x = try a.tensor("input").requireConcrete("tolist()")
            let flat = x.doubles
            func number(_ d: Double) -> Value {
                if x.dtype.isFloatingPoint { return .float(d) }
                if x.dtype.isInteger { return .int(Int(d)) }
                return .bool(d != 0)
            }
            try self.checkAllocation(elements: x.elementCount, bytesPerElement: 24, what: "tolist() of \(x.elementCount) elements")
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
