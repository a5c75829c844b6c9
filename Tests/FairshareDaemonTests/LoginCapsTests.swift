import Testing
import FairshareCore
@testable import FairshareDaemon

/// The daemon's login caps against drop-in files kept in memory: written
/// at start, one systemd reload per change and none without one, removed
/// when the policy drops `login:`.
@Suite struct LoginCapsTests {
    final class Disk {
        var files: [UInt32: String] = [:]
        var reloads = 0
        var pendingReloads: [(String?) -> Void] = []
        var answerAtOnce = true

        var control: LoginCapFiles {
            LoginCapFiles(present: { self.files },
                          write: { uid, dropIn in self.files[uid] = dropIn.text; return nil },
                          remove: { uid in self.files[uid] = nil; return nil },
                          reloadSystemd: { done in
                              self.reloads += 1
                              if self.answerAtOnce { done(nil) } else { self.pendingReloads.append(done) }
                          })
        }
    }

    static let accounts: [(name: String, uid: UInt32)] = [("alice", 1001), ("bob", 1002), ("carol", 1003)]
    let disk = Disk()
    let log = RecordingEventLog()

    func caps() -> LoginCaps {
        LoginCaps(files: disk.control, accounts: { range in Self.accounts.filter { range.contains($0.uid) } },
                  groupLookup: { $0 == "alice" ? ["alice", "fairshare"] : [$0] }, events: log)
    }

    func policy(_ text: String) -> Policy {
        let result = PolicyCompiler.compile([PolicyCompiler.Source(path: "/etc/fairshare/policy.d/p.yaml", bytes: Array(text.utf8))], accounts: .any)
        guard let p = result.policy else { fatalError(result.diagnostics.report) }
        return p
    }

    @Test func everyAccountInRangeMemberOrNotOneReloadThenNoneWhileNothingChanges() {
        let c = caps()
        c.apply(policy("login: {cpu: 0.5, mem: 256M}\nmin_uid: 1001\nmax_uid: 1002\nusers: {bob: {login: {cpu: 1}}}\n"), reason: "start")
        #expect(disk.files.keys.sorted() == [1001, 1002])
        #expect(disk.files[1001]?.contains("CPUQuota=50%\nMemoryMax=268435456\n") == true)
        #expect(disk.files[1002]?.contains("CPUQuota=100%\n") == true)
        #expect(disk.reloads == 1)
        #expect(c.caps[1002]?.cpu?.origin.description == "/etc/fairshare/policy.d/p.yaml:4")
        // A restart or a reload with the same caps: no daemon-reload.
        c.apply(policy("login: {cpu: 0.5, mem: 256M}\nmin_uid: 1001\nmax_uid: 1002\nusers: {bob: {login: {cpu: 1}}}\n"), reason: "policy reload by root")
        caps().apply(policy("login: {cpu: 0.5, mem: 256M}\nmin_uid: 1001\nmax_uid: 1002\nusers: {bob: {login: {cpu: 1}}}\n"), reason: "start")
        #expect(disk.reloads == 1)
        #expect(log.events.count == 1)
    }

    @Test func droppingLoginRemovesEveryFileWithOneReload() {
        let c = caps()
        c.apply(policy("login: {tasks: 100}\n"), reason: "start")
        #expect(disk.files.count == 3)
        c.apply(policy("defaults: {cpu: 1}\n"), reason: "policy reload by root")
        #expect(disk.files.isEmpty)
        #expect(disk.reloads == 2)
        #expect(c.caps.isEmpty)
        #expect(log.events.last?.message == "login caps (policy reload by root): 0 accounts capped; 0 drop-ins written, 3 removed; systemd re-reads its configuration")
    }

    @Test func aLiftedUserKeepsAFileThatSaysSo() {
        caps().apply(policy("login: {cpu: 0.5}\nusers: {carol: {login: {cpu: infinity}}}\n"), reason: "start")
        #expect(disk.files[1003]?.contains("CPUQuota=\n") == true)
    }

    @Test func changesDuringAReloadGetOneMoreReload() {
        disk.answerAtOnce = false
        let c = caps()
        c.apply(policy("login: {cpu: 1}\n"), reason: "start")
        c.apply(policy("login: {cpu: 2}\n"), reason: "policy reload by root")
        c.apply(policy("login: {cpu: 3}\n"), reason: "policy reload by root")
        #expect(disk.reloads == 1)
        disk.pendingReloads.removeFirst()(nil)
        #expect(disk.reloads == 2)
        disk.pendingReloads.removeFirst()(nil)
        #expect(disk.reloads == 2)
    }

    @Test func aFailedReloadIsTriedAgainAtTheNextApply() {
        disk.answerAtOnce = false
        let c = caps()
        c.apply(policy("login: {cpu: 1}\n"), reason: "start")
        disk.pendingReloads.removeFirst()("org.freedesktop.DBus.Error.AccessDenied")
        #expect(log.events.last?.kind == .error)
        c.apply(policy("login: {cpu: 1}\n"), reason: "policy reload by root")
        #expect(disk.reloads == 2)
    }

    @Test func aPolicyReloadReachesTheLoginCaps() {
        let files = MemoryPolicyStore()
        let h = RequestHandler(policy: FixedPolicy().compiled, policyStore: files, state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: FakeSliceController(), store: MemoryStateStore(), events: log, now: { 1_000 },
                               processLookup: { _ in nil }, groupLookup: { _ in ["fairshare"] })
        let c = caps()
        h.policyInstalled = { policy, who in c.apply(policy, reason: "policy reload by \(who)") }
        files.files.append(("/etc/fairshare/policy.d/50-login.yaml", "login: {cpu: 1}\n"))
        h.reload(by: "root") { _ in }
        #expect(disk.files.keys.sorted() == [1001, 1002, 1003])
        #expect(log.events.contains { $0.message.hasPrefix("login caps (policy reload by root): 3 accounts capped") })
    }
}
