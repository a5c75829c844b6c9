import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon
#if canImport(Glibc)
import Glibc
#endif

struct JobTestFailure: Error {}

@Suite struct JobHandlingTests {
    let controller = FakeSliceController()
    let store = MemoryStateStore()
    let log = RecordingEventLog()
    let alice = caller(uid: 1001, name: "alice")
    let dave = caller(uid: 1004, name: "dave")
    let rita = caller(uid: 1005, name: "rita", role: .reader)
    let root = caller(uid: 0, name: "root", role: .admin)
    let directory: String = {
        var template = Array("/tmp/fairshare-jobs-XXXXXX".utf8CString)
        return String(cString: mkdtemp(&template)!)
    }()

    func handler(_ policy: FixedPolicy = FixedPolicy(), state: DaemonState = DaemonState()) -> RequestHandler {
        RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: state,
                       machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                       controller: controller, store: store, events: log, now: { 1_000 },
                       processLookup: { _ in nil }, jobLogDirectory: directory)
    }

    func run(_ h: RequestHandler, _ r: ClientRequest, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(r, from: c) { reply = $0 }
        return reply
    }

    func start(_ h: RequestHandler) throws -> UInt64 {
        guard case .success(let r)? = run(h, .run(RunRequest(argv: ["/bin/sh", "-c", "true"], cwd: "/tmp", name: "x")), as: alice),
              let id = r["job"]?.uint64Value else { throw JobTestFailure() }
        return id
    }

    @Test func runStartsAServiceInTheSliceAndKeepsTheJob() throws {
        let h = handler()
        let id = try start(h)
        #expect(id == 1)
        #expect(controller.calls == ["start fairshare-1001.slice 500000", "job fairshare-1001-job-1.service in fairshare-1001.slice"])
        #expect(controller.jobs["fairshare-1001-job-1.service"]?.log == "\(directory)/1001/1.log")
        #expect(FileIO.exists("\(directory)/1001/1.log"))
        #expect(store.saved?.jobs[1]?.argv == ["/bin/sh", "-c", "true"])
        #expect(store.saved?.nextJobID == 2)
    }

    /// What a hostile member can put in argv reaches systemd word for word,
    /// as checked values, and the working directory arrives as sent.
    @Test func argvAndCwdReachTheControllerUnchanged() throws {
        let h = handler()
        let words: [CommandArgument] = ["/bin/printf", "%s|", "a\nExecStopPost=+/bin/sh", "; $HOME %h 'q' \"d\" \\"]
        guard case .success? = run(h, .run(RunRequest(argv: words, cwd: "/srv/my dir/%h")), as: alice) else { Issue.record("refused"); return }
        let job = controller.jobs["fairshare-1001-job-1.service"]
        #expect(job?.argv == words.map(\.string))
        #expect(job?.cwd == "/srv/my dir/%h")
    }

    @Test func runningJobsPerUserAreLimited() throws {
        let h = handler(FixedPolicy(extra: "daemon: {running_jobs_per_user: 2}"))
        _ = try start(h)
        _ = try start(h)
        guard case .failure(let e)? = run(h, .run(RunRequest(argv: ["/bin/true"], cwd: "/")), as: alice) else { Issue.record("started"); return }
        #expect(e.code == .refused)
        #expect(e.message.hasPrefix("you have 2 jobs running, the most the policy allows (daemon.running_jobs_per_user)"))
        // Another user is not held back by alice's jobs.
        guard case .success? = run(h, .run(RunRequest(argv: ["/bin/true"], cwd: "/")), as: dave) else { Issue.record("refused"); return }
    }

    /// The oldest ended jobs go (record and log) past kept_jobs_per_user,
    /// at start-up and when a new job starts.
    @Test func endedJobsPastTheKeptLimitAreRetired() throws {
        var state = DaemonState()
        for id in UInt64(1)...10_000 {
            state.jobs[id] = Job(id: id, uid: 1001, user: "alice", name: nil, argv: ["/bin/true"], started: 500,
                                 end: JobEnd(exitStatus: 0, signal: nil, stopped: false, ended: 500 + id % 7))
        }
        state.nextJobID = 10_001
        let h = handler(FixedPolicy(extra: "daemon: {kept_jobs_per_user: 100}"), state: state)
        h.retireEndedJobsOfEveryone()
        #expect(h.state.jobs.count == 100)
        #expect(store.saved?.jobs.count == 100)
        // The newest-ended ones stay: those that ended at 506.
        #expect(h.state.jobs.values.allSatisfy { $0.end?.ended == 506 })
        _ = try start(h)
        #expect(h.state.jobs.values.filter { $0.end != nil }.count == 99)
        #expect(h.state.jobs.count == 100)
    }

    /// 500 jobs with long command lines come in pages that each fit a line.
    @Test func jobsComeInPagesThatFitALine() throws {
        var state = DaemonState()
        let long = String(repeating: "x", count: 1000)
        for id in UInt64(1)...500 {
            state.jobs[id] = Job(id: id, uid: 1001, user: "alice", name: nil, argv: ["/bin/echo", long], started: 500,
                                 end: JobEnd(exitStatus: 0, signal: nil, stopped: false, ended: 900))
        }
        let h = handler(state: state)
        var after: UInt64?
        var seen = 0
        var pages = 0
        repeat {
            guard case .success(let page)? = run(h, .jobs(all: false, after: after), as: alice) else { Issue.record("refused"); return }
            #expect(page.serialized.utf8.count < WireProtocol.maxLineBytes)
            seen += page["jobs"]?.arrayValue?.count ?? 0
            after = page["next"]?.uint64Value
            pages += 1
        } while after != nil
        #expect(seen == 500)
        #expect(pages > 1)
    }

    @Test func aCommandLineAboveTheCapIsRefused() throws {
        func line(_ count: Int) -> String {
            #"{"v":1,"op":"run","argv":["/bin/echo",""# + String(repeating: "x", count: count) + #""],"cwd":"/"}"#
        }
        // "/bin/echo" and its NUL are 10 bytes, the argument's NUL one more.
        #expect(try ClientRequest.decode(JSON.parse(line(RunRequest.maxCommandBytes - 11))) != .status)
        let e = #expect(throws: RequestDecodingError.self) { try ClientRequest.decode(JSON.parse(line(RunRequest.maxCommandBytes - 10))) }
        #expect(e?.field == "argv")
        #expect(e?.message == "invalid \"argv\": the command line is 16385 bytes; a job takes at most 16384 (put a long one in a script)")
    }

    /// A bus error while reading a job's state is not its end: `jobs`
    /// reads nothing (jobs are tracked from systemd's signals), and the one
    /// read at start-up keeps a job it cannot read running.
    @Test func aRunningJobSurvivesAFailedRead() throws {
        let h = handler()
        let id = try start(h)
        controller.jobStateError = ControllerError("Connection timed out", busErrorName: "org.freedesktop.DBus.Error.Timeout")
        guard case .success(let r)? = run(h, .jobs(all: false), as: alice) else { Issue.record("jobs failed"); return }
        #expect(r["jobs"]?.arrayValue?.first?["state"] == "running")
        #expect(r["jobs"]?.arrayValue?.first?["pid"] == 777)
        #expect(controller.jobStateReads == 0)
        let restarted = handler(state: h.state)
        restarted.readRunningJobs()
        #expect(controller.jobStateReads == 1)
        #expect(restarted.state.jobs[id]?.end == nil)
        #expect(!controller.calls.contains("stop fairshare-1001-job-1.service"))
        #expect(log.events.last?.message.hasPrefix("cannot read the state of job 1") == true)
        guard case .success(let again)? = run(restarted, .jobStatus(job: id), as: alice) else { Issue.record("status failed"); return }
        #expect(again["state"] == "running")
    }

    /// The end is recorded when systemd's signals say so, with no request
    /// asking: the exit status, or the signal that killed it, and the unit
    /// kept for its status is let go.
    @Test func aJobEndsWhenItsSignalsSaySo() throws {
        let h = handler()
        let id = try start(h)
        controller.jobSignal("fairshare-1001-job-1.service", JobUnitState(running: true, pid: 778, exitCode: 0, exitStatus: 0))
        #expect(h.trackedJobs[id]?.pid == 778)
        controller.jobSignal("fairshare-1001-job-1.service", JobUnitState(running: false, pid: 778, exitCode: 2, exitStatus: 9))
        #expect(h.state.jobs[id]?.end?.signal == 9)
        #expect(h.state.jobs[id]?.end?.shellStatus == 137)
        #expect(store.saved?.jobs[id]?.end?.signal == 9)
        #expect(controller.calls.last == "stop fairshare-1001-job-1.service")
        #expect(h.trackedJobs[id] == nil)
        #expect(controller.jobStateReads == 0)
        // Later signals (the unit stopping, then unloaded) change nothing.
        controller.jobSignal("fairshare-1001-job-1.service", nil)
        #expect(h.state.jobs[id]?.end?.signal == 9)
    }

    /// A unit unloaded while its job was running ended with no status
    /// known; signals for other units, other users' or unknown jobs are
    /// ignored.
    @Test func aJobWhoseUnitIsGoneHasEnded() throws {
        let h = handler()
        let id = try start(h)
        controller.jobSignal("fairshare-1002-job-1.service", nil)
        controller.jobSignal("fairshare-1001-job-9.service", nil)
        controller.jobSignal("fairshare-1001-exec-1.scope", nil)
        #expect(h.state.jobs[id]?.end == nil)
        controller.jobSignal("fairshare-1001-job-1.service", nil)
        #expect(h.state.jobs[id]?.end?.shellStatus == 0)
        #expect(h.state.jobs[id]?.end?.stopped == false)
    }

    /// At start-up a job that ended while the daemon was down is found
    /// ended by its one read.
    @Test func aJobThatEndedWhileTheDaemonWasDownIsFoundAtStartUp() throws {
        let h = handler()
        let id = try start(h)
        controller.jobStates["fairshare-1001-job-1.service"] = JobUnitState(running: false, pid: nil, exitCode: 1, exitStatus: 4)
        let restarted = handler(state: h.state)
        #expect(restarted.state.jobs[id]?.end == nil)
        restarted.readRunningJobs()
        #expect(restarted.state.jobs[id]?.end?.exitStatus == 4)
    }

    @Test func logsReturnTheBytesFromAnOffsetAndTheEnd() throws {
        let h = handler()
        let id = try start(h)
        try FileIO.writeAtomically("\(directory)/1001/1.log", Array("hello\u{0}\u{FF}world".utf8) + [0xFF])
        guard case .success(let page)? = run(h, .logs(job: id, offset: 5), as: alice) else { Issue.record("refused"); return }
        #expect(page["data"]?.stringValue.flatMap(Base64.decode) == Array("\u{0}\u{FF}world".utf8) + [0xFF])
        #expect(page["ended"] == false)
        controller.jobSignal("fairshare-1001-job-1.service", JobUnitState(running: false, pid: nil, exitCode: 1, exitStatus: 3))
        guard case .success(let last)? = run(h, .logs(job: id, offset: 100), as: alice) else { Issue.record("refused"); return }
        #expect(last["ended"] == true)
        #expect(last["end"]?["exit_status"] == 3)
        #expect(h.state.jobs[id]?.end?.shellStatus == 3)
        #expect(controller.calls.last == "stop fairshare-1001-job-1.service")
    }

    @Test func onlyTheOwnerAndAdminsChangeAJobAndReadersRead() throws {
        let h = handler()
        let id = try start(h)
        guard case .failure(let hidden)? = run(h, .logs(job: id, offset: 0), as: dave) else { Issue.record("dave read it"); return }
        #expect(hidden.code == .noSuchJob)
        guard case .success? = run(h, .logs(job: id, offset: 0), as: rita) else { Issue.record("reader refused"); return }
        guard case .failure(let denied)? = run(h, .stop(job: id), as: rita) else { Issue.record("reader stopped it"); return }
        #expect(denied.code == .permissionDenied)
        guard case .failure(let listAll)? = run(h, .jobs(all: true), as: dave) else { Issue.record("dave listed all"); return }
        #expect(listAll.code == .permissionDenied)
        guard case .success(let mine)? = run(h, .jobs(all: false), as: dave) else { Issue.record("refused"); return }
        #expect(mine["jobs"]?.arrayValue?.isEmpty == true)
        guard case .success(let stopped)? = run(h, .stop(job: id), as: root) else { Issue.record("admin refused"); return }
        #expect(stopped["stopped"] == true)
        #expect(h.state.jobs[id]?.end?.stopped == true)
        guard case .failure(let again)? = run(h, .stop(job: id), as: alice) else { Issue.record("stopped twice"); return }
        #expect(again.message == "job \(id) has already ended")
    }

    @Test func unknownJobsAreAnErrorThatSaysSo() {
        let h = handler()
        guard case .failure(let e)? = run(h, .logs(job: 42, offset: 0), as: alice) else { Issue.record("found"); return }
        #expect(e.code == .noSuchJob)
        #expect(e.message == "no job 42 of yours; 'fairshare jobs' lists them")
    }

    @Test func jobsSurviveInTheState() throws {
        var state = DaemonState()
        state.jobs[7] = Job(id: 7, uid: 1001, user: "alice", name: nil, argv: ["/bin/true"], started: 5,
                            end: JobEnd(exitStatus: nil, signal: 9, stopped: false, ended: 9))
        state.nextJobID = 8
        let decoded = try DaemonState.decode(JSON.parse(state.json.serialized))
        #expect(decoded == state)
        #expect(decoded.jobs[7]?.end?.shellStatus == 137)
    }
}

