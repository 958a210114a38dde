import Foundation
import Fuzzing
import CFuzzer

// jacobi-fuzz: the fuzzing harnesses and the program generator.
//
// Built with `make fuzz` (`-sanitize=fuzzer,address -DFUZZING`) it is a libFuzzer binary: the
// harness is chosen by JACOBI_FUZZ_TARGET (lang, npy, npz, safetensors, csv). Built normally it
// replays inputs (`jacobi-fuzz TARGET FILE...`, the regression tests use it) and runs the
// generator (`jacobi-fuzz generate COUNT [SEED]`).

nonisolated(unsafe) private var fuzzTarget = FuzzHarness.Target.lang

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    if let name = ProcessInfo.processInfo.environment["JACOBI_FUZZ_TARGET"], let t = FuzzHarness.Target(rawValue: name) {
        fuzzTarget = t
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzHarness.run(fuzzTarget, size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
// SwiftPM links an executable's entry point as `jacobi_fuzz_main` (and aliases `main` to it),
// which hides libFuzzer's own `main`: this one hands over to libFuzzer's driver.
@_cdecl("jacobi_fuzz_main")
public func jacobiFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, values = argv
    return LLVMFuzzerRunDriver(&count, &values) { data, size in fuzzOneInput(data, size) }
}
#endif

#if !FUZZING
@main
struct JacobiFuzz {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let first = args.first else {
            print("usage: jacobi-fuzz TARGET FILE... | jacobi-fuzz generate COUNT [SEED]")
            exit(2)
        }
        if first == "generate" {
            let count = args.count > 1 ? Int(args[1]) ?? 1000 : 1000
            let seed = args.count > 2 ? UInt64(args[2]) ?? 1 : 1
            let start = Date()
            let s = GeneratedRun.run(count: count, seed: seed) { k in
                if (k + 1) % 1000 == 0 { FileHandle.standardError.write("\(k + 1) programs\n".data(using: .utf8)!) }
            }
            print("programs \(s.programs), statements \(s.statements), errors \(s.errors), operations reaching a kernel \(s.reachedKernel), programs reaching a kernel \(s.programsReachingKernel) (\(Int(Date().timeIntervalSince(start))) s)")
            return
        }
        guard let target = FuzzHarness.Target(rawValue: first) else {
            print("unknown target \(first); one of \(FuzzHarness.Target.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(2)
        }
        for path in args.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { print("cannot read \(path)"); exit(1) }
            FuzzHarness.run(target, Array(data))
            print("ok \(path)")
        }
    }
}
#endif
