import CSystemd
import FairshareCore

/// systemd's `org.freedesktop.systemd1.Manager`: the calls fairshare makes,
/// with job waiting as systemd-run does it (subscribe, match `JobRemoved`
/// before the call, wait for the returned job's result).
public final class SystemdManager: @unchecked Sendable {
    static let service = "org.freedesktop.systemd1"
    static let path = "/org/freedesktop/systemd1"
    static let interface = "org.freedesktop.systemd1.Manager"

    public let bus: BusConnection
    private var jobMatch: SignalMatch?
    /// Results of finished jobs by object path, kept until collected (and
    /// bounded, since other clients' jobs are reported too).
    private var finishedJobs: [String: String] = [:]
    private var finishedOrder: [String] = []

    public init(bus: BusConnection) throws(BusError) {
        self.bus = bus
        jobMatch = try bus.matchSignal(sender: Self.service, path: Self.path, interface: Self.interface,
                                       member: "JobRemoved") { [weak self] m in self?.jobRemoved(m) }
        _ = try bus.call(try managerCall("Subscribe"))
    }

    private func managerCall(_ member: String) throws(BusError) -> BusMessage {
        try bus.methodCall(destination: Self.service, path: Self.path, interface: Self.interface, member: member)
    }

    private func jobRemoved(_ m: BusMessage) {
        // JobRemoved(u id, o job, s unit, s result)
        guard (try? m.readUInt32()) != nil, let job = try? m.readString("o"), (try? m.readString()) != nil,
              let result = try? m.readString() else { return }
        finishedJobs[job] = result
        finishedOrder.append(job)
        if finishedOrder.count > 512 {
            let old = finishedOrder.removeFirst()
            if finishedJobs[old] != nil && finishedOrder.firstIndex(of: old) == nil { finishedJobs[old] = nil }
        }
    }

    /// Waits for `job` to finish; throws unless its result is `done`.
    func waitForJob(_ job: String, unit: String, timeoutUSec: UInt64 = 45_000_000) throws(BusError) {
        let deadline = Monotonic.nowUSec() + timeoutUSec
        while true {
            try bus.processPending()
            if let result = finishedJobs.removeValue(forKey: job) {
                if let i = finishedOrder.firstIndex(of: job) { finishedOrder.remove(at: i) }
                guard result == "done" else {
                    throw BusError(name: "org.freedesktop.systemd1.JobFailed",
                                   message: "job for \(unit) finished with result '\(result)'", errno: 5)
                }
                return
            }
            let now = Monotonic.nowUSec()
            guard now < deadline else {
                throw BusError(name: "org.freedesktop.systemd1.JobTimeout", message: "job for \(unit) did not finish in time", errno: 110)
            }
            try bus.wait(timeoutUSec: deadline - now)
        }
    }

    /// StartTransientUnit(ss a(sv) a(sa(sv))) and waits for the job.
    public func startTransientUnit(_ name: String, mode: String = "fail", properties: [UnitProperty],
                                   auxiliary: [(String, [UnitProperty])] = []) throws(BusError) {
        let m = try managerCall("StartTransientUnit")
        try m.append(name)
        try m.append(mode)
        try m.append(properties: properties)
        try m.open("a", "(sa(sv))")
        for (aux, props) in auxiliary {
            try m.open("r", "sa(sv)")
            try m.append(aux)
            try m.append(properties: props)
            try m.close()
        }
        try m.close()
        let reply = try bus.call(m)
        guard let job = try reply.readString("o") else { throw BusError.call("StartTransientUnit reply", -5) }
        try waitForJob(job, unit: name)
    }

    /// SetUnitProperties(sb a(sv)); `runtime` changes vanish at reboot.
    public func setUnitProperties(_ name: String, runtime: Bool = true, properties: [UnitProperty]) throws(BusError) {
        let m = try managerCall("SetUnitProperties")
        try m.append(name)
        try m.append(runtime)
        try m.append(properties: properties)
        _ = try bus.call(m)
    }

    /// StopUnit(ss) and waits for the job.
    public func stopUnit(_ name: String, mode: String = "replace") throws(BusError) {
        let m = try managerCall("StopUnit")
        try m.append(name)
        try m.append(mode)
        let reply = try bus.call(m)
        guard let job = try reply.readString("o") else { throw BusError.call("StopUnit reply", -5) }
        try waitForJob(job, unit: name)
    }

    /// KillUnit(ssi).
    public func killUnit(_ name: String, whom: String = "all", signal: Int32) throws(BusError) {
        let m = try managerCall("KillUnit")
        try m.append(name)
        try m.append(whom)
        try m.append(signal)
        _ = try bus.call(m)
    }

    public func resetFailedUnit(_ name: String) throws(BusError) {
        let m = try managerCall("ResetFailedUnit")
        try m.append(name)
        _ = try bus.call(m)
    }

