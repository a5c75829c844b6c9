import FairshareCore
import Testing

@Suite struct ReconnectPolicyTests {
    let policy = ReconnectPolicy.standard

    @Test func aRefusedConnectionIsTriedAgainWhateverTheRequest() {
        #expect(policy.delay(after: .connectFailed, attempt: 0, elapsedMilliseconds: 0) == 20)
    }

    @Test func aConnectionClosedUnansweredIsTriedAgainOnlyForReads() {
        #expect(policy.delay(after: .closedBeforeReply(.status), attempt: 0, elapsedMilliseconds: 0) == 20)
        #expect(policy.delay(after: .closedBeforeReply(.logs(job: 1, offset: 10)), attempt: 3, elapsedMilliseconds: 100) == 160)
        #expect(policy.delay(after: .closedBeforeReply(.list(after: nil)), attempt: 0, elapsedMilliseconds: 0) != nil)
        #expect(policy.delay(after: .closedBeforeReply(.release), attempt: 0, elapsedMilliseconds: 0) == nil)
        #expect(policy.delay(after: .closedBeforeReply(.stop(job: 1)), attempt: 0, elapsedMilliseconds: 0) == nil)
        #expect(policy.delay(after: .closedBeforeReply(.request(ResourceRequest())), attempt: 0, elapsedMilliseconds: 0) == nil)
    }

    @Test func waitsDoubleUpToTheCap() {
        let waits = (0..<8).map { policy.delay(after: .connectFailed, attempt: $0, elapsedMilliseconds: 0) }
        #expect(waits == [20, 40, 80, 160, 250, 250, 250, 250])
        #expect(policy.delay(after: .connectFailed, attempt: 10_000, elapsedMilliseconds: 0) == 250)
    }

    @Test func theBudgetBoundsEveryWait() {
        #expect(policy.delay(after: .connectFailed, attempt: 9, elapsedMilliseconds: 4_900) == 100)
        #expect(policy.delay(after: .connectFailed, attempt: 9, elapsedMilliseconds: 5_000) == nil)
        #expect(policy.delay(after: .connectFailed, attempt: 9, elapsedMilliseconds: 60_000) == nil)
        // The waits of a daemon that never comes back add up to the budget.
        var elapsed: UInt64 = 0, attempt = 0
        while let wait = policy.delay(after: .connectFailed, attempt: attempt, elapsedMilliseconds: elapsed) {
            elapsed += wait
            attempt += 1
        }
        #expect(elapsed == 5_000)
    }

    @Test func readsAreTheRequestsThatChangeNothing() {
        let reads: [ClientRequest] = [.status, .whoami, .list(after: 3), .showPolicy(user: nil), .jobs(all: true), .logs(job: 1, offset: 0), .jobStatus(job: 1), .audit]
        let changes: [ClientRequest] = [.request(ResourceRequest()), .release, .exec(ExecRequest()), .reload, .stop(job: 1),
                                        .run(RunRequest(argv: ["/bin/true"], cwd: "/"))]
        for request in reads { #expect(request.isIdempotentRead, "\(request.operation)") }
        for request in changes { #expect(!request.isIdempotentRead, "\(request.operation)") }
    }
}
