import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

/// GPUs handed out like other resources, IO settings within the max, and
/// disk quotas set from the policy.
@Suite struct DeviceAllocationTests {
    let controller = FakeSliceController()
    let store = MemoryStateStore()
    let log = RecordingEventLog()
    let alice = caller(uid: 1001, name: "alice")
    let carol = caller(uid: 1003, name: "carol")
    let quotaCalls = QuotaRecorder()

    func handler(_ policy: FixedPolicy, gpus: [String] = ["/dev/nvidia0", "/dev/nvidia1"]) -> RequestHandler {
        let recorder = quotaCalls
        return RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(),
                              machine: Capacity(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(4)),
                              controller: controller, store: store, events: log, now: { 1_000 },
                              regularUsers: { [("alice", 1001), ("carol", 1003)] },
                              quotas: QuotaControl(apply: { recorder.record($0, $1) },
                                                   usage: { path, _ in DiskUsage(path: path, bytes: 12 << 20, inodes: 31, softBytes: 0, hardBytes: 1 << 30) },
                                                   enforced: { _ in recorder.enforced }),
                              deviceExists: { $0 != "/dev/missing" },
                              discoverGPUs: { GPUInventory(nodes: gpus, controlNodes: ["/dev/nvidiactl"]) })
    }

    func run(_ h: RequestHandler, _ r: ClientRequest, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(r, from: c) { reply = $0 }
        return reply
    }

    func allowed(_ slice: String) -> [String] {
        guard case .deviceAccess(let pairs)? = controller.devices[slice]?.last?.value else { return [] }
        return pairs.map(\.device.string)
    }

    @Test func gpusAreExclusiveAndComeBackOnRelease() throws {
        let h = handler(FixedPolicy(max: "{cpu: 1, mem: 256M, tasks: 256, gpus: 2}"))
        guard case .success(let r)? = run(h, .request(ResourceRequest(gpus: 1)), as: alice) else { Issue.record("refused"); return }
        #expect(r["allocation"]?["gpus"] == ["/dev/nvidia0"])
        #expect(allowed("fairshare-1001.slice") == ["char-pts", "/dev/fuse", "/dev/nvidia0", "/dev/nvidiactl"])
        #expect(controller.devices["fairshare-1001.slice"]?.first == UnitProperty("DevicePolicy", .text("closed")))

        guard case .success(let c)? = run(h, .request(ResourceRequest(gpus: 1)), as: carol) else { Issue.record("refused"); return }
        #expect(c["allocation"]?["gpus"] == ["/dev/nvidia1"])
        guard case .failure(let e)? = run(h, .request(ResourceRequest(gpus: 2)), as: alice) else { Issue.record("granted"); return }
        #expect(e.message.hasPrefix("gpus 2 exceeds what is available (1 free of the machine's 2"))
        #expect(h.state.allocations[1001]?.gpuDevices == ["/dev/nvidia0"], "a refusal keeps what was held")

        _ = run(h, .release, as: carol)
        guard case .success(let again)? = run(h, .request(ResourceRequest(gpus: 2)), as: alice) else { Issue.record("refused"); return }
        #expect(again["allocation"]?["gpus"] == ["/dev/nvidia0", "/dev/nvidia1"])
        #expect(store.saved?.allocations[1001]?.gpuDevices == ["/dev/nvidia0", "/dev/nvidia1"])
        guard case .success(let status)? = run(h, .status, as: alice) else { Issue.record("status failed"); return }
        #expect(status["allocation"]?["gpus"] == ["/dev/nvidia0", "/dev/nvidia1"])
    }

    @Test func aPolicyChangeTakesBackGPUsAndLiftsTheDevicePolicy() throws {
        let h = handler(FixedPolicy(max: "{cpu: 1, mem: 256M, tasks: 256, gpus: 2}"))
        _ = run(h, .request(ResourceRequest(gpus: 2)), as: alice)
        let store = h.policyStore as! MemoryPolicyStore
        store.files = [("/etc/fairshare/policy.d/test.yaml", FixedPolicy(max: "{cpu: 1, mem: 256M, tasks: 256, gpus: 1}").text)]
        _ = run(h, .reload, as: caller(uid: 0, name: "root", role: .admin))
        #expect(h.state.allocations[1001]?.gpuDevices == ["/dev/nvidia0"], "lowered to the new max of one")
        #expect(h.state.allocations[1001]?.resources.gpus == 1)
        #expect(allowed("fairshare-1001.slice").contains("/dev/nvidia1") == false)

        store.files = [("/etc/fairshare/policy.d/test.yaml", FixedPolicy().text)]
        _ = run(h, .reload, as: caller(uid: 0, name: "root", role: .admin))
        #expect(h.state.allocations[1001]?.gpuDevices == [])
        #expect(controller.devices["fairshare-1001.slice"] == GPUAssignment.unmanagedProperties, "no device policy any more")
    }

    @Test func gpusAboveTheMaxAreRefused() throws {
        let h = handler(FixedPolicy(max: "{cpu: 1, mem: 256M, tasks: 256, gpus: 1}"))
        guard case .failure(let e)? = run(h, .request(ResourceRequest(gpus: 2)), as: alice) else { Issue.record("granted"); return }
        #expect(e.message == "gpus 2 exceeds your maximum of 1 (policy 'max.gpus')")
    }

    @Test func withoutGpusInThePolicyNoDevicePolicyIsSet() throws {
        let h = handler(FixedPolicy())
        _ = run(h, .request(ResourceRequest()), as: alice)
        #expect(controller.devices["fairshare-1001.slice"] == [])
    }

    @Test func ioWithinTheMaxIsAppliedAndAboveItRefused() throws {
        let h = handler(FixedPolicy(defaults: "{cpu: 0.5, mem: 64M, tasks: 64, io: {weight: 100}}",
                                    max: "{cpu: 1, mem: 256M, tasks: 256, io: {weight: 500, read_bw: {/dev/vda: 100M}}}"))
        let io = IOLimits(limits: [.readBandwidth: ["/dev/vda": 50 << 20]])
        guard case .success? = run(h, .request(ResourceRequest(io: io)), as: alice) else { Issue.record("refused"); return }
        #expect(controller.slices["fairshare-1001.slice"]?.io == IOLimits(weight: 100, limits: [.readBandwidth: ["/dev/vda": 50 << 20]]))
        guard case .failure(let e)? = run(h, .request(ResourceRequest(io: IOLimits(limits: [.readBandwidth: ["/dev/vda": 200 << 20]]))), as: alice) else {
            Issue.record("granted")
            return
        }
        #expect(e.message == "io read_bw /dev/vda 200M/s exceeds your maximum of 100M/s (policy 'max.io')")
    }

    @Test func aDeviceThatDoesNotExistIsRefusedByName() throws {
        let h = handler(FixedPolicy())
        let io = IOLimits(limits: [.readBandwidth: ["/dev/vda": 1 << 20], .writeIOPS: ["/dev/missing": 10]])
        guard case .failure(let e)? = run(h, .request(ResourceRequest(io: io)), as: alice) else { Issue.record("granted"); return }
        #expect(e.code == .badRequest)
        #expect(e.message == "no device '/dev/missing' on this machine (--io-write-iops)")
        #expect(e.details["field"] == "io.write_iops")
        #expect(controller.calls.isEmpty)
    }

    @Test func quotasAreSetAtFirstRequestAndReloadAndClearedWhenDropped() throws {
        let withQuota = FixedPolicy(extra: "disk: {path: /home, soft: 1G, hard: 2G}")
        let h = handler(withQuota)
        _ = run(h, .request(ResourceRequest()), as: alice)
        #expect(quotaCalls.calls == ["1001 /home 1048576 2097152"])
        guard case .success(let status)? = run(h, .status, as: alice) else { Issue.record("status failed"); return }
        #expect(status["disk"]?["used"] == .uint(12 << 20))
        #expect(status["disk"]?["hard"] == .uint(1 << 30))
        h.applyDiskQuotasToAllUsers()
        #expect(quotaCalls.calls == ["1001 /home 1048576 2097152", "1003 /home 1048576 2097152"], "alice's is in place already")
        #expect(log.events.filter { $0.kind == .quota }.count == 2)

        (h.policyStore as! MemoryPolicyStore).files = [("/etc/fairshare/policy.d/test.yaml", FixedPolicy().text)]
        _ = run(h, .reload, as: caller(uid: 0, name: "root", role: .admin))
        #expect(quotaCalls.calls.suffix(2) == ["1001 /home 0 0", "1003 /home 0 0"])
    }

    @Test func showPolicyNamesWhereIoGpusAndDiskCameFrom() throws {
        let h = handler(FixedPolicy(max: "{cpu: 1, mem: 256M, tasks: 256, io: {weight: 300}, gpus: [/dev/nvidia1]}",
                                    extra: "disk: {path: /home, hard: 2G}"))
        guard case .success(let r) = h.showPolicy(user: "alice", groups: []) else { Issue.record("refused"); return }
        #expect(r["max"]?["io"]?["value"] == "weight 300")
        #expect(r["max"]?["gpus"]?["value"] == "[/dev/nvidia1]")
        #expect(r["max"]?["gpus"]?["origin"] == "/etc/fairshare/policy.d/test.yaml:2")
        #expect(r["defaults"]?["gpus"]?["value"] == "0")
        #expect(r["settings"]?["disk"]?["value"] == "/home, hard 2G")
    }

    @Test func withoutDiskInThePolicyNoAccountIsLookedUp() throws {
        var listed = 0
        let h = RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(4)),
                               controller: controller, store: store, events: log, now: { 1_000 },
                               regularUsers: { listed += 1; return [("alice", 1001)] }, quotas: QuotaControl(apply: { _, _ in "unexpected" }, usage: { _, _ in nil }),
                               discoverGPUs: { GPUInventory() })
        h.applyDiskQuotasToAllUsers()
        _ = run(h, .request(ResourceRequest()), as: alice)
        #expect(listed == 0)
        #expect(log.events.filter { $0.kind == .error }.isEmpty)
    }

    @Test func limitsThatAreNotEnforcedAreReported() throws {
        quotaCalls.enforced = false
        let h = handler(FixedPolicy(extra: "disk: {path: /srv/q, hard: 2G}"))
        h.applyDiskQuotasToAllUsers()
        #expect(quotaCalls.calls.count == 2, "the limits are still recorded")
        #expect(log.events.filter { $0.kind == .error }.map(\.message) == [
            "disk quotas on the file system of /srv/q are recorded but not enforced: mount it with usrquota (fstab: defaults,usrquota) or run 'quotaon -u /srv/q'",
        ])
    }

    @Test func aQuotaThatCannotBeSetIsReportedOnce() throws {
        quotaCalls.failure = "user quotas are not on for the file system of /home"
        let h = handler(FixedPolicy(extra: "disk: {path: /home, hard: 2G}"))
        h.applyDiskQuotasToAllUsers()
        let errors = log.events.filter { $0.kind == .error }.map(\.message)
        #expect(errors == ["cannot set the disk quota of alice, carol: user quotas are not on for the file system of /home"])
    }
}

/// Records quota calls as "UID PATH SOFT HARD" (1 KiB blocks).
final class QuotaRecorder: @unchecked Sendable {
    var calls: [String] = []
    var failure: String?
    var enforced: Bool? = true

    func record(_ quota: DiskQuota, _ uid: UInt32) -> String? {
        if let failure { return failure }
        calls.append("\(uid) \(quota.path) \(quota.softBlocks) \(quota.hardBlocks)")
        return nil
    }
}
