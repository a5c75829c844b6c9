/// What a user's logins use now, read from `user-UID.slice`'s cgroup
/// files: CPU time so far (µs), memory, tasks; null where a file could
/// not be read (cgroup v1 keeps a controller's directory only for slices
/// that have a setting of it).
public struct LoginUsageReply: ReplyValue {
    public var cpuUsec: UInt64?
    public var mem: UInt64?
    public var tasks: UInt64?

    public init(cpuUsec: UInt64? = nil, mem: UInt64? = nil, tasks: UInt64? = nil) {
        self.cpuUsec = cpuUsec
        self.mem = mem
        self.tasks = tasks
    }

    public var json: JSON {
        ["cpu_usec": .orNull(cpuUsec, JSON.uint), "mem": .orNull(mem, JSON.uint), "tasks": .orNull(tasks, JSON.uint)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(cpuUsec: try f.optionalUInt64("cpu_usec"), mem: try f.optionalUInt64("mem"), tasks: try f.optionalUInt64("tasks"))
    }
}
