import Tensor

extension Operand {
    /// `torch.einsum(equation, *operands)` for one or two operands (more are contracted left
    /// to right): repeated letters within an operand take its diagonal (`"bibj->bij"` keeps the
    /// diagonal blocks of a full batch Jacobian), shared letters not in the output are summed
    /// by one `dot_general`, letters only in the output order the result. `...` is not supported.
    ///
    /// ```swift
    /// try Operand.einsum("ij,jk->ik", [a, b])
    /// ```
    public static func einsum(_ equation: String, _ operands: [Operand]) throws -> Operand {
        let compact = equation.filter { !$0.isWhitespace }
        guard !compact.contains("...") else { throw TensorError("einsum: '...' is not supported; name every dimension") }
        let parts = compact.components(separatedBy: "->")
        let inputs = parts[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
        guard inputs.count == operands.count, !operands.isEmpty else {
            throw TensorError("einsum: the equation has \(inputs.count) operand(s) but \(operands.count) were given")
        }
        for (k, (spec, x)) in zip(inputs, operands).enumerated() where spec.count != x.rank || !spec.allSatisfy(\.isLetter) {
            throw TensorError("einsum: operand \(k) has \(x.rank) dimensions but '\(String(spec))' names \(spec.count)")
        }
        let output: [Character]
        if parts.count == 2 {
            output = Array(parts[1])
        } else {
            // Implicit output: letters that appear once, in alphabetical order.
            let all = inputs.flatMap { $0 }
            output = Set(all).filter { c in all.filter { $0 == c }.count == 1 }.sorted()
        }
        var size: [Character: Int] = [:]
        for (spec, x) in zip(inputs, operands) {
            for (c, d) in zip(spec, x.shape.dims) {
                if let s = size[c], s != d { throw TensorError("einsum: '\(c)' has size \(s) in one place and \(d) in another") }
                size[c] = d
            }
        }
        for c in output where size[c] == nil { throw TensorError("einsum: output letter '\(c)' appears in no operand") }

        /// Removes repeated letters of one operand by taking diagonals.
        func undiagonal(_ x: Operand, _ spec: [Character]) throws -> (Operand, [Character]) {
            var x = x, spec = spec
            while let (i, j) = firstRepeat(spec) {
                x = try x.diagonal(dim1: i, dim2: j)      // the pair becomes the last dimension
                let c = spec[i]
                spec.remove(at: j); spec.remove(at: i)
                spec.append(c)
            }
            return (x, spec)
        }
        func firstRepeat(_ s: [Character]) -> (Int, Int)? {
            for i in s.indices { for j in (i + 1)..<s.count where s[i] == s[j] { return (i, j) } }
            return nil
        }
        /// Sums letters that neither the output nor `keep` need.
        func sumOut(_ x: Operand, _ spec: [Character], keep: Set<Character>) throws -> (Operand, [Character]) {
            let axes = spec.indices.filter { !keep.contains(spec[$0]) }
            if axes.isEmpty { return (x, spec) }
            return (try x.reduceSum(axes), spec.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
        }

        var (acc, accSpec) = try undiagonal(operands[0], inputs[0])
        for k in 1..<max(1, operands.count) where operands.count > 1 {
            let (rhs, rhsSpec0) = try undiagonal(operands[k], inputs[k])
            let later = Set(inputs[(k + 1)...].flatMap { $0 })
            var keepL = Set(output).union(later).union(rhsSpec0)
            (acc, accSpec) = try sumOut(acc, accSpec, keep: keepL)
            let keepR = Set(output).union(later).union(accSpec)
            let (r, rSpec) = try sumOut(rhs, rhsSpec0, keep: keepR)
            keepL = Set(output).union(later)
            let shared = accSpec.filter { rSpec.contains($0) }
            let batch = shared.filter { keepL.contains($0) }
            let contract = shared.filter { !keepL.contains($0) }
            let dims = DotDimensions(lhsContracting: contract.map { accSpec.firstIndex(of: $0)! },
                                     rhsContracting: contract.map { rSpec.firstIndex(of: $0)! },
                                     lhsBatch: batch.map { accSpec.firstIndex(of: $0)! },
                                     rhsBatch: batch.map { rSpec.firstIndex(of: $0)! })
            let product = try Operand.dot(acc, r, dims)
            accSpec = batch + accSpec.filter { !shared.contains($0) } + rSpec.filter { !shared.contains($0) }
            acc = product
        }
        (acc, accSpec) = try sumOut(acc, accSpec, keep: Set(output))
        // Letters of the output missing here cannot happen (checked above); order them.
        return try acc.permuted(output.map { accSpec.firstIndex(of: $0)! })
    }
}

import Foundation
