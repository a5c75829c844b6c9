import ArgumentParser
import FairshareCore
import FairshareSystem

struct AdminAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List processes of regular accounts outside both their login slice and their fairshare slice.",
        discussion: """
            Strays: cron and at jobs, services running as a user, su or runuser \
            without a login session, containers. The daemon looks every \
            strays.interval (at most 10 s); this shows its last look. CPU% is \
            the process's CPU use since the look before (since it started, at \
            the first look that finds it), in percent of one CPU; RSS is its \
            resident memory. With 'strays: adopt' the daemon moves them into a \
            scope under the user's login slice (fairshare-policy(5), STRAYS). \
            Needs root, admin_group or reader_group.
            """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try withDaemon(client) { daemon throws(ClientFailure) in
            let result = try daemon.call(.audit, as: StrayAuditReply.self)
            StandardStreams.out(output.json ? result.json.pretty + "\n" : Self.table(result))
        }
    }

    static func table(_ r: StrayAuditReply) -> String {
        var head = "Strays: \(r.mode), every \(TimeSpan(seconds: r.interval))"
        if let at = r.sweptAt {
            head += "; last look \(Rendering.time(at)), \(r.processes) processes"
            if let usec = r.sweepUsec { head += " in \(usec / 1000) ms" }
        } else if r.mode != StrayMode.off.rawValue {
            head += "; no look yet"
        }
        head += ".\n"
        var rows = [["PID", "USER", "UID", "COMMAND", "UNIT", "CPU%", "RSS", "CGROUP"]]
        for s in r.strays {
            rows.append(["\(s.pid)", s.user, "\(s.uid)", s.name, s.unit, s.cpuPercent.map { "\($0)" } ?? "-",
                         "\(ByteSize(bytes: s.rss))", s.cgroup])
        }
        if rows.count == 1 { return head + "No strays.\n" }
        return head + Rendering.table(rows) + (r.more > 0 ? "… and \(r.more) more (--json lists the same first ones).\n" : "")
    }
}
