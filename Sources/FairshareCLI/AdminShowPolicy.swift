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
    static func effective(_ r: JSON) -> String {
        var rows: [[String]] = [["KEY", "VALUE", "FROM"]]
        for block in ["defaults", "max"] {
            for key in ["cpu", "mem", "tasks", "io", "gpus"] {
                let v = r[block]?[key]
                rows.append(["\(block).\(key)", v?["value"]?.stringValue ?? "?", v?["origin"]?.stringValue ?? "?"])
            }
        }
        for e in r["settings"]?.objectValue?.entries ?? [] {
            rows.append([e.key, e.value["value"]?.stringValue ?? "?", e.value["origin"]?.stringValue ?? "?"])
        }
        let groups = r["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var out = "Policy for \(r["user"]?.stringValue ?? "?")"
            + (groups.isEmpty ? "" : " (group entries: \(groups.joined(separator: ", ")))") + "\n"
        out += Rendering.table(rows)
        let files = r["files"]?.arrayValue?.compactMap(\.stringValue) ?? []
        out += "Files, in order: " + (files.isEmpty ? "(none)" : files.joined(separator: ", ")) + "\n"
        return out
    }

    /// After `reload` or `set-*`: what is in force and what was lowered.
    static func applied(_ r: JSON) -> String {
        let files = r["files"]?.arrayValue?.count ?? 0
        var out = "Policy reloaded from \(files) file\(files == 1 ? "" : "s").\n"
        for w in r["warnings"]?.arrayValue ?? [] {
            StandardStreams.err((w["text"]?.stringValue ?? "") + "\n")
        }
        for c in r["clamped"]?.arrayValue ?? [] {
            let user = c["user"]?.stringValue ?? "?"
            let from = c["from"].map(Rendering.allocation) ?? "?", to = c["to"].map(Rendering.allocation) ?? "?"
            if let error = c["error"]?.stringValue {
                out += "Could not lower \(user) from \(from) to \(to): \(error)\n"
            } else {
                out += "Lowered \(user) from \(from) to \(to) (new max).\n"
            }
        }
        return out
    }
}
