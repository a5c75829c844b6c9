import Dispatch
import FairshareCore
import FairshareSystem
import FairshareSystemd

/// The `SliceController` that talks to systemd over the system bus. Every
/// call that changes something is asynchronous: it completes on the daemon
/// queue when systemd has answered (and its job has ended), so the queue
/// never waits on systemd and other users' requests go on meanwhile.
final class SystemdSliceController: SliceController {
    let manager: SystemdManager
    /// How long systemd gives a scope's processes after SIGTERM before
    /// SIGKILL when it is stopped (release, revoke, a lease's end).
    static let scopeStopTimeoutUSec: UInt64 = 10_000_000
    static let unitInterface = "org.freedesktop.systemd1.Unit"
    static let serviceInterface = "org.freedesktop.systemd1.Service"

    var jobUnitChanged: ((UnitName, JobStateReading) -> Void)?
    private var jobUnitWatch: UnitWatch?
    /// What the signals said so far about each job's service.
    private var jobUnits: [String: JobUnitState] = [:]

    init(queue: DispatchQueue) throws(StartupError) {
        do {
            let bus = try BusConnection.system()
            manager = try SystemdManager(bus: bus, queue: queue)
            jobUnitWatch = try manager.watchUnits(
                interfaces: [Self.serviceInterface, Self.unitInterface],
                properties: ["ActiveState": "s", "SubState": "s", "ExecMainPID": "u", "ExecMainCode": "i", "ExecMainStatus": "i"],
                wanted: { UnitNames.job(ofService: $0) != nil }) { [weak self] in self?.jobSignal($0) }
        } catch {
            throw StartupError("cannot talk to systemd on the system bus: \(error)")
        }
    }

    /// Starts reading the bus on `queue`. From then on sd-bus (which is not
    /// thread-safe) may only be used on that queue: call it from there,
    /// after every match is added.
    func startDispatching(on queue: DispatchQueue) {
        manager.bus.attach(to: queue)
    }

    /// systemd sends a service's own properties first, then the unit's
    /// state: the exit status is known by the time the state says it ended.
    private func jobSignal(_ signal: UnitSignal) {
        switch signal {
        case .removed(let name):
            // Also sent for every unit on daemon-reload: gone only if
            // systemd, asked once the reload is over, does not know it.
            manager.unitIsLoaded(name) { [weak self] loaded in
                guard let self, case .success(false) = loaded else { return }
                jobUnits[name] = nil
                if let unit = try? UnitName(checking: name, field: "unit") { jobUnitChanged?(unit, .gone) }
            }
        case .changed(let name, let interface, let values):
            var s = jobUnits[name] ?? JobUnitState(running: true, pid: nil, exitCode: 0, exitStatus: 0)
            if let pid = values["ExecMainPID"]?.uint32 { s.pid = pid == 0 ? nil : pid }
            if let code = values["ExecMainCode"]?.int32 { s.exitCode = code }
            if let status = values["ExecMainStatus"]?.int32 { s.exitStatus = status }
            if let active = values["ActiveState"]?.string, let sub = values["SubState"]?.string {
                s.running = Self.running(active: active, sub: sub)
            }
            jobUnits[name] = s
            guard interface == Self.unitInterface, let unit = try? UnitName(checking: name, field: "unit") else { return }
            jobUnitChanged?(unit, .state(s))
        }
    }

    /// A job's service is running (or starting, or stopping) in these states.
    static func running(active: String, sub: String) -> Bool {
        sub == "running" || sub == "start" || active == "activating" || active == "deactivating"
    }

    func applySlice(_ slice: UnitName, shape: SliceShape, devices: [UnitProperty], create: Bool, resetting: Bool,
                    completion: @escaping (Result<Void, ControllerError>) -> Void) {
        let limits = shape.unitProperties(resetting: resetting) + devices
        let setInPlace = { [manager] in manager.setUnitProperties(slice.string, runtime: true, properties: limits) { completion(Self.result($0)) } }
        guard create else { return setInPlace() }
        let description = UnitText(replacingControlCharactersIn: "fairshare allocation of \(slice)")
        manager.startTransientUnit(slice.string, properties: [UnitProperty("Description", .text(description))] + limits) { result in
            // A slice left from before (say, state lost): take it over in place.
            if case .failure(let e) = result, e.isUnitExists { return setInPlace() }
            completion(Self.result(result))
        }
    }

    func setSliceProperties(_ slice: UnitName, _ properties: [UnitProperty],
                            completion: @escaping (Result<Void, ControllerError>) -> Void) {
        manager.setUnitProperties(slice.string, runtime: true, properties: properties) { completion(Self.result($0)) }
    }

