/// One stray of `admin audit`: `{"pid": …, "uid": …, "user": …, "name": …,
/// "unit": …, "cgroup": …, "cpu_percent": …|null, "rss": …}`.
public struct StrayRow: ReplyValue {
    public var pid: Int32
    public var uid: UInt32
    /// The account's name, `#UID` when NSS has none.
    public var user: String
    public var name: String
    public var unit: String
    public var cgroup: String
    public var cpuPercent: Double?
    public var rss: UInt64

    public init(pid: Int32, uid: UInt32, user: String, name: String, unit: String, cgroup: String, cpuPercent: Double?, rss: UInt64) {
        self.pid = pid
        self.uid = uid
        self.user = user
        self.name = name
        self.unit = unit
        self.cgroup = cgroup
        self.cpuPercent = cpuPercent
        self.rss = rss
    }

    public var json: JSON {
        .object(["pid": .uint(UInt64(pid)), "uid": .uint(UInt64(uid)), "user": .string(user), "name": .string(name),
                 "unit": .string(unit), "cgroup": .string(cgroup), "cpu_percent": .orNull(cpuPercent, JSON.number), "rss": .uint(rss)])
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(pid: try f.required("pid", "pid", { $0.uint64Value.flatMap { Int32(exactly: $0) } }), uid: try f.uid("uid"),
                  user: try f.string("user"), name: try f.string("name"), unit: try f.string("unit"), cgroup: try f.string("cgroup"),
                  cpuPercent: try f.optionalDouble("cpu_percent"), rss: try f.uint64("rss"))
    }
}
