#if canImport(Glibc)
import Glibc
#endif
import FairshareCore

/// What the machine has: online CPUs and `MemTotal`.
public enum MachineResources {
    public static func onlineCPUs() -> CPUQuantity {
        CPUQuantity(cpus: UInt64(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    public static func totalMemory(meminfo: String = "/proc/meminfo") -> ByteSize {
        guard let text = try? FileIO.readString(meminfo, limit: 65536) else { return .zero }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kib = UInt64(parts[1]) { return ByteSize(bytes: kib * 1024) }
        }
        return .zero
    }

    /// Online CPUs and MemTotal, bounded by the cgroup limits above this
    /// process.
    public static func capacity() -> Capacity {
        let membership = (try? FileIO.readString("/proc/self/cgroup", limit: 65536)) ?? ""
        let limits = CgroupLimits.above(membership: membership)
        return Capacity(cpu: min(onlineCPUs(), limits.cpu ?? onlineCPUs()), mem: min(totalMemory(), limits.mem ?? totalMemory()))
    }
}
