import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

@Suite struct RequestHandlerTests {
    let controller = FakeSliceController()
    let store = MemoryStateStore()
    let log = RecordingEventLog()
    var alive: [Int32: ProcessIdentity] = [4242: ProcessIdentity(pid: 4242, startTime: 77, uid: 1001)]

    func handler(capacity: Capacity = Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                 policy: FixedPolicy = FixedPolicy()) -> RequestHandler {
        let table = alive
        return RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(), machine: capacity,
                              controller: controller, store: store, events: log, now: { 1_000 },
                              processLookup: { table[$0] })
    }

    func run(_ h: RequestHandler, _ r: ClientRequest, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(r, from: c) { reply = $0 }
        return reply
    }

    let alice = caller(uid: 1001, name: "alice")

    @Test func firstRequestTakesDefaultsAndCreatesTheSlice() throws {
        let h = handler()
        let reply = try #require(run(h, .request(ResourceRequest()), as: alice))
        guard case .success(let r) = reply else { Issue.record("\(reply)"); return }
        #expect(r["slice"] == "fairshare-1001.slice")
        #expect(r["created"] == true)
        #expect(controller.calls == ["start fairshare-1001.slice 500000"])
        #expect(controller.slices["fairshare-1001.slice"]?.mem == .mebibytes(64))
        #expect(store.saved?.allocations[1001]?.resources.cpu.usecPerSecond == 500_000)
        #expect(log.events.map(\.kind) == [.granted])
    }

    @Test func changeKeepsWhatItDoesNotNameAndSetsInPlace() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest(mem: .mebibytes(128))), as: alice)
        _ = run(h, .request(ResourceRequest(cpu: CPUQuantity(cpus: 1))), as: alice)
        #expect(controller.calls == ["start fairshare-1001.slice 500000", "set fairshare-1001.slice 1000000"])
        #expect(h.state.allocations[1001]?.resources.mem == .mebibytes(128))
    }

    @Test func aboveMaxIsRefusedAndNothingChanges() {
        let h = handler()
        let reply = run(h, .request(ResourceRequest(cpu: CPUQuantity(cpus: 4))), as: alice)
        guard case .failure(let e)? = reply else { Issue.record("granted"); return }
        #expect(e.code == .refused)
        #expect(e.details["resource"] == "cpu")
        #expect(e.details["bound"] == "max")
        #expect(controller.calls.isEmpty)
        #expect(h.state.allocations.isEmpty)
    }

    @Test func outsidersGetNothing() {
        let h = handler()
        let reply = run(h, .status, as: caller(uid: 1002, name: "bob", role: .outsider))
        guard case .failure(let e)? = reply else { Issue.record("allowed"); return }
        #expect(e.code == .permissionDenied)
        #expect(e.message.contains("not in group 'fairshare'"))
    }

    @Test func systemdFailureRollsBack() {
        let h = handler()
        controller.failNext = ControllerError("Unit fairshare-1001.slice already exists.", busErrorName: "org.freedesktop.systemd1.UnitExists")
        let reply = run(h, .request(ResourceRequest()), as: alice)
        guard case .failure(let e)? = reply else { Issue.record("granted"); return }
        #expect(e.code == .systemd)
        #expect(e.details["dbus_error"] == "org.freedesktop.systemd1.UnitExists")
        #expect(h.state.allocations.isEmpty)
        #expect(store.saved == nil)
    }

    @Test func pendingGrantsCountForOthers() {
        // Two users ask at once; the second must see the first's reservation.
        let h = handler(capacity: Capacity(cpu: CPUQuantity(cpus: 1), mem: .gibibytes(1)))
        controller.holdCompletions = true
        var first: Reply?, second: Reply?
        h.handle(.request(ResourceRequest(cpu: CPUQuantity(usecPerSecond: 700_000))), from: alice) { first = $0 }
        h.handle(.request(ResourceRequest(cpu: CPUQuantity(usecPerSecond: 700_000))), from: caller(uid: 1003, name: "carol")) { second = $0 }
        guard case .failure(let e)? = second else { Issue.record("second granted: \(String(describing: second))"); return }
        #expect(e.details["bound"] == "available")
        controller.releaseHeld()
        guard case .success? = first else { Issue.record("first not granted"); return }
    }

    @Test func sameUserOperationsRunInOrder() {
        let h = handler()
        controller.holdCompletions = true
        var order: [String] = []
        h.handle(.request(ResourceRequest()), from: alice) { _ in order.append("request") }
        h.handle(.release, from: alice) { _ in order.append("release") }
        #expect(controller.calls == ["start fairshare-1001.slice 500000"])
        controller.releaseHeld()
        controller.releaseHeld()
        #expect(order == ["request", "release"])
        #expect(controller.calls.last == "stop fairshare-1001.slice")
        #expect(h.state.allocations.isEmpty)
    }

    @Test func releaseWithoutAllocationIsNotAnError() {
        let h = handler()
        #expect(run(h, .release, as: alice) == .success(["released": false]))
    }

    @Test func execTakesDefaultsThenMovesTheCaller() throws {
        let h = handler()
        let reply = try #require(run(h, .exec(ExecRequest()), as: alice))
        guard case .success(let r) = reply else { Issue.record("\(reply)"); return }
        #expect(r["scope"] == "fairshare-1001-exec-4242.scope")
        #expect(controller.calls == ["start fairshare-1001.slice 500000", "scope fairshare-1001-exec-4242.scope in fairshare-1001.slice"])
        #expect(controller.scopes["fairshare-1001-exec-4242.scope"]?.pid == 4242)
    }

    @Test func execLimitsNarrowTheScopeWithinTheAllocation() throws {
        let h = handler()
        let request = ExecRequest(limits: ResourceRequest(cpu: CPUQuantity(usecPerSecond: 200_000), mem: .mebibytes(32)), name: "build")
        guard case .success(let r)? = run(h, .exec(request), as: alice) else { Issue.record("refused"); return }
        #expect(r["scope"] == "fairshare-1001-exec-build.scope")
        #expect(r["limits"]?["cpu"] == 0.2)
        #expect(r["limits"]?["tasks"] == 64)
        #expect(controller.scopeLimits["fairshare-1001-exec-build.scope"] == [
            UnitProperty("CPUQuotaPerSecUSec", .uint64(200_000)), UnitProperty("MemoryMax", .uint64(32 << 20)),
        ])
        #expect(controller.slices["fairshare-1001.slice"]?.cpu == CPUQuantity(usecPerSecond: 500_000))
    }

    @Test func execLimitsAboveTheAllocationAreRefused() throws {
        let h = handler()
        let request = ExecRequest(limits: ResourceRequest(mem: .mebibytes(128)))
        guard case .failure(let e)? = run(h, .exec(request), as: alice) else { Issue.record("moved"); return }
        #expect(e.code == .refused)
        #expect(e.message == "--mem 128M is above your allocation of 64M; raise it first with 'fairshare request --mem 128M'")
        #expect(controller.scopes.isEmpty)
    }

    @Test func execRefusesARecycledPid() {
        var t = self
        t.alive[4242] = ProcessIdentity(pid: 4242, startTime: 99, uid: 1001)
        let h = t.handler()
        let reply = run(h, .exec(ExecRequest()), as: alice)
        guard case .failure(let e)? = reply else { Issue.record("moved"); return }
        #expect(e.code == .callerGone)
        #expect(controller.calls.isEmpty)
    }

    @Test func statusShowsCapacityAvailableAndAllocation() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest()), as: alice)
        guard case .success(let s)? = run(h, .status, as: alice) else { Issue.record("status failed"); return }
        #expect(s["system"]?["cpu"] == 2)
        #expect(s["available"]?["cpu"] == 1.5)
        #expect(s["available"]?["mem"]?.uint64Value == (1 << 30) - (64 << 20))
        #expect(s["slice"] == "fairshare-1001.slice")
        guard case .success(let other)? = run(h, .status, as: caller(uid: 1003, name: "carol")) else { return }
        #expect(other["slice"] == .null)
    }

    @Test func reconcileAdoptsLiveSlicesAndDropsVanishedOnes() {
        let h = handler()
        _ = run(h, .request(ResourceRequest()), as: alice)
        let live = [SliceInfo(name: "fairshare-1005.slice", resources: Resources(cpu: CPUQuantity(usecPerSecond: 500_000), mem: .mebibytes(64), tasks: TaskLimit(64)))]
        let result = h.reconcile(with: live, userName: { "user\($0)" })
        #expect(result.adopted == 1)
        #expect(result.dropped == 1)
        #expect(h.state.allocations.keys.sorted() == [1005])
        #expect(h.state.allocations[1005]?.user == "user1005")
    }

    @Test func failedStateSaveIsReportedNotFatal() {
        let h = handler()
        store.failSaves = true
        guard case .success? = run(h, .request(ResourceRequest()), as: alice) else { Issue.record("refused"); return }
        #expect(log.events.contains { $0.kind == .error && $0.message.contains("could not save state") })
    }
}

