/// When each lease ends on the boot clock (`CLOCK_BOOTTIME` seconds),
/// which only moves forward, so a wall-clock step (NTP, an administrator's
/// `date -s`) neither ends leases early nor keeps them past their time.
/// `state.json` and replies keep the end in epoch seconds, for display and
/// for a restart, where the deadline is worked out again from it.
public struct LeaseDeadlines: Sendable {
    private var byUID: [UInt32: UInt64] = [:]

    public init() {}

    /// A lease of `seconds` granted now.
    public mutating func start(uid: UInt32, seconds: UInt64, bootNow: UInt64) {
        byUID[uid] = bootNow.addingSaturating(seconds)
    }

    public mutating func forget(uid: UInt32) { byUID[uid] = nil }

    /// The deadline kept for `uid`, to restore it when a grant fails.
    public subscript(uid: UInt32) -> UInt64? {
        get { byUID[uid] }
        set { byUID[uid] = newValue }
    }

    /// The deadline of `uid`'s lease ending at `epochEnd`: the one kept
    /// since the grant, or (a lease adopted at start-up) the time left by
    /// the wall clock now, counted on the boot clock from now.
    public mutating func deadline(uid: UInt32, epochEnd: UInt64, wallNow: UInt64, bootNow: UInt64) -> UInt64 {
        if let known = byUID[uid] { return known }
        let left = epochEnd > wallNow ? epochEnd - wallNow : 0
        let deadline = bootNow.addingSaturating(left)
        byUID[uid] = deadline
        return deadline
    }
}
