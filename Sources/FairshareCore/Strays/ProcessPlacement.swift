/// Where a process of a regular account sits, as the stray sweep sees it
/// (fairshare-policy(5), STRAYS).
public enum ProcessPlacement: Equatable, Sendable {
    /// Not the policy's to judge: root, an account outside
    /// `min_uid`..`max_uid`, a process whose real, effective and saved uids
    /// differ (a setuid program), a zombie.
    case exempt
    /// In its own `user-UID.slice`: under the login cap.
    case login
    /// In its own `fairshare-UID.slice`: under its allocation.
    case allocation
    /// In a unit the policy's `strays.ignore` names.
    case ignored(unit: String)
    /// Anywhere else: a stray. `unit` is the innermost unit of its cgroup
    /// (`cron.service`, `-.slice` for the root).
    case stray(unit: String)

    /// Classifies a process of real uid `uid` (`entirely`: its effective
    /// and saved uids are the same) in cgroup `path`.
    public static func classify(uid: UInt32, entirely: Bool, zombie: Bool, cgroup path: String,
                                uids: ClosedRange<UInt32>?, ignore: [UnitGlob]) -> ProcessPlacement {
        guard uid != 0, let uids, uids.contains(uid), entirely, !zombie else { return .exempt }
        if path == "/user.slice/user-\(uid).slice" || path.hasPrefix("/user.slice/user-\(uid).slice/") { return .login }
        let own = "/\(UnitNames.root)/\(UnitNames.slice(uid: uid))"
        if path == own || path.hasPrefix(own + "/") { return .allocation }
        let units = ProcessCgroup.units(inPath: path)
        if let hit = units.first(where: { unit in ignore.contains { $0.matches(unit) } }) { return .ignored(unit: hit) }
        return .stray(unit: units.last ?? "-.slice")
    }
}
