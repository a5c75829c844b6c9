import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

/// An in-memory systemd: records calls, answers at once or with a scripted error.
final class FakeSliceController: SliceController {
    var slices: [String: Resources] = [:]
    var scopes: [String: (slice: String, pid: Int32)] = [:]
    var calls: [String] = []
    var failNext: ControllerError?
    /// When set, completions are held until `releaseHeld()`.
    var holdCompletions = false
    private var held: [() -> Void] = []

    private func finish(_ body: @escaping () -> Void) {
        if holdCompletions { held.append(body) } else { body() }
    }

    func releaseHeld() {
        let h = held
        held = []
        h.forEach { $0() }
    }

    private func takeFailure() -> ControllerError? {
        defer { failNext = nil }
        return failNext
    }

    /// The device properties each slice was given last.
    var devices: [String: [UnitProperty]] = [:]
    /// The shape each slice was given last, and the properties sent since.
    var shapes: [String: SliceShape] = [:]
    var propertiesSet: [String: [[UnitProperty]]] = [:]
    /// What `pressure(of:)` answers, per slice name.
    var pressures: [String: SlicePressure] = [:]

    func setSliceProperties(_ unit: UnitName, _ properties: [UnitProperty],
                            completion: @escaping (Result<Void, ControllerError>) -> Void) {
        calls.append("props \(unit.string) \(properties.map(\.name).joined(separator: ","))")
        if let e = takeFailure() { finish { completion(.failure(e)) }; return }
        finish { [self] in
            propertiesSet[unit.string, default: []].append(properties)
            completion(.success(()))
        }
    }

    func pressure(of slice: UnitName) -> SlicePressure? { pressures[slice.string] }

    func applySlice(_ unit: UnitName, shape: SliceShape, devices: [UnitProperty], create: Bool, resetting: Bool,
                    completion: @escaping (Result<Void, ControllerError>) -> Void) {
        let resources = shape.grant
        let slice = unit.string
        shapes[slice] = shape
        calls.append("\(create ? "start" : "set") \(slice) \(resources.cpu.usecPerSecond)")
        if let e = takeFailure() { finish { completion(.failure(e)) }; return }
        finish { [self] in
            slices[slice] = resources
            self.devices[slice] = devices
            completion(.success(()))
        }
    }

    var poolCap: Capacity?
    var poolProtection: ByteSize = .zero
    func capPool(_ slice: UnitName, capacity: Capacity, protected: ByteSize, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        poolProtection = protected
        calls.append("cap \(slice) \(capacity.cpu.usecPerSecond)")
        poolCap = capacity
        completion(.success(()))
    }

    func stopSlice(_ unit: UnitName, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        let slice = unit.string
        calls.append("stop \(slice)")
        if let e = takeFailure() { finish { completion(.failure(e)) }; return }
        finish { [self] in
            slices[slice] = nil
            scopes = scopes.filter { $0.value.slice != slice && $0.key != slice }
            let wasJob = jobStates.removeValue(forKey: slice) != nil
            completion(.success(()))
            // Like systemd: the stopped job's unit is unloaded afterwards.
            if wasJob { jobUnitChanged?(unit, .gone) }
        }
    }

    var scopeLimits: [String: [UnitProperty]] = [:]
    var scopeDescriptions: [String: UnitText] = [:]
    /// Runs when a scope has been started: lets a test change the world
    /// between the move and the daemon's check after it.
    var afterScopeStart: (() -> Void)?
    /// The unit each pid is in before it is moved (GetUnitByPID).
    var unitsOfProcesses: [Int32: UnitName] = [:]
    var moved: [(pid: Int32, unit: String)] = []
    func unit(ofProcess pid: Int32) -> UnitName? { unitsOfProcesses[pid] }
    func moveProcess(_ pid: Int32, to unit: UnitName, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        calls.append("move \(pid) to \(unit)")
        moved.append((pid, unit.string))
        completion(.success(()))
    }

    func startScope(_ unit: UnitName, slice sliceUnit: UnitName, pid: Int32, pidfd: Int32?, description: UnitText, limits: [UnitProperty],
                    completion: @escaping (Result<Void, ControllerError>) -> Void) {
        let (scope, slice) = (unit.string, sliceUnit.string)
        scopeDescriptions[scope] = description
        calls.append("scope \(scope) in \(slice)")
        scopeLimits[scope] = limits
        if let e = takeFailure() { finish { completion(.failure(e)) }; return }
        finish { [self] in
            scopes[scope] = (slice, pid)
            afterScopeStart?()
            completion(.success(()))
        }
    }

