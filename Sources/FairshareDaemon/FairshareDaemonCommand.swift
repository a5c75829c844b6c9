import ArgumentParser

public struct FairshareDaemonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "fairshared")
    public init() {}
}
