/// Arithmetic for quantities read from outside the daemon (policy files,
/// `state.json`, systemd properties, requests): it clamps at UInt64's ends
/// instead of trapping. systemd itself reads UInt64.max as "infinity" for
/// `MemoryMax=`, `TasksMax=` and `CPUQuotaPerSecUSec=`, so a sum or product
/// that would pass it means "no limit" too. The one place such arithmetic
/// is written; the quantity types and the admission rule use it.
extension UInt64 {
    /// `self + other`, or UInt64.max where that overflows.
    public func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// `self − other`, or 0 where that would go below zero.
    public func subtractingSaturating(_ other: UInt64) -> UInt64 {
        self > other ? self - other : 0
    }

    /// `self × other`, or UInt64.max where that overflows.
    public func multipliedSaturating(by other: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }

    /// `value` rounded down, 0 for negatives and NaN, UInt64.max at and
    /// above 2^64 (where `UInt64(value)` would trap).
    public init(saturating value: Double) {
        if value.isNaN || value <= 0 { self = 0 }
        else if value >= 18_446_744_073_709_551_616.0 { self = .max }
        else { self = UInt64(value.rounded(.down)) }
    }
}
