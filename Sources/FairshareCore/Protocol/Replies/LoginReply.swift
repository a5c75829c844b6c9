/// A user's logins in `status` and `admin list`: the policy's login cap
/// on `user-UID.slice` (each key null where fairshare sets none,
/// `"infinity"` where a scope lifts it), whether GPUs are closed to the
/// logins (null: the policy hands out no GPUs, no device policy), and
/// what the logins use now (null: none is running). Login caps do not
/// count against the pool (fairshare-policy(5), LOGIN CAPS).
public struct LoginReply: ReplyValue {
    public var slice: String
    public var cpu: CPUQuantity?
    public var mem: ByteSize?
    public var tasks: TaskLimit?
    public var io: IOLimits
    public var gpus: LoginGPUAccess?
    public var usage: LoginUsageReply?

    public init(slice: String, cpu: CPUQuantity? = nil, mem: ByteSize? = nil, tasks: TaskLimit? = nil, io: IOLimits = .none,
                gpus: LoginGPUAccess? = nil, usage: LoginUsageReply? = nil) {
        self.slice = slice
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
        self.gpus = gpus
        self.usage = usage
    }

    /// `cap` as the reply says it.
    public init(slice: String, cap: LoginCap, gpus: LoginGPUAccess?, usage: LoginUsageReply?) {
        self.init(slice: slice, cpu: cap.cpu?.value, mem: cap.mem?.value, tasks: cap.tasks?.value, io: cap.io?.value ?? .none,
                  gpus: gpus, usage: usage)
    }

    public var isCapped: Bool { cpu != nil || mem != nil || tasks != nil || !io.isEmpty }

    /// "cpu 0.5, mem 128M, tasks 100", or "none".
    public var capSummary: String {
        var parts: [String] = []
        if let cpu { parts.append("cpu \(cpu)") }
        if let mem { parts.append("mem \(mem)") }
        if let tasks { parts.append("tasks \(tasks)") }
        if !io.isEmpty { parts.append("io \(io.summary)") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    public var json: JSON {
        ["slice": .string(slice),
         "cpu": .orNull(cpu) { $0.isUnlimited ? "infinity" : .cpus($0) },
         "mem": .orNull(mem) { $0.isUnlimited ? "infinity" : .uint($0.bytes) },
         "tasks": .orNull(tasks, JSON.tasks), "io": io.isEmpty ? .null : io.json,
         "gpus": .orNull(gpus) { .string($0.rawValue) }, "usage": .orNull(usage, \.json)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(slice: try f.string("slice"),
                  cpu: try f.optional("cpu", "number of CPUs or \"infinity\"") { $0.stringValue == "infinity" ? .unlimited : ReplyFields.cpu($0) },
                  mem: try f.optional("mem", "number of bytes or \"infinity\"") { $0.stringValue == "infinity" ? .unlimited : $0.uint64Value.map(ByteSize.init(bytes:)) },
                  tasks: try f.optional("tasks", "number or \"infinity\"", ReplyFields.tasks), io: try f.io("io"),
                  gpus: try f.optional("gpus", "\"open\" or \"closed\"") { $0.stringValue.flatMap(LoginGPUAccess.init(rawValue:)) },
                  usage: try f.optionalNested("usage"))
    }
}
