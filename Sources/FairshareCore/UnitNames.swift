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

    /// The uid of a user slice name (`fairshare-1001.slice` → 1001), nil for
    /// anything else.
    public static func uid(ofSlice name: String) -> UInt32? {
        guard name.hasPrefix(slicePrefix), name.hasSuffix(".slice") else { return nil }
        let middle = name.dropFirst(slicePrefix.count).dropLast(".slice".count)
        guard !middle.isEmpty, middle.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt32(middle)
    }
}
