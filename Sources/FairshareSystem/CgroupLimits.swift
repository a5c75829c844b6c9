import FairshareCore

/// The CPU and memory limits of the cgroups above a process, v1 or v2: the
/// tightest one bounds what the machine can hand out (a container, a VM
/// slice, an administrator's limit on system.slice).
public struct CgroupLimits: Equatable, Sendable {
    public var cpu: CPUQuantity?
    public var mem: ByteSize?

    /// Reads `/proc/self/cgroup`-style `membership` and walks from the
    /// parent of the process's cgroup up to the root in each hierarchy
    /// under `root`. The process's own cgroup does not count: the daemon's
    /// own `MemoryMax=` bounds the daemon, not the users' slices, which sit
    /// beside it under `fairshare.slice`.
    public static func above(membership: String, root: String = "/sys/fs/cgroup") -> CgroupLimits {
        var limits = CgroupLimits()
        let pureV2 = FileIO.exists(root + "/cgroup.controllers")
        let lines = membership.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false) }
        // The process's own cgroup, as systemd made it for its unit (the v2
        // or name=systemd line). On v1 a controller without accounting for
        // the unit leaves the process in the slice above: that one counts.
        let own = lines.first { $0.count == 3 && ($0[1].isEmpty || $0[1] == "name=systemd") }.map { String($0[2]) }
        for fields in lines {
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",")
            let path = String(fields[2])
            let dirs = ancestors(path).filter { $0 != own }
            if controllers.isEmpty {
                let base = pureV2 ? root : root + "/unified"
                for dir in dirs {
                    limits.tighten(cpu: v2CPU(base + dir + "/cpu.max"), mem: v2Memory(base + dir + "/memory.max"))
                }
            }
            if controllers.contains("cpu") {
                let base = root + "/" + controllers.joined(separator: ",")
                for dir in dirs {
                    limits.tighten(cpu: v1CPU(base + dir), mem: nil)
                }
            }
            if controllers.contains("memory") {
                for dir in dirs {
                    limits.tighten(cpu: nil, mem: v1Memory(root + "/memory" + dir + "/memory.limit_in_bytes"))
                }
            }
        }
        return limits
    }

    mutating func tighten(cpu: CPUQuantity?, mem: ByteSize?) {
        if let cpu { self.cpu = min(self.cpu ?? cpu, cpu) }
        if let mem { self.mem = min(self.mem ?? mem, mem) }
    }

    /// "/a/b" → ["/a/b", "/a", ""] (the empty string is the hierarchy's
    /// root); "/" → [""].
    static func ancestors(_ path: String) -> [String] {
        var out: [String] = []
        var p = path == "/" ? "" : path
        while true {
            out.append(p)
            guard let slash = p.lastIndex(of: "/") else { break }
            p = String(p[..<slash])
            if out.last == "" { break }
        }
        return out
    }

    static func text(_ file: String) -> String? {
        (try? FileIO.readString(file, limit: 4096))?.split(separator: "\n").first.map(String.init)
    }

    /// v2 `cpu.max`: "max 100000" or "QUOTA PERIOD".
    static func v2CPU(_ file: String) -> CPUQuantity? {
        guard let parts = text(file)?.split(separator: " "), parts.count == 2,
              let quota = UInt64(parts[0]), let period = UInt64(parts[1]), period > 0 else { return nil }
        return CPUQuantity(quota: quota, perPeriod: period)
    }

    static func v2Memory(_ file: String) -> ByteSize? {
        text(file).flatMap { UInt64($0) }.map { ByteSize(bytes: $0) }
    }

    /// v1 `cpu.cfs_quota_us` (-1: none) over `cpu.cfs_period_us`.
    static func v1CPU(_ dir: String) -> CPUQuantity? {
        guard let quota = text(dir + "/cpu.cfs_quota_us").flatMap({ Int64($0) }), quota > 0,
              let period = text(dir + "/cpu.cfs_period_us").flatMap({ UInt64($0) }), period > 0 else { return nil }
        return CPUQuantity(quota: UInt64(quota), perPeriod: period)
    }

    /// v1 `memory.limit_in_bytes`; "unlimited" is a huge page-rounded number.
    static func v1Memory(_ file: String) -> ByteSize? {
        guard let v = text(file).flatMap({ UInt64($0) }), v < (1 << 62) else { return nil }
        return ByteSize(bytes: v)
    }
}