    var jobs: [String: (argv: [String], uid: UInt32, log: String, cwd: String)] = [:]
    var jobStates: [String: JobUnitState] = [:]
    func startJob(_ unit: UnitName, slice: UnitName, uid: UInt32, cwd: AbsolutePath, argv: [CommandArgument], environment: [UnitText],
                  logPath: AbsolutePath, limits: [UnitProperty], description: UnitText,
                  completion: @escaping (Result<Void, ControllerError>) -> Void) {
        calls.append("job \(unit) in \(slice)")
        if let e = takeFailure() { finish { completion(.failure(e)) }; return }
        jobs[unit.string] = (argv.map(\.string), uid, logPath.string, cwd.string)
        finish { [self] in
            completion(.success(()))
            jobSignal(unit.string, JobUnitState(running: true, pid: 777, exitCode: 0, exitStatus: 0))
        }
    }

    var jobUnitChanged: ((UnitName, JobStateReading) -> Void)?
    /// What systemd's signals would say: the job's service is now in
    /// `state` (nil: unloaded).
    func jobSignal(_ unit: String, _ state: JobUnitState?) {
        jobStates[unit] = state
        jobUnitChanged?(try! UnitName(checking: unit, field: "unit"), state.map { .state($0) } ?? .gone)
    }

    /// When set, every job state read fails with it.
    var jobStateError: ControllerError?
    /// How often a job's state was read (only at start-up, in production).
    var jobStateReads = 0
    func jobState(_ unit: UnitName) -> JobStateReading {
        jobStateReads += 1
        if let jobStateError { return .unreadable(jobStateError) }
        return jobStates[unit.string].map { .state($0) } ?? .gone
    }

    var usageBySlice: [String: SliceUsage] = [:]
    func usage(of slice: UnitName) -> SliceUsage { usageBySlice[slice.string] ?? SliceUsage() }
    func usage(ofUnit unit: UnitName, inSlice slice: UnitName) -> SliceUsage { usageBySlice[unit.string] ?? SliceUsage() }

    func listSlices(completion: @escaping (Result<[SliceInfo], ControllerError>) -> Void) {
        completion(.success(slices.map { SliceInfo(name: $0.key, resources: $0.value) }))
    }
}

final class MemoryStateStore: StateStore {
    var saved: DaemonState?
    var failSaves = false
    func load() throws -> DaemonState { saved ?? DaemonState() }
    func save(_ state: DaemonState) throws {
        if failSaves { throw SystemError("write", "state.json", errno: .noSpace) }
        saved = state
    }
}

final class RecordingEventLog: EventLog {
    var events: [DaemonEvent] = []
    func record(_ event: DaemonEvent) { events.append(event) }
}

/// A policy for handler tests, written and compiled as a policy file is.
struct FixedPolicy {
    var adminGroup: String? = "sysadmins"
    var allocator = FairShareRule.none
    var idleRelease: TimeSpan?
    var defaults = "{cpu: 0.5, mem: 64M, tasks: 64}"
    var max = "{cpu: 1, mem: 256M, tasks: 256}"
    var extra = ""

    var text: String {
        var lines = ["defaults: \(defaults)", "max: \(max)", "allocator: \(allocator.rawValue)"]
        if let adminGroup { lines.append("admin_group: \(adminGroup)") }
        if let idleRelease { lines.append("idle_release: \(idleRelease)") }
        return (lines + [extra]).joined(separator: "\n") + "\n"
    }

    var compiled: Policy {
        let result = PolicyCompiler.compile([PolicyCompiler.Source(path: "/etc/fairshare/policy.d/test.yaml", bytes: Array(text.utf8))], accounts: .any)
        guard let policy = result.policy else { fatalError("test policy is invalid:\n\(result.diagnostics.report)") }
        return policy
    }
}

/// Policy files in memory: the hand-written one and the override file.
final class MemoryPolicyStore: PolicyStore {
    var files: [(path: String, text: String)]
    var writes = 0
    let overridePath = "/var/lib/fairshare/policy.d/admin.yaml"
    let accounts = PolicyCompiler.Accounts.any

    init(_ policy: FixedPolicy = FixedPolicy()) {
        files = [("/etc/fairshare/policy.d/test.yaml", policy.text)]
    }

    func sources() throws(SystemError) -> [PolicyCompiler.Source] {
        files.map { PolicyCompiler.Source(path: $0.path, bytes: Array($0.text.utf8)) }
    }

    func writeOverride(_ bytes: [UInt8]) throws(SystemError) {
        writes += 1
        let text = String(decoding: bytes, as: UTF8.self)
        if let i = files.firstIndex(where: { $0.path == overridePath }) { files[i].text = text } else { files.append((overridePath, text)) }
    }
}

func caller(uid: UInt32, name: String, role: Role = .member, pid: Int32 = 4242) -> Caller {
    Caller(credentials: PeerCredentials(pid: pid, uid: uid, gid: uid, groups: []),
           process: ProcessIdentity(pid: pid, startTime: 77, uid: uid),
           userName: name, groupNames: ["fairshare"], role: role)
}
