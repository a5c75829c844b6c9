import Dispatch
import FairshareCore
import FairshareSystem
import FairshareSystemd

/// The `SliceController` that talks to systemd over the system bus. Calls
/// run on the daemon queue; each waits for its job like systemd-run does.
final class SystemdSliceController: SliceController {
    let manager: SystemdManager

    init(queue: DispatchQueue) throws(StartupError) {
        do {
            let bus = try BusConnection.system()
            manager = try SystemdManager(bus: bus)
            bus.attach(to: queue)
        } catch {
            throw StartupError("cannot talk to systemd on the system bus: \(error)")
        }
    }

    func applySlice(_ slice: String, resources: Resources, create: Bool,
                    completion: @escaping (Result<Void, ControllerError>) -> Void) {
        completion(run {
            let limits = resources.unitProperties
            if create {
                do {
                    try manager.startTransientUnit(slice, properties: [UnitProperty("Description", .string("fairshare allocation of \(slice)"))] + limits)
                    return
                } catch let e as BusError where e.isUnitExists {
                    _ = e // A slice left from before (say, state lost): take it over in place.
                }
            }
            try manager.setUnitProperties(slice, runtime: true, properties: limits)
        })
    }

    func capPool(_ slice: String, capacity: Capacity, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        completion(run {
            try manager.setUnitProperties(slice, runtime: true, properties: [
                UnitProperty("CPUQuotaPerSecUSec", .uint64(capacity.cpu.usecPerSecond)),
                UnitProperty("MemoryMax", .uint64(capacity.mem.bytes)),
            ])
        })
    }

    func stopSlice(_ slice: String, completion: @escaping (Result<Void, ControllerError>) -> Void) {
        completion(run {
            do {
                try manager.stopUnit(slice)
            } catch let e as BusError where e.isNoSuchUnit {
                // Already gone: the goal is reached.
            }
        })
    }

    func startScope(_ scope: String, slice: String, pid: Int32, description: String,
                    completion: @escaping (Result<Void, ControllerError>) -> Void) {
        completion(run {
            let props = [
                UnitProperty("Description", .string(description)),
                UnitProperty("Slice", .string(slice)),
                UnitProperty("PIDs", .uint32Array([UInt32(pid)])),
                UnitProperty("CollectMode", .string("inactive-or-failed")),
            ]
            do {
                try manager.startTransientUnit(scope, properties: props)
            } catch let e as BusError where e.isUnitExists {
                // A failed scope of a recycled pid: clear it and try once more.
                try? manager.resetFailedUnit(scope)
                try manager.startTransientUnit(scope, properties: props)
            }
        })
    }

    /// systemd's MemoryCurrent, TasksCurrent and CPUUsageNSec, with the
    /// cgroup files (v2 or v1) where systemd leaves one unset.
    func usage(of slice: String) -> SliceUsage {
        let iface = "org.freedesktop.systemd1.Slice"
        guard let path = try? manager.unitPath(slice) else { return SliceUsage() }
        func prop(_ name: String) -> UInt64? {
            guard let v = try? manager.uint64Property(path: path, interface: iface, name: name), v != .max else { return nil }
            return v
        }
        var usage = SliceUsage(cpuUsec: prop("CPUUsageNSec").map { $0 / 1000 }, memoryBytes: prop("MemoryCurrent"), tasks: prop("TasksCurrent"))
        if usage.cpuUsec == nil || usage.memoryBytes == nil || usage.tasks == nil,
           let cg = try? manager.stringProperty(path: path, interface: iface, name: "ControlGroup"), !cg.isEmpty {
            let files = CgroupUsage.read(path: cg)
            usage.cpuUsec = usage.cpuUsec ?? files.cpuUsec
            usage.memoryBytes = usage.memoryBytes ?? files.memoryBytes
            usage.tasks = usage.tasks ?? files.tasks
        }
        return usage
    }

    func listSlices(completion: @escaping (Result<[SliceInfo], ControllerError>) -> Void) {
        completion(Result { () throws(ControllerError) in try listSlicesNow() })
    }

    /// The live `fairshare-UID.slice` units with their limits.
    func listSlicesNow() throws(ControllerError) -> [SliceInfo] {
        var out: [SliceInfo] = []
        try runThrowing {
            for unit in try manager.listUnits(patterns: ["fairshare-*.slice"])
            where UnitNames.uid(ofSlice: unit.name) != nil && (unit.activeState == "active" || unit.activeState == "activating") {
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
