/// `run`: the new job's id, its unit and its log file.
public struct JobStartedReply: ReplyValue {
    public var job: UInt64
    public var unit: String
    public var log: String

    public init(job: UInt64, unit: String, log: String) {
        self.job = job
        self.unit = unit
        self.log = log
    }

    public var json: JSON { ["job": .uint(job), "unit": .string(unit), "log": .string(log)] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(job: try f.uint64("job"), unit: try f.string("unit"), log: try f.string("log"))
    }
}
