import ArgumentParser
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

struct Admin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administer fairshare: allocations and policy.",
        discussion: """
            'list', 'audit' and 'show-policy --user' need root, admin_group or reader_group;             'revoke', 'reload', 'set-default' and 'set-max' need root or admin_group;             'check' needs no daemon.
            """,
        subcommands: [AdminList.self, AdminAudit.self, AdminRevoke.self, AdminCheck.self, AdminReload.self, AdminSetDefault.self, AdminSetMax.self,
                      AdminShowPolicy.self])
}

struct AdminList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every allocation with its live usage.",
        discussion: """
            CPU% is the slice's CPU use since the previous 'admin list' (or since \
            the grant), in percent of one CPU; USED and TASKS NOW are current. \
            LOGIN CAP is the policy's cap on the user's logins (user-UID.slice: \
            CPUs/memory/tasks, '-' where none), LOGIN USED what their logins use \
            now (memory/tasks); login caps are not part of the allocation and do \
            not count against the pool. Users with a login running but no \
            allocation follow in a second table.
            """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try withDaemon(client) { daemon throws(ClientFailure) in
            var logins: [LoginRow] = []
            var result: AllocationListPage = try daemon.everyPage({ .list(after: $0) }, each: { logins += $0.logins })
            result.logins = logins
            StandardStreams.out(output.json ? result.json.pretty + "\n" : Self.table(result))
        }
    }

    static func table(_ r: AllocationListPage) -> String {
        var rows = [["USER", "UID", "CPU", "MEM", "TASKS", "GPUS", "CPU%", "USED", "TASKS NOW", "IO R/W", "DISK", "LOGIN CAP", "LOGIN USED",
                     "LEASE", "SINCE", "PSI CPU", "PSI MEM", "PSI IO"]]
        for a in r.allocations {
            let u = a.usage
            rows.append([
                a.user, "\(a.uid)", "\(a.cpu)", "\(a.mem)", "\(a.tasks)",
                a.gpus.isEmpty ? "-" : a.gpus.joined(separator: ","),
                a.cpuPercent.map { "\($0)" } ?? "-",
                u.mem.map { "\(ByteSize(bytes: $0))" } ?? "-",
                u.tasks.map { "\($0)" } ?? "-",
                u.ioRead.map { r in "\(ByteSize(bytes: r))/\(ByteSize(bytes: u.ioWrite ?? 0))" } ?? "-",
                a.disk.map { "\(ByteSize(bytes: $0.bytes))" } ?? "-",
                a.login.map(Self.loginCap) ?? "-", a.login.map(Self.loginUsed) ?? "-",
                a.lease.map(Rendering.time) ?? "-",
                Rendering.time(a.since),
                SlicePressure.format(a.pressure?.cpu), SlicePressure.format(a.pressure?.memory), SlicePressure.format(a.pressure?.io),
            ])
        }
        var out = rows.count == 1 ? "No allocations.\n" : Rendering.table(rows)
        if !r.logins.isEmpty {
            var logins = [["USER", "UID", "LOGIN CAP", "GPUS IN LOGINS", "USED", "TASKS NOW", "CPU TIME"]]
            for l in r.logins {
                let u = l.login.usage
                logins.append([l.user, "\(l.uid)", loginCap(l.login), l.login.gpus?.rawValue ?? "-",
                               u?.mem.map { "\(ByteSize(bytes: $0))" } ?? "-", u?.tasks.map { "\($0)" } ?? "-",
                               u?.cpuUsec.map { "\(Double($0 / 100_000) / 10)s" } ?? "-"])
            }
            out += "\nLogins without an allocation:\n" + Rendering.table(logins)
        }
        return out
    }

    /// "0.5/128M/100": the login cap's CPUs, memory and tasks, "-" where none.
    static func loginCap(_ l: LoginReply) -> String {
        guard l.isCapped else { return "-" }
        return [l.cpu.map { "\($0)" }, l.mem.map { "\($0)" }, l.tasks.map { "\($0)" }].map { $0 ?? "-" }.joined(separator: "/")
    }

    /// "45M/12": what the logins use now, "-" when none runs.
    static func loginUsed(_ l: LoginReply) -> String {
        guard let u = l.usage else { return "-" }
        return "\(u.mem.map { "\(ByteSize(bytes: $0))" } ?? "-")/\(u.tasks.map { "\($0)" } ?? "-")"
    }
}

struct AdminRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Stop a user's slice and everything in it, and take the allocation back.",
        discussion: "The user's next fairshare command tells them why.")

    @Argument(help: ArgumentHelp("The user, by name or uid.", valueName: "user"))
    var user: String

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { _ = try checkedUser() }

    private func checkedUser() throws(ValidationError) -> AccountReference {
        do {
            return try AccountReference(checking: user, field: "user")
        } catch {
            throw ValidationError("invalid user '\(user)': \(error.reason)")
        }
    }

    func run() throws {
        let target = try checkedUser()
        try withDaemon(client) { daemon throws(ClientFailure) in
            let result = try daemon.call(.revoke(user: target))
            let reply = try RevokeReply.read(result)
            StandardStreams.out(output.json ? result.pretty + "\n" : "Revoked the allocation of \(reply.user); \(reply.slice) stopped.\n")
        }
    }
}
