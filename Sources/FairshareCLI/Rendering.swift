import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// Turns daemon results into the text people read.
enum Rendering {
    static func cpu(_ json: JSON?) -> CPUQuantity {
        CPUQuantity(usecPerSecond: UInt64(saturating: ((json?.doubleValue ?? 0) * 1e6).rounded()))
    }

    static func mem(_ json: JSON?) -> ByteSize { ByteSize(bytes: json?.uint64Value ?? 0) }

    /// "2026-11-22 23:55" in local time; seconds since the epoch where the
    /// calendar cannot hold them (a lease that never ends is UInt64.max).
    static func time(_ epoch: UInt64) -> String {
        var parts = tm()
        guard var t = time_t(exactly: epoch), localtime_r(&t, &parts) != nil else { return "\(epoch) s after the epoch" }
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M", &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func tasks(_ json: JSON?) -> String {
        json?.stringValue ?? json?.uint64Value.map { "\($0)" } ?? "?"
    }

    /// "0.5 CPUs / 64M"
    static func allocation(_ json: JSON) -> String {
        "\(cpu(json["cpu"]).withUnit) / \(mem(json["mem"]))"
    }

    /// "CPUQuota=50%, MemoryMax=64M": the limits as systemd's directives.
    static func limits(_ json: JSON) -> String {
        "CPUQuota=\(cpu(json["cpu"]).percent)%, MemoryMax=\(mem(json["mem"]))"
    }

    /// The seed's four lines, then the task limit.
    static func status(_ r: JSON) -> String {
        var lines = [
            "System: \(cpu(r["system"]?["cpu"]).withUnit) / \(mem(r["system"]?["mem"])) RAM",
            "Available: \(cpu(r["available"]?["cpu"]).withUnit) / \(mem(r["available"]?["mem"]))",
            "Your slice: \(r["slice"]?.stringValue ?? "none")",
        ]
        if let a = r["allocation"], a != .null {
            lines.append("Allocation: \(allocation(a))")
            lines.append("Tasks: at most \(tasks(a["tasks"]))")
            if let end = r["lease_end"]?.uint64Value { lines.append("Lease: ends \(time(end))") }
            let extra = devicesAndIO(a)
            if !extra.isEmpty { lines.append(String(extra.dropLast())) }
            if let u = r["usage"], let read = u["io_read"]?.uint64Value, let written = u["io_write"]?.uint64Value {
                lines.append("IO so far: \(ByteSize(bytes: read)) read, \(ByteSize(bytes: written)) written")
            }
        } else {
            lines.append("Allocation: none (run 'fairshare request')")
        }
        if let disk = r["disk"], disk != .null { lines.append("Disk: \(self.disk(disk))") }
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

    /// "GPUs: /dev/nvidia0" and "IO: weight 200, read_bw /dev/vda 50M/s"
    /// lines (each ending in a newline) for what the allocation has.
    static func devicesAndIO(_ a: JSON) -> String {
        var out = ""
        if let gpus = a["gpus"]?.arrayValue?.compactMap(\.stringValue), !gpus.isEmpty {
            out += "GPUs: \(gpus.joined(separator: ", "))\n"
        }
        if let io = a["io"], case .success(let limits) = IOLimits.decode(io), !limits.isEmpty {
            out += "IO: \(limits.summary)\n"
        }
        return out
    }

    /// "12M of 50G on /home (soft 40G), 31 files"
    static func disk(_ d: JSON) -> String {
        var text = "\(mem(d["used"]))"
        if let hard = d["hard"]?.uint64Value { text += " of \(ByteSize(bytes: hard))" }
        text += " on \(d["path"]?.stringValue ?? "?")"
        if let soft = d["soft"]?.uint64Value { text += " (soft \(ByteSize(bytes: soft)))" }
        return text + ", \(d["inodes"]?.uint64Value ?? 0) files"
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func whoami(_ r: JSON) -> String {
        let groups = r["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return """
            uid: \(r["uid"]?.uint64Value.map { "\($0)" } ?? "?")
            user: \(r["user"]?.stringValue ?? "?")
            groups: \(groups.isEmpty ? "(none)" : groups.joined(separator: ", "))
            role: \(r["role"]?.stringValue ?? "?")
            slice: \(r["slice"]?.stringValue ?? "none")

            """
    }
}
