import ArgumentParser
import FairshareCLI
import FairshareCore
import FairshareRemote

/// `fairshare --remote HOST:PORT jobs`: List, printed as `fairshare jobs` prints.
struct RemoteJobs: RemoteCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List your jobs on the remote machine (everyone's with --all, if your account may see them).",
        discussion: """
            The same table as a local 'fairshare jobs', newest last; --json prints \
            the object a local 'fairshare jobs --json' prints. --all needs an \
            account that may see everyone's jobs there (root, admin_group, \
            reader_group).
            """)

    @Flag(help: "Everyone's jobs.")
    var all = false

    @OptionGroup(title: "Connection Options") var connection: RemoteConnectionOptions
    @Flag(name: .long, help: "Print the result as JSON (the object the local command prints, indented).")
    var json = false

    func validate() throws {
        try connection.checkAddress()
    }

    /// The rows as the local command's page (one page holds them all).
    static func page(_ reply: Fairshare_Remote_V1_ListReply) -> JobsPage {
        JobsPage(jobs: reply.jobs.map(RemoteMessages.job))
    }

    func perform(_ session: RemoteSession, out: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32 {
        let all = self.all
        let page = Self.page(try await session.call { api in try await api.list(all: all) })
        out(Array((json ? page.json.pretty + "\n" : Jobs.table(page)).utf8))
        return ExitStatus.success
    }
}
