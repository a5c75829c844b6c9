/// What a client may ask of the daemon. The caller's identity never travels
/// in a request: the daemon takes it from the kernel (`SO_PEERCRED`).
public enum ClientRequest: Equatable, Sendable {
    case status
    case whoami
    case request(ResourceRequest)
    case release
    /// Move the caller's own process into a new scope in its slice.
    case exec(ExecRequest)
    /// Everyone's allocations with live usage (readers and admins), a page
    /// at a time so every reply fits a line: uids above `after`.
    case list(after: UInt32?)
    /// Stop a user's slice and take the allocation back (admins): a user
    /// name or a uid.
    case revoke(user: AccountReference)
    /// Re-read the policy files (admins).
    case reload
    /// Change the daemon's override file, then reload (admins).
    case setPolicy(PolicyChange)
    /// The effective policy of a user, the caller when nil, with origins.
    case showPolicy(user: String?)
    /// Start a detached job.
    case run(RunRequest)
    /// The caller's jobs, or everyone's (`all`: readers and admins).
    /// A page at a time, like `list`: jobs with ids above `after`.
    case jobs(all: Bool, after: UInt64? = nil)
    /// Up to a page of a job's output from byte `offset`.
    case logs(job: UInt64, offset: UInt64)
    /// Stop a job (SIGTERM, then SIGKILL after the grace period).
    case stop(job: UInt64)
    /// One job's state: pid, exit status, whether it ended.
    case jobStatus(job: UInt64)
    /// The processes of regular accounts outside both their login and
    /// fairshare slice, as the last sweep found them (readers and admins).
    case audit
    /// The daemon's own counters: requests by operation and outcome, their
    /// latency, jobs by state and the latest refusals (readers and admins;
    /// what `fairshare-web` exports).
    case metrics

    public var operation: String {
        switch self {
        case .status: "status"
        case .whoami: "whoami"
        case .request: "request"
        case .release: "release"
        case .exec: "exec"
        case .list: "list"
        case .revoke: "revoke"
        case .reload: "reload"
        case .setPolicy: "set-policy"
        case .showPolicy: "show-policy"
        case .run: "run"
        case .jobs: "jobs"
        case .logs: "logs"
        case .stop: "stop"
        case .jobStatus: "job-status"
        case .audit: "audit"
        case .metrics: "metrics"
        }
    }
}

/// `fairshare exec`: optional limits for the new scope (never above the
/// user's allocation) and an optional name for it.
public struct ExecRequest: Equatable, Sendable {
    /// CPU, memory and tasks for the scope alone; unset ones leave the
    /// slice's limit as the only one.
    public var limits: ResourceRequest
    public var name: UnitNamePart?

    public init(limits: ResourceRequest = ResourceRequest(), name: UnitNamePart? = nil) {
        self.limits = limits
        self.name = name
    }
}

/// A request that could not be decoded, with the code to answer it with
/// and, for a refused value, the field and the offending character.
public struct RequestDecodingError: Error, Equatable, Sendable {
    public var code: ErrorCode
    public var message: String
    public var field: String?
    public var position: Int?

    public init(_ code: ErrorCode, _ message: String, field: String? = nil, position: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.position = position
    }

    init(_ rejection: InputRejection) {
        self.init(.badRequest, rejection.description, field: rejection.field, position: rejection.position)
    }

    /// The reply's `error` object: `field` and `position` ride along when known.
    public var replyError: ReplyError {
        var details: JSONObject = [:]
        if let field { details["field"] = .string(field) }
        if let position { details["position"] = .uint(UInt64(position)) }
        return ReplyError(code: code, message: message, details: details)
    }
}

