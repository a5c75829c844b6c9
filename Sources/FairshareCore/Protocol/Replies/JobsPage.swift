/// `jobs`: a page of jobs by id; `next`, where there are more, is the id
/// the following page starts after.
public struct JobsPage: ReplyValue {
    public var jobs: [JobReply]
    public var next: UInt64?

    public init(jobs: [JobReply], next: UInt64? = nil) {
        self.jobs = jobs
        self.next = next
    }

    public var json: JSON {
        var o: JSONObject = ["jobs": .array(jobs.map(\.json))]
        if let next { o["next"] = .uint(next) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(jobs: try f.list("jobs"), next: try f.optionalUInt64("next"))
    }
}
