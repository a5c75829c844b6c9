import FairshareCore
// FoundationEssentials, never Foundation: Foundation would link ICU (~50 MB
// and 1,000 more dynamic relocations) into every command's start-up.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// fairshared's typed replies as the API's messages (contrib/proto): the
/// gateway asks fairshared on behalf of the account and answers with these.
public enum RemoteMessages {
    /// `status ID` (or one row of `jobs`) → Query: the record, the state
    /// systemd reports, and for a running job in `jobs` its usage.
    public static func query(_ r: JobReply) -> Fairshare_Remote_V1_QueryReply {
        var q = Fairshare_Remote_V1_QueryReply()
        let job = r.job
        q.job = job.id
        q.uid = job.uid
        q.user = job.user
        q.name = job.name ?? ""
        q.argv = job.argv.map { Data($0.utf8) }
        q.started = job.started
        switch r.state {
        case .running: q.state = .running
        case .unknown: q.state = .unknown
        case .exited: q.state = .exited
        case .stopped: q.state = .stopped
        }
        if let pid = r.pid { q.pid = pid }
        if let end = job.end {
            if let signal = end.signal { q.signal = signal } else if let status = end.exitStatus { q.exitCode = status }
            q.stopped = end.stopped
            q.ended = end.ended
        }
        if let cpu = r.usage?.cpuUsec { q.cpuUsec = cpu }
        if let mem = r.usage?.mem { q.memBytes = mem }
        return q
    }

    /// Query → the local reply it came from, so `fairshare --remote jobs`
    /// prints what `fairshare jobs` prints. An argument that is not UTF-8
    /// (fairshared never sends one) is shown with replacement characters.
    public static func job(_ q: Fairshare_Remote_V1_QueryReply) -> JobReply {
        var end: JobEnd?
        if q.ended != 0 || q.end != nil {
            var e = JobEnd(exitStatus: nil, signal: nil, stopped: q.stopped, ended: q.ended)
            switch q.end {
            case .exitCode(let code)?: e.exitStatus = code
            case .signal(let signal)?: e.signal = signal
            case nil: break
            }
            end = e
        }
        let job = Job(id: q.job, uid: q.uid, user: q.user, name: q.name.isEmpty ? nil : q.name,
                      argv: q.argv.map { String(decoding: $0, as: UTF8.self) }, started: q.started, end: end)
        let state: JobReply.State = switch q.state {
        case .running: .running
        case .exited: .exited
        case .stopped: .stopped
        case .unknown, .unspecified, .UNRECOGNIZED: .unknown
        }
        let usage = q.hasCpuUsec || q.hasMemBytes ? JobUsage(cpuUsec: q.hasCpuUsec ? q.cpuUsec : nil, mem: q.hasMemBytes ? q.memBytes : nil) : nil
        return JobReply(job: job, unit: job.unit.description, state: state, pid: q.pid == 0 ? nil : q.pid, usage: usage)
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
