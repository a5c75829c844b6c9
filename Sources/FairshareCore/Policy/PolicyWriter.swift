/// Writes the daemon's override file (`admin set-*`): the global
/// `defaults:`, `max:` and `login:` and the `users:` and `groups:` entries of
/// `settings`, in a fixed order, every value exact so that reading the
/// file back gives the same values. Other keys are not written: the
/// override file holds limits only.
public enum PolicyWriter {
    public static let header = """
        # Written by fairshared for `fairshare admin set-default` and `set-max`.
        # Use those commands to change it: they validate the whole policy first.
        # Edits by hand are kept, comments are not. See fairshare-policy(5).


        """

    public static func render(_ settings: PolicySettings) -> String {
        var out = header
        block("defaults", settings.global.defaults, indent: "", into: &out)
        block("max", settings.global.max, indent: "", into: &out)
        block("login", settings.global.login, indent: "", into: &out)
        entries("users", settings.users, into: &out)
        entries("groups", settings.groups, into: &out)
        return out
    }

    private static func entries(_ key: String, _ scopes: [String: ScopeLimits], into out: inout String) {
        let names = scopes.keys.sorted().filter { name in
            let scope = scopes[name]!
            return !(scope.defaults.isEmpty && scope.max.isEmpty && scope.login.isEmpty)
        }
        guard !names.isEmpty else { return }
        out += "\(key):\n"
        for name in names {
            out += "  \(quotedIfNeeded(name)):\n"
            block("default", scopes[name]!.defaults, indent: "    ", into: &out)
            block("max", scopes[name]!.max, indent: "    ", into: &out)
            block("login", scopes[name]!.login, indent: "    ", into: &out)
        }
    }

    private static func block(_ key: String, _ limits: ResourceLimits, indent: String, into out: inout String) {
        guard !limits.isEmpty else { return }
        out += "\(indent)\(key):\n"
        if let cpu = limits.cpu { out += "\(indent)  cpu: \(cpu.value.exactDescription)\n" }
        if let mem = limits.mem { out += "\(indent)  mem: \(mem.value.exactDescription)\n" }
        if let tasks = limits.tasks { out += "\(indent)  tasks: \(tasks.value)\n" }
    }

    /// A name as a key: plain when it is plainly a word, else double-quoted.
    static func quotedIfNeeded(_ name: String) -> String {
        func isWordByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
        }
        let plain = name.utf8.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "$") }
        if plain, let first = name.utf8.first, isWordByte(first) { return name }
        var quoted = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
