// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "fairshare",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fairshare", targets: ["fairshare"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // fairshare-web only: the HTTP/1.1 server (NIOHTTP1's parser), nothing hand-written.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // fairshare-remote only (issue 21): gRPC with its protobuf codec; the
        // API's code is generated (contrib/generate-proto) and committed.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        // No default traits: BinaryDelimitedStreams imports all of Foundation,
        // whose static link brings ICU (+60 MB, +1,000 dynamic relocations
        // at every command's start-up). FoundationEssentials is enough.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
        // fairshare-remote only: HTTP/2 over TCP with TLS (BoringSSL through
        // swift-nio-ssl); X509 reads the client certificate's subject and
        // SwiftASN1 the CRL file, which neither library reads.
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // Tests only: generated inputs for round-trip properties.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Test-only: the reference parser the YAML subset is compared against.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "fairshare",
            dependencies: ["FairshareCLI", "FairshareDaemon", "FairshareWeb", "FairshareRemoteGateway", "FairshareRemoteClient"],
            // Start-up (BENCHMARKS.md, issue 19): ld.so's work grows with the
            // binary. Packed relative relocations (DT_RELR: glibc 2.36,
            // binutils 2.38, Debian 12) turn ~56,000 RELATIVE entries into a
            // bitmap, and not exporting our own symbols (the static stdlib's
            // link arguments pass -export-dynamic) keeps dladdr's scan of
            // the dynamic symbol table from growing with every module linked.
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
                                          .when(platforms: [.linux]))]),
        .target(
            name: "FairshareCLI",
            dependencies: [
                "FairshareCore", "FairshareSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(
            name: "FairshareDaemon",
            dependencies: [
                "FairshareCore", "FairshareSystem", "FairshareSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(
            name: "FairshareWeb",
            dependencies: [
                "FairshareCore", "FairshareSystem", "FairshareCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The gRPC API of fairshare-remote (issue 21): generated messages and
        // service stubs, the mapping of fairshared's replies and errors, and
        // what both ends need of TLS.
        .target(
            name: "FairshareRemote",
            dependencies: [
                "FairshareCore",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // `fairshare-remote`, the gateway: mutual TLS, the certificate's
        // account and role, fairshared asked on the account's behalf.
        .target(
            name: "FairshareRemoteGateway",
            dependencies: [
                "FairshareRemote", "FairshareCore", "FairshareSystem", "FairshareCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]),
        // `fairshare --remote HOST:PORT …`: the client's remote half, handed
        // over to before the local command path.
        .target(
            name: "FairshareRemoteClient",
            dependencies: [
                "FairshareRemote", "FairshareCore", "FairshareSystem", "FairshareCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "FairshareSystemd",
            dependencies: ["FairshareCore", "CSystemd", "CSystemdLoader"]),
        .target(
            name: "FairshareSystem",
            dependencies: [
                "FairshareCore", "CShims",
                .product(name: "SystemPackage", package: "swift-system"),
            ]),
        .target(name: "FairshareCore"),
        // libsystemd's headers only (libsystemd-dev): the library itself is
        // opened at run time by CSystemdLoader, when the daemon needs it.
        .systemLibrary(name: "CSystemd"),
        .target(name: "CSystemdLoader"),
        .target(name: "CShims"),
        .testTarget(
            name: "FairshareCoreTests",
            dependencies: ["FairshareCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "FairshareSystemTests", dependencies: ["FairshareSystem"]),
        .testTarget(name: "FairshareSystemdTests", dependencies: ["FairshareSystemd", "CSystemd"]),
        .testTarget(name: "FairshareDaemonTests", dependencies: ["FairshareDaemon"]),
        .testTarget(name: "FairshareRemoteTests", dependencies: ["FairshareRemote", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .testTarget(name: "FairshareRemoteGatewayTests", dependencies: [
            "FairshareRemoteGateway", "FairshareRemote", "FairshareCore", "FairshareSystem",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "FairshareRemoteClientTests", dependencies: [
            "FairshareRemoteClient", "FairshareRemote", "FairshareCLI", "FairshareCore",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
        ]),
        .testTarget(
            name: "FairshareYAMLDifferentialTests",
            dependencies: ["FairshareCore", .product(name: "Yams", package: "Yams")],
            exclude: ["Corpus"]),
    ],
    swiftLanguageModes: [.v6]
)
