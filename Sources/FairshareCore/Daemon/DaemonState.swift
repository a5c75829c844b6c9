/// What the daemon persists in `state.json` besides what systemd holds.
/// Versioned: an older version is migrated, a newer one refused.
///
/// Ranges read back: quantities (`cpu_usec`, `mem`, `tasks`, IO rates) and
/// `lease_end` take the whole of UInt64, kept exact (UInt64.max is systemd's
/// infinity, or a lease that never ends). Times (`since`, a job's `started`
/// and `ended`), job ids and `next_job` are at most `latestTime`; a file
/// with more is refused as malformed.
public struct DaemonState: Equatable, Sendable {
    public static let formatVersion: UInt64 = 1
    /// 2^53 seconds after the epoch: far past any clock, with room to add
    /// durations and to count job ids on without overflow.
    public static let latestTime: UInt64 = 1 << 53

    public var allocations: [UInt32: Allocation] = [:]
    /// Messages for a user's next command (why their allocation went away).
    public var notices: [UInt32: String] = [:]
    /// Detached jobs, by id; ids are never reused.
    public var jobs: [UInt64: Job] = [:]
    public var nextJobID: UInt64 = 1

    public init(allocations: [UInt32: Allocation] = [:], notices: [UInt32: String] = [:]) {
        self.allocations = allocations
        self.notices = notices
    }

    public var holdings: Holdings { Holdings(allocations.values.map(\.resources)) }

    public var json: JSON {
        let list = allocations.keys.sorted().map { uid -> JSON in
            let a = allocations[uid]!
            return ["uid": .uint(UInt64(a.uid)), "user": .string(a.user),
                    "cpu_usec": .uint(a.resources.cpu.usecPerSecond), "mem": .uint(a.resources.mem.bytes),
                    "tasks": a.resources.tasks.isInfinite ? "infinity" : .uint(a.resources.tasks.count),
                    "since": .uint(a.since), "lease_end": a.leaseEnd.map { .uint($0) } ?? .null,
                    "io": a.resources.io.json, "gpus": .array(a.gpuDevices.map { .string($0) })]
        }
        var notes = JSONObject()
        for uid in notices.keys.sorted() { notes[String(uid)] = .string(notices[uid]!) }
        let jobList = jobs.keys.sorted().map { jobs[$0]!.json }
        return ["version": .uint(Self.formatVersion), "allocations": .array(list), "notices": .object(notes),
                "jobs": .array(jobList), "next_job": .uint(nextJobID)]
    }

    public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
        case newerVersion(UInt64)
        case malformed(String)

        public var description: String {
            switch self {
            case .newerVersion(let v):
                "state format version \(v) is newer than this fairshared understands (\(DaemonState.formatVersion)); upgrade fairshared or move the file away"
            case .malformed(let why): "malformed state: \(why)"
            }
        }
    }

    public static func decode(_ json: JSON) throws(DecodingError) -> DaemonState {
        guard let version = json["version"]?.uint64Value else { throw .malformed("no \"version\"") }
        guard version <= formatVersion else { throw .newerVersion(version) }
        guard let list = json["allocations"]?.arrayValue else { throw .malformed("no \"allocations\" list") }
        var state = DaemonState()
        for item in list {
            guard let uid = item["uid"]?.uint64Value, uid <= UInt64(UInt32.max),
                  let user = item["user"]?.stringValue,
                  let cpu = item["cpu_usec"]?.uint64Value, let mem = item["mem"]?.uint64Value,
                  let since = item["since"]?.uint64Value
            else { throw .malformed("an allocation lacks uid, user, cpu_usec, mem or since") }
            guard since <= latestTime else { throw .malformed("allocation of uid \(uid): \"since\" \(since) is past \(latestTime)") }
            let tasks: TaskLimit
            if item["tasks"]?.stringValue == "infinity" { tasks = .infinity }
            else if let t = item["tasks"]?.uint64Value { tasks = TaskLimit(t) }
            else { throw .malformed("allocation of uid \(uid) has no tasks") }
            // "io" and "gpus" came with issue 7; older files have neither.
            var io = IOLimits.none
            if let field = item["io"] {
                switch IOLimits.decode(field) {
                case .success(let value): io = value
                case .failure(let problem): throw .malformed("allocation of uid \(uid): \(problem.message)")
                }
            }
            let gpus = item["gpus"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let a = Allocation(uid: UInt32(uid), user: user,
                               resources: Resources(cpu: CPUQuantity(usecPerSecond: cpu), mem: ByteSize(bytes: mem), tasks: tasks,
                                                    io: io, gpus: gpus.count),
                               since: since, leaseEnd: item["lease_end"]?.uint64Value, gpuDevices: gpus)
            state.allocations[a.uid] = a
        }
        for entry in json["notices"]?.objectValue?.entries ?? [] {
            guard let uid = UInt32(entry.key), let text = entry.value.stringValue else { throw .malformed("bad notice for '\(entry.key)'") }
            state.notices[uid] = text
        }
        for item in json["jobs"]?.arrayValue ?? [] {
            guard let job = Job(json: item) else { throw .malformed("a job lacks id, uid, user, argv or started, or has a malformed end") }
            guard job.id < latestTime, job.started <= latestTime, (job.end?.ended ?? 0) <= latestTime else {
                throw .malformed("job \(job.id): its id or times are past \(latestTime)")
            }
            state.jobs[job.id] = job
        }
        let nextJob = json["next_job"]?.uint64Value ?? 1
        guard nextJob <= latestTime else { throw .malformed("\"next_job\" \(nextJob) is past \(latestTime)") }
        state.nextJobID = max(nextJob, (state.jobs.keys.max() ?? 0) + 1)
        return state
    }
}
