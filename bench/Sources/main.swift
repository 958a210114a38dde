// jacobi-bench: GEMM throughput on this machine's BLAS kernel, and batched-Jacobian workloads
// through the AD core. `make bench` runs it (release build). Medians of repeated runs.
import Tensor
import AD

AllocatorTuning.keepFreedMemoryForReuse()

/// Median seconds of `body` over repeated runs (at least `minRuns`, about `budget` seconds).
func median(minRuns: Int = 5, budget: Double = 0.5, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    let start = now()
    repeat {
        let t0 = now()
        try body()
        times.append(now() - t0)
    } while times.count < minRuns || (now() - start < budget && times.count < 1000)
    times.sort()
    return times[times.count / 2]
}

func fixed(_ x: Double, _ digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    return String(r)
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

let args = CommandLine.arguments.dropFirst()
let only = args.first

print("jacobi-bench: OpenBLAS kernel \(BLASInfo.coreName), \(BLASInfo.threads) thread(s)")

// MARK: - GEMM

var peak = 0.0
if only == nil || only == "gemm" {
    print("\nGEMM (C = A B, square n x n), median of repeated runs")
    print(pad("dtype", 9) + pad("n", 7) + pad("median", 14) + "GFLOP/s")
    var g = Generator(seed: 1)
    for dtype in [DType.float32, .float64] {
        for n in [64, 256, 1024] {
            let a = Tensor.uniform([n, n], from: -1, to: 1, dtype: dtype, generator: &g)
            let b = Tensor.uniform([n, n], from: -1, to: 1, dtype: dtype, generator: &g)
            let dims = DotDimensions(lhsContracting: [1], rhsContracting: [0])
            let t = try median(budget: n >= 1024 ? 2 : 0.5) { _ = try Tensor.dotGeneral(a, b, dims) }
            let gflops = 2 * Double(n * n * n) / t / 1e9
            if dtype == .float32 { peak = max(peak, gflops) }
            print(pad(dtype.rawValue, 9) + pad(String(n), 7) + pad(fixed(t * 1e3, 3) + " ms", 14) + fixed(gflops))
        }
    }
}

// MARK: - Batched Jacobians of tanh MLPs

/// A tanh MLP with the given widths, float32, weights from a fixed seed.
func mlp(_ widths: [Int], seed: UInt64) -> TensorFunction {
    var g = Generator(seed: seed)
    var layers: [(Operand, Operand)] = []
    for (i, o) in zip(widths, widths.dropFirst()) {
        let bound = 1 / Double(i).squareRoot()
        layers.append((.tensor(Tensor.uniform([o, i], from: -bound, to: bound, generator: &g)),
                       .tensor(Tensor.uniform([o], from: -bound, to: bound, generator: &g))))
    }
    return { xs in
        var h = xs[0]
        for (k, (w, b)) in layers.enumerated() {
            h = try h.linear(w, b)
            if k < layers.count - 1 { h = try h.unary(.tanh) }
        }
        return [h]
    }
}

if only == nil || only == "jacobian" {
    print("\nBatched Jacobians of tanh MLPs (float32), traced and optimised once, then timed")
    print("(unfused: the same program with every elementwise equation on its own, Fusion.isEnabled = false)")
    print(pad("workload", 44) + pad("median", 12) + pad("unfused", 12) + pad("GFLOP/s", 10) + "of sgemm peak")
    let workloads: [(String, Int, [Int])] = [
        ("tiny   B=16  3-32-32-3", 16, [3, 32, 32, 3]),
        ("medium B=64  64-128-128-64", 64, [64, 128, 128, 64]),
        ("large  B=256 256-512-512-256", 256, [256, 512, 512, 256]),
        ("hessian B=64 16-64-64-1", 64, [16, 64, 64, 1]),
    ]
    // `jacobi-bench jacobian tiny` runs only the workloads whose name starts with "tiny".
    let chosen = args.dropFirst().filter { !$0.hasPrefix("--") }
    for (name, batch, widths) in workloads where chosen.isEmpty || chosen.contains(where: { name.hasPrefix($0) }) {
        let f = mlp(widths, seed: 7)
        var g = Generator(seed: 3)
        let x = Operand.tensor(Tensor.randn([batch, widths[0]], generator: &g))
        // The Hessian workload is bench/peers' vmap_hessian: per-sample Hessians of the one output.
        let scalar: TensorFunction = { xs in [try f(xs)[0].reduceSum([0])] }
        let transforms = name.hasPrefix("hessian")
            ? [("vmap(hessian)", vmap(hessian(scalar, argnums: [0]), inDims: [0], outDims: { [0] }))]
            : [("vmap(jacrev)", vmap(jacrev(f, argnums: [0]), inDims: [0], outDims: { [0] })),
               ("vmap(jacfwd)", vmap(jacfwd(f, argnums: [0]), inDims: [0], outDims: { [0] }))]
        for (mode, transform) in transforms {
            let stager = Stager()
            _ = try stager.run(key: "w", [x], transform)
            let flops = Cost.flops(stager.last!.program)
            let t = try median { _ = try stager.run(key: "w", [x], transform) }
            Fusion.isEnabled = false
            _ = try stager.run(key: "w", [x], transform)
            let unfused = try median { _ = try stager.run(key: "w", [x], transform) }
            Fusion.isEnabled = true
            let rate = Double(flops) / t / 1e9
            if CommandLine.arguments.contains("--profile") {
                var ev = Evaluator()
                ev.profiling = true
                let program = stager.last!.program
                let plan = ExecutionPlan(program)
                // Each step's median over 21 runs (one run is mostly cold caches).
                var seconds: [[Double]] = []
                for _ in 0..<21 {
                    _ = try ev.run(plan, [x.concrete!])
                    seconds.append(ev.equationSeconds)
                }
                let medians = plan.steps.indices.map { i in seconds.map { $0[i] }.sorted()[10] }
                for (step, s) in zip(plan.steps, medians) {
                    switch step {
                    case .equation(let k):
                        let eq = program.equations[k]
                        print("    \(fixed(s * 1e3, 3)) ms  \(eq.primitive.name) \(eq.primitive.parameterText) -> \(program.type(of: eq.outputs[0]))")
                    case .fused(let loop, _, let outputs, _):
                        print("    \(fixed(s * 1e3, 3)) ms  \(loop) -> \(outputs.map { program.type(of: $0).description }.joined(separator: " "))")
                    }
                }
            }
            let share = peak > 0 ? fixed(100 * rate / peak, 0) + "%" : "-"
            print(pad("\(mode) \(name)", 44) + pad(fixed(t * 1e3, 3) + " ms", 12) + pad(fixed(unfused * 1e3, 3) + " ms", 12)
                  + pad(fixed(rate), 10) + share)
        }
    }
}

// MARK: - One fused loop alone

// `vmap_hessian`'s loop of four products over [64, 16, 64] (three [64, 1, 64] rows read in place
// and a scalar), timed alone: what the loop costs outside any program (`jacobi-bench fused`, not
// part of a plain `make bench`; `OPENBLAS_NUM_THREADS=1` for one thread), and the same with the
// helper thread woken first, as a plan's run wakes it.
if only == "fused" {
    var g = Generator(seed: 5)
    let w = Tensor.randn([64, 16, 64], generator: &g)
    let rows = (0..<3).map { _ in Tensor.randn([64, 1, 64], generator: &g) }
    let loop = FusedLoop(shape: [64, 16, 64], dtype: .float32, inputShapes: [[64, 16, 64], [64, 1, 64], [64, 1, 64], [1, 1, 1], [64, 1, 64]],
                         instructions: [.input(0), .input(1), .binary(.mul, 0, 1), .input(2), .binary(.mul, 2, 3),
                                        .input(3), .binary(.mul, 4, 5), .input(4), .binary(.mul, 6, 7)],
                         outputs: [8])
    let inputs = [w, rows[0], rows[1], Tensor(scalar: -2.0).converted(to: .float32), rows[2]]
    print("\nOne fused loop of four products over [64, 16, 64], \(BLASInfo.threads) thread(s)")
    for _ in 0..<3 {
        let t = try median(minRuns: 200, budget: 0.5) { _ = try Tensor.fused(loop, inputs) }
        let plain = try median(minRuns: 200, budget: 0.5) { _ = try Tensor.binary(.mul, w, rows[0]) }
        let woken = try median(minRuns: 200, budget: 0.5) { HelperThread.prewake(); _ = try Tensor.fused(loop, inputs) }
        print("fused loop \(fixed(t * 1e6, 2)) us (\(fixed(woken * 1e6, 2)) us with the helper woken first); one broadcast product alone \(fixed(plain * 1e6, 2)) us")
    }
}