    /// From the slice's `cpu.pressure`, `memory.pressure`, `io.pressure`
    /// (v2; on v1 hybrid layouts those of the cgroup2 tracking hierarchy).
    func pressure(of slice: UnitName) -> SlicePressure? {
        CgroupPressure.read(path: UnitNames.controlGroup(ofSlice: slice))
    }

    func capPool(_ slice: UnitName, capacity: Capacity, protected: ByteSize, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        manager.setUnitProperties(slice.string, runtime: true, properties: [
            UnitProperty("CPUQuotaPerSecUSec", .uint64(capacity.cpu.usecPerSecond)),
            UnitProperty("MemoryMax", .uint64(capacity.mem.bytes)),
            UnitProperty("MemoryMin", .uint64(protected.bytes)),
            UnitProperty("MemoryLow", .uint64(protected.bytes)),
        ]) { completion(Self.result($0)) }
    }

    func stopSlice(_ slice: UnitName, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        manager.stopUnit(slice.string) { [manager] result in
            // Already gone: the goal is reached.
            if case .failure(let e) = result, e.isNoSuchUnit { return completion(.success(())) }
            // A unit that failed (a job's non-zero exit, an OOM kill) stays
            // loaded and listed by `systemctl --failed` until reset.
            if case .success = result { manager.resetFailedUnit(slice.string) { _ in } }
            completion(Self.result(result))
        }
    }

    func startScope(_ scope: UnitName, slice: UnitName, pid: Int32, pidfd: Int32?, description: UnitText, limits: [UnitProperty],
                    completion: @escaping (Result<Void, ControllerError>) -> Void) {
        // By pidfd where systemd takes one (253 and later), else by pid:
        // systemd says which (PropertyCompatibility), not its version.
        let byPID = UnitProperty("PIDs", .uint32Array([UInt32(pid)]))
        let process = pidfd.map { UnitProperty("PIDFDs", .fileDescriptors([$0]), ifUnknown: .replace(byPID)) } ?? byPID
        let props = [
            UnitProperty("Description", .text(description)),
            UnitProperty("Slice", .unit(slice)),
            process,
            UnitProperty("CollectMode", .text("inactive-or-failed")),
            UnitProperty("TimeoutStopUSec", .uint64(Self.scopeStopTimeoutUSec)),
        ] + limits
        manager.startTransientUnit(scope.string, properties: props) { [manager] result in
            guard case .failure(let e) = result, e.isUnitExists else { return completion(Self.result(result)) }
            // A failed scope of a recycled pid: clear it and try once more.
            manager.resetFailedUnit(scope.string) { _ in
                manager.startTransientUnit(scope.string, properties: props) { completion(Self.result($0)) }
            }
        }
    }

    func startJob(_ unit: UnitName, slice: UnitName, uid: UInt32, cwd: AbsolutePath, argv: [CommandArgument], environment: [UnitText],
                  logPath: AbsolutePath, limits: [UnitProperty], description: UnitText,
                  completion: @escaping (Result<Void, ControllerError>) -> Void) {
        let program: AbsolutePath
        do {
            program = try AbsolutePath(checking: argv.first?.string ?? "", field: "argv[0]")
        } catch {
            return completion(.failure(ControllerError("\(error)")))
        }
        manager.startTransientUnit(unit.string, properties: [
            UnitProperty("Description", .text(description)),
            UnitProperty("Slice", .unit(slice)),
            UnitProperty("User", .text(UnitText(uid))),
            UnitProperty("WorkingDirectory", .path(cwd)),
            UnitProperty("Environment", .texts(environment)),
            UnitProperty("ExecStart", .command(path: program, argv: argv)),
            UnitProperty("StandardInput", .text("null")),
            UnitProperty("StandardOutputFileToAppend", .path(logPath)),
            UnitProperty("StandardErrorFileToAppend", .path(logPath)),
            UnitProperty("RemainAfterExit", .bool(true)),
            UnitProperty("TimeoutStopUSec", .uint64(Self.scopeStopTimeoutUSec)),
        ] + limits) { completion(Self.result($0)) }
    }

    func unit(ofProcess pid: Int32) -> UnitName? {
        guard pid > 0, let name = try? manager.unitName(ofPID: UInt32(pid)) else { return nil }
        return try? UnitName(checking: name, field: "unit")
    }

    func moveProcess(_ pid: Int32, to unit: UnitName, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        manager.attachProcesses([UInt32(pid)], toUnit: unit.string) { completion(Self.result($0)) }
    }

