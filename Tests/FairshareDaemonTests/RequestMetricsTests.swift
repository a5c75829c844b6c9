import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

/// `metrics`: every answered request is counted by operation and outcome
/// with its latency; refusals are kept; only readers and admins may ask.
@Suite struct RequestMetricsTests {
    let controller = FakeSliceController()

    func handler() -> RequestHandler {
        let policy = FixedPolicy()
        let h = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)), controller: controller,
                               store: MemoryStateStore(), events: RecordingEventLog(), now: { 1_000 }, processLookup: { _ in nil })
        var tick: UInt64 = 0
        h.clockUsec = { tick += 700; return tick }
        return h
    }

    func run(_ h: RequestHandler, _ r: ClientRequest, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(r, from: c) { reply = $0 }
        return reply
    }

    @Test func countsOutcomesLatencyAndRefusals() throws {
        let h = handler()
        let alice = caller(uid: 1001, name: "alice")
        let rita = caller(uid: 1005, name: "rita", role: .reader)
        _ = run(h, .status, as: alice)
        _ = run(h, .request(ResourceRequest(cpu: CPUQuantity(cpus: 4))), as: alice)
        _ = run(h, .list(after: nil), as: alice)
        guard case .success(let json)? = run(h, .metrics, as: rita) else { Issue.record("no metrics for a reader"); return }
        let m = try DaemonMetricsReply(json: json)
        #expect(m.started == 1_000)
        #expect(m.counters.outcomes[.init(op: "status", result: "ok", reason: "")] == 1)
        #expect(m.counters.outcomes[.init(op: "request", result: "error", reason: "refused")] == 1)
        #expect(m.counters.outcomes[.init(op: "list", result: "error", reason: "permission_denied")] == 1)
        #expect(m.counters.latency["status"]?.sumUsec == 700)
        #expect(m.counters.latency["status"]?.counts[2] == 1)  // 700 µs: the bucket up to 1 ms
        #expect(m.refusals.map(\.op) == ["request", "list"])
        #expect(m.refusals.first?.user == "alice")
    }

    @Test func membersMayNotReadTheCounters() {
        let h = handler()
        guard case .failure(let e)? = run(h, .metrics, as: caller(uid: 1001, name: "alice")) else { Issue.record("answered"); return }
        #expect(e.code == .permissionDenied)
    }
}
