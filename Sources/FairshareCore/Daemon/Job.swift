/// A detached job (`fairshare run`): a transient service in its owner's
/// slice, running as the owner, its output appended to a log file.
public struct Job: Equatable, Sendable {
    public var id: UInt64
    public var uid: UInt32
    public var user: String
    public var name: String?
    public var argv: [String]
    public var started: UInt64
    /// How it ended, once the daemon has seen it end.
    public var end: JobEnd?

    public init(id: UInt64, uid: UInt32, user: String, name: String?, argv: [String], started: UInt64, end: JobEnd? = nil) {
        self.id = id
        self.uid = uid
        self.user = user
        self.name = name
        self.argv = argv
        self.started = started
        self.end = end
    }

    public var unit: UnitName { UnitNames.jobService(uid: uid, job: id) }
}

/// How a job ended: its exit status, or the signal that killed it, and
/// whether it was stopped with `fairshare stop`.
public struct JobEnd: Equatable, Sendable {
    public var exitStatus: Int32?
    public var signal: Int32?
    public var stopped: Bool
    public var ended: UInt64

    public init(exitStatus: Int32?, signal: Int32?, stopped: Bool, ended: UInt64) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.stopped = stopped
        self.ended = ended
    }

    /// What a shell would report: the status, or 128 + the signal; 0 when
    /// systemd no longer knew how it ended (what `logs -f` exits with).
    public var shellStatus: Int32 { exitStatus ?? signal.map { 128 + $0 } ?? 0 }
}

/// `fairshare run`: the command, where it runs, its name and limits.
public struct RunRequest: Equatable, Sendable {
    /// The most a job's command line may hold (its words' bytes plus one
    /// each): every job keeps it in `state.json` while it is kept.
    public static let maxCommandBytes = 16 << 10

    /// A command line's size as `maxCommandBytes` counts it.
    public static func commandBytes(_ words: [String]) -> Int { words.reduce(0) { $0 + $1.utf8.count + 1 } }

    /// Refuses a command line above `maxCommandBytes` (the client before
    /// sending, the daemon on receipt).
    public static func checkCommandSize(_ words: [String]) throws(InputRejection) {
        let size = commandBytes(words)
        if size > maxCommandBytes {
            throw InputRejection(field: "argv", reason: "the command line is \(size) bytes; a job takes at most \(maxCommandBytes) (put a long one in a script)")
        }
    }

    /// argv[0] is the program's absolute path.
    public var argv: [CommandArgument]
    public var cwd: AbsolutePath
    public var name: UnitNamePart?
    public var limits: ResourceRequest
    /// systemd's IOWeight= for the job (1–10000).
    public var ioWeight: UInt64?

    public init(argv: [CommandArgument], cwd: AbsolutePath, name: UnitNamePart? = nil, limits: ResourceRequest = ResourceRequest()) {
        self.argv = argv
        self.cwd = cwd
        self.name = name
        self.limits = limits
    }
}

extension Job {
    /// As `state.json` and the protocol carry it.
    public var json: JSON {
        var o: JSONObject = ["id": .uint(id), "uid": .uint(UInt64(uid)), "user": .string(user),
                             "argv": .array(argv.map { .string($0) }), "started": .uint(started)]
        if let name { o["name"] = .string(name) }
        if let end { o["end"] = end.json }
        return .object(o)
    }

    public init?(json: JSON) {
        guard let id = json["id"]?.uint64Value, let uid = json["uid"]?.uint64Value, uid <= UInt64(UInt32.max),
              let user = json["user"]?.stringValue, let argv = json["argv"]?.arrayValue?.compactMap(\.stringValue),
              let started = json["started"]?.uint64Value else { return nil }
        var end: JobEnd?
        if let field = json["end"], field != .null {
            guard let e = try? JobEnd(json: field) else { return nil }
            end = e
        }
        self.init(id: id, uid: UInt32(uid), user: user, name: json["name"]?.stringValue, argv: argv, started: started, end: end)
    }
}
