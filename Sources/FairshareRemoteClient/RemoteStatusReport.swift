import FairshareCLI
import FairshareCore
import FairshareRemote

/// What the remote Status carries, in the local `status` wording.
///
/// The remote reply has the account, its allocation (CPUs, memory,
/// tasks), the lease and what the slice uses now; it does not carry the
/// machine's capacity, what is available, the slice's name, GPUs, IO,
/// sharing, disk or logins, so those lines (and JSON fields) are left out
/// rather than guessed.
struct RemoteStatusReport {
    var reply: Fairshare_Remote_V1_StatusReply

    /// The allocation, if the account holds one (`cpu` is empty when not).
    var allocation: ReplyResources? {
        guard !reply.cpu.isEmpty, let cpu = CPUQuantity.parse(reply.cpu) else { return nil }
        // The gateway sends 0 tasks for "no limit".
        let tasks = reply.tasks == 0 ? TaskLimit.infinity : TaskLimit(reply.tasks)
        return ReplyResources(cpu: cpu, mem: ByteSize(bytes: reply.memBytes), tasks: tasks)
    }

    var usage: SliceUsageReply {
        SliceUsageReply(mem: reply.memoryBytesNow, cpuUsec: UInt64((reply.cpuSeconds * 1e6).rounded()))
    }

    /// "Account: …", then the lines of local `status` from "Allocation" on
    /// that the reply has, then "In use now: …".
    var text: String {
        var lines = ["Account: \(reply.user) (uid \(reply.uid))"]
        if let a = allocation {
            lines.append("Allocation: \(Rendering.allocation(a))")
            lines.append("Tasks: at most \(a.tasks)")
            if reply.leaseEnd != 0 { lines.append("Lease: ends \(Rendering.time(reply.leaseEnd))") }
            lines.append("In use now: \(ByteSize(bytes: reply.memoryBytesNow)), \(Double(UInt64(reply.cpuSeconds * 10)) / 10)s CPU so far")
        } else {
            lines.append("Allocation: none ('run' takes the policy's defaults)")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The local `status --json` object's fields that the reply has:
    /// uid, user, allocation, lease_end and usage (mem and cpu_usec; the
    /// usage fields the reply lacks are null, as fairshared sends unknowns).
    var json: JSON {
        let a = allocation
        let o: JSONObject = ["uid": .uint(UInt64(reply.uid)), "user": .string(reply.user),
                             "allocation": a.map(\.json) ?? .null,
                             "lease_end": a != nil && reply.leaseEnd != 0 ? .uint(reply.leaseEnd) : .null,
                             "usage": a != nil ? usage.json : .null]
        return .object(o)
    }
}
