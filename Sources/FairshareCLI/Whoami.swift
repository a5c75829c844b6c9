import ArgumentParser
import FairshareCore
import FairshareSystem

struct Whoami: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show who the daemon thinks you are: uid, user, groups that matter to fairshare, role, slice.")

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try show(.whoami, client, output, render: Rendering.whoami)
    }
}
