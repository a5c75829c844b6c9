import FairshareCore

/// Usage of a cgroup read from its files, for when systemd leaves a
/// property unset (cgroup v1 with `cpu` and `cpuacct` mounted apart).
/// v2 (unified) files first, then v1 controller files.
public struct CgroupUsage: Equatable, Sendable {
    public var cpuUsec: UInt64?
    public var memoryBytes: UInt64?
    public var tasks: UInt64?
    /// Bytes read and written on block devices, every device summed.
    public var ioReadBytes: UInt64?
    public var ioWriteBytes: UInt64?

    /// `root` is the cgroup mount (`/sys/fs/cgroup`), `path` the unit's
    /// ControlGroup (`/fairshare.slice/fairshare-1001.slice`).
    public static func read(path: String, root: String = "/sys/fs/cgroup") -> CgroupUsage {
        let pureV2 = FileIO.exists(root + "/cgroup.controllers")
        let unified = pureV2 ? root : root + "/unified"
        var usage = CgroupUsage()
        usage.cpuUsec = statValue(unified + path + "/cpu.stat", key: "usage_usec")
            ?? number(root + "/cpuacct" + path + "/cpuacct.usage").map { $0 / 1000 }
        let memory = { number(unified + path + "/memory.current") }
        let memoryV1 = { number(root + "/memory" + path + "/memory.usage_in_bytes") }
        let tasks = { number(unified + path + "/pids.current") }
        let tasksV1 = { number(root + "/pids" + path + "/pids.current") }
        let io = { ioStat(unified + path + "/io.stat") }
        let ioV1 = { blkioBytes(root + "/blkio" + path + "/blkio.throttle.io_service_bytes_recursive") }
        // On a v1 or hybrid layout a controller mounted in v1 cannot be in
        // the unified hierarchy as well, so its v1 file comes first there:
        // the same figures without a failed open of the v2 file each time
        // (status reads these for every request).
        if pureV2 {
            usage.memoryBytes = memory() ?? memoryV1()
            usage.tasks = tasks() ?? tasksV1()
        } else {
            usage.memoryBytes = memoryV1() ?? memory()
            usage.tasks = tasksV1() ?? tasks()
        }
        if let io = pureV2 ? io() ?? ioV1() : ioV1() ?? io() {
            (usage.ioReadBytes, usage.ioWriteBytes) = io
        }
        return usage
    }

    static func number(_ file: String) -> UInt64? {
        guard let text = try? FileIO.readString(file, limit: 4096) else { return nil }
        return UInt64(text.split(separator: "\n").first ?? "")
    }

    /// v2 `io.stat`: `MAJ:MIN rbytes=N wbytes=N rios=N …` per device.
    static func ioStat(_ file: String) -> (UInt64, UInt64)? {
        guard let text = try? FileIO.readString(file, limit: 65536) else { return nil }
        var read: UInt64 = 0, written: UInt64 = 0
        for field in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if field.hasPrefix("rbytes=") { read &+= UInt64(field.dropFirst(7)) ?? 0 }
            if field.hasPrefix("wbytes=") { written &+= UInt64(field.dropFirst(7)) ?? 0 }
        }
        return (read, written)
    }

    /// v1 `blkio.throttle.io_service_bytes_recursive`: `MAJ:MIN Read N`,
    /// `MAJ:MIN Write N`, … and a `Total`.
    static func blkioBytes(_ file: String) -> (UInt64, UInt64)? {
        guard let text = try? FileIO.readString(file, limit: 65536) else { return nil }
        var read: UInt64 = 0, written: UInt64 = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let n = UInt64(parts[2]) else { continue }
            if parts[1] == "Read" { read &+= n }
            if parts[1] == "Write" { written &+= n }
        }
        return (read, written)
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