    /// GetUnit(s) → the unit's object path.
    public func unitPath(_ name: String) throws(BusError) -> String {
        let m = try managerCall("GetUnit")
        try m.append(name)
        guard let path = try bus.call(m).readString("o") else { throw BusError.call("GetUnit reply", -5) }
        return path
    }

    /// GetUnitByPID(u) → the name (`Id`) of the unit the process is in.
    public func unitName(ofPID pid: UInt32) throws(BusError) -> String {
        let m = try managerCall("GetUnitByPID")
        try m.append(pid)
        guard let path = try bus.call(m).readString("o") else { throw BusError.call("GetUnitByPID reply", -5) }
        return try stringProperty(path: path, interface: "org.freedesktop.systemd1.Unit", name: "Id")
    }

    /// AttachProcessesToUnit(ssau): moves running processes into a unit's
    /// cgroup (root only, scope and service units).
    public func attachProcesses(_ pids: [UInt32], toUnit name: String, subcgroup: String = "") throws(BusError) {
        let m = try managerCall("AttachProcessesToUnit")
        try m.append(name)
        try m.append(subcgroup)
        try m.open("a", "u")
        for pid in pids { try m.append(pid) }
        try m.close()
        _ = try bus.call(m)
    }

    /// The running systemd's major version (`252.36-1~deb12u1` → 252).
    public func version() throws(BusError) -> Int? {
        let text = try stringProperty(path: Self.path, interface: Self.interface, name: "Version")
        return Int(text.prefix(while: { $0.isNumber }))
    }

    /// A unit as ListUnitsByPatterns reports it.
    public struct UnitStatus: Equatable, Sendable {
        public var name: String
        public var activeState: String
        public var path: String
    }

    /// ListUnitsByPatterns(as as) → a(ssssssouso).
    public func listUnits(states: [String] = [], patterns: [String]) throws(BusError) -> [UnitStatus] {
        let m = try managerCall("ListUnitsByPatterns")
        try m.open("a", "s")
        for s in states { try m.append(s) }
        try m.close()
        try m.open("a", "s")
        for p in patterns { try m.append(p) }
        try m.close()
        let reply = try bus.call(m)
        var units: [UnitStatus] = []
        guard try reply.enter("a", "(ssssssouso)") else { return [] }
        while try reply.enter("r", "ssssssouso") {
            let name = try reply.readString() ?? ""
            _ = try reply.readString()          // description
            _ = try reply.readString()          // load state
            let active = try reply.readString() ?? ""
            _ = try reply.readString()          // sub state
            _ = try reply.readString()          // following
            let path = try reply.readString("o") ?? ""
            try reply.skip("uso")
            try reply.exit()
            units.append(UnitStatus(name: name, activeState: active, path: path))
        }
        try reply.exit()
        return units
    }

    /// org.freedesktop.DBus.Properties.Get of a `t` property.
    public func uint64Property(path: String, interface: String, name: String) throws(BusError) -> UInt64 {
        let reply = try getProperty(path: path, interface: interface, name: name)
        guard try reply.enter("v", "t"), let v = try reply.readUInt64() else { throw BusError.call("Get \(name)", -5) }
        return v
    }

    /// org.freedesktop.DBus.Properties.Get of an `i` property.
    public func int32Property(path: String, interface: String, name: String) throws(BusError) -> Int32 {
        let reply = try getProperty(path: path, interface: interface, name: name)
        guard try reply.enter("v", "i"), let v = try reply.readInt32() else { throw BusError.call("Get \(name)", -5) }
        return v
    }

    /// org.freedesktop.DBus.Properties.Get of a `u` property.
    public func uint32Property(path: String, interface: String, name: String) throws(BusError) -> UInt32 {
        let reply = try getProperty(path: path, interface: interface, name: name)
        guard try reply.enter("v", "u"), let v = try reply.readUInt32() else { throw BusError.call("Get \(name)", -5) }
        return v
    }

    /// org.freedesktop.DBus.Properties.Get of an `s` property.
    public func stringProperty(path: String, interface: String, name: String) throws(BusError) -> String {
        let reply = try getProperty(path: path, interface: interface, name: name)
        guard try reply.enter("v", "s"), let v = try reply.readString() else { throw BusError.call("Get \(name)", -5) }
        return v
    }

    private func getProperty(path: String, interface: String, name: String) throws(BusError) -> BusMessage {
        let m = try bus.methodCall(destination: Self.service, path: path, interface: "org.freedesktop.DBus.Properties", member: "Get")
        try m.append(interface)
        try m.append(name)
        return try bus.call(m)
    }
}

/// CLOCK_MONOTONIC in microseconds.
enum Monotonic {
    static func nowUSec() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}

#if canImport(Glibc)
import Glibc
#endif
