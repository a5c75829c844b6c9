/// An allocation's or a scope's limits: `{"cpu": 0.5, "mem": 67108864,
/// "tasks": 64}`, plus `io` and `gpus` (device paths) only when there are any.
public struct ReplyResources: ReplyValue {
    public var cpu: CPUQuantity
    public var mem: ByteSize
    public var tasks: TaskLimit
    public var io: IOLimits
    public var gpus: [String]

    public init(cpu: CPUQuantity, mem: ByteSize, tasks: TaskLimit, io: IOLimits = .none, gpus: [String] = []) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
        self.gpus = gpus
    }

    /// CPU, memory and tasks only (exec's limits, a clamp's before and after).
    public init(_ r: Resources) { self.init(cpu: r.cpu, mem: r.mem, tasks: r.tasks) }

    public var json: JSON {
        var o: JSONObject = ["cpu": .cpus(cpu), "mem": .uint(mem.bytes), "tasks": .tasks(tasks)]
        if !io.isEmpty { o["io"] = io.json }
        if !gpus.isEmpty { o["gpus"] = .array(gpus.map { .string($0) }) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(cpu: try f.cpu("cpu"), mem: try f.bytes("mem"), tasks: try f.tasks("tasks"),
                  io: try f.io("io"), gpus: try f.optional("gpus", "list of strings", ReplyFields.strings) ?? [])
    }
}
