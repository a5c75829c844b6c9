// swift-tools-version:6.1
// The code generators for the gRPC API (contrib/generate-proto): protoc-gen-swift and
// protoc-gen-grpc-swift-2 at the versions Package.swift pins. Not part of the product.
import PackageDescription
let package = Package(
    name: "protogen",
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [.target(name: "Empty", path: "Empty")]
)
