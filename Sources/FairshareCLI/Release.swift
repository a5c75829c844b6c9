import ArgumentParser
import FairshareCore
import FairshareSystem

struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give your allocation back; stops your slice and everything running in it.",
        discussion: "Releasing when you hold nothing is not an error.")

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try withDaemon(client) { daemon throws(ClientFailure) in
            let result = try daemon.call(.release)
            let reply = try ReleaseReply.read(result)
            if output.json {
                StandardStreams.out(result.pretty + "\n")
            } else if reply.released {
                StandardStreams.out("Resources released. Slice removed.\n")
            } else {
                StandardStreams.out("Nothing to release: you hold no allocation.\n")
            }
        }
    }
}
