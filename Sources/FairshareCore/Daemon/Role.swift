/// What a caller may do (DESIGN.md §5, "Who may do what").
public enum Role: String, Comparable, Sendable {
    /// Not in group `fairshare`: may do nothing.
    case outsider
    /// Member of `fairshare`: own allocation, exec, own jobs.
    case member
    /// Also in `reader_group`: may read everyone's state.
    case reader
    /// Root or also in `admin_group`: may change policy and others' state.
    case admin

    private var rank: Int {
        switch self {
        case .outsider: 0
        case .member: 1
        case .reader: 2
        case .admin: 3
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    /// Root is always admin; everyone else needs `fairshare` first, then
    /// `admin_group` or `reader_group` raise them.
    public static func of(uid: UInt32, groups: Set<UInt32>, fairshareGID: UInt32?, adminGID: UInt32?, readerGID: UInt32?) -> Role {
        if uid == 0 { return .admin }
        guard let fairshareGID, groups.contains(fairshareGID) else { return .outsider }
        if let adminGID, groups.contains(adminGID) { return .admin }
        if let readerGID, groups.contains(readerGID) { return .reader }
        return .member
    }
}
