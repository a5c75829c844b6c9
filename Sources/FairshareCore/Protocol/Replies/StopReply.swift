/// `stop`: `{"job": ID, "stopped": true}`.
public struct StopReply: ReplyValue {
    public var job: UInt64

    public init(job: UInt64) { self.job = job }

    public var json: JSON { ["job": .uint(job), "stopped": true] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        guard try f.bool("stopped") else { throw ReplyDecodingError(field: f.name("stopped"), expected: "true") }
        self.init(job: try f.uint64("job"))
    }
}
