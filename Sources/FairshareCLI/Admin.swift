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
            'list' and 'show-policy --user' need root, admin_group or reader_group;             'revoke', 'reload', 'set-default' and 'set-max' need root or admin_group;             'check' needs no daemon.
            """,
        subcommands: [AdminList.self, AdminRevoke.self, AdminCheck.self, AdminReload.self, AdminSetDefault.self, AdminSetMax.self,
                      AdminShowPolicy.self])
}

struct AdminList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every allocation with its live usage.",
        discussion: """
            CPU% is the slice's CPU use since the previous 'admin list' (or since \
            the grant), in percent of one CPU; USED and TASKS NOW are current.
            """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try withDaemon(client) { daemon throws(ClientFailure) in
            let result = try Self.everyPage(daemon)
            StandardStreams.out(output.json ? result.pretty + "\n" : Self.table(result))
        }
    }

    /// Asks for page after page until the daemon has no `next`.
    static func everyPage(_ daemon: DaemonClient) throws(ClientFailure) -> JSON {
        var rows: [JSON] = []
        var after: UInt32?
        repeat {
            let page = try daemon.call(.list(after: after), notices: after == nil)
            rows += page["allocations"]?.arrayValue ?? []
            after = page["next"]?.uint64Value.flatMap { UInt32(exactly: $0) }
        } while after != nil
        return ["allocations": .array(rows)]
    }

    static func table(_ r: JSON) -> String {
        var rows = [["USER", "UID", "CPU", "MEM", "TASKS", "GPUS", "CPU%", "USED", "TASKS NOW", "IO R/W", "DISK", "LEASE", "SINCE"]]
        for a in r["allocations"]?.arrayValue ?? [] {
            let u = a["usage"]
            rows.append([
                a["user"]?.stringValue ?? "?", a["uid"]?.uint64Value.map { "\($0)" } ?? "?",
                "\(Rendering.cpu(a["cpu"]))", "\(Rendering.mem(a["mem"]))", Rendering.tasks(a["tasks"]),
                (a["gpus"]?.arrayValue?.compactMap(\.stringValue)).flatMap { $0.isEmpty ? nil : $0.joined(separator: ",") } ?? "-",
                u?["cpu_percent"]?.doubleValue.map { "\($0)" } ?? "-",
                u?["mem"]?.uint64Value.map { "\(ByteSize(bytes: $0))" } ?? "-",
                u?["tasks"]?.uint64Value.map { "\($0)" } ?? "-",
                u?["io_read"]?.uint64Value.map { r in "\(ByteSize(bytes: r))/\(ByteSize(bytes: u?["io_write"]?.uint64Value ?? 0))" } ?? "-",
                a["disk"]?["used"]?.uint64Value.map { "\(ByteSize(bytes: $0))" } ?? "-",
                a["lease"]?.uint64Value.map(Rendering.time) ?? "-",
                a["since"]?.uint64Value.map(Rendering.time) ?? "-",
            ])
        }
        if rows.count == 1 { return "No allocations.\n" }
        return Rendering.table(rows)
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
            StandardStreams.out(output.json ? result.pretty + "\n"
                : "Revoked the allocation of \(result["user"]?.stringValue ?? user); \(result["slice"]?.stringValue ?? "its slice") stopped.\n")
        }
    }
}
