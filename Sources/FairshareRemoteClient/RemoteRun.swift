import ArgumentParser
import FairshareCLI
import FairshareCore
import FairshareRemote
// FoundationEssentials, never Foundation (see RemoteMessages.swift).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `fairshare --remote HOST:PORT run -- COMMAND…`: Start.
struct RemoteRun: RemoteCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a command as a detached job on the remote machine; print its id.",
        discussion: """
            The gateway starts the job as the account your certificate names \
            (a writer certificate is needed), in that account's slice as a local \
            'fairshare run' would, with the same environment, but in the account's \
            home directory there: nothing of this machine's current directory \
            goes along. A command given without a slash is looked up on the \
            standard PATH there. The arguments are sent byte for byte. Only the \
            id is printed, so 'id=$(fairshare --remote HOST:PORT run -- …)' works; \
            'fairshare --remote HOST:PORT logs -f ID' follows the output.
            """)

    @OptionGroup var job: JobOptions

    @OptionGroup(title: "Connection Options") var connection: RemoteConnectionOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments (after --).", valueName: "command"))
    var command: [String] = []

    var arguments: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        try connection.checkAddress()
        if arguments.isEmpty { throw ValidationError("no command given: fairshare --remote HOST:PORT run -- COMMAND [ARG...]") }
    }

    /// The request, the limits in the exact form fairshared parses back.
    func request(argv: [[UInt8]]) throws(ValidationError) -> Fairshare_Remote_V1_StartRequest {
        var request = Fairshare_Remote_V1_StartRequest()
        request.argv = argv.map { Data($0) }
        request.name = try job.namePart().map { "\($0)" } ?? ""
        let wanted = try job.limits()
        if let cpu = wanted.cpu { request.limits.cpu = cpu.exactDescription }
        if let mem = wanted.mem { request.limits.mem = mem.exactDescription }
        // 0 is "the policy's default", so "infinity" goes as the largest count.
        if let tasks = wanted.tasks { request.limits.tasks = tasks.count }
        return request
    }

    func perform(_ session: RemoteSession, out: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32 {
        let request: Fairshare_Remote_V1_StartRequest
        do {
            request = try self.request(argv: RawArguments.bytes(of: arguments))
        } catch {
            throw ClientFailure(error.message, status: ExitStatus.usage)
        }
        let started = try await session.call { api in try await api.start(request) }
        out(Array("\(started.job)\n".utf8))
        return ExitStatus.success
    }
}
