/// The names fairshare gives systemd units (DESIGN.md §3). Slices derive
/// their parent from the dashed name, so every user slice sits below
/// `fairshare.slice`. Every name is composed of numbers and checked parts
/// only.
public enum UnitNames {
    public static let root = UnitName(composedOfCheckedParts: "fairshare.slice")
    public static let slicePrefix = "fairshare-"

    public static func slice(uid: UInt32) -> UnitName { UnitName(composedOfCheckedParts: "fairshare-\(uid).slice") }
    /// A user slice's cgroup, below systemd's root: systemd derives it from
    /// the dashed name (`fairshare-1001.slice` sits in `fairshare.slice`).
    public static func controlGroup(ofSlice slice: UnitName) -> String { "/\(root)/\(slice)" }
    public static func execScope(uid: UInt32, pid: Int32) -> UnitName { UnitName(composedOfCheckedParts: "fairshare-\(uid)-exec-\(pid).scope") }
    /// `fairshare exec --name NAME`.
    public static func execScope(uid: UInt32, name: UnitNamePart) -> UnitName {
        UnitName(composedOfCheckedParts: "fairshare-\(uid)-exec-\(name.string).scope")
    }
    public static func jobService(uid: UInt32, job: UInt64) -> UnitName { UnitName(composedOfCheckedParts: "fairshare-\(uid)-job-\(job).service") }

    /// The owner and id in a job's service name
    /// (`fairshare-1001-job-7.service` → 1001, 7), nil for anything else.
    public static func job(ofService name: String) -> (uid: UInt32, id: UInt64)? {
        guard name.hasPrefix(slicePrefix), name.hasSuffix(".service") else { return nil }
        let parts = name.dropFirst(slicePrefix.count).dropLast(".service".count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "job", let uid = decimal(parts[0]).flatMap(UInt32.init(exactly:)),
              let id = decimal(parts[2]) else { return nil }
        return (uid, id)
    }

    /// The uid of a user slice name (`fairshare-1001.slice` → 1001), nil for
    /// anything else.
    public static func uid(ofSlice name: String) -> UInt32? {
        guard name.hasPrefix(slicePrefix), name.hasSuffix(".slice") else { return nil }
        let middle = name.dropFirst(slicePrefix.count).dropLast(".slice".count)
        return decimal(middle).flatMap(UInt32.init(exactly:))
    }

    /// Plain decimal digits only (no sign, no spaces), within UInt64.
    private static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt64(text)
    }
}

extension UnitNames {
    /// logind's slice of one account: `user-1001.slice` (in `user.slice`).
    public static func loginSlice(uid: UInt32) -> UnitName { UnitName(composedOfCheckedParts: "user-\(uid).slice") }
    /// The scope a stray process of `uid` is adopted into, named after the
    /// lowest pid moved: `fairshare-stray-1001-4242.scope`. The one kind of
    /// unit fairshare creates outside `fairshare.slice`.
    public static func strayScope(uid: UInt32, pid: Int32) -> UnitName {
        UnitName(composedOfCheckedParts: "fairshare-stray-\(uid)-\(pid).scope")
    }
    /// An empty slice inside `user-UID.slice`, started and stopped at once
    /// after a `daemon-reload` so that systemd writes the login slice's
    /// re-read settings into its cgroup (`LiveSliceSettling`):
    /// `user-1001-fairshare\x2dsettle.slice` (`\x2d` is a dash that adds no
    /// level to the slice hierarchy).
    public static func settleSlice(uid: UInt32) -> UnitName {
        UnitName(composedOfCheckedParts: "user-\(uid)-fairshare\\x2dsettle.slice")
    }
}
