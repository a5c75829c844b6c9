/// What a slice uses now, each figure null where it could not be read:
/// `{"mem": …, "tasks": …, "io_read": …, "io_write": …, "cpu_usec": …}`
/// (`cpu_usec`, the slice's CPU time so far, is absent from older daemons).
public struct SliceUsageReply: ReplyValue {
    public var cpuUsec: UInt64?
    public var mem: UInt64?
    public var tasks: UInt64?
    public var ioRead: UInt64?
    public var ioWrite: UInt64?

    public init(mem: UInt64? = nil, tasks: UInt64? = nil, ioRead: UInt64? = nil, ioWrite: UInt64? = nil, cpuUsec: UInt64? = nil) {
        self.cpuUsec = cpuUsec
        self.mem = mem
        self.tasks = tasks
        self.ioRead = ioRead
        self.ioWrite = ioWrite
    }

    public var json: JSON { .object(object) }

    /// The fields, for `admin list` to put its `cpu_percent` in front.
    var object: JSONObject {
        ["mem": .orNull(mem, JSON.uint), "tasks": .orNull(tasks, JSON.uint),
         "io_read": .orNull(ioRead, JSON.uint), "io_write": .orNull(ioWrite, JSON.uint), "cpu_usec": .orNull(cpuUsec, JSON.uint)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(mem: try f.optionalUInt64("mem"), tasks: try f.optionalUInt64("tasks"),
                  ioRead: try f.optionalUInt64("io_read"), ioWrite: try f.optionalUInt64("io_write"), cpuUsec: try f.optionalUInt64("cpu_usec"))
    }
}