@Suite struct AdminOperationTests {
    let controller = FakeSliceController()
    let store = MemoryStateStore()
    let log = RecordingEventLog()
    let alice = caller(uid: 1001, name: "alice")
    let root = caller(uid: 0, name: "root", role: .admin)

    func handler(now: UInt64 = 1_000) -> RequestHandler {
        RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(FixedPolicy()), state: DaemonState(), machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                       controller: controller, store: store, events: log, now: { now },
                       processLookup: { _ in nil }, uidLookup: { $0 == "alice" ? 1001 : UInt32($0) })
    }

    func run(_ h: RequestHandler, _ r: ClientRequest, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(r, from: c) { reply = $0 }
        return reply
    }

    @Test func listShowsAllocationsWithUsage() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest()), as: alice)
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 500_000, memoryBytes: 4096, tasks: 3)
        guard case .success(let r)? = run(h, .list(after: nil), as: root) else { Issue.record("list failed"); return }
        let row = try #require(r["allocations"]?.arrayValue?.first)
        #expect(row["user"] == "alice")
        #expect(row["uid"] == 1001)
        #expect(row["cpu"] == 0.5)
        #expect(row["usage"]?["mem"] == 4096)
        #expect(row["usage"]?["tasks"] == 3)
    }

    /// CPU % is since the same lister's previous listing: a reader that
    /// polls (fairshare-web) does not shorten root's interval.
    @Test func listCPUPercentIsPerLister() {
        final class Clock: @unchecked Sendable { var t: UInt64 = 1_000 }
        let clock = Clock()
        let h = RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(FixedPolicy()), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)), controller: controller, store: store,
                               events: log, now: { clock.t }, processLookup: { _ in nil }, uidLookup: { $0 == "alice" ? 1001 : UInt32($0) })
        _ = run(h, .request(ResourceRequest()), as: alice)
        let web = caller(uid: 998, name: "fairshare-web", role: .reader)
        func percent(_ c: Caller) -> JSON? {
            guard case .success(let r)? = run(h, .list(after: nil), as: c) else { Issue.record("list failed"); return nil }
            return r["allocations"]?.arrayValue?.first?["usage"]?["cpu_percent"]
        }
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 0, memoryBytes: 0, tasks: 0)
        _ = percent(root)
        clock.t += 10
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 5_000_000, memoryBytes: 0, tasks: 1)
        _ = percent(web)
        clock.t += 10
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 5_000_000, memoryBytes: 0, tasks: 1)
        #expect(percent(web) == 0, "the web's own interval: idle")
        #expect(percent(root) == 25, "root's 20 s: 5 s of CPU")
    }

    /// 2,000 allocations do not fit one 64 KiB line: pages do, and together
    /// they hold every allocation once.
    @Test func listComesInPagesThatFitTheLineLimit() throws {
        var state = DaemonState()
        for uid in UInt32(10_000)..<12_000 {
            state.allocations[uid] = Allocation(uid: uid, user: "user\(uid)", resources: Resources(cpu: CPUQuantity(usecPerSecond: 10_000),
                                                mem: .mebibytes(64), tasks: TaskLimit(64)), since: 1, leaseEnd: 5_000)
        }
        let h = RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(), state: state,
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: controller, store: store, events: log, now: { 1_000 })
        var seen: [UInt64] = []
        var after: UInt32?
        var pages = 0
        repeat {
            let reply = try #require(run(h, .list(after: after), as: root))
            #expect(reply.line.utf8.count <= WireProtocol.maxLineBytes)
            guard case .success(let page) = reply else { Issue.record("\(reply)"); return }
            seen += page["allocations"]?.arrayValue?.compactMap { $0["uid"]?.uint64Value } ?? []
            after = page["next"]?.uint64Value.map { UInt32($0) }
            pages += 1
        } while after != nil && pages < 100
        #expect(pages > 1)
        #expect(seen == (10_000..<12_000).map { UInt64($0) })
    }

    @Test func listIsForReadersAndAdmins() {
        let h = handler()
        guard case .failure(let e)? = run(h, .list(after: nil), as: alice) else { Issue.record("member listed"); return }
        #expect(e.code == .permissionDenied)
        guard case .success? = run(h, .list(after: nil), as: caller(uid: 1005, name: "rita", role: .reader)) else { Issue.record("reader refused"); return }
    }

    @Test func revokeStopsTheSliceAndTellsTheUserOnce() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest()), as: alice)
        guard case .failure(let denied)? = run(h, .revoke(user: .name("alice")), as: caller(uid: 1005, name: "rita", role: .reader)) else {
            Issue.record("reader revoked"); return
        }
        #expect(denied.code == .permissionDenied)
        guard case .success(let r)? = run(h, .revoke(user: .name("alice")), as: root) else { Issue.record("revoke failed"); return }
        #expect(r["revoked"] == true)
        #expect(controller.calls.last == "stop fairshare-1001.slice")
        #expect(h.state.allocations.isEmpty)
        #expect(log.events.last?.kind == .revoked)
        guard case .success(let s)? = run(h, .status, as: alice) else { Issue.record("status failed"); return }
        #expect(s["notice"]?.stringValue?.contains("revoked by root") == true)
        guard case .success(let again)? = run(h, .status, as: alice) else { return }
        #expect(again["notice"] == nil)
    }

    @Test func revokeOfUnknownOrIdleUsersSaysSo() {
        let h = handler()
        guard case .failure(let e)? = run(h, .revoke(user: .name("nobody-here")), as: root) else { Issue.record("revoked"); return }
        #expect(e.code == .badRequest)
        guard case .failure(let idle)? = run(h, .revoke(user: .name("alice")), as: root) else { Issue.record("revoked"); return }
        #expect(idle.code == .noAllocation)
    }
}

