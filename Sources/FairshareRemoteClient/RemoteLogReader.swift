import FairshareCLI
import FairshareCore
import FairshareRemote

/// `logs` over the gateway's Stream, which always follows the job until it
/// ends.
///
/// - With `follow`: everything until the stream ends, then the job's shell
///   status from Query. When the gateway goes away (UNAVAILABLE, a broken
///   connection), a new connection streams again from the bytes already
///   written, so the output is whole and nothing is written twice; after
///   `patience` without a new byte it gives up (exit 69), as local `logs -f`
///   does when fairshared stays away.
/// - Without: Query first. An ended job's stream ends by itself, after its
///   last byte. A running job's output is read until nothing new came for
///   `idleGap` (`firstByteWait` before the first chunk), then the stream is
///   cancelled: "what exists" is what the gateway sent without pausing.
struct RemoteLogReader: Sendable {
    var job: UInt64
    var follow: Bool
    var patience: Duration = .seconds(Logs.reattachSeconds)
    var retryDelay: Duration = .milliseconds(250)
    var idleGap: Duration = .milliseconds(300)
    var firstByteWait: Duration = .seconds(1)

    /// Writes the output to `sink`; the exit status (the job's with `follow`).
    func run(_ session: RemoteSession, sink: @escaping @Sendable ([UInt8]) -> Void) async throws(ClientFailure) -> Int32 {
        let cursor = OutputCursor(sink: sink)
        return follow ? try await followToEnd(session, cursor) : try await readWhatExists(session, cursor)
    }

    private func followToEnd(_ session: RemoteSession, _ cursor: OutputCursor) async throws(ClientFailure) -> Int32 {
        var progress = (at: cursor.written, since: ContinuousClock.now)
        while true {
            let why: ClientFailure
            do {
                let job = self.job
                let end: JobEnd? = try await session.call { api in
                    try await api.stream(job: job, from: cursor.written) { chunk in try cursor.take(chunk) }
                    return RemoteMessages.job(try await api.query(job: job)).job.end
                }
                if let end { return end.shellStatus }
                why = ClientFailure("the output stream of job \(job) ended before the job did", status: ExitStatus.unavailable)
            } catch {
                guard error.status == ExitStatus.unavailable else { throw error }
                why = error
            }
            if cursor.written != progress.at { progress = (cursor.written, .now) }
            if ContinuousClock.now - progress.since >= patience {
                throw ClientFailure("gave up following job \(job) after \(patience.components.seconds) s without new output "
                                    + "(\(cursor.written) bytes written): \(why.message)", status: ExitStatus.unavailable)
            }
            try? await Task.sleep(for: retryDelay)
        }
    }

    private func readWhatExists(_ session: RemoteSession, _ cursor: OutputCursor) async throws(ClientFailure) -> Int32 {
        let (job, idleGap, firstByteWait) = (self.job, self.idleGap, self.firstByteWait)
        try await session.call { api in
            let ended = RemoteMessages.job(try await api.query(job: job)).job.end != nil
            if ended {
                try await api.stream(job: job, from: 0) { chunk in try cursor.take(chunk) }
                return
            }
            let opened = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await api.stream(job: job, from: 0) { chunk in try cursor.take(chunk) }
                }
                group.addTask {
                    while true {
                        let quiet = cursor.written == 0 ? ContinuousClock.now - opened >= firstByteWait
                                                        : ContinuousClock.now - cursor.lastChunk >= idleGap
                        if quiet { return }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                // Whichever ends first: the stream (the job ended meanwhile) or the quiet.
                _ = try await group.next()
                group.cancelAll()
            }
        }
        return 0
    }
}
