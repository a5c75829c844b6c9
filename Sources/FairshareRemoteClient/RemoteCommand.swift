import ArgumentParser
import FairshareCLI
import FairshareSystem

/// One remote command: parsed by ArgumentParser, performed against the
/// gateway, failing as the local command does ("fairshare: MESSAGE" on
/// standard error, the documented exit status).
protocol RemoteCommand: ParsableCommand, Sendable {
    var connection: RemoteConnectionOptions { get }

    /// Does the command, writing what it prints to `out`; the exit status.
    func perform(_ session: RemoteSession, out: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32
}

extension RemoteCommand {
    func run() throws {
        let status: Int32
        do throws(ClientFailure) {
            let session = try connection.session()
            status = try BlockingWait.run { [self] () async throws(ClientFailure) -> Int32 in
                try await perform(session) { StandardStreams.write(1, bytes: $0) }
            }
        } catch {
            StandardStreams.err("fairshare: \(error.message)\n")
            throw ExitCode(error.status)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
