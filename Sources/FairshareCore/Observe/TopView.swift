/// `fairshare top`'s screen: a summary line, a header, then one line per
/// user holding an allocation, busiest first (CPU use, then memory, then
/// name), cut to the terminal's width and height. Pure: the command feeds
/// it snapshots and the CPU rates between them.
public enum TopView {
    public struct Line: Equatable, Sendable {
        public var user: String
        public var uid: UInt32
        /// CPUs in use (1.0 = one CPU busy); nil before a second reading.
        public var cpuUsed: Double?
        public var cpuGranted: CPUQuantity
        public var memUsed: UInt64?
        public var memGranted: ByteSize
        public var tasks: UInt64?
        public var tasksGranted: TaskLimit
        public var gpus: Int
        public var lease: UInt64?
    }

    /// The users' lines, busiest first.
    public static func lines(_ s: MachineSnapshot, rates: [UInt32: Double]) -> [Line] {
        s.allocations.map { a in
            Line(user: a.user, uid: a.uid, cpuUsed: rates[a.uid], cpuGranted: a.cpu, memUsed: a.usage.mem, memGranted: a.mem,
                 tasks: a.usage.tasks, tasksGranted: a.tasks, gpus: a.gpus.count, lease: a.lease)
        }.sorted(by: busier)
    }

    /// CPU use first (unknown last), then memory, then the name.
    static func busier(_ a: Line, _ b: Line) -> Bool {
        let ca = a.cpuUsed ?? -1, cb = b.cpuUsed ?? -1
        if ca != cb { return ca > cb }
        let ma = a.memUsed ?? 0, mb = b.memUsed ?? 0
        if ma != mb { return ma > mb }
        return a.user < b.user
    }

    /// The screen's text lines, none wider than `width`; with `height`,
    /// the users that fit below the two heading lines (and a "… N more").
    public static func screen(_ s: MachineSnapshot, rates: [UInt32: Double], width: Int = 80, height: Int? = nil,
                              clock: String = "") -> [String] {
        let users = lines(s, rates: rates)
        var out = [
            "fairshare top\(clock.isEmpty ? "" : " - \(clock)")  pool \(s.system.cpu) CPUs / \(s.system.mem)  available \(s.available.cpu) / \(s.available.mem)  users \(users.count)",
            row("USER", "UID", "CPU%", "GRANT", "MEM", "MEM MAX", "TASKS", "GPUS", "LEASE"),
        ]
        var shown = users
        var hidden = 0
        if let height, users.count > max(0, height - 2) {
            shown = Array(users.prefix(max(0, height - 3)))
            hidden = users.count - shown.count
        }
        for l in shown {
            out.append(row(l.user, String(l.uid), l.cpuUsed.map { percent($0) } ?? "-", String(describing: l.cpuGranted),
                           l.memUsed.map { String(describing: ByteSize(bytes: $0)) } ?? "-", String(describing: l.memGranted),
                           l.tasks.map { "\($0)/\(l.tasksGranted)" } ?? "-/\(l.tasksGranted)", String(l.gpus),
                           l.lease.map { leaseLeft($0, now: s.takenSeconds) } ?? "-"))
        }
        if hidden > 0 { out.append("… \(hidden) more") }
        return out.map { clip($0, width) }
    }

    /// "98.5": percent of one CPU, one decimal.
    static func percent(_ cpus: Double) -> String {
        let tenths = (cpus * 1000).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }

    /// "1h05m" left, or "ended".
    static func leaseLeft(_ end: UInt64, now: UInt64) -> String {
        guard end > now else { return "ended" }
        let left = end - now
        if left >= 3600 { return "\(left / 3600)h\(pad2(left % 3600 / 60))m" }
        return "\(left / 60)m\(pad2(left % 60))s"
    }

    private static func pad2(_ n: UInt64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func row(_ user: String, _ uid: String, _ cpu: String, _ grant: String, _ mem: String, _ memMax: String, _ tasks: String,
                    _ gpus: String, _ lease: String) -> String {
        left(user, 12) + " " + right(uid, 6) + " " + right(cpu, 6) + " " + right(grant, 6) + " " + right(mem, 7) + " " + right(memMax, 7)
            + " " + right(tasks, 11) + " " + right(gpus, 4) + " " + right(lease, 7)
    }

    static func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func right(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    static func clip(_ s: String, _ width: Int) -> String { s.count <= width ? s : String(s.prefix(max(0, width))) }
}
