import Testing
import FairshareCore
@testable import FairshareDaemon

/// `status` and `admin list` show the login cap and what logins use now,
/// beside the allocation and never counted in it.
@Suite struct LoginReportsTests {
    func handler(_ extra: String) -> RequestHandler {
        var policy = FixedPolicy()
        policy.extra = extra
        let h = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: FakeSliceController(), store: MemoryStateStore(), events: RecordingEventLog(), now: { 1_000 },
                               processLookup: { _ in nil }, groupLookup: { _ in ["fairshare"] })
        h.loginSlices = LoginSliceReader(live: { [0, 1001, 1002] },
                                         usage: { $0 == 1002 ? LoginUsageReply(cpuUsec: 2_000_000, mem: 4096, tasks: 3) : nil },
                                         userName: { [0: "root", 1001: "alice", 1002: "bob"][$0] })
        return h
    }

    @Test func statusShowsTheCapTheGPUsAndTheUsage() {
        let h = handler("login: {cpu: 0.5, tasks: 100}\nusers: {bob: {max: {gpus: 1}}}")
        let login = h.status(for: caller(uid: 1002, name: "bob")).login
        #expect(login == LoginReply(slice: "user-1002.slice", cpu: CPUQuantity(usecPerSecond: 500_000), tasks: TaskLimit(100), gpus: .closed,
                                    usage: LoginUsageReply(cpuUsec: 2_000_000, mem: 4096, tasks: 3)))
        // Root's logins are never fairshare's.
        #expect(h.status(for: caller(uid: 0, name: "root")).login == nil)
        // A policy without gpus says nothing about GPUs in logins.
        #expect(handler("").status(for: caller(uid: 1002, name: "bob")).login?.gpus == nil)
    }

    @Test func adminListAddsLoginsOfUsersWithoutAnAllocation() throws {
        let h = handler("login: {mem: 1G}")
        let page = h.list()
        #expect(page.allocations.isEmpty)
        #expect(page.logins.map(\.user) == ["alice", "bob"])
        #expect(page.logins[1].login.mem == .gibibytes(1))
        #expect(page.logins[1].login.usage?.tasks == 3)
        #expect(h.list(after: 1001).logins.map(\.uid) == [1002])
    }
}
