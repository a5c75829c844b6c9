import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

/// Issue 18 in the handler: lend slices are shaped as guarantees, a policy
/// change re-shapes them, and reclaim lowers a borrower's MemoryHigh= while
/// a lender stalls (a journal event per change).
@Suite struct LendingHandlerTests {
    let controller = FakeSliceController()
    let log = RecordingEventLog()
    final class Clock: @unchecked Sendable { var t: UInt64 = 100 }
    let clock = Clock()
    let lend = FixedPolicy(defaults: "{cpu: 1, mem: 256M, tasks: 64}", max: "{cpu: 2, mem: 1G, tasks: 256}", extra: "sharing: lend")

    func handler(_ policy: FixedPolicy, memoryProtection: Bool = true) -> RequestHandler {
        let clock = clock
        let h = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: controller, store: MemoryStateStore(), events: log, now: { 1_000 }, uptime: { clock.t })
        h.memoryProtection = memoryProtection
        return h
    }

    func request(_ h: RequestHandler, _ c: Caller) {
        h.handle(.request(ResourceRequest()), from: c) { _ in }
    }

    let alice = caller(uid: 1001, name: "alice")
    let carol = caller(uid: 1002, name: "carol")

    @Test func lendSlicesAreGuarantees() {
        let h = handler(lend)
        request(h, alice)
        let shape = controller.shapes["fairshare-1001.slice"]
        #expect(shape?.sharing == .lend)
        #expect(shape?.cpuWeight == 100)
        #expect(shape?.ceiling == Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)))
        #expect(shape?.memoryLow == .mebibytes(256))
        h.capPool()
        #expect(controller.poolProtection == .gibibytes(1), "the parent's protection, so the slices' reaches the kernel")
    }

    @Test func cgroupV1LendsCPUOnly() {
        let h = handler(lend, memoryProtection: false)
        request(h, alice)
        let shape = controller.shapes["fairshare-1001.slice"]
        #expect(shape?.ceiling == Capacity(cpu: CPUQuantity(cpus: 2), mem: .mebibytes(256)))
        #expect(shape?.memoryLow == nil)
        h.capPool()
        #expect(controller.poolProtection == .zero)
    }

    @Test func statusShowsGuaranteeCeilingAndPressure() throws {
        let h = handler(lend)
        request(h, alice)
        controller.pressures["fairshare-1001.slice"] = SlicePressure(cpu: 152, memory: 0, io: 3)
        var reply: Reply?
        h.handle(.status, from: alice) { reply = $0 }
        guard case .success(let json)? = reply else { Issue.record("no status"); return }
        let status = try StatusReply(json: json)
        #expect(status.sharing?.mode == "lend")
        #expect(status.sharing?.guaranteed == CPUAndMemory(cpu: CPUQuantity(cpus: 1), mem: .mebibytes(256)))
        #expect(status.sharing?.ceiling == CPUAndMemory(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)))
        #expect(status.sharing?.pressure == SlicePressure(cpu: 152, memory: 0, io: 3))
    }

    @Test func aPolicyChangeReshapesTheSlices() {
        let h = handler(lend)
        request(h, alice)
        h.handle(.reload, from: caller(uid: 0, name: "root", role: .admin)) { _ in }
        #expect(controller.calls.filter { $0.hasPrefix("set fairshare-1001.slice") }.isEmpty, "same shape: nothing sent")
        (h.policyStore as? MemoryPolicyStore)?.files = [("/etc/fairshare/policy.d/test.yaml", FixedPolicy(defaults: lend.defaults, max: lend.max).text)]
        h.handle(.reload, from: caller(uid: 0, name: "root", role: .admin)) { _ in }
        #expect(controller.shapes["fairshare-1001.slice"]?.sharing == .strict)
        #expect(controller.shapes["fairshare-1001.slice"]?.ceiling.cpu == CPUQuantity(cpus: 1))
    }

    @Test func reclaimLowersTheBorrowerWhileTheLenderStalls() {
        let h = handler(lend)
        request(h, alice)
        request(h, carol)
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(memoryBytes: 200 << 20)
        controller.usageBySlice["fairshare-1002.slice"] = SliceUsage(memoryBytes: 700 << 20)
        controller.pressures["fairshare-1001.slice"] = SlicePressure(memory: 2_500)
        h.reclaimMemory()
        let sent = controller.propertiesSet["fairshare-1002.slice"]?.last
        #expect(sent == [UnitProperty("MemoryHigh", .uint64((700 - 192) << 20))], "700M minus a quarter of 768M")
        #expect(controller.propertiesSet["fairshare-1001.slice"] == nil)
        #expect(log.events.contains { $0.kind == .reclaimed && $0.uid == 1002 && $0.message.contains("memory pressure of alice") })
        #expect(h.appliedShapes[1002]?.memoryHigh == .mebibytes(508))
        clock.t += 1
        h.reclaimMemory()
        #expect(controller.propertiesSet["fairshare-1002.slice"]?.count == 1, "bounded frequency")
    }

    @Test func showPolicyNamesSharingAndBurstWithTheirOrigins() throws {
        let h = handler(FixedPolicy(max: "{cpu: 2, mem: 1G, tasks: 256}", extra: "sharing: lend\nburst: 1.5x"))
        guard case .success(let r) = h.showPolicy(user: "alice", groups: []) else { Issue.record("refused"); return }
        #expect(r["settings"]?["sharing"]?["value"] == "lend")
        #expect(r["settings"]?["sharing"]?["origin"] == "/etc/fairshare/policy.d/test.yaml:5")
        #expect(r["settings"]?["burst"]?["value"] == "1.5x")
        guard case .success(let builtin) = handler(FixedPolicy()).showPolicy(user: "alice", groups: []) else { Issue.record("refused"); return }
        #expect(builtin["settings"]?["sharing"]?["value"] == "strict")
        #expect(builtin["settings"]?["burst"]?["origin"] == "built-in")
    }
}
