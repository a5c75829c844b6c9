/// Where systemd keeps a process, from the text of `/proc/PID/cgroup`:
/// the `name=systemd` hierarchy on cgroup v1 and hybrid layouts (systemd's
/// own tracking, which the unified mirror follows), else the single v2
/// line `0::PATH`.
public enum ProcessCgroup {
    /// The path below the cgroup root (`/system.slice/cron.service`), nil
    /// when the text has neither line.
    public static func systemdPath(fromProcCgroup text: String) -> String? {
        var unified: String?
        for line in text.split(separator: "\n") {
            // "ID:CONTROLLERS:PATH"; PATH may itself hold ':'.
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].hasPrefix("/") else { continue }
            if parts[1] == "name=systemd" { return String(parts[2]) }
            if parts[0] == "0", parts[1].isEmpty { unified = String(parts[2]) }
        }
        return unified
    }

    /// The systemd units a cgroup path names, outermost first
    /// (`/system.slice/cron.service` → system.slice, cron.service); the
    /// directories of a delegated subtree that are not units are left out.
    public static func units(inPath path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { name in
            Self.unitSuffixes.contains { name.hasSuffix($0) && name.count > $0.count }
        }
    }

    static let unitSuffixes = [".slice", ".scope", ".service", ".socket", ".mount", ".swap"]
}
