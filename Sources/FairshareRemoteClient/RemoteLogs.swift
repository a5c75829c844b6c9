import ArgumentParser
import FairshareCLI

/// `fairshare --remote HOST:PORT logs [-f] ID`: Stream (see `RemoteLogReader`).
struct RemoteLogs: RemoteCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a remote job's output from its first byte.",
        discussion: """
            Standard output and error, interleaved as the job wrote them, byte for \
            byte. With --follow, keep printing until the job ends, then exit with \
            its status (128+N if a signal ended it). If the connection to the \
            gateway breaks (a restart, a network outage), a follower connects \
            again and carries on from the next byte, so nothing is lost or \
            printed twice; it gives up (exit 69) after 60 s without getting \
            further.

            Without --follow, a job that ended prints its whole output; for a job \
            still running, what the gateway sends until 0.3 s pass without more \
            (1 s before the first byte).
            """)

    @Flag(name: .shortAndLong, help: "Follow the output until the job ends.")
    var follow = false

    @Argument(help: ArgumentHelp("The job's id.", valueName: "id"))
    var id: UInt64

    @OptionGroup(title: "Connection Options") var connection: RemoteConnectionOptions

    func validate() throws {
        try connection.checkAddress()
    }

    func perform(_ session: RemoteSession, out: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32 {
        try await RemoteLogReader(job: id, follow: follow).run(session, sink: out)
    }
}
