import Testing
import FairshareCore
@testable import FairshareDaemon

/// Leases and idle release count on the boot clock: a wall-clock step
/// (NTP, `date -s`) neither ends leases early nor releases everyone at once.
@Suite struct ClockStepTests {
    final class Clocks: @unchecked Sendable {
        var wall: UInt64 = 1_000_000
        var boot: UInt64 = 500
        /// Time passing: both clocks move.
        func advance(_ seconds: UInt64) { wall += seconds; boot += seconds }
    }
    let clocks = Clocks()
    let controller = FakeSliceController()

    func handler(idleRelease: UInt64? = nil, state: DaemonState = DaemonState()) -> RequestHandler {
        let c = clocks
        var policy = FixedPolicy()
        policy.idleRelease = idleRelease.map { TimeSpan(seconds: $0) }
        return RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: state,
                              machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                              controller: controller, store: MemoryStateStore(), events: RecordingEventLog(),
                              now: { c.wall }, uptime: { c.boot }, processLookup: { _ in nil })
    }

    func grant(_ h: RequestHandler, uid: UInt32, lease: UInt64?) {
        h.handle(.request(ResourceRequest(lease: lease.map { TimeSpan(seconds: $0) })), from: caller(uid: uid, name: "u\(uid)")) { _ in }
    }

    @Test func aWallClockStepForwardEndsNoLease() {
        let h = handler()
        grant(h, uid: 1001, lease: 3600)
        grant(h, uid: 1002, lease: 7200)
        #expect(h.state.allocations[1001]?.leaseEnd == 1_003_600)
        clocks.wall += 86_400 * 30   // the clock jumps a month ahead
        h.expireLeases()
        #expect(h.state.allocations.count == 2)
        clocks.advance(3599)
        h.expireLeases()
        #expect(h.state.allocations.count == 2)
        clocks.advance(1)
        h.expireLeases()
        #expect(h.state.allocations.keys.sorted() == [1002])
    }

    @Test func aWallClockStepBackKeepsNoLeasePastItsTime() {
        let h = handler()
        grant(h, uid: 1001, lease: 60)
        clocks.wall -= 86_400
        clocks.advance(60)
        h.expireLeases()
        #expect(h.state.allocations.isEmpty)
    }

    @Test func aLeaseAdoptedAtStartUpEndsAfterTheTimeItHadLeft() {
        var state = DaemonState()
        state.allocations[1001] = Allocation(uid: 1001, user: "u1001", resources: Resources(cpu: CPUQuantity(cpus: 1), mem: .mebibytes(64), tasks: TaskLimit(64)),
                                             since: 999_000, leaseEnd: 1_000_100)
        let h = handler(state: state)
        h.expireLeases()
        #expect(h.state.allocations.count == 1)
        clocks.wall += 10_000   // after the restart, a step: the deadline is fixed already
        clocks.advance(99)
        h.expireLeases()
        #expect(h.state.allocations.count == 1)
        clocks.advance(1)
        h.expireLeases()
        #expect(h.state.allocations.isEmpty)
    }

    @Test func aWallClockStepReleasesNobodyAsIdle() {
        let h = handler(idleRelease: 600)
        grant(h, uid: 1001, lease: nil)
        grant(h, uid: 1002, lease: nil)
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 5, memoryBytes: 0, tasks: 0)
        controller.usageBySlice["fairshare-1002.slice"] = SliceUsage(cpuUsec: 7, memoryBytes: 0, tasks: 0)
        h.releaseIdle()
        clocks.advance(60)
        h.releaseIdle()
        clocks.wall += 86_400   // a day's step on the wall clock
        clocks.advance(60)
        h.releaseIdle()
        #expect(h.state.allocations.count == 2)
        for _ in 0..<10 { clocks.advance(60); h.releaseIdle() }
        #expect(h.state.allocations.isEmpty)
    }
}
