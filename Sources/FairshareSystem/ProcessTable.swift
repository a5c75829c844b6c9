import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// The processes in `/proc`, read for the stray sweep: `status` for every
/// pid (name, uids, state, VmRSS), `stat` and `cgroup` only for those of
/// the accounts the policy covers. A process that exits while it is read
/// is simply not there.
public enum ProcessTable {
    /// The pids now, in no particular order (kernel threads included).
    public static func pids(procRoot: String = "/proc") -> [Int32] {
        guard let names = try? FileIO.listDirectory(procRoot) else { return [] }
        return names.compactMap { name in
            guard let first = name.utf8.first, first >= 49, first <= 57 else { return nil }
            return Int32(name)
        }
    }

    /// One process; its cgroup, start time and CPU time only when its real
    /// uid is in `uids` (else they stay unread: nil and 0).
    public static func sample(pid: Int32, uids: ClosedRange<UInt32>, procRoot: String = "/proc") -> ProcessSample? {
        let dir = "\(procRoot)/\(pid)"
        guard let status = try? FileIO.readString(dir + "/status", limit: 16384),
              var sample = ProcessSample.fromStatus(status, pid: pid) else { return nil }
        guard uids.contains(sample.uid), sample.runsEntirelyAsUID, !sample.zombie else { return sample }
        guard let stat = try? FileIO.readString(dir + "/stat", limit: 4096), sample.readStat(stat),
              let cgroup = try? FileIO.readString(dir + "/cgroup", limit: 16384) else { return nil }
        sample.cgroup = ProcessCgroup.systemdPath(fromProcCgroup: cgroup)
        return sample
    }

    /// `sysconf(_SC_CLK_TCK)`: the unit of `stat`'s times (100 on Linux).
    public static let ticksPerSecond: UInt64 = {
        let hz = sysconf(Int32(_SC_CLK_TCK))
        return hz > 0 ? UInt64(hz) : 100
    }()
}
