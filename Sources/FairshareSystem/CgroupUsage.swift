import FairshareCore

/// Usage of a cgroup read from its files, for when systemd leaves a
/// property unset (cgroup v1 with `cpu` and `cpuacct` mounted apart).
/// v2 (unified) files first, then v1 controller files.
public struct CgroupUsage: Equatable, Sendable {
    public var cpuUsec: UInt64?
    public var memoryBytes: UInt64?
    public var tasks: UInt64?

    /// `root` is the cgroup mount (`/sys/fs/cgroup`), `path` the unit's
    /// ControlGroup (`/fairshare.slice/fairshare-1001.slice`).
    public static func read(path: String, root: String = "/sys/fs/cgroup") -> CgroupUsage {
        let unified = FileIO.exists(root + "/cgroup.controllers") ? root : root + "/unified"
        var usage = CgroupUsage()
        usage.cpuUsec = statValue(unified + path + "/cpu.stat", key: "usage_usec")
            ?? number(root + "/cpuacct" + path + "/cpuacct.usage").map { $0 / 1000 }
        usage.memoryBytes = number(unified + path + "/memory.current") ?? number(root + "/memory" + path + "/memory.usage_in_bytes")
        usage.tasks = number(unified + path + "/pids.current") ?? number(root + "/pids" + path + "/pids.current")
        return usage
    }

    static func number(_ file: String) -> UInt64? {
        guard let text = try? FileIO.readString(file, limit: 4096) else { return nil }
        return UInt64(text.split(separator: "\n").first ?? "")
    }

    static func statValue(_ file: String, key: String) -> UInt64? {
        guard let text = try? FileIO.readString(file, limit: 65536) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return UInt64(parts[1]) }
        }
        return nil
    }
}
