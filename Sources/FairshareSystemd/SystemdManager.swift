import CSystemd
import Dispatch
import FairshareCore

/// systemd's `org.freedesktop.systemd1.Manager`: the calls fairshare makes.
/// Calls that queue a systemd job never wait for it: as logind does, the
/// manager keeps the job's path and finishes the caller's work from the
/// `JobRemoved` signal (matched before any call), or from a timer when the
/// job takes too long. Quick reads (properties, unit lists) stay synchronous.
public final class SystemdManager: @unchecked Sendable {
    static let service = "org.freedesktop.systemd1"
    static let path = "/org/freedesktop/systemd1"
    static let interface = "org.freedesktop.systemd1.Manager"

    public let bus: BusConnection
    private let queue: DispatchQueue
    private var jobMatch: SignalMatch?
    /// Jobs whose callers wait, by object path.
    private var pendingJobs: [String: PendingJob] = [:]
    /// Results of jobs that ended before their caller registered (never in
    /// practice: the reply precedes the signal), bounded.
    private var finishedJobs: [String: String] = [:]
    private var finishedOrder: [String] = []

    /// How long a job may take before its caller is told it timed out
    /// (the job itself goes on in systemd).
    public static let jobTimeoutUSec: UInt64 = 45_000_000

    private struct PendingJob {
        var unit: String
        var completion: (Result<Void, BusError>) -> Void
        var timer: DispatchSourceTimer
    }

    public init(bus: BusConnection, queue: DispatchQueue) throws(BusError) {
        self.bus = bus
        self.queue = queue
        jobMatch = try bus.matchSignal(sender: Self.service, path: Self.path, interface: Self.interface,
                                       member: "JobRemoved") { [weak self] m in self?.jobRemoved(m) }
        _ = try bus.call(try managerCall("Subscribe"))
    }

    private func managerCall(_ member: String) throws(BusError) -> BusMessage {
        try bus.methodCall(destination: Self.service, path: Self.path, interface: Self.interface, member: member)
    }

    /// Jobs waited for now.
    public var pendingJobCount: Int { pendingJobs.count }

    private func jobRemoved(_ m: BusMessage) {
        // JobRemoved(u id, o job, s unit, s result)
        guard (try? m.readUInt32()) != nil, let job = try? m.readString("o"), (try? m.readString()) != nil,
              let result = try? m.readString() else { return }
        if pendingJobs[job] != nil {
            finish(job, result: result)
            return
        }
        finishedJobs[job] = result
        finishedOrder.append(job)
        if finishedOrder.count > 512 { finishedJobs[finishedOrder.removeFirst()] = nil }
    }

    /// Completes the caller of `job`: `done` is success, anything else fails.
    private func finish(_ job: String, result: String) {
        guard let pending = pendingJobs.removeValue(forKey: job) else { return }
        pending.timer.cancel()
        guard result == "done" else {
            return pending.completion(.failure(BusError(name: "org.freedesktop.systemd1.JobFailed",
                                                        message: "job for \(pending.unit) finished with result '\(result)'", errno: 5)))
        }
        pending.completion(.success(()))
    }

