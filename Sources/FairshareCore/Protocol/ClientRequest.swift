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
    /// Stop a user's slice and take the allocation back (admins).
    case revoke(user: String)
    /// Re-read the policy files (admins).
    case reload
    /// Change the daemon's override file, then reload (admins).
    case setPolicy(PolicyChange)
    /// The effective policy of a user, the caller when nil, with origins.
    case showPolicy(user: String?)

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
        }
    }
}

public struct ExecRequest: Equatable, Sendable {
    public init() {}
}

/// A request that could not be decoded, with the code to answer it with.
public struct RequestDecodingError: Error, Equatable, Sendable {
    public var code: ErrorCode
    public var message: String
    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ClientRequest {
    /// The request as one protocol object.
    public var json: JSON {
        var o: JSONObject = ["v": .uint(WireProtocol.version), "op": .string(operation)]
        if case .revoke(let user) = self { o["user"] = .string(user) }
        if case .showPolicy(let user?) = self { o["user"] = .string(user) }
        if case .list(let after?) = self { o["after"] = .uint(UInt64(after)) }
        if case .setPolicy(let change) = self { change.encode(into: &o) }
        if case .request(let r) = self {
            if let cpu = r.cpu { o["cpu"] = .number(Double(cpu.usecPerSecond) / 1e6) }
            if let mem = r.mem { o["mem"] = .uint(mem.bytes) }
            if let tasks = r.tasks { o["tasks"] = tasks.isInfinite ? "infinity" : .uint(tasks.count) }
            if let lease = r.lease { o["for"] = .uint(lease.seconds) }
        }
        return .object(o)
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
        case "exec": return .exec(ExecRequest())
        case "request": return .request(try decodeResources(o))
        case "list":
            guard let after = o["after"] else { return .list(after: nil) }
            guard let uid = after.uint64Value, uid <= UInt64(UInt32.max) else { throw .init(.badRequest, "\"after\" must be a uid") }
            return .list(after: UInt32(uid))
        case "revoke":
            guard let user = o["user"]?.stringValue, !user.isEmpty else { throw .init(.badRequest, "revoke needs \"user\"") }
            return .revoke(user: user)
        case "reload": return .reload
        case "set-policy": return .setPolicy(try PolicyChange.decode(o))
        case "show-policy":
            guard let user = o["user"] else { return .showPolicy(user: nil) }
            guard let name = user.stringValue, !name.isEmpty else { throw .init(.badRequest, "\"user\" must be a user name") }
            return .showPolicy(user: name)
        default: throw .init(.unknownOperation, "unknown operation '\(op)'")
        }
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
        return r
    }
}
