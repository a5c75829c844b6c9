import ArgumentParser
import FairshareCLI
import FairshareCore
import FairshareRemote

/// `fairshare --remote HOST:PORT status [ID]`: Status, or Query for a job.
struct RemoteStatus: RemoteCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show your allocation on the remote machine and what it uses now.",
        discussion: """
            Account (from your certificate), Allocation, Tasks, Lease (if the \
            allocation has one) and what the slice uses now. The machine's \
            capacity, what is available, GPUs, IO, disk and logins are not sent \
            by the gateway; 'fairshare status' on the machine shows them.

            With a job id: the job's state, pid, and exit status once it ended, \
            as a local 'fairshare status ID' prints them.
            """)

    @Argument(help: ArgumentHelp("A job's id, for that job's state instead.", valueName: "id"))
    var job: UInt64?

    @OptionGroup(title: "Connection Options") var connection: RemoteConnectionOptions
    @Flag(name: .long, help: "Print the result as JSON (the object the local command prints, indented).")
    var json = false

    func validate() throws {
        try connection.checkAddress()
    }

    func perform(_ session: RemoteSession, out: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32 {
        let text: String
        if let job {
            let reply = RemoteMessages.job(try await session.call { api in try await api.query(job: job) })
            text = json ? reply.json.pretty + "\n" : Status.job(reply)
        } else {
            let report = RemoteStatusReport(reply: try await session.call { api in try await api.status() })
            text = json ? report.json.pretty + "\n" : report.text
        }
        out(Array(text.utf8))
        return ExitStatus.success
    }
}
