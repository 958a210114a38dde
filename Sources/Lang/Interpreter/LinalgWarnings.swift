import Tensor
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    /// Runs `body` with a fresh `LinalgReport` installed, then prints what the linear-algebra
    /// kernels found (NaN or Inf, singular, rank-deficient or ill-conditioned matrices) as
    /// warnings. The results and the session stay: Jacobi tells you where, and carries on.
    func reportingLinalgIssues<T>(_ body: () throws -> T) throws -> T {
        let report = LinalgReport()
        defer { for line in linalgWarnings(report.issues) { warn(line) } }
        return try LinalgReport.$current.withValue(report) { try body() }
    }
}

/// The warnings for `issues`: one line per operation and kind of problem, naming the batch
/// elements (their indices in the leading dimensions of the operand).
///
/// ```swift
/// linalgWarnings([LinalgIssue(op: "pinv", index: 2, batchShape: [4], kind: .rankDeficient(rank: 3, full: 4))])
/// // ["pinverse: batch element 2 of 4 is rank-deficient (rank 3 of 4): singular values at or below the cut-off were dropped"]
/// ```
func linalgWarnings(_ issues: [LinalgIssue]) -> [String] {
    enum Category: Int { case nonFinite, singular, rankDeficient, illConditioned }
    func category(_ k: LinalgIssue.Kind) -> Category {
        switch k {
        case .nonFinite: return .nonFinite
        case .singular: return .singular
        case .rankDeficient: return .rankDeficient
        case .illConditioned: return .illConditioned
        }
    }
    var groups: [(op: String, category: Category, items: [LinalgIssue])] = []
    for i in issues {
        let c = category(i.kind)
        if let g = groups.firstIndex(where: { $0.op == i.op && $0.category == c }) { groups[g].items.append(i) }
        else { groups.append((i.op, c, [i])) }
    }
    return groups.map { g in
        let name = displayName(g.op)
        let batch = g.items[0].batchShape
        func detail(_ k: LinalgIssue.Kind) -> String? {
            switch k {
            case .nonFinite: return nil
            case .singular(let pivot): return "pivot \(pivot) of the LU factorisation is exactly zero"
            case .rankDeficient(let rank, let full): return "rank \(rank) of \(full)"
            case .illConditioned(let cond):
                return "cond \(formatCondition(cond)), about \(Int((cond.isFinite ? log10(cond) : 99).rounded())) digits lost"
            }
        }
        let listed = g.items.prefix(6)
        let more = g.items.count > 6 ? " and \(g.items.count - 6) more" : ""
        let subject: String
        var details = listed.compactMap { detail($0.kind) }
        if batch.rank == 0 {
            subject = "the matrix"
        } else {
            let of = " of \(batch.rank == 1 ? String(batch[0]) : batch.description)"
            subject = (g.items.count == 1 ? "batch element " : "batch elements ")
                + listed.map { elementName($0.index, batch) }.joined(separator: ", ") + more + of
            if listed.count > 1 && Set(details).count > 1 {
                details = listed.compactMap { i in detail(i.kind).map { elementName(i.index, batch) + ": " + $0 } }
            } else {
                details = Array(details.prefix(1))
            }
        }
        let verb = batch.rank == 0 || g.items.count == 1 ? "is" : "are"
        let single = details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")"
        let there = batch.rank == 0 ? "" : " there"
        switch g.category {
        case .nonFinite:
            return "\(name): \(subject) \(verb == "is" ? "holds" : "hold") NaN or Inf; the result\(there) is NaN (isnan(x).any() finds where it came from)"
        case .singular:
            return "\(name): \(subject) \(verb) singular\(single); the result\(there) is NaN (pinverse(A) gives the least-squares inverse)"
        case .rankDeficient:
            return "\(name): \(subject) \(verb) rank-deficient\(single): singular values at or below the cut-off were dropped"
        case .illConditioned:
            let advice = g.op == "pinv" ? "a larger rcond (pinverse) or rtol (linalg.pinv) drops the smallest singular values"
                : "pinverse(A, rcond=...) drops the smallest singular values"
            return "\(name): \(subject) \(verb) ill-conditioned\(single); expect large errors (\(advice))"
        }
    }
}

/// The user-facing name of a `LinalgOp` in warnings.
private func displayName(_ op: String) -> String {
    switch op {
    case "pinv": return "pinverse"
    case "logabsdet", "sign_det": return "slogdet"
    case "svd_u", "svd_s", "svd_vh": return "svd"
    default: return op
    }
}

/// `3` for a flat batch, `(0, 2)` for a batch of several dimensions.
private func elementName(_ index: Int, _ batch: Shape) -> String {
    guard batch.rank > 1 else { return String(index) }
    var rest = index, parts = [Int](repeating: 0, count: batch.rank)
    for d in stride(from: batch.rank - 1, through: 0, by: -1) { parts[d] = rest % batch[d]; rest /= batch[d] }
    return "(" + parts.map(String.init).joined(separator: ", ") + ")"
}

/// A condition number in a short scientific form, `3.2e+09`, or `inf`.
private func formatCondition(_ c: Double) -> String {
    guard c.isFinite else { return "inf" }
    let exponent = Int(floor(log10(c)))
    let mantissa = c / pow(10, Double(exponent))
    let m = (mantissa * 10).rounded() / 10
    return "\(m)e\(exponent >= 0 ? "+" : "-")\(abs(exponent) < 10 ? "0" : "")\(abs(exponent))"
}
