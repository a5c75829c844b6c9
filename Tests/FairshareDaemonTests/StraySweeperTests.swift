import Dispatch
import FairshareCore
import FairshareSystem
import Testing
@testable import FairshareDaemon

/// systemd's side of adoption, in memory: records each scope, answers
/// at once (or with a scripted error), may run something first.
final class FakeStrayMover: StrayMover {
    var scopes: [(scope: String, slice: String, pids: [Int32])] = []
    var failNext: ControllerError?
    var beforeAnswer: (() -> Void)?

    func adopt(_ pids: [Int32], into scope: UnitName, slice: UnitName, description: UnitText,
               completion: @escaping (Result<Void, ControllerError>) -> Void) {
        beforeAnswer?()
        if let e = failNext {
            failNext = nil
            return completion(.failure(e))
        }
        scopes.append((scope.string, slice.string, pids))
        completion(.success(()))
    }
}

/// The stray sweep: what it lists, what it moves and what it never moves.
@Suite struct StraySweeperTests {
    let queue = DispatchQueue(label: "test-strays")
    let mover = FakeStrayMover()
    let log = RecordingEventLog()
    /// The processes `/proc` holds, by pid.
    final class Table: @unchecked Sendable { var processes: [Int32: ProcessSample] = [:] }
    let table = Table()

    init() {
        for s in [
            ProcessSample(pid: 1, name: "systemd", uid: 0, cgroup: "/init.scope"),
            ProcessSample(pid: 300, name: "cron", uid: 0, cgroup: "/system.slice/cron.service"),
            ProcessSample(pid: 301, name: "sh", uid: 1000, rssBytes: 8192, startTicks: 500, cpuTicks: 0, cgroup: "/system.slice/cron.service"),
            ProcessSample(pid: 302, name: "hog", uid: 1000, rssBytes: 4096, startTicks: 501, cpuTicks: 100, cgroup: "/system.slice/cron.service"),
            ProcessSample(pid: 400, name: "bash", uid: 1000, cgroup: "/user.slice/user-1000.slice/session-2.scope"),
            ProcessSample(pid: 500, name: "svc", uid: 999, cgroup: "/system.slice/svc.service"),
        ] { table.processes[s.pid] = s }
    }

    func sweeper(_ policy: String) -> StraySweeper {
        let p = FixedPolicy(extra: policy).compiled, t = table
        return StraySweeper(queue: queue, mover: mover, events: log, policy: { p }, userName: { $0 == 1000 ? "alice" : nil },
                            now: { 1_700_000_000 }, clock: { 10_000_000 }, pids: { Array(t.processes.keys).sorted() },
                            sample: { pid, _ in t.processes[pid] }, ticksPerSecond: 100, chunk: 2)
    }

    /// One whole sweep (all its parts), then whatever it queued.
    func sweepOnce(_ s: StraySweeper) {
        queue.sync {
            s.stop()
            s.sweep()
        }
        for _ in 0..<10 { queue.sync {} }
    }

    @Test func reportListsStraysAndMovesNothing() throws {
        let s = sweeper("strays: report")
        sweepOnce(s)
        let audit = queue.sync { s.audit() }
        #expect(audit.strays.map(\.pid) == [301, 302])
        #expect(audit.strays.map(\.unit) == ["cron.service", "cron.service"])
        #expect(audit.strays.map(\.user) == ["alice", "alice"])
        // 100 ticks since start tick 501 (5.01 s), at 10 s: 1 s of 4.99 s.
        #expect(audit.strays[1].cpuPercent == 20.0)
        #expect(audit.mode == "report" && audit.interval == 10 && audit.processes == 6 && audit.sweptAt == 1_700_000_000)
        #expect(mover.scopes.isEmpty)
        #expect(try StrayAuditReply(json: audit.json) == audit)
        // One journal line for the group (alice's strays in cron.service),
        // not one per sweep; a group that comes back is reported again.
        #expect(log.events.map(\.kind) == [.strayFound])
        #expect(log.events.first?.message.hasPrefix("found 2 stray processes of alice in cron.service (pid 301 302, sh)") == true)
        #expect(log.events.first?.fields.first { $0.name == "FAIRSHARE_CGROUP" }?.value == "/system.slice/cron.service")
        sweepOnce(s)
        #expect(log.events.count == 1)
        let gone = table.processes.filter { $0.value.cgroup == "/system.slice/cron.service" && $0.value.uid == 1000 }
        for pid in gone.keys { table.processes[pid] = nil }
        sweepOnce(s)
        for (pid, p) in gone { table.processes[pid] = p }
        sweepOnce(s)
        #expect(log.events.map(\.kind) == [.strayFound, .strayFound])
    }

