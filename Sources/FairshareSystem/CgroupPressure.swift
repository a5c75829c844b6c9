import FairshareCore

/// Reads a cgroup's PSI files. They live in the cgroup2 hierarchy: the
/// whole tree on v2, the tracking hierarchy (`/sys/fs/cgroup/unified`) on
/// v1 hybrid layouts, where the kernel still accounts stalls per cgroup.
public enum CgroupPressure {
    public static func read(path: String, root: String = "/sys/fs/cgroup") -> SlicePressure? {
        let unified = FileIO.exists(root + "/cgroup.controllers") ? root : root + "/unified"
        func avg10(_ file: String) -> UInt64? {
            (try? FileIO.readString(unified + path + "/" + file, limit: 4096)).flatMap(SlicePressure.someAvg10)
        }
        let pressure = SlicePressure(cpu: avg10("cpu.pressure"), memory: avg10("memory.pressure"), io: avg10("io.pressure"))
        return pressure == SlicePressure() ? nil : pressure
    }

    /// Whether the kernel protects memory (`memory.low`): a pure cgroup v2
    /// layout with the memory controller. v1 has no such thing.
    public static func memoryProtection(root: String = "/sys/fs/cgroup") -> Bool {
        guard let controllers = try? FileIO.readString(root + "/cgroup.controllers", limit: 4096) else { return false }
        return controllers.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains("memory")
    }
}
