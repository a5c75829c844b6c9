import ArgumentParser
import FairshareCore
import FairshareSystem

struct AdminShowPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-policy",
        abstract: "Show the effective policy for a user, and the file each value came from.",
        discussion: """
            Without --user, your own. Another user's needs root, admin_group or \
            reader_group. 'built-in' marks values no file sets.
            """)

    @Option(help: ArgumentHelp("Whose policy.", valueName: "user"))
    var user: String?

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try show(.showPolicy(user: user), client, output, render: PolicyRendering.effective)
    }
}

/// Policy results as text.
enum PolicyRendering {
    /// `show-policy`: one line per value with its origin.
    static func effective(_ r: PolicyShowReply) -> String {
        var rows: [[String]] = [["KEY", "VALUE", "FROM"]]
        for (block, limits) in [("defaults", r.defaults), ("max", r.max)] {
            for (key, v) in limits.entries { rows.append(["\(block).\(key)", v.value, v.origin]) }
        }
        for setting in r.settings { rows.append([setting.key, setting.value.value, setting.value.origin]) }
        var out = "Policy for \(r.user)" + (r.groups.isEmpty ? "" : " (group entries: \(r.groups.joined(separator: ", ")))") + "\n"
        out += Rendering.table(rows)
        out += "Files, in order: " + (r.files.isEmpty ? "(none)" : r.files.joined(separator: ", ")) + "\n"
        if !r.capacity.isEmpty {
            out += "\nUsers in a row, each with a plain first request, on this machine:\n"
            out += r.capacity.map { "  \($0)\n" }.joined()
        }
        return out
    }

    /// After `reload` or `set-*`: what is in force and what was lowered.
    static func applied(_ r: PolicyAppliedReply) -> String {
        let files = r.files.count
        var out = "Policy reloaded from \(files) file\(files == 1 ? "" : "s").\n"
        for w in r.warnings { StandardStreams.err(w.text + "\n") }
        for c in r.clamped {
            let from = Rendering.allocation(c.from), to = Rendering.allocation(c.to)
            if let error = c.error {
                out += "Could not lower \(c.user) from \(from) to \(to): \(error)\n"
            } else {
                out += "Lowered \(c.user) from \(from) to \(to) (new max).\n"
            }
        }
        return out
    }
}