    /// Calls `completion` when `job` ends (or after the timeout).
    private func awaitJob(_ job: String, unit: String, timeoutUSec: UInt64, completion: @escaping (Result<Void, BusError>) -> Void) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in
            guard let self, let pending = pendingJobs.removeValue(forKey: job) else { return }
            pending.timer.cancel()
            pending.completion(.failure(BusError(name: "org.freedesktop.systemd1.JobTimeout",
                                                 message: "job for \(unit) did not finish in time", errno: 110)))
        }
        timer.schedule(deadline: .now() + .microseconds(Int(min(timeoutUSec, 3_600_000_000))))
        pendingJobs[job] = PendingJob(unit: unit, completion: completion, timer: timer)
        timer.resume()
        if let result = finishedJobs.removeValue(forKey: job) { finish(job, result: result) }
    }

    /// Sends a call that returns a job's path, then waits for that job.
    private func callQueuingJob(_ m: BusMessage, unit: String, completion: @escaping (Result<Void, BusError>) -> Void) {
        bus.callAsync(m) { [self] reply in
            switch reply {
            case .failure(let e): completion(.failure(e))
            case .success(let reply):
                guard let job = try? reply.readString("o") else { return completion(.failure(BusError.call("job path in reply", -5))) }
                awaitJob(job, unit: unit, timeoutUSec: Self.jobTimeoutUSec, completion: completion)
            }
        }
    }

    /// Builds a call with `fill`, or completes with the error at once.
    private func send(_ member: String, unit: String, queuesJob: Bool, completion: @escaping (Result<Void, BusError>) -> Void,
                      _ fill: (BusMessage) throws(BusError) -> Void) {
        let m: BusMessage
        do {
            m = try managerCall(member)
            try fill(m)
        } catch {
            return completion(.failure(error))
        }
        if queuesJob {
            callQueuingJob(m, unit: unit, completion: completion)
        } else {
            bus.callAsync(m) { completion($0.map { _ in () }) }
        }
    }

    /// Properties the running systemd turned down as unknown (see
    /// `PropertyCompatibility`): their fallbacks are sent from then on.
    public private(set) var compatibility = PropertyCompatibility()
    /// Called the first time systemd turns down a property that has a
    /// fallback (property, unit, systemd's error); the call is retried.
    public var propertyTurnedDown: ((String, String, BusError) -> Void)?

    /// StartTransientUnit(ss a(sv) a(sa(sv))), completed when its job ends.
    /// A property systemd does not know is replaced by its fallback (or
    /// left out) and the call sent again; one without fails.
    public func startTransientUnit(_ name: String, mode: String = "fail", properties: [UnitProperty],
                                   completion: @escaping (Result<Void, BusError>) -> Void) {
        let sent = compatibility.adapt(properties)
        send("StartTransientUnit", unit: name, queuesJob: true, completion: retryingUnknown(name, sent, completion: completion) {
            [self] in startTransientUnit(name, mode: mode, properties: $0, completion: $1)
        }) { (m) throws(BusError) in
            try m.append(name)
            try m.append(mode)
            try m.append(properties: sent)
            try m.open("a", "(sa(sv))")
            try m.close()
        }
    }

    /// SetUnitProperties(sb a(sv)); `runtime` changes vanish at reboot.
    /// Unknown properties as for `startTransientUnit`.
    public func setUnitProperties(_ name: String, runtime: Bool = true, properties: [UnitProperty],
                                  completion: @escaping (Result<Void, BusError>) -> Void) {
        let sent = compatibility.adapt(properties)
        send("SetUnitProperties", unit: name, queuesJob: false, completion: retryingUnknown(name, sent, completion: completion) {
            [self] in setUnitProperties(name, runtime: runtime, properties: $0, completion: $1)
        }) { (m) throws(BusError) in
            try m.append(name)
            try m.append(runtime)
            try m.append(properties: sent)
        }
    }

    /// A completion that, when systemd turned down a property of `sent`
    /// that has a fallback, calls `again` with the adapted properties
    /// instead of failing (the decision is `PropertyCompatibility`'s).
    private func retryingUnknown(_ unit: String, _ sent: [UnitProperty], completion: @escaping (Result<Void, BusError>) -> Void,
                                 again: @escaping ([UnitProperty], @escaping (Result<Void, BusError>) -> Void) -> Void)
        -> (Result<Void, BusError>) -> Void {
        { [self] result in
            guard case .failure(let error) = result else { return completion(result) }
            switch compatibility.decide(sent: sent, errorName: error.name, message: error.message) {
            case .giveUp:
                completion(result)
            case .retry(let properties, let property, let firstTime):
                if firstTime { propertyTurnedDown?(property, unit, error) }
                again(properties, completion)
            }
        }
    }

    /// StopUnit(ss), completed when its job ends.
    public func stopUnit(_ name: String, mode: String = "replace", completion: @escaping (Result<Void, BusError>) -> Void) {
        send("StopUnit", unit: name, queuesJob: true, completion: completion) { (m) throws(BusError) in
            try m.append(name)
            try m.append(mode)
        }
    }

    public func resetFailedUnit(_ name: String, completion: @escaping (Result<Void, BusError>) -> Void) {
        send("ResetFailedUnit", unit: name, queuesJob: false, completion: completion) { (m) throws(BusError) in try m.append(name) }
    }

    /// AttachProcessesToUnit(ssau): moves running processes into a unit's
    /// cgroup (root only, scope and service units).
    public func attachProcesses(_ pids: [UInt32], toUnit name: String, subcgroup: String = "",
                                completion: @escaping (Result<Void, BusError>) -> Void) {
        send("AttachProcessesToUnit", unit: name, queuesJob: false, completion: completion) { (m) throws(BusError) in
            try m.append(name)
            try m.append(subcgroup)
            try m.open("a", "u")
            for pid in pids { try m.append(pid) }
            try m.close()
        }
    }

    /// KillUnit(ssi).
    public func killUnit(_ name: String, whom: String = "all", signal: Int32) throws(BusError) {
        let m = try managerCall("KillUnit")
        try m.append(name)
        try m.append(whom)
        try m.append(signal)
        _ = try bus.call(m)
    }

    /// GetUnit(s) → the unit's object path.
    public func unitPath(_ name: String) throws(BusError) -> String {
        let m = try managerCall("GetUnit")
        try m.append(name)
        guard let path = try bus.call(m).readString("o") else { throw BusError.call("GetUnit reply", -5) }
        return path
    }

    /// GetUnit(s) sent without waiting: whether systemd has the unit
    /// loaded, asked after a `UnitRemoved` (systemd sends one for every
    /// unit on `daemon-reload`, and answers calls only once it is done).
    public func unitIsLoaded(_ name: String, completion: @escaping (Result<Bool, BusError>) -> Void) {
        send("GetUnit", unit: name, queuesJob: false, completion: { result in
            switch result {
            case .success: completion(.success(true))
            case .failure(let e) where e.name == "org.freedesktop.systemd1.NoSuchUnit": completion(.success(false))
            case .failure(let e): completion(.failure(e))
            }
        }) { (m) throws(BusError) in try m.append(name) }
    }

    /// GetUnitByPID(u) → the name (`Id`) of the unit the process is in.
    public func unitName(ofPID pid: UInt32) throws(BusError) -> String {
        let m = try managerCall("GetUnitByPID")
        try m.append(pid)
        guard let path = try bus.call(m).readString("o") else { throw BusError.call("GetUnitByPID reply", -5) }
        return try stringProperty(path: path, interface: "org.freedesktop.systemd1.Unit", name: "Id")
    }

    /// A unit as ListUnitsByPatterns reports it.
    public struct UnitStatus: Equatable, Sendable {
        public var name: String
        public var activeState: String
        public var path: String
    }

    /// ListUnitsByPatterns(as as) → a(ssssssouso), waiting for the reply
    /// (start-up only: the daemon's queue must not wait on systemd later).
    public func listUnits(states: [String] = [], patterns: [String]) throws(BusError) -> [UnitStatus] {
        try Self.unitStatuses(try bus.call(try listUnitsCall(states: states, patterns: patterns)))
    }

    /// The same, answered on the bus's queue when systemd replies.
    public func listUnitsAsync(states: [String] = [], patterns: [String], completion: @escaping (Result<[UnitStatus], BusError>) -> Void) {
        let m: BusMessage
        do { m = try listUnitsCall(states: states, patterns: patterns) } catch { return completion(.failure(error)) }
        bus.callAsync(m) { reply in
            completion(reply.flatMap { r in Result { () throws(BusError) in try Self.unitStatuses(r) } })
        }
    }

    private func listUnitsCall(states: [String], patterns: [String]) throws(BusError) -> BusMessage {
        let m = try managerCall("ListUnitsByPatterns")
        try m.open("a", "s")
        for s in states { try m.append(s) }
        try m.close()
        try m.open("a", "s")
        for p in patterns { try m.append(p) }
        try m.close()
        return m
    }

    private static func unitStatuses(_ reply: BusMessage) throws(BusError) -> [UnitStatus] {
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