final class TestClock: @unchecked Sendable {
    var now: UInt64 = 1_000
}

@Suite struct LeaseTests {
    let controller = FakeSliceController()
    let clock = TestClock()
    let alice = caller(uid: 1001, name: "alice")

    func handler() -> RequestHandler {
        let clock = self.clock
        return RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(FixedPolicy()), state: DaemonState(), machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                              controller: controller, store: MemoryStateStore(), events: RecordingEventLog(), now: { clock.now }, uptime: { clock.now },
                              processLookup: { _ in nil })
    }

    func run(_ h: RequestHandler, _ r: ClientRequest) -> JSON? {
        var reply: Reply?
        h.handle(r, from: alice) { reply = $0 }
        if case .success(let j)? = reply { return j }
        return nil
    }

    @Test func leaseWarnsThenEndsTheSlice() throws {
        let h = handler()
        let granted = try #require(run(h, .request(ResourceRequest(lease: TimeSpan(seconds: 3600)))))
        #expect(granted["lease_end"] == 4600)
        clock.now = 2_000
        #expect(run(h, .status)?["warning"] == nil)
        clock.now = 4_100
        let warned = try #require(run(h, .status))
        #expect(warned["warning"]?.stringValue?.hasPrefix("your lease ends in 8m20s") == true)
        h.expireLeases()
        #expect(controller.calls.last != "stop fairshare-1001.slice")
        clock.now = 4_600
        h.expireLeases()
        #expect(controller.calls.last == "stop fairshare-1001.slice")
        #expect(h.state.allocations.isEmpty)
        #expect(run(h, .status)?["notice"]?.stringValue?.contains("lease") == true)
    }

    @Test func aChangeKeepsTheLeaseUnlessItSetsOne() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest(lease: TimeSpan(seconds: 60))))
        _ = run(h, .request(ResourceRequest(cpu: CPUQuantity(cpus: 1))))
        #expect(h.state.allocations[1001]?.leaseEnd == 1_060)
        _ = run(h, .request(ResourceRequest(lease: TimeSpan(seconds: 600))))
        #expect(h.state.allocations[1001]?.leaseEnd == 1_600)
    }
}

