import ArgumentParser
import FairshareCLI

/// `fairshare --remote HOST:PORT stop ID`: Stop.
struct RemoteStop: RemoteCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a job on the remote machine: SIGTERM, then SIGKILL after 10 s.",
        discussion: "A writer certificate is needed.")

    @Argument(help: ArgumentHelp("The job's id.", valueName: "id"))
    var id: UInt64

    @OptionGroup(title: "Connection Options") var connection: RemoteConnectionOptions

    func validate() throws {
        try connection.checkAddress()
    }

    func perform(_ session: RemoteSession, out: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32 {
        let id = self.id
        try await session.call { api in try await api.stop(job: id) }
        out(Array("Stopped job \(id).\n".utf8))
        return ExitStatus.success
    }
}
