/// One allocation in `admin list`, with its live usage. Unlike `status`,
/// the CPU, memory and tasks sit in the row itself, `io` is null when
/// there is none, `gpus` is always a list, and `usage` starts with
/// `cpu_percent` (of one CPU, since the previous `admin list`).
public struct AllocationRow: ReplyValue {
    public var user: String
    public var uid: UInt32
    public var cpu: CPUQuantity
    public var mem: ByteSize
    public var tasks: TaskLimit
    /// When the lease ends, seconds since the epoch.
    public var lease: UInt64?
    public var since: UInt64
    public var io: IOLimits
    public var gpus: [String]
    public var cpuPercent: Double?
    public var usage: SliceUsageReply
    public var disk: DiskUsage?
    /// The user's logins beside the allocation; null outside `min_uid`..`max_uid`.
    public var login: LoginReply?
    /// The slice's PSI (absent from older daemons).
    public var pressure: SlicePressure?

    public init(user: String, uid: UInt32, cpu: CPUQuantity, mem: ByteSize, tasks: TaskLimit, lease: UInt64? = nil, since: UInt64,
                io: IOLimits = .none, gpus: [String] = [], cpuPercent: Double? = nil, usage: SliceUsageReply = SliceUsageReply(),
                disk: DiskUsage? = nil, login: LoginReply? = nil, pressure: SlicePressure? = nil) {
        self.user = user
        self.uid = uid
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.lease = lease
        self.since = since
        self.io = io
        self.gpus = gpus
        self.cpuPercent = cpuPercent
        self.usage = usage
        self.disk = disk
        self.login = login
        self.pressure = pressure
    }

    public var json: JSON {
        var usage: JSONObject = ["cpu_percent": .orNull(cpuPercent, JSON.number)]
        for e in self.usage.object.entries { usage[e.key] = e.value }
        var row: JSONObject = ["user": .string(user), "uid": .uint(UInt64(uid)), "cpu": .cpus(cpu), "mem": .uint(mem.bytes), "tasks": .tasks(tasks),
                               "lease": .orNull(lease, JSON.uint), "since": .uint(since), "io": io.isEmpty ? .null : io.json,
                               "gpus": .array(gpus.map { .string($0) }), "usage": .object(usage), "disk": .orNull(disk, \.json),
                               "login": .orNull(login, \.json)]
        // Only where the kernel has PSI, so the other fields keep their wire text.
        if let pressure { row["pressure"] = pressure.json }
        return .object(row)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        let usage = try f.nested("usage", as: SliceUsageReply.self)
        let cpuPercent = try ReplyFields(f.object["usage"] ?? .null, path: f.name("usage")).optionalDouble("cpu_percent")
        self.init(user: try f.string("user"), uid: try f.uid("uid"), cpu: try f.cpu("cpu"), mem: try f.bytes("mem"), tasks: try f.tasks("tasks"),
                  lease: try f.optionalUInt64("lease"), since: try f.uint64("since"), io: try f.io("io"), gpus: try f.strings("gpus"),
                  cpuPercent: cpuPercent, usage: usage, disk: try f.optionalNested("disk"), login: try f.optionalNested("login"),
                  pressure: try f.optionalNested("pressure"))
    }
}
