/// One process as the stray sweep reads it from `/proc/PID/status`,
/// `/proc/PID/stat` and `/proc/PID/cgroup`. Parsing only: the daemon
/// reads the files.
public struct ProcessSample: Equatable, Sendable {
    public var pid: Int32
    public var name: String
    public var uid: UInt32
    /// Real, effective and saved uid are the same.
    public var runsEntirelyAsUID: Bool
    public var zombie: Bool
    /// Resident memory, bytes (`VmRSS`; 0 for a zombie).
    public var rssBytes: UInt64
    /// Field 22 of `stat`, clock ticks after boot.
    public var startTicks: UInt64
    /// utime + stime, clock ticks.
    public var cpuTicks: UInt64
    /// systemd's cgroup path; nil until read.
    public var cgroup: String?

    public init(pid: Int32, name: String, uid: UInt32, runsEntirelyAsUID: Bool = true, zombie: Bool = false, rssBytes: UInt64 = 0,
                startTicks: UInt64 = 0, cpuTicks: UInt64 = 0, cgroup: String? = nil) {
        self.pid = pid
        self.name = name
        self.uid = uid
        self.runsEntirelyAsUID = runsEntirelyAsUID
        self.zombie = zombie
        self.rssBytes = rssBytes
        self.startTicks = startTicks
        self.cpuTicks = cpuTicks
        self.cgroup = cgroup
    }

    /// From `/proc/PID/status`: the name, the uids, the state and VmRSS.
    /// Nil when a line it needs is missing (a kernel thread has no VmRSS
    /// line: that is 0, not missing).
    public static func fromStatus(_ text: String, pid: Int32) -> ProcessSample? {
        var name: String?, uids: [UInt32] = [], zombie = false, rss: UInt64 = 0
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...]
            switch key {
            case "Name": name = value.drop { $0 == "\t" || $0 == " " }.description
            case "State": zombie = value.contains("Z") || value.contains("X")
            case "Uid": uids = value.split(whereSeparator: { $0 == "\t" || $0 == " " }).compactMap { UInt32($0) }
            case "VmRSS":
                let fields = value.split(whereSeparator: { $0 == "\t" || $0 == " " })
                rss = (fields.first.flatMap { UInt64($0) } ?? 0).multipliedSaturating(by: 1024)
            default: continue
            }
        }
        guard let name, uids.count >= 3 else { return nil }
        return ProcessSample(pid: pid, name: name, uid: uids[0], runsEntirelyAsUID: uids[1] == uids[0] && uids[2] == uids[0],
                             zombie: zombie, rssBytes: rss)
    }

    /// Fills in the start time and CPU ticks from `/proc/PID/stat`;
    /// false when the text does not parse.
    public mutating func readStat(_ text: String) -> Bool {
        // comm may hold spaces and parentheses: fields start after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return false }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): utime 14, stime 15, starttime 22.
        guard fields.count > 19, let utime = UInt64(fields[11]), let stime = UInt64(fields[12]), let start = UInt64(fields[19]) else { return false }
        cpuTicks = utime.addingSaturating(stime)
        startTicks = start
        return true
    }
}
