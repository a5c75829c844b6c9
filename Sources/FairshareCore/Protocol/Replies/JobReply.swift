/// One job in `status ID` and `jobs`: the record (`Job.json`, as
/// `state.json` keeps it) plus its unit, its state and pid as systemd
/// reports them, and for a running job in `jobs` its usage.
public struct JobReply: ReplyValue {
    public enum State: String, Sendable {
        case running, exited, stopped
        /// Not ended as far as the daemon knows, but systemd did not say it runs.
        case unknown
    }

    public var job: Job
    public var unit: String
    public var state: State
    /// Only while it runs.
    public var pid: UInt32?
    /// Only in `jobs`, only while it runs.
    public var usage: JobUsage?

    public init(job: Job, unit: String, state: State, pid: UInt32? = nil, usage: JobUsage? = nil) {
        self.job = job
        self.unit = unit
        self.state = state
        self.pid = pid
        self.usage = usage
    }

    public var json: JSON {
        guard case .object(var o) = job.json else { return job.json }
        o["unit"] = .string(unit)
        o["state"] = .string(state.rawValue)
        o["pid"] = .orNull(pid) { .uint(UInt64($0)) }
        if let usage { o["usage"] = usage.json }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        let job = Job(id: try f.uint64("id"), uid: try f.uid("uid"), user: try f.string("user"), name: try f.optionalString("name"),
                      argv: try f.strings("argv"), started: try f.uint64("started"), end: try f.optionalNested("end"))
        self.init(job: job, unit: try f.string("unit"), state: try f.required("state", "job state", { $0.stringValue.flatMap(State.init(rawValue:)) }),
                  pid: try f.optional("pid", "pid", ReplyFields.uid), usage: try f.optionalNested("usage"))
    }
}
