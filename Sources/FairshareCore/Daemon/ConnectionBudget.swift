/// Whether the daemon takes one more connection (fairshared(8), LIMITS):
/// each user at most `perUser` (root exempt), everyone together at most
/// `total`, and `reserved` slots past that kept for root and admin_group so
/// an administrator can always get in to see and fix what is going on.
public struct ConnectionBudget: Equatable, Sendable {
    public var total: Int
    public var perUser: Int
    public var reserved: Int

    public init(total: Int, perUser: Int, reserved: Int) {
        self.total = total
        self.perUser = perUser
        self.reserved = reserved
    }

    /// Why a connection is not taken.
    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        /// The user holds `perUser` connections already.
        case userLimit(Int)
        /// Everyone together holds `total` (members) or `total + reserved`
        /// (root and admin_group) connections.
        case full(Int)

        /// For the journal: which limit, by its policy key.
        public var description: String {
            switch self {
            case .userLimit(let n): "the user holds \(n) connections, the most one user may (daemon.connections_per_user)"
            case .full(let n): "\(n) connections are open, the most the daemon takes (daemon.connections)"
            }
        }
    }

    /// Why a new connection of `uid` with `role` is refused, or nil when it
    /// is taken, given how many that user and everyone hold now (the new
    /// one not counted).
    public func refusal(uid: UInt32, role: Role, userConnections: Int, allConnections: Int) -> Refusal? {
        if uid != 0 && userConnections >= perUser { return .userLimit(perUser) }
        let (withReserve, overflow) = total.addingReportingOverflow(reserved)
        let ceiling = role >= .admin ? (overflow ? .max : withReserve) : total
        if allConnections >= ceiling { return .full(ceiling) }
        return nil
    }
}