extension ClientRequest {
    /// The request as one protocol object.
    public var json: JSON {
        var o: JSONObject = ["v": .uint(WireProtocol.version), "op": .string(operation)]
        if case .revoke(let user) = self { o["user"] = .string(user.description) }
        if case .showPolicy(let user?) = self { o["user"] = .string(user) }
        if case .list(let after?) = self { o["after"] = .uint(UInt64(after)) }
        if case .exec(let e) = self {
            Self.encode(e.limits, into: &o)
            if let name = e.name { o["name"] = .string(name.string) }
        }
        if case .setPolicy(let change) = self { change.encode(into: &o) }
        switch self {
        case .run(let r):
            o["argv"] = .array(r.argv.map { .string($0.string) })
            o["cwd"] = .string(r.cwd.string)
            if let name = r.name { o["name"] = .string(name.string) }
            if let weight = r.ioWeight { o["io_weight"] = .uint(weight) }
            Self.encode(r.limits, into: &o)
        case .jobs(let all, let after):
            if all { o["all"] = true }
            if let after { o["after"] = .uint(after) }
        case .logs(let job, let offset): o["job"] = .uint(job); o["offset"] = .uint(offset)
        case .stop(let job), .jobStatus(let job): o["job"] = .uint(job)
        default: break
        }
        if case .request(let r) = self { Self.encode(r, into: &o) }
        return .object(o)
    }

    private static func encode(_ r: ResourceRequest, into o: inout JSONObject) {
        if let cpu = r.cpu { o["cpu"] = .number(Double(cpu.usecPerSecond) / 1e6) }
        if let mem = r.mem { o["mem"] = .uint(mem.bytes) }
        if let tasks = r.tasks { o["tasks"] = tasks.isInfinite ? "infinity" : .uint(tasks.count) }
        if let lease = r.lease { o["for"] = .uint(lease.seconds) }
        if !r.io.isEmpty { o["io"] = r.io.json }
        if let gpus = r.gpus { o["gpus"] = .uint(UInt64(gpus)) }
    }

    public static func decode(_ json: JSON) throws(RequestDecodingError) -> ClientRequest {
        guard let o = json.objectValue else { throw .init(.badRequest, "a request must be a JSON object") }
        guard let v = o["v"] else { throw .init(.badRequest, "missing protocol version \"v\"") }
        guard v.uint64Value == WireProtocol.version else {
            throw .init(.unsupportedVersion, "protocol version \(v.serialized) is not supported (this daemon speaks \(WireProtocol.version))")
        }
        guard let op = o["op"]?.stringValue else { throw .init(.badRequest, "missing operation \"op\"") }
        switch op {
        case "status": return .status
        case "whoami": return .whoami
        case "release": return .release
        case "exec":
            let limits = try decodeResources(o)
            guard limits.lease == nil, limits.io.isEmpty, limits.gpus == nil else {
                throw .init(.badRequest, "exec takes no \"for\", \"io\" or \"gpus\" (request them for the allocation)")
            }
            return .exec(ExecRequest(limits: limits, name: try decodeName(o)))
        case "request": return .request(try decodeResources(o))
        case "list":
            guard let after = o["after"] else { return .list(after: nil) }
            guard let uid = after.uint64Value, uid <= UInt64(UInt32.max) else { throw .init(.badRequest, "\"after\" must be a uid") }
            return .list(after: UInt32(uid))
        case "revoke":
            guard let user = o["user"]?.stringValue else { throw .init(.badRequest, "revoke needs \"user\", a user name or uid") }
            return .revoke(user: try checked { () throws(InputRejection) in try AccountReference(checking: user, field: "user") })
        case "reload": return .reload
        case "set-policy": return .setPolicy(try PolicyChange.decode(o))
        case "run":
            guard let words = o["argv"]?.arrayValue?.compactMap(\.stringValue), !words.isEmpty, words.count == o["argv"]?.arrayValue?.count else {
                throw .init(.badRequest, "run needs \"argv\", a non-empty list of strings")
            }
            guard let cwdText = o["cwd"]?.stringValue else { throw .init(.badRequest, "run needs \"cwd\", an absolute path") }
            let (argv, cwd) = try checked { () throws(InputRejection) in
                // argv[0] is the program, resolved by the client to a path.
                _ = try AbsolutePath(checking: words[0], field: "argv[0]")
                let argv = try words.enumerated().map { (i, w) throws(InputRejection) in try CommandArgument(checking: w, field: "argv[\(i)]") }
                try RunRequest.checkCommandSize(words)
                return (argv, try AbsolutePath(checking: cwdText, field: "cwd"))
            }
            let limits = try decodeResources(o)
            guard limits.lease == nil, limits.io.isEmpty, limits.gpus == nil else {
                throw .init(.badRequest, "run takes no \"for\", \"io\" or \"gpus\" (request them for the allocation)")
            }
            var run = RunRequest(argv: argv, cwd: cwd, name: try decodeName(o), limits: limits)
            if let weight = o["io_weight"] {
                guard let w = weight.uint64Value, IOLimits.weightRange.contains(w) else { throw .init(.badRequest, "\"io_weight\" must be 1 to 10000") }
                run.ioWeight = w
            }
            return .run(run)
        case "jobs":
            guard let after = o["after"] else { return .jobs(all: o["all"]?.boolValue ?? false) }
            guard let id = after.uint64Value else { throw .init(.badRequest, "\"after\" must be a job id") }
            return .jobs(all: o["all"]?.boolValue ?? false, after: id)
        case "logs":
            return .logs(job: try jobID(o), offset: o["offset"]?.uint64Value ?? 0)
        case "stop": return .stop(job: try jobID(o))
        case "job-status": return .jobStatus(job: try jobID(o))
        case "audit": return .audit
        case "metrics": return .metrics
        case "show-policy":
            guard let user = o["user"] else { return .showPolicy(user: nil) }
            guard let name = user.stringValue else { throw .init(.badRequest, "\"user\" must be a user name") }
            return .showPolicy(user: try checked { () throws(InputRejection) in try AccountName.checked(name, field: "user") })
        default: throw .init(.unknownOperation, "unknown operation '\(op)'")
        }
    }

