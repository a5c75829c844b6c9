/// A `defaults` or `max` block in `show-policy`, each value with its origin.
public struct SourcedLimits: ReplyValue {
    public var cpu: SourcedText
    public var mem: SourcedText
    public var tasks: SourcedText
    public var io: SourcedText
    public var gpus: SourcedText

    public init(cpu: SourcedText, mem: SourcedText, tasks: SourcedText, io: SourcedText, gpus: SourcedText) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
        self.gpus = gpus
    }

    /// The keys in the order `show-policy` prints them.
    public var entries: [(key: String, value: SourcedText)] {
        [("cpu", cpu), ("mem", mem), ("tasks", tasks), ("io", io), ("gpus", gpus)]
    }

    public var json: JSON { .object(JSONObject(entries.map { ($0.key, $0.value.json) })) }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(cpu: try f.nested("cpu"), mem: try f.nested("mem"), tasks: try f.nested("tasks"), io: try f.nested("io"),
                  gpus: try f.nested("gpus"))
    }
}
