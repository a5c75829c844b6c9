import FairshareCore
import Foundation

/// fairshared's typed replies as the API's messages (contrib/proto): the
/// gateway asks fairshared on behalf of the account and answers with these.
public enum RemoteMessages {
    /// `status ID` → Query. A job stopped by `fairshare stop` ended by its
    /// signal; one whose state systemd did not report counts as running
    /// (it has not ended as far as fairshared knows).
    public static func query(_ r: JobReply) -> Fairshare_Remote_V1_QueryReply {
        var q = Fairshare_Remote_V1_QueryReply()
        q.job = r.job.id
        switch r.state {
        case .running, .unknown:
            q.state = .running
            if let pid = r.pid { q.pid = pid }
        case .exited, .stopped:
            q.state = .exited
            if let end = r.job.end {
                if let signal = end.signal { q.signal = signal } else if let status = end.exitStatus { q.exitCode = status }
            }
        }
        return q
    }

    /// `status` → Status: the grant and what the slice uses now.
    public static func status(_ r: StatusReply) -> Fairshare_Remote_V1_StatusReply {
        var s = Fairshare_Remote_V1_StatusReply()
        s.user = r.user
        s.uid = r.uid
        if let a = r.allocation {
            s.cpu = a.cpu.exactDescription
            s.memBytes = a.mem.bytes
            s.tasks = a.tasks.isInfinite ? 0 : a.tasks.count
        }
        if let lease = r.leaseEnd { s.leaseEnd = lease }
        if let usage = r.usage {
            if let cpu = usage.cpuUsec { s.cpuSeconds = Double(cpu) / 1e6 }
            if let mem = usage.mem { s.memoryBytesNow = mem }
        }
        return s
    }

    /// One `logs` reply → one Stream chunk (nil when it brought no bytes).
    public static func chunk(_ r: LogsReply, from offset: UInt64) -> Fairshare_Remote_V1_OutputChunk? {
        guard !r.data.isEmpty else { return nil }
        var c = Fairshare_Remote_V1_OutputChunk()
        c.offset = offset
        c.data = Data(r.data)
        return c
    }
}