    /// `exec`'s and `run`'s optional `"name"`.
    private static func decodeName(_ o: JSONObject) throws(RequestDecodingError) -> UnitNamePart? {
        guard let field = o["name"] else { return nil }
        guard let text = field.stringValue else { throw .init(.badRequest, "\"name\" must be a string") }
        return try checked { () throws(InputRejection) in try UnitNamePart(checking: text) }
    }

    /// Runs the checks of the checked types, turning a rejection into `bad_request`.
    private static func checked<T>(_ body: () throws(InputRejection) -> T) throws(RequestDecodingError) -> T {
        do {
            return try body()
        } catch {
            throw RequestDecodingError(error)
        }
    }

    private static func jobID(_ o: JSONObject) throws(RequestDecodingError) -> UInt64 {
        guard let id = o["job"]?.uint64Value, id > 0 else { throw .init(.badRequest, "\"job\" must be a job id (a positive number)") }
        return id
    }

    private static func decodeResources(_ o: JSONObject) throws(RequestDecodingError) -> ResourceRequest {
        var r = ResourceRequest()
        if let cpu = o["cpu"] {
            guard let d = cpu.doubleValue, d > 0, d < 1e9 else { throw .init(.badRequest, "\"cpu\" must be a positive number of CPUs") }
            r.cpu = CPUQuantity(usecPerSecond: UInt64((d * 1e6).rounded()))
        }
        if let mem = o["mem"] {
            guard let n = mem.uint64Value, n > 0 else { throw .init(.badRequest, "\"mem\" must be a positive number of bytes") }
            r.mem = ByteSize(bytes: n)
        }
        if let tasks = o["tasks"] {
            if tasks.stringValue == "infinity" {
                r.tasks = .infinity
            } else {
                guard let n = tasks.uint64Value, n > 0 else { throw .init(.badRequest, "\"tasks\" must be a positive integer or \"infinity\"") }
                r.tasks = TaskLimit(n)
            }
        }
        if let lease = o["for"] {
            guard let s = lease.uint64Value, s > 0 else { throw .init(.badRequest, "\"for\" must be a positive number of seconds") }
            r.lease = TimeSpan(seconds: s)
        }
        if let io = o["io"] {
            switch IOLimits.decode(io) {
            case .success(let value): r.io = value
            case .failure(let problem): throw .init(.badRequest, problem.message, field: problem.field, position: problem.position)
            }
        }
        if let gpus = o["gpus"] {
            guard let n = gpus.uint64Value, n <= UInt64(GPUSpec.maxCount) else { throw .init(.badRequest, "\"gpus\" must be a whole number of GPUs") }
            r.gpus = Int(n)
        }
        return r
    }
}
