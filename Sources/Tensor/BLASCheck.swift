/// Compares `Tensor.dotGeneral` (BLAS) with a naive triple loop in float32 and float64, for all
/// four transpose combinations and odd sizes, on whatever kernel OpenBLAS runs here.
///
/// ```swift
/// let r = BLASCheck.run()
/// r.passed   // true
/// ```
public enum BLASCheck {
    /// The outcome: pass/fail and one line per case.
    public struct Report {
        /// Whether every case agreed.
        public var passed: Bool
        /// One line per failing case and a summary.
        public var text: String
    }

    /// Runs every case.
    public static func run() -> Report {
        var lines = ["BLAS check on kernel \(BLASInfo.coreName):"]
        var ok = true
        var g = Generator(seed: 42)
        for dtype in [DType.float32, .float64] {
            for (m, n, k) in [(1, 1, 1), (3, 5, 7), (17, 33, 65), (64, 64, 64), (127, 1, 255), (96, 130, 257)] {
                for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                    let a = Tensor.uniform(ta ? [k, m] : [m, k], from: -1, to: 1, dtype: dtype, generator: &g)
                    let b = Tensor.uniform(tb ? [n, k] : [k, n], from: -1, to: 1, dtype: dtype, generator: &g)
                    let dims = DotDimensions(lhsContracting: [ta ? 0 : 1], rhsContracting: [tb ? 1 : 0])
                    guard let c = try? Tensor.dotGeneral(a, b, dims) else { ok = false; continue }
                    let av = a.doubles, bv = b.doubles, cv = c.doubles
                    var worst = 0.0
                    for i in 0..<m { for j in 0..<n {
                        var s = 0.0, mag = 0.0
                        for p in 0..<k {
                            let x = ta ? av[p * m + i] : av[i * k + p]
                            let y = tb ? bv[j * k + p] : bv[p * n + j]
                            s += x * y; mag += abs(x * y)
                        }
                        let eps = dtype == .float32 ? 1.2e-7 : 2.3e-16
                        worst = max(worst, abs(cv[i * n + j] - s) / (mag * eps * Double(k) + 1e-30))
                    } }
                    let pass = worst <= 1
                    ok = ok && pass
                    if !pass {
                        lines.append("  FAIL \(dtype.rawValue) m=\(m) n=\(n) k=\(k) transA=\(ta) transB=\(tb): error \(worst) x bound")
                    }
                }
            }
        }
        lines.append(ok ? "  all 48 cases agree with the naive loop" : "  some cases differ")
        return Report(passed: ok, text: lines.joined(separator: "\n"))
    }
}