@Suite struct IdleReleaseTests {
    let controller = FakeSliceController()
    let clock = TestClock()
    let alice = caller(uid: 1001, name: "alice")

    func handler() -> RequestHandler {
        let clock = self.clock
        var policy = FixedPolicy()
        policy.idleRelease = TimeSpan(seconds: 100)
        return RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(), machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                              controller: controller, store: MemoryStateStore(), events: RecordingEventLog(), now: { clock.now }, uptime: { clock.now },
                              processLookup: { _ in nil })
    }

    @Test func idleSlicesAreReleasedBusyOnesKept() {
        let h = handler()
        h.handle(.request(ResourceRequest()), from: alice) { _ in }
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 50, memoryBytes: 0, tasks: 0)
        for step in 0...12 {
            clock.now = 1_000 + UInt64(step) * 10
            h.releaseIdle()
        }
        #expect(h.state.allocations.isEmpty)
        #expect(controller.calls.last == "stop fairshare-1001.slice")
    }

    @Test func cpuUseOrTasksKeepTheAllocation() {
        let h = handler()
        h.handle(.request(ResourceRequest()), from: alice) { _ in }
        for step in 0...30 {
            clock.now = 1_000 + UInt64(step) * 10
            // Tasks come and go, CPU keeps moving: never idle for 100 s.
            controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: UInt64(step) * 7, memoryBytes: 0, tasks: step % 2 == 0 ? 0 : 1)
            h.releaseIdle()
        }
        #expect(h.state.allocations[1001] != nil)
    }
}

@Suite struct ForgetTests {
    let controller = FakeSliceController()
    let clock = TestClock()
    let alice = caller(uid: 1001, name: "alice")

    /// After a lease ends, a new allocation starts with no idle history:
    /// the old slice's quiet time must not count against it.
    @Test func aNewGrantDoesNotInheritTheOldSlicesIdleTime() {
        let clock = self.clock
        var policy = FixedPolicy()
        policy.idleRelease = TimeSpan(seconds: 100)
        let h = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(), machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: controller, store: MemoryStateStore(), events: RecordingEventLog(), now: { clock.now }, uptime: { clock.now },
                               processLookup: { _ in nil })
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 50, memoryBytes: 0, tasks: 0)
        h.handle(.request(ResourceRequest(lease: TimeSpan(seconds: 10))), from: alice) { _ in }
        h.releaseIdle()
        clock.now = 1_011
        h.expireLeases()
        #expect(h.state.allocations.isEmpty)
        clock.now = 1_200
        h.handle(.request(ResourceRequest()), from: alice) { _ in }
        h.releaseIdle()
        #expect(h.state.allocations[1001] != nil)
    }
}
