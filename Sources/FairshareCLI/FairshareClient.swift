import ArgumentParser

public struct FairshareClient: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "fairshare")
    public init() {}
}
