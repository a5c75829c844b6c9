import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon
#if canImport(Glibc)
import Glibc
#endif

/// `exec` moves only the caller's own process: not one that has exited,
/// not a recycled pid, not a setuid program the caller started.
@Suite struct ExecIdentityTests {
    let controller = FakeSliceController()
    let log = RecordingEventLog()
    /// What /proc says about pid 4242, changeable while a test runs.
    final class World: @unchecked Sendable {
        var process: ProcessIdentity? = ProcessIdentity(pid: 4242, startTime: 77, uid: 1001)
        var alive = true
    }
    let world = World()

    func handler() -> RequestHandler {
        let w = world
        return RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(), state: DaemonState(),
                              machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                              controller: controller, store: MemoryStateStore(), events: log, now: { 1_000 },
                              processLookup: { $0 == 4242 ? w.process : nil }, processAlive: { _ in w.alive })
    }

    /// alice, connected from pid 4242, with a real pidfd (of this test
    /// process: the seam decides what it says).
    func alice() throws -> Caller {
        var c = caller(uid: 1001, name: "alice")
        c.handle = try ProcessHandle.open(pid: getpid())
        return c
    }

    func exec(_ h: RequestHandler, as c: Caller) -> Reply? {
        var reply: Reply?
        h.handle(.exec(ExecRequest()), from: c) { reply = $0 }
        return reply
    }

    @Test func aSetuidProgramStartedByTheCallerIsNotMoved() throws {
        // Same pid, same start time, real uid alice's: only the effective uid tells.
        world.process = ProcessIdentity(pid: 4242, startTime: 77, uid: 1001, effectiveUID: 0, savedUID: 0)
        guard case .failure(let e)? = exec(handler(), as: try alice()) else { Issue.record("moved"); return }
        #expect(e.code == .permissionDenied)
        #expect(e.message == "process 4242 runs with the rights of uid 0, not yours (a setuid program?); only your own processes may be moved into your slice")
        #expect(controller.calls.isEmpty)
    }

    @Test func aSavedUidOfAnotherUserIsEnough() throws {
        world.process = ProcessIdentity(pid: 4242, startTime: 77, uid: 1001, effectiveUID: 1001, savedUID: 0)
        guard case .failure(let e)? = exec(handler(), as: try alice()) else { Issue.record("moved"); return }
        #expect(e.code == .permissionDenied)
        #expect(controller.scopes.isEmpty)
    }

    @Test func aCallerWhosePidfdSaysItExitedIsNotMoved() throws {
        world.alive = false
        guard case .failure(let e)? = exec(handler(), as: try alice()) else { Issue.record("moved"); return }
        #expect(e.code == .callerGone)
        #expect(controller.calls.isEmpty)
    }

    @Test func aCallerThatExitsDuringTheMoveIsMovedBackAndRefused() throws {
        controller.unitsOfProcesses[4242] = try UnitName(checking: "session-3.scope", field: "unit")
        let w = world
        controller.afterScopeStart = { w.alive = false }
        guard case .failure(let e)? = exec(handler(), as: try alice()) else { Issue.record("moved"); return }
        #expect(e.code == .callerGone)
        #expect(controller.calls.suffix(3) == ["scope fairshare-1001-exec-4242.scope in fairshare-1001.slice",
                                               "move 4242 to session-3.scope", "stop fairshare-1001-exec-4242.scope"])
        #expect(log.events.last?.message.contains("moved pid 4242 back to session-3.scope") == true)
    }

    @Test func aCallerThatRunsASetuidProgramDuringTheMoveIsMovedBack() throws {
        controller.unitsOfProcesses[4242] = try UnitName(checking: "session-3.scope", field: "unit")
        let w = world
        controller.afterScopeStart = { w.process?.effectiveUID = 0 }
        guard case .failure(let e)? = exec(handler(), as: try alice()) else { Issue.record("moved"); return }
        #expect(e.code == .permissionDenied)
        #expect(controller.moved.map(\.unit) == ["session-3.scope"])
        #expect(controller.scopes.isEmpty)
    }

    @Test func theCallersOwnLiveProcessIsMoved() throws {
        guard case .success(let r)? = exec(handler(), as: try alice()) else { Issue.record("refused"); return }
        #expect(r["scope"] == "fairshare-1001-exec-4242.scope")
        #expect(controller.scopes["fairshare-1001-exec-4242.scope"]?.pid == 4242)
        #expect(controller.moved.isEmpty)
    }
}
