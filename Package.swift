// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "discotop",
    products: [
        .executable(name: "discotop", targets: ["App"]),
        .library(name: "Engine", targets: ["Engine"]),
        // The agent's connection handling, apart from the executable so the fuzz harnesses link it.
        .library(name: "Agent", targets: ["Agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Persistent maps for the published state (a change copies a path, not the map) and a
        // heap for pending matches. SwiftNIO depends on it too.
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // `discotop serve`: NIO's HTTP/1 server (not Hummingbird, which pulls in several more
        // packages for routing we do not need) and the Prometheus text format.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // setns(2) and friends are hidden behind _GNU_SOURCE in glibc's headers, which
        // Swift's Glibc module does not define; this shim exposes the few we need. It also
        // holds the monitor's fatal-signal handler, which must be C to be async-signal-safe.
        .target(name: "CLinux"),
        // libbpf plus the event layout shared with the BPF C code (bpf/discotop_event.h).
        .target(name: "CBPF", linkerSettings: [.linkedLibrary("bpf")]),
        // elfutils' libelf, for reading executables (language detection).
        .systemLibrary(name: "CElf"),
        .plugin(name: "BPFObjects", capability: .buildTool()),
        .target(
            name: "Engine",
            dependencies: [
                "CLinux", "CBPF", "CElf", .product(name: "Yams", package: "Yams"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            plugins: ["BPFObjects"]),
        // What `discotop serve` answers on a connection: routing, limits, the hub of state and
        // events, /metrics. The documents it sends are the executable's (AgentDocuments); the
        // listening socket is too, so this needs no NIOPosix.
        .target(
            name: "Agent",
            dependencies: [
                "Engine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .systemLibrary(name: "CNcurses"),
        .executableTarget(
            name: "App",
            dependencies: [
                "Engine",
                "Agent",
                "CNcurses",
                "CLinux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "AppTests", dependencies: [
            "App", "Agent", "Engine", .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "IntegrationTests", dependencies: ["Engine"]),
    ]
)
