/// `logs`: one page of a job's output (base64 on the wire) from the
/// offset asked for; `next` is the offset after it, `size` the log's size.
public struct LogsReply: ReplyValue {
    public var job: UInt64
    public var data: [UInt8]
    public var next: UInt64
    public var size: UInt64
    public var ended: Bool
    public var end: JobEnd?

    public init(job: UInt64, data: [UInt8], next: UInt64, size: UInt64, ended: Bool, end: JobEnd?) {
        self.job = job
        self.data = data
        self.next = next
        self.size = size
        self.ended = ended
        self.end = end
    }

    public var json: JSON {
        ["job": .uint(job), "data": .string(Base64.encode(data)), "next": .uint(next), "size": .uint(size),
         "ended": .bool(ended), "end": .orNull(end, \.json)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(job: try f.uint64("job"), data: try f.required("data", "base64 string", { $0.stringValue.flatMap(Base64.decode) }),
                  next: try f.uint64("next"), size: try f.uint64("size"), ended: try f.bool("ended"), end: try f.optionalNested("end"))
    }
}
