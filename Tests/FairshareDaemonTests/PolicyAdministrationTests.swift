import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

@Suite struct PolicyAdministrationTests {
    let controller = FakeSliceController()
    let store = MemoryStateStore()
    let log = RecordingEventLog()
    let files = MemoryPolicyStore()
    let alice = caller(uid: 1001, name: "alice")
    let root = caller(uid: 0, name: "root", role: .admin)
    let reader = caller(uid: 1003, name: "rita", role: .reader)

    func handler() -> RequestHandler {
        RequestHandler(policy: FixedPolicy().compiled, policyStore: files, state: DaemonState(),
                       machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                       controller: controller, store: store, events: log, now: { 1_000 },
                       processLookup: { _ in nil }, groupLookup: { $0 == "nobody-here" ? nil : ["fairshare"] })
    }

    func run(_ h: RequestHandler, _ r: ClientRequest, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(r, from: c) { reply = $0 }
        return reply
    }

    @Test func setMaxLowersALiveAllocationAboveIt() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest(cpu: CPUQuantity(cpus: 1), mem: .mebibytes(200))), as: alice)
        let change = PolicyChange(scope: .user("alice"), block: .max, cpu: CPUQuantity(usecPerSecond: 300_000))
        guard case .success(let r)? = run(h, .setPolicy(change), as: root) else { Issue.record("refused"); return }
        #expect(controller.slices["fairshare-1001.slice"]?.cpu == CPUQuantity(usecPerSecond: 300_000))
        #expect(controller.slices["fairshare-1001.slice"]?.mem == .mebibytes(200))
        #expect(h.state.allocations[1001]?.resources.cpu == CPUQuantity(usecPerSecond: 300_000))
        #expect(r["clamped"]?.arrayValue?.first?["user"] == "alice")
        #expect(h.state.notices[1001] == "the policy changed: your allocation was lowered from 1 CPU / 200M to 0.3 CPUs / 200M")
        #expect(files.writes == 1)
        #expect(files.files.last?.text.contains("users:\n  alice:\n    max:\n      cpu: 0.3\n") == true)
        #expect(log.events.map(\.kind).suffix(2) == [.policyReloaded, .clamped])
        // The lowered max now binds requests too.
        guard case .failure(let e)? = run(h, .request(ResourceRequest(cpu: CPUQuantity(usecPerSecond: 500_000))), as: alice) else {
            Issue.record("granted above the new max"); return
        }
        #expect(e.code == .refused)
    }

    @Test func aChangeThatMakesThePolicyInvalidIsNotWritten() {
        let h = handler()
        let change = PolicyChange(scope: .global, block: .max, cpu: CPUQuantity(usecPerSecond: 100_000))
        guard case .failure(let e)? = run(h, .setPolicy(change), as: root) else { Issue.record("accepted"); return }
        #expect(e.code == .invalidPolicy)
        #expect(e.message == "the policy has 1 error; nothing was changed")
        #expect(e.details["diagnostics"]?.arrayValue?.first?["message"]
            == "defaults.cpu 0.5 is above max.cpu 0.1 (/var/lib/fairshare/policy.d/admin.yaml:6)")
        #expect(files.writes == 0)
        #expect(h.policy.globalLimits.max.cpu.value == CPUQuantity(cpus: 1))
    }

    @Test func aHandEditedOverrideFileWithErrorsIsNotOverwritten() {
        let h = handler()
        files.files.append((files.overridePath, "max:\n  cpus: 2\n"))
        let change = PolicyChange(scope: .global, block: .max, cpu: CPUQuantity(cpus: 1))
        guard case .failure(let e)? = run(h, .setPolicy(change), as: root) else { Issue.record("accepted"); return }
        #expect(e.code == .invalidPolicy)
        #expect(e.message == "the policy has 1 error; fix or remove /var/lib/fairshare/policy.d/admin.yaml, then try again; nothing was changed")
        #expect(files.writes == 0)
        #expect(files.files.last?.text == "max:\n  cpus: 2\n")
    }

    @Test func reloadWithABrokenFileKeepsTheRunningPolicy() {
        let h = handler()
        files.files[0].text = "max:\n  cpu: 8\n  memory: 1G\n"
        guard case .failure(let e)? = run(h, .reload, as: root) else { Issue.record("accepted"); return }
        #expect(e.code == .invalidPolicy)
        #expect(e.details["diagnostics"]?.arrayValue?.first?["text"]
            == "/etc/fairshare/policy.d/test.yaml:3:3: error: unknown key 'memory' in 'max'; did you mean 'mem'?\n      memory: 1G\n      ^")
        #expect(h.policy.globalLimits.max.cpu.value == CPUQuantity(cpus: 1))
        #expect(log.events.last?.kind == .policyRejected)
        files.files[0].text = "max:\n  cpu: 8\n"
        guard case .success? = run(h, .reload, as: root) else { Issue.record("refused"); return }
        #expect(h.policy.globalLimits.max.cpu.value == CPUQuantity(cpus: 8))
    }

    @Test func onlyAdminsChangeThePolicy() {
        let h = handler()
        for c in [alice, reader] {
            for request in [ClientRequest.reload, .setPolicy(PolicyChange(scope: .global, block: .max, cpu: CPUQuantity(cpus: 2)))] {
                guard case .failure(let e)? = run(h, request, as: c) else { Issue.record("allowed for \(c.userName)"); continue }
                #expect(e.code == .permissionDenied)
                #expect(e.message.hasPrefix("only root and members of admin_group may"))
            }
        }
        #expect(files.writes == 0)
    }

    @Test func showPolicyNamesTheFileOfEveryValue() throws {
        let h = handler()
        _ = run(h, .setPolicy(PolicyChange(scope: .user("alice"), block: .max, mem: .mebibytes(128))), as: root)
        guard case .success(let r)? = run(h, .showPolicy(user: nil), as: alice) else { Issue.record("refused"); return }
        #expect(r["user"] == "alice")
        #expect(r["max"]?["mem"]?["value"] == "128M")
        #expect(r["max"]?["mem"]?["origin"] == "/var/lib/fairshare/policy.d/admin.yaml:8")
        #expect(r["max"]?["cpu"]?["origin"] == "/etc/fairshare/policy.d/test.yaml:2")
        #expect(r["defaults"]?["cpu"]?["value"] == "0.5")
        #expect(r["settings"]?["allocator"]?["value"] == "none")
        #expect(r["settings"]?["idle_release"]?["origin"] == "built-in")
    }

    @Test func anotherUsersPolicyIsForReadersAndAdmins() {
        let h = handler()
        guard case .failure(let e)? = run(h, .showPolicy(user: "bob"), as: alice) else { Issue.record("allowed"); return }
        #expect(e.code == .permissionDenied)
        guard case .success(let r)? = run(h, .showPolicy(user: "bob"), as: reader) else { Issue.record("refused"); return }
        #expect(r["user"] == "bob")
        guard case .failure(let unknown)? = run(h, .showPolicy(user: "nobody-here"), as: root) else { Issue.record("allowed"); return }
        #expect(unknown.message == "no such user 'nobody-here'")
    }

    /// The login cap, the accounts capped, GPUs in logins and strays are
    /// in show-policy too, each with its file and line.
    @Test func showPolicyHasTheLoginCapAndStrays() throws {
        let policy = FixedPolicy(extra: "login: {cpu: 0.5, tasks: 100}\nmax_uid: 5000\nstrays: {mode: adopt, ignore: [machine.slice]}")
        let h = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: controller, store: store, events: log, now: { 1_000 },
                               processLookup: { _ in nil }, uidLookup: { $0 == "alice" ? 1001 : nil },
                               groupLookup: { _ in ["fairshare"] })
        guard case .success(let json)? = run(h, .showPolicy(user: nil), as: alice) else { Issue.record("refused"); return }
        let r = try PolicyShowReply(json: json)
        let rows = Dictionary(uniqueKeysWithValues: r.settings.map { ($0.key, $0.value) })
        #expect(rows["login.cpu"] == SourcedText(value: "0.5", origin: "/etc/fairshare/policy.d/test.yaml:5"))
        #expect(rows["login.tasks"]?.value == "100")
        #expect(rows["login.mem"] == SourcedText(value: "-", origin: "built-in"))
        #expect(rows["min_uid"] == SourcedText(value: "1000", origin: "built-in"))
        #expect(rows["max_uid"]?.value == "5000")
        #expect(rows["login_gpus"]?.value == "closed")
        #expect(rows["strays.mode"]?.value == "adopt")
        #expect(rows["strays.interval"]?.origin == "built-in")
        #expect(rows["strays.ignore"]?.value == "machine.slice")
    }
}
