// swift-tools-version: 6.1
// libFuzzer harnesses for discotop's parsers of outside input and for the agent's HTTP handling. A package of its own, depending
// on the main one by path: the fuzzer and address sanitizer flags must reach Engine and Yams
// (or their code would run uninstrumented), and a target built with -sanitize=fuzzer cannot
// link into `swift test`, so the main package's build and tests never see these targets.
// Built and run by `make fuzz` / `make fuzz-short` through Fuzz/run.sh.
import PackageDescription

// One executable per parser: libFuzzer drives exactly one LLVMFuzzerTestOneInput per binary.
let harnesses = [
    "FuzzPortRanges", "FuzzProcNet", "FuzzInetDiag", "FuzzProcStat", "FuzzConfig",
    "FuzzGoBuildInfo", "FuzzELF", "FuzzHookSelection", "FuzzGlob", "FuzzSurroundings",
]

let package = Package(
    name: "discotop-fuzz",
    dependencies: [
        .package(name: "discotop", path: ".."),
        // NIOEmbedded, for the HTTP harness's channel; the same package the agent serves with.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [.target(name: "FuzzDriver")]
        + harnesses.map { name in
            .executableTarget(name: name, dependencies: ["FuzzDriver", .product(name: "Engine", package: "discotop")])
        }
        // The agent's request handling, through NIO's real HTTP/1 server pipeline.
        + [
            .executableTarget(name: "FuzzAgentHTTP", dependencies: [
                "FuzzDriver", .product(name: "Engine", package: "discotop"), .product(name: "Agent", package: "discotop"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        ]
)