extension JobHandlingTests {
    @Test func aJobPastTheOutputCapIsStoppedAndItsLogCut() throws {
        let h = handler()
        h.jobLogCap = 1000
        let id = try start(h)
        let path = "\(directory)/1001/\(id).log"
        try FileIO.writeAtomically(path, [UInt8](repeating: 65, count: 5000))
        h.capJobOutput()
        #expect(controller.calls.last == "stop fairshare-1001-job-1.service")
        let kept = try FileIO.read(path)
        #expect(kept.count > 1000 && kept.count < 1100)
        #expect(String(decoding: kept.suffix(60), as: UTF8.self).hasSuffix("stopped: its output reached the 1000 cap]\n"))
        #expect(h.state.jobs[id]?.end?.stopped == true)
        #expect(h.state.notices[1001] == "your job 1 was stopped: its output reached the 1000 cap")
    }

    @Test func endedJobsAreForgottenAfterTheRetentionTime() throws {
        var clock: UInt64 = 1_000
        let h = RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(), state: DaemonState(),
                               machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                               controller: controller, store: store, events: log, now: { clock },
                               processLookup: { _ in nil }, jobLogDirectory: directory)
        let id = try start(h)
        controller.jobSignal("fairshare-1001-job-1.service", JobUnitState(running: false, pid: nil, exitCode: 1, exitStatus: 0))
        guard case .success(let s)? = run(h, .jobStatus(job: id), as: alice) else { Issue.record("refused"); return }
        #expect(s["state"] == "exited")
        clock += RequestHandler.retentionSeconds - 1
        h.forgetExpiredJobs()
        #expect(h.state.jobs[id] != nil)
        clock += 2
        h.forgetExpiredJobs()
        #expect(h.state.jobs[id] == nil)
        #expect(!FileIO.exists("\(directory)/1001/\(id).log"))
    }
}
