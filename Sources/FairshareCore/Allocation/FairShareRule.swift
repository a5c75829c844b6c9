/// The fairdist admission bound (DESIGN.md §6; dbus-broker's acct.rs,
/// r-fairdist, dvdhrm.github.io/fairdist-v1).
///
/// A user holding `share` who asks for a new total `total = share + charge`,
/// with `remaining` unheld in the pool and `n` holders counting the
/// requester, is granted iff
///
///     A(n) · total − share ≤ remaining
///
/// i.e. `total ≤ (remaining + share) / A(n)`: nobody takes more than a
/// 1/A(n) part of what is left plus what they already hold, so a newcomer
/// always finds room. Checked in integers, without division.
public enum FairShareRule: String, Sendable, CaseIterable {
    /// A(n) = n + 1. Guarantee: with greedy predecessors the n-th holder can
    /// still get at least `pool / (n · (n + 1))` (order 1/n²).
    case polynomial
    /// A(n) = (n + 1)·⌈log₂(n + 1)⌉ + (n + 1). Guarantee: order
    /// 1/(n·log²n) of the pool for the n-th holder; built for hostile clients.
    case quasilinear
    /// No bound beyond capacity and the user's max.
    case none

    /// The divisor A(n); nil for `.none`.
    public func divisor(holders n: Int) -> UInt64? {
        let n1 = UInt64(max(n, 1)) + 1
        switch self {
        case .polynomial: return n1
        case .quasilinear: return n1.multipliedSaturating(by: Self.ceilLog2(n1)).addingSaturating(n1)
        case .none: return nil
        }
    }

    /// ⌈log₂ x⌉ for x ≥ 1.
    static func ceilLog2(_ x: UInt64) -> UInt64 {
        x <= 1 ? 0 : UInt64(64 - (x - 1).leadingZeroBitCount)
    }

    /// Whether `total` (the user's new holding) is admissible.
    public func admits(total: UInt64, share: UInt64, remaining: UInt64, holders n: Int) -> Bool {
        if total <= share { return true }   // shrinking only gives back
        guard let a = divisor(holders: n) else { return true }
        let (product, overflow) = a.multipliedReportingOverflow(by: total)
        if overflow { return false }
        return product <= share || product - share <= remaining
    }

    /// The largest total the user could hold now: ⌊(remaining + share) / A(n)⌋,
    /// never less than what they hold. The sum saturates at UInt64.max (a
    /// pool that large is systemd's infinity), which only lowers the bound.
    public func largestTotal(share: UInt64, remaining: UInt64, holders n: Int) -> UInt64 {
        guard let a = divisor(holders: n) else { return share.addingSaturating(remaining) }
        return max(share, remaining.addingSaturating(share) / a)
    }
}
