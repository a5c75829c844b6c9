/// A process found outside both its owner's login slice and fairshare
/// slice, with what it uses.
public struct Stray: Equatable, Sendable {
    public var pid: Int32
    public var uid: UInt32
    /// The command name (`comm`).
    public var name: String
    /// The innermost unit of its cgroup: `cron.service`.
    public var unit: String
    public var cgroup: String
    /// In % of one CPU since the previous sweep (since the process started
    /// at the first sweep that sees it).
    public var cpuPercent: Double?
    public var rssBytes: UInt64
    /// Clock ticks after boot: with the pid, the very process.
    public var startTicks: UInt64

    public init(pid: Int32, uid: UInt32, name: String, unit: String, cgroup: String, cpuPercent: Double?, rssBytes: UInt64, startTicks: UInt64) {
        self.pid = pid
        self.uid = uid
        self.name = name
        self.unit = unit
        self.cgroup = cgroup
        self.cpuPercent = cpuPercent
        self.rssBytes = rssBytes
        self.startTicks = startTicks
    }
}
