// swift-tools-version:6.0
import PackageDescription

/// Release builds of the runtime's modules skip the dynamic checks of exclusive access (each access
/// to a class's stored property or a global variable: about 3% of an autograd-heavy loop in
/// `perf`); debug builds, which the tests run, keep them.
let uncheckedExclusivity: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// Release builds get the metadata of concrete generic types (`[StructureKey: Output]`, ...)
/// from accessor functions that are handed the conformances, not by demangling the type's name at
/// its first use: each such first use checked the type's requirements (`Key: Hashable`) by
/// scanning the binary's 5,600 conformance records, about 0.15 ms a type, 1.7 ms of the 9 ms to
/// the first printed Jacobian.
let directMetadata: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]

/// The `jacobi` binary is linked at a fixed address (not position-independent): its 93,000
/// absolute pointers (witness tables, vtables, metadata) are then final in the file instead of
/// being relocated by the dynamic loader at every start, each relocated page a copy-on-write fault.
let noPIE: [LinkerSetting] = [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(configuration: .release))]

let package = Package(
    name: "Jacobi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jacobi", targets: ["jacobi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // C: OpenBLAS (cblas) and LAPACKE, from Debian's libopenblas-dev and liblapacke-dev,
        // linked from their static archives (no dynamic loading at start: Startup.c).
        .target(name: "CBLAS", path: "Sources/CBLAS",
                linkerSettings: [.unsafeFlags(["-Xlinker", "-l:liblapacke.a", "-Xlinker", "-l:libopenblas.a"])]),
        // C: zlib (Debian zlib1g-dev), to inflate .npz archives written by np.savez_compressed.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // C: fixed-argument wrappers around libedit's variadic API.
        .target(name: "CEditLine", path: "Sources/CEditLine",
                cSettings: [.unsafeFlags(["-I/usr/include/editline"])],
                linkerSettings: [.linkedLibrary("edit")]),
        // C: run the program on a large stack on the main thread (makecontext), and how much is left.
        .target(name: "CStack", path: "Sources/CStack"),
        // C: float32 tanh/exp/logistic with AVX2 and FMA when the CPU has them (the Swift formulas,
        // 4 lanes); square float32 transposes in place (SSE).
        .target(name: "CKernels", path: "Sources/CKernels"),
        // C: the bytes malloc holds now (mallinfo2), for the one memory limit.
        .target(name: "CHeap", path: "Sources/CHeap"),
        // C: snprintf of one double, without Swift's CVarArg (whose first use scans conformances).
        .target(name: "CFormat", path: "Sources/CFormat"),
        .target(name: "Tensor", dependencies: ["CBLAS", "CKernels", "CHeap", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: uncheckedExclusivity + directMetadata),
        // The file readers parse untrusted bytes: their own target, compiled with the normal
        // checks whatever the kernels use (and fuzzed: make fuzz).
        .target(name: "TensorIO", dependencies: ["Tensor", "CZlib"], swiftSettings: directMetadata),
        .target(name: "AD", dependencies: ["Tensor"], swiftSettings: uncheckedExclusivity + directMetadata),
        .target(name: "Printer", dependencies: ["Tensor", "AD", "CFormat"], swiftSettings: directMetadata),
        .target(name: "NN", dependencies: ["Tensor", "AD"], swiftSettings: uncheckedExclusivity + directMetadata),
        .target(name: "Lang", dependencies: ["Tensor", "TensorIO", "AD", "NN", "Printer", "CStack", "CFormat", .product(name: "BigInt", package: "BigInt")],
                swiftSettings: [.swiftLanguageMode(.v5)] + uncheckedExclusivity + directMetadata),
        .target(name: "REPL", dependencies: ["Lang", "NN", "Printer", "CEditLine", "CStack"],
                swiftSettings: [.swiftLanguageMode(.v5)] + directMetadata),
        .executableTarget(name: "jacobi", dependencies: [
            "REPL", "Tensor", "CStack",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: directMetadata, linkerSettings: noPIE),
        // Fuzzing: the harnesses and the program generator (a library the tests use), and the
        // binary that libFuzzer drives (`make fuzz`) or that replays and generates.
        .target(name: "Fuzzing", dependencies: ["Lang", "Tensor", "TensorIO", "AD"], swiftSettings: [.swiftLanguageMode(.v5)]),
        // C: the declaration of libFuzzer's driver, called by jacobi-fuzz in `make fuzz` builds.
        .target(name: "CFuzzer", path: "Sources/CFuzzer"),
        .executableTarget(name: "jacobi-fuzz", dependencies: ["Fuzzing", "CFuzzer"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "jacobi-bench", dependencies: ["Tensor", "AD"], path: "bench/Sources"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TensorIO"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ADTests", dependencies: ["AD", "Tensor", "Lang"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Lang", "AD", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PrinterTests", dependencies: ["Printer", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LangTests", dependencies: ["Lang", "REPL"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EndToEndTests", dependencies: []),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing", "Lang", "Tensor", "TensorIO"], exclude: ["Crashes"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "Lang"], exclude: ["pty_editline_test.py", "pty_jacobi_test.py"]),
        // A tiny program around LineEditor, driven through a pseudo-terminal by REPLTests.
        .executableTarget(name: "editline-demo", dependencies: ["REPL"]),
    ]
)
