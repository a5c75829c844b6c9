import ArgumentParser
import FairshareCore

/// `fairshare-remote`: the gRPC gateway for remote jobs (fairshare-remote(8)).
public struct FairshareRemoteCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fairshare-remote",
        abstract: "Serve fairshare's remote jobs API over gRPC with mutual TLS.",
        version: FairshareVersion.string)

    public init() {}

    public func run() throws {}
}
