import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// Turns daemon results into the text people read.
public enum Rendering {
    /// "2026-11-22 23:55" in local time; seconds since the epoch where the
    /// calendar cannot hold them (a lease that never ends is UInt64.max).
    public static func time(_ epoch: UInt64) -> String {
        var parts = tm()
        guard var t = time_t(exactly: epoch), localtime_r(&t, &parts) != nil else { return "\(epoch) s after the epoch" }
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M", &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "0.5 CPUs / 64M"
    public static func allocation(_ r: ReplyResources) -> String {
        "\(r.cpu.withUnit) / \(r.mem)"
    }

    /// "CPUQuota=50%, MemoryMax=64M": the limits as systemd's directives.
    static func limits(_ r: ReplyResources) -> String {
        "CPUQuota=\(r.cpu.percent)%, MemoryMax=\(r.mem)"
    }

    /// The seed's four lines, then the task limit.
    static func status(_ r: StatusReply) -> String {
        var lines = [
            "System: \(r.system.cpu.withUnit) / \(r.system.mem) RAM",
            "Available: \(r.available.cpu.withUnit) / \(r.available.mem)",
            "Your slice: \(r.slice ?? "none")",
        ]
        if let a = r.allocation {
            lines.append("Allocation: \(allocation(a))")
            lines.append("Tasks: at most \(a.tasks)")
            if let end = r.leaseEnd { lines.append("Lease: ends \(time(end))") }
            let extra = devicesAndIO(a)
            if !extra.isEmpty { lines.append(String(extra.dropLast())) }
            if let read = r.usage?.ioRead, let written = r.usage?.ioWrite {
                lines.append("IO so far: \(ByteSize(bytes: read)) read, \(ByteSize(bytes: written)) written")
            }
            if let sharing = r.sharing { lines += self.sharing(sharing) }
        } else {
            lines.append("Allocation: none (run 'fairshare request')")
        }
        if let disk = r.disk { lines.append("Disk: \(self.disk(disk))") }
        if let login = r.login { lines += self.login(login) }
        // Not `joined(separator:)`: its generic form looks conformances up
        // at run time (0.19 M instructions, a fifth of what status adds to
        // a client's start).
        var text = ""
        for line in lines {
            text += line
            text += "\n"
        }
        return text
    }

    /// "Login cap (user-1001.slice): cpu 0.5, mem 128M", "GPUs in logins:
    /// closed (…)", "Logins now: 45M, 12 tasks, 3.2s CPU so far".
    static func login(_ l: LoginReply) -> [String] {
        var lines = ["Login cap (\(l.slice)): \(l.capSummary)\(l.isCapped ? "" : " (systemd's defaults)"); not part of your allocation"]
        if let gpus = l.gpus {
            lines.append("GPUs in logins: \(gpus)" + (gpus == .closed ? " (use a GPU you hold through 'fairshare exec' or 'run')" : ""))
        }
        lines.append("Logins now: \(loginUsage(l.usage))")
        return lines
    }

    /// "45M, 12 tasks, 3.2s CPU so far", or "none running".
    static func loginUsage(_ u: LoginUsageReply?) -> String {
        guard let u else { return "none running" }
        var parts: [String] = []
        if let mem = u.mem { parts.append("\(ByteSize(bytes: mem))") }
        if let tasks = u.tasks { parts.append("\(tasks) tasks") }
        if let cpu = u.cpuUsec { parts.append("\(Double(cpu / 100_000) / 10)s CPU so far") }
        return parts.isEmpty ? "running" : parts.joined(separator: ", ")
    }

    /// "Sharing: lend (guaranteed 1 CPU / 64M, in use 1.98 CPUs / 12M,
    /// burst ceiling 2 CPUs / 1G)" and "Pressure (some avg10): …".
    static func sharing(_ s: SharingReply) -> [String] {
        let inUse = (s.inUseCPU.map(\.withUnit) ?? "-") + " / " + (s.inUseMem.map { "\(ByteSize(bytes: $0))" } ?? "-")
        var line = "Sharing: \(s.mode) (guaranteed \(s.guaranteed.cpu.withUnit) / \(s.guaranteed.mem), in use \(inUse), "
            + "burst ceiling \(s.ceiling.cpu.withUnit) / \(s.ceiling.mem)"
        if let high = s.memoryHigh { line += "; memory reclaimed down to \(ByteSize(bytes: high))" }
        return [line + ")"] + (s.pressure.map { ["Pressure (some avg10): \($0.summary)"] } ?? [])
    }

    /// "GPUs: /dev/nvidia0" and "IO: weight 200, read_bw /dev/vda 50M/s"
    /// lines (each ending in a newline) for what the allocation has.
    static func devicesAndIO(_ a: ReplyResources) -> String {
        var out = ""
        if !a.gpus.isEmpty { out += "GPUs: \(a.gpus.joined(separator: ", "))\n" }
        if !a.io.isEmpty { out += "IO: \(a.io.summary)\n" }
        return out
    }

    /// "12M of 50G on /home (soft 40G), 31 files"
    static func disk(_ d: DiskUsage) -> String {
        var text = "\(ByteSize(bytes: d.bytes))"
        if d.hardBytes != 0 { text += " of \(ByteSize(bytes: d.hardBytes))" }
        text += " on \(d.path)"
        if d.softBytes != 0 { text += " (soft \(ByteSize(bytes: d.softBytes)))" }
        return text + ", \(d.inodes) files"
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func whoami(_ r: WhoamiReply) -> String {
        """
            uid: \(r.uid)
            user: \(r.user)
            groups: \(r.groups.isEmpty ? "(none)" : r.groups.joined(separator: ", "))
            role: \(r.role.rawValue)
            slice: \(r.slice ?? "none")

            """
    }
}
