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
        /// The uids each settle after a reload was asked for.
        var settled: [[UInt32]] = []

        var control: LoginCapFiles {
            LoginCapFiles(present: { self.files },
                          write: { uid, dropIn in self.files[uid] = dropIn.text; return nil },
                          remove: { uid in self.files[uid] = nil; return nil },
                          reloadSystemd: { done in
                              self.reloads += 1
                              if self.answerAtOnce { done(nil) } else { self.pendingReloads.append(done) }
                          },
                          settle: { uids, done in self.settled.append(uids.sorted()); done(uids.sorted(), []) })
        }
    }

    static let accounts: [(name: String, uid: UInt32)] = [("alice", 1001), ("bob", 1002), ("carol", 1003)]
    let disk = Disk()
    let log = RecordingEventLog()

    final class Accounts {
        var list = LoginCapsTests.accounts
    }
    let accounts = Accounts()
    static let rules = LoginDeviceRules(drivers: [.init(.char, DriverName("mem")!), .init(.block, DriverName("loop")!)], nodes: [])

    func caps() -> LoginCaps {
        LoginCaps(files: disk.control, accounts: { [accounts] range in accounts.list.filter { range.contains($0.uid) } },
                  groupLookup: { $0 == "alice" ? ["alice", "fairshare"] : [$0] }, events: log, deviceRules: { (Self.rules, nil) })
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

    /// systemd 257 writes re-read slice settings into the cgroup only when it
    /// next realizes the slice: after each reload the changed ones are settled.
    @Test func afterEachReloadTheChangedSlicesAreSettled() {
        disk.answerAtOnce = false
        let c = caps()
        c.apply(policy("login: {cpu: 1}\nmin_uid: 1001\nmax_uid: 1002\n"), reason: "start")
        #expect(disk.settled.isEmpty)
        disk.pendingReloads.removeFirst()(nil)
        #expect(disk.settled == [[1001, 1002]])
        // Only bob changes; while that reload runs, carol's account appears.
        c.apply(policy("login: {cpu: 1}\nmin_uid: 1001\nmax_uid: 1003\nusers: {bob: {login: {cpu: 2}}}\n"), reason: "policy reload by root")
        c.apply(policy("login: {cpu: 1}\nmin_uid: 1001\nmax_uid: 1003\nusers: {bob: {login: {cpu: 2}}, carol: {login: {cpu: 3}}}\n"), reason: "policy reload by root")
        disk.pendingReloads.removeFirst()(nil)
        #expect(disk.settled == [[1001, 1002], [1002, 1003]])
        disk.pendingReloads.removeFirst()(nil)
        #expect(disk.settled == [[1001, 1002], [1002, 1003], [1003]])
    }

    @Test func aFailedReloadSettlesNothingAndKeepsTheChangesForTheNext() {
        disk.answerAtOnce = false
        let c = caps()
        c.apply(policy("login: {cpu: 1}\nmin_uid: 1001\nmax_uid: 1001\n"), reason: "start")
        disk.pendingReloads.removeFirst()("org.freedesktop.DBus.Error.AccessDenied")
        #expect(disk.settled.isEmpty)
        c.apply(policy("login: {cpu: 1}\nmin_uid: 1001\nmax_uid: 1001\n"), reason: "policy reload by root")
        disk.pendingReloads.removeFirst()(nil)
        #expect(disk.settled == [[1001]])
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

    @Test func gpusClosedToLoginsGiveEveryAccountAFileCappedOrNot() {
        let c = caps()
        c.apply(policy("max: {gpus: 1}\nusers: {bob: {login: {cpu: 1}}}\n"), reason: "start")
        #expect(disk.files.keys.sorted() == [1001, 1002, 1003])
        #expect(disk.files[1001]?.hasSuffix("[Slice]\nDevicePolicy=closed\nDeviceAllow=char-mem rwm\nDeviceAllow=block-loop rwm\n") == true)
        #expect(disk.files[1002]?.contains("CPUQuota=100%\nDevicePolicy=closed\n") == true)
        #expect(c.caps.keys.sorted() == [1002])
        #expect(c.gpusClosed)
        #expect(log.events.last?.message.contains("GPUs closed to logins (2 drivers and 0 nodes allowed") == true)
        #expect(disk.reloads == 1)
        // login_gpus: open: the device policy goes, bob's cap stays.
        c.apply(policy("max: {gpus: 1}\nlogin_gpus: open\nusers: {bob: {login: {cpu: 1}}}\n"), reason: "policy reload by root")
        #expect(disk.files.keys.sorted() == [1002])
        #expect(disk.files[1002]?.contains("Device") == false)
        #expect(!c.gpusClosed)
        #expect(disk.reloads == 2)
    }

    @Test func aPolicyWithoutGPUsWritesNoDevicePolicy() {
        let c = caps()
        c.apply(policy("login: {cpu: 1}\nlogin_gpus: closed\n"), reason: "start")
        #expect(disk.files.values.allSatisfy { !$0.contains("Device") })
        c.apply(policy("defaults: {cpu: 1}\n"), reason: "policy reload by root")
        #expect(disk.files.isEmpty)
    }

    @Test func aNewAccountGetsItsFileAtItsFirstLoginWithOneReload() {
        let c = caps()
        c.apply(policy("max: {gpus: 1}\nlogin: {tasks: 50}\n"), reason: "start")
        #expect(disk.reloads == 1)
        accounts.list.append(("dave", 1004))
        c.accountAppeared(uid: 1004, name: "dave")
        #expect(disk.files[1004]?.contains("TasksMax=50\nDevicePolicy=closed\n") == true)
        #expect(c.caps[1004]?.tasks?.value == TaskLimit(50))
        #expect(disk.reloads == 2)
        #expect(log.events.last?.message == "login caps: new account dave (uid 1004) logged in; drop-in written, systemd re-reads its configuration")
        // Her next login, and the logins of accounts known before: nothing.
        c.accountAppeared(uid: 1004, name: "dave")
        c.accountAppeared(uid: 1001, name: "alice")
        // Outside min_uid..max_uid (root, system users): nothing.
        c.accountAppeared(uid: 0, name: "root")
        c.accountAppeared(uid: 999, name: "svc")
        #expect(disk.reloads == 2)
        #expect(disk.files[0] == nil && disk.files[999] == nil)
    }

    @Test func aNewAccountUnderAPolicyWithoutLoginSettingsCostsNothing() {
        let c = caps()
        c.apply(policy("defaults: {cpu: 1}\n"), reason: "start")
        c.accountAppeared(uid: 1004, name: "dave")
        #expect(disk.files.isEmpty)
        #expect(disk.reloads == 0)
    }
}