    @Test func adoptMovesOneCgroupsStraysIntoOneScopeUnderTheLoginSlice() {
        let s = sweeper("strays: {mode: adopt, interval: 2s}")
        sweepOnce(s)
        #expect(mover.scopes.count == 1)
        #expect(mover.scopes.first?.scope == "fairshare-stray-1000-301.scope")
        #expect(mover.scopes.first?.slice == "user-1000.slice")
        #expect(mover.scopes.first?.pids == [301, 302])
        #expect(log.events.map(\.kind) == [.strayAdopted])
        let event = log.events[0]
        #expect(event.uid == 1000 && event.user == "alice")
        #expect(event.fields.map(\.name) == ["FAIRSHARE_PIDS", "FAIRSHARE_UNIT", "FAIRSHARE_CGROUP", "FAIRSHARE_SCOPE"])
        #expect(event.fields.map(\.value) == ["301 302", "cron.service", "/system.slice/cron.service", "fairshare-stray-1000-301.scope"])
        #expect(queue.sync { s.audit() }.strays.isEmpty)
    }

    @Test func aProcessThatExitedOrChangedBeforeTheMoveIsLeftOut() {
        // Read by the sweep, then one exits and the other's pid is reused
        // before the check that precedes the move.
        var reads = 0
        let real = table.processes
        let flaky = StraySweeper(queue: queue, mover: mover, events: log, policy: { FixedPolicy(extra: "strays: adopt").compiled },
                                 userName: { _ in "alice" }, now: { 0 }, clock: { 10_000_000 }, pids: { Array(real.keys).sorted() },
                                 sample: { pid, _ in
                                     reads += 1
                                     if reads > real.count {
                                         if pid == 301 { return nil }
                                         if pid == 302 { var p = real[302]!; p.startTicks = 9999; return p }
                                     }
                                     return real[pid]
                                 }, ticksPerSecond: 100, chunk: 100)
        sweepOnce(flaky)
        #expect(mover.scopes.isEmpty)
        #expect(log.events.isEmpty)
    }

    @Test func aRefusalIsJournalledOnceWhileTheProcessLives() {
        let s = sweeper("strays: adopt")
        mover.failNext = ControllerError("Access denied", busErrorName: "org.freedesktop.DBus.Error.AccessDenied")
        sweepOnce(s)
        #expect(log.events.map(\.kind) == [.error])
        #expect(log.events[0].message.contains("could not adopt the stray processes of alice (pid 301 302) from cron.service"))
        #expect(queue.sync { s.audit() }.strays.map(\.pid) == [301, 302])
        mover.failNext = ControllerError("Access denied", busErrorName: "org.freedesktop.DBus.Error.AccessDenied")
        sweepOnce(s)
        #expect(log.events.map(\.kind) == [.error])
    }

    @Test func exitedBeforeSystemdAnsweredIsNoError() {
        let s = sweeper("strays: adopt")
        let t = table
        mover.beforeAnswer = { t.processes[301] = nil; t.processes[302] = nil }
        mover.failNext = ControllerError("Process 301 does not exist", busErrorName: "org.freedesktop.DBus.Error.UnixProcessIdUnknown")
        sweepOnce(s)
        #expect(log.events.isEmpty)
    }

    @Test func offSweepsNothingAndOutsideTheRangeIsNeverMoved() {
        let off = sweeper("strays: off")
        sweepOnce(off)
        let audit = queue.sync { off.audit() }
        #expect(audit.mode == "off" && audit.strays.isEmpty && audit.sweptAt == nil)
        let narrow = sweeper("strays: adopt\nmin_uid: 2000")
        sweepOnce(narrow)
        #expect(mover.scopes.isEmpty)
        #expect(queue.sync { narrow.audit() }.strays.isEmpty)
    }

    @Test func ignoredUnitsStayPut() {
        let s = sweeper("strays: {mode: adopt, ignore: [\"cron.*\"]}")
        sweepOnce(s)
        #expect(mover.scopes.isEmpty)
        #expect(queue.sync { s.audit() }.strays.isEmpty)
    }

    @Test func auditIsForReadersAndAdmins() throws {
        let member = caller(uid: 1000, name: "alice")
        let refusal = RequestHandler.refusal(of: .audit, by: member)
        #expect(refusal?.code == .permissionDenied)
        #expect(RequestHandler.refusal(of: .audit, by: caller(uid: 1002, name: "rita", role: .reader)) == nil)
        #expect(try ClientRequest.decode(ClientRequest.audit.json) == .audit)
    }
}
