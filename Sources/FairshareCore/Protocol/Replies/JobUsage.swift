/// What a running job uses now (`jobs`): `{"cpu_usec": …, "mem": …}`,
/// null where it could not be read.
public struct JobUsage: ReplyValue {
    public var cpuUsec: UInt64?
    public var mem: UInt64?

    public init(cpuUsec: UInt64?, mem: UInt64?) {
        self.cpuUsec = cpuUsec
        self.mem = mem
    }

    public var json: JSON { ["cpu_usec": .orNull(cpuUsec, JSON.uint), "mem": .orNull(mem, JSON.uint)] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(cpuUsec: try f.optionalUInt64("cpu_usec"), mem: try f.optionalUInt64("mem"))
    }
}
