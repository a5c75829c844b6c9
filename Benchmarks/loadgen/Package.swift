// swift-tools-version:6.1
// The benchmarks' own programs (Benchmarks/run builds them with
// `--static-swift-stdlib --scratch-path .build-bench`, so they run inside
// the testbed container too):
//
//   loadgen      N clients on one Unix socket, each holding its connection
//                open and sending one request line at a time; prints
//                requests/s and latency percentiles as JSON
//   echoserver   the ceiling for loadgen: a bare Dispatch line server (one
//                serial queue, one read source per connection, like
//                fairshared's), which answers every line with itself
//   policyparse  parses one policy file with fairshare's YAML subset parser
//                and with Yams, side by side; prints the times as JSON
//
// FairshareCore is the main package's target, reached through the symlink
// Sources/FairshareCore -> ../../../Sources/FairshareCore: the main package
// exports only the `fairshare` executable, so `.package(path: "../..")`
// cannot give a library product to depend on.
import PackageDescription

let package = Package(
    name: "fairshare-bench",
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .executableTarget(name: "loadgen"),
        .executableTarget(name: "echoserver"),
        .target(name: "FairshareCore"),
        .executableTarget(
            name: "policyparse",
            dependencies: ["FairshareCore", .product(name: "Yams", package: "Yams")]),
    ],
    swiftLanguageModes: [.v6]
)
