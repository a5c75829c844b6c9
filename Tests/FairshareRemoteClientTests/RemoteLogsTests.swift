import FairshareCLI
@testable import FairshareRemoteClient
import Testing

@Suite struct RemoteLogsTests {
    /// 1,000 bytes that are not text (every byte value), so any loss,
    /// duplicate or re-encoding shows.
    static let output: [UInt8] = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }

    @Test func followResumesAfterCutsByteExact() async throws {
        let service = FakeJobsService()
        service.state.withLock {
            $0.output = Self.output
            $0.cuts = [100, 555, 556]
            $0.overlap = 5     // the server resends a little: none of it may be printed twice
            $0.end = .signal(9)
        }
        let out = CapturedOutput()
        let status = try await FakeGateway.with(service) { session in
            try await RemoteLogReader(job: 3, follow: true, retryDelay: .milliseconds(10)).run(session, sink: out.sink)
        }
        #expect(out.all == Self.output)
        #expect(service.state.withLock { $0.streamOffsets } == [0, 100, 555, 556])
        #expect(status == 128 + 9)
    }

    @Test func followExitsWithTheJobsExitCode() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.output = Array("hello\n".utf8); $0.end = .exitCode(3) }
        let out = CapturedOutput()
        let status = try await FakeGateway.with(service) { session in
            try await RemoteLogReader(job: 3, follow: true).run(session, sink: out.sink)
        }
        #expect(out.text == "hello\n")
        #expect(status == 3)
    }

    @Test func followGivesUpWithoutProgress() async throws {
        let service = FakeJobsService()
        // Cut at 10 bytes, then at 10 again and again: no progress after the first cut.
        service.state.withLock { $0.output = Self.output; $0.cuts = [10] + Array(repeating: 10, count: 1000) }
        let out = CapturedOutput()
        let failure = await FakeGateway.expectFailure(service) { session throws(ClientFailure) in
            _ = try await RemoteLogReader(job: 3, follow: true, patience: .milliseconds(300), retryDelay: .milliseconds(20))
                .run(session, sink: out.sink)
        }
        #expect(out.all == Array(Self.output.prefix(10)))
        #expect(failure?.status == ExitStatus.unavailable)
        #expect(failure?.message.contains("gave up following job 3") == true)
        #expect(failure?.message.contains("10 bytes written") == true)
    }

    @Test func followGivesUpWhenTheGatewayIsGone() async throws {
        // A port nothing listens on: every connection is refused.
        let session = RemoteSession(connector: FakeGateway.unreachable(), credentials: nil)
        let started = ContinuousClock.now
        do {
            _ = try await RemoteLogReader(job: 3, follow: true, patience: .milliseconds(300), retryDelay: .milliseconds(20))
                .run(session, sink: { _ in })
            Issue.record("following an unreachable gateway succeeded")
        } catch {
            #expect(error.status == ExitStatus.unavailable)
            #expect(error.message.contains("cannot reach fairshare-remote at 127.0.0.1:"))
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }

    @Test func withoutFollowAnEndedJobPrintsEverything() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.output = Self.output; $0.end = .exitCode(1) }
        let out = CapturedOutput()
        let status = try await FakeGateway.with(service) { session in
            try await RemoteLogReader(job: 3, follow: false).run(session, sink: out.sink)
        }
        #expect(out.all == Self.output)
        #expect(status == 0)   // not the job's status: only -f exits with it
    }

    @Test func withoutFollowARunningJobStopsWhenQuiet() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.output = Self.output; $0.end = nil }
        let out = CapturedOutput()
        let (status, took) = try await FakeGateway.with(service) { session in
            let started = ContinuousClock.now
            let status = try await RemoteLogReader(job: 3, follow: false, idleGap: .milliseconds(200)).run(session, sink: out.sink)
            return (status, ContinuousClock.now - started)
        }
        #expect(out.all == Self.output)
        #expect(status == 0)
        // Not the job's end (it never ends here): the quiet gap.
        #expect(took < .seconds(5))
    }

    @Test func noSuchJobFailsAsLocally() async throws {
        let service = FakeJobsService()
        service.state.withLock { $0.failure = RemoteErrorsFixture.rpcError(.noSuchJob, "no job 3") }
        let failure = await FakeGateway.expectFailure(service) { session throws(ClientFailure) in
            _ = try await RemoteLogReader(job: 3, follow: true).run(session, sink: { _ in })
        }
        #expect(failure?.status == ExitStatus.refused)
        #expect(failure?.message == "no job 3")
    }
}