    func jobState(_ unit: UnitName) -> JobStateReading {
        do {
            let path = try manager.unitPath(unit.string)
            let iface = Self.unitInterface, service = Self.serviceInterface
            let active = try manager.stringProperty(path: path, interface: iface, name: "ActiveState")
            let sub = try manager.stringProperty(path: path, interface: iface, name: "SubState")
            let pid = try manager.uint32Property(path: path, interface: service, name: "ExecMainPID")
            let code = try manager.int32Property(path: path, interface: service, name: "ExecMainCode")
            let status = try manager.int32Property(path: path, interface: service, name: "ExecMainStatus")
            return .state(JobUnitState(running: Self.running(active: active, sub: sub), pid: pid == 0 ? nil : pid, exitCode: code, exitStatus: status))
        } catch where error.name == "org.freedesktop.systemd1.NoSuchUnit" {
            return .gone
        } catch {
            return .unreadable(ControllerError(error.message, busErrorName: error.name))
        }
    }

    /// CPU time, memory and tasks from the slice's cgroup files (v2, else
    /// v1), where systemd itself reads its CPUUsageNSec, MemoryCurrent and
    /// TasksCurrent: no bus round trips, so `admin list` and the idle check
    /// cost a few file reads per user (and v1 layouts where systemd leaves
    /// CPUUsageNSec unset still get CPU time).
    func usage(ofUnit unit: UnitName, inSlice slice: UnitName) -> SliceUsage {
        usage(cgroup: UnitNames.controlGroup(ofSlice: slice) + "/" + unit.string)
    }

    func usage(of slice: UnitName) -> SliceUsage { usage(cgroup: UnitNames.controlGroup(ofSlice: slice)) }

    /// At most 100 ms old: `status` at thousands of requests a second
    /// reads a slice's files ten times a second, not once per request.
    private var recentUsage = RecentReadings<String, SliceUsage>(maxAgeUSec: UsageFreshness.maxAgeUSec)

    private func usage(cgroup: String) -> SliceUsage {
        recentUsage.value(for: cgroup, nowUSec: BootClock.microseconds()) {
            let files = CgroupUsage.read(path: cgroup)
            return SliceUsage(cpuUsec: files.cpuUsec, memoryBytes: files.memoryBytes, tasks: files.tasks,
                              ioReadBytes: files.ioReadBytes, ioWriteBytes: files.ioWriteBytes)
        }
    }

    func listSlices(completion: @escaping (Result<[SliceInfo], ControllerError>) -> Void) {
        completion(Result { () throws(ControllerError) in try listSlicesNow() })
    }

    /// The live `fairshare-UID.slice` units; the limits are read (three
    /// property calls each) only for slices `needsLimits` asks about.
    func listSlicesNow(needsLimits: (String) -> Bool = { _ in true }) throws(ControllerError) -> [SliceInfo] {
        var out: [SliceInfo] = []
        try runThrowing {
            for unit in try manager.listUnits(patterns: ["fairshare-*.slice"])
            where UnitNames.uid(ofSlice: unit.name) != nil && (unit.activeState == "active" || unit.activeState == "activating") {
                guard needsLimits(unit.name) else {
                    out.append(SliceInfo(name: unit.name, resources: nil))
                    continue
                }
                let iface = "org.freedesktop.systemd1.Slice"
                let cpu = try manager.uint64Property(path: unit.path, interface: iface, name: "CPUQuotaPerSecUSec")
                let mem = try manager.uint64Property(path: unit.path, interface: iface, name: "MemoryMax")
                let tasks = try manager.uint64Property(path: unit.path, interface: iface, name: "TasksMax")
                out.append(SliceInfo(name: unit.name, resources: Resources(
                    cpu: CPUQuantity(usecPerSecond: cpu == .max ? 0 : cpu), mem: ByteSize(bytes: mem), tasks: TaskLimit(tasks))))
            }
        }
        return out
    }

    private static func result(_ r: Result<Void, BusError>) -> Result<Void, ControllerError> {
        r.mapError { ControllerError($0.message, busErrorName: $0.name) }
    }

    private func run(_ body: () throws -> Void) -> Result<Void, ControllerError> {
        do {
            try body()
            return .success(())
        } catch let error as BusError {
            return .failure(ControllerError(error.message, busErrorName: error.name))
        } catch {
            return .failure(ControllerError("\(error)"))
        }
    }

    private func runThrowing(_ body: () throws -> Void) throws(ControllerError) {
        if case .failure(let e) = run(body) { throw e }
    }
}
