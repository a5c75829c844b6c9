/// An amount of CPU time, kept as systemd keeps `CPUQuotaPerSecUSec`:
/// microseconds of CPU per second of wall time (1 CPU = 1 000 000).
/// Integer arithmetic only, so sums and comparisons are exact.
///
/// Range: the whole of UInt64. systemd reads UInt64.max as "no quota", and
/// an adopted slice or `state.json` may carry any value, so every operation
/// here is defined on all of it: sums and whole-CPU amounts saturate at
/// UInt64.max, differences at zero, and formatting never overflows. Policy
/// files take amounts below `unlimited` (or the word `infinity`).
public struct CPUQuantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let usecPerCPU: UInt64 = 1_000_000

    public var usecPerSecond: UInt64

    public init(usecPerSecond: UInt64) { self.usecPerSecond = usecPerSecond }

    /// Whole CPUs.
    public init(cpus: UInt64) { self.usecPerSecond = cpus.multipliedSaturating(by: Self.usecPerCPU) }

    /// A CFS quota of `quota` µs every `period` µs (cgroup `cpu.max`,
    /// `cpu.cfs_quota_us`), per second: exact, and UInt64.max (no quota)
    /// where that does not fit or the period is 0.
    public init(quota: UInt64, perPeriod period: UInt64) {
        let (high, low) = quota.multipliedFullWidth(by: Self.usecPerCPU)
        // The quotient fits in 64 bits exactly when the high half is below the divisor.
        self.usecPerSecond = high < period ? period.dividingFullWidth((high, low)).quotient : .max
    }

    public static let zero = CPUQuantity(usecPerSecond: 0)

    public static func < (a: Self, b: Self) -> Bool { a.usecPerSecond < b.usecPerSecond }
    /// Saturating addition: at most UInt64.max (infinity).
    public static func + (a: Self, b: Self) -> Self { Self(usecPerSecond: a.usecPerSecond.addingSaturating(b.usecPerSecond)) }
    /// Saturating subtraction: never below zero.
    public static func - (a: Self, b: Self) -> Self { Self(usecPerSecond: a.usecPerSecond.subtractingSaturating(b.usecPerSecond)) }

    /// systemd's `CPUQuota=` percentage (1 CPU = 100%).
    public var percent: UInt64 { usecPerSecond / 10_000 }

    /// "2", "0.5", "1.25": up to two decimals, trailing zeros dropped.
    public var description: String {
        Decimal2.format(hundredths: usecPerSecond / 10_000 + (usecPerSecond % 10_000 >= 5_000 ? 1 : 0))
    }

    /// "0.5 CPUs", "1 CPU", "2 CPUs".
    public var withUnit: String {
        usecPerSecond == Self.usecPerCPU ? "1 CPU" : "\(description) CPUs"
    }

    /// Parses `2`, `0.5`, `1.25`, `150%`. Rejects negatives, zero is allowed
    /// here (callers decide whether zero makes sense).
    public static func parse(_ text: String) -> CPUQuantity? {
        if text.hasSuffix("%") {
            guard let micro = FixedPoint.parse(String(text.dropLast()), scale: 10_000) else { return nil }
            return CPUQuantity(usecPerSecond: micro)
        }
        guard let micro = FixedPoint.parse(text, scale: usecPerCPU) else { return nil }
        return CPUQuantity(usecPerSecond: micro)
    }
}

/// Formats hundredths as a decimal with at most two places.
enum Decimal2 {
    static func format(hundredths: UInt64) -> String {
        let whole = hundredths / 100, frac = hundredths % 100
        if frac == 0 { return "\(whole)" }
        if frac % 10 == 0 { return "\(whole).\(frac / 10)" }
        return frac < 10 ? "\(whole).0\(frac)" : "\(whole).\(frac)"
    }
}

/// Parses an unsigned decimal (`12`, `0.5`, `1.`, `.25`) and multiplies it by
/// `scale` exactly, rejecting more precision than the scale can hold and
/// overflow.
enum FixedPoint {
    static func parse(_ text: String, scale: UInt64) -> UInt64? {
        var whole: UInt64 = 0, frac: UInt64 = 0, fracScale: UInt64 = 1
        var seenDot = false, digits = 0
        for ch in text.utf8 {
            switch ch {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let d = UInt64(ch - UInt8(ascii: "0"))
                digits += 1
                if seenDot {
                    guard fracScale < 1_000_000_000_000 else { return nil }
                    frac = frac * 10 + d
                    fracScale *= 10
                } else {
                    let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(d)
                    guard !o1, !o2 else { return nil }
                    whole = s
                }
            case UInt8(ascii: "."):
                guard !seenDot else { return nil }
                seenDot = true
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let (w, o) = whole.multipliedReportingOverflow(by: scale)
        guard !o else { return nil }
        // The fraction must map onto the scale without loss.
        let scaled = frac.multipliedFullWidth(by: scale)
        let (q, r) = fracScale.dividingFullWidth(scaled)
        guard r == 0 else { return nil }
        let (sum, o3) = w.addingReportingOverflow(q)
        return o3 ? nil : sum
    }
}

extension CPUQuantity {
    /// No CPU limit (`infinity` in a policy's `max:`); large enough to be
    /// above any machine, small enough that sums of it do not overflow.
    public static let unlimited = CPUQuantity(usecPerSecond: UInt64.max / 4)
    public var isUnlimited: Bool { self >= Self.unlimited }

    /// The exact amount as a decimal number of CPUs, up to six places, so
    /// that parsing it gives this value back ("0.333333", "2", "1.5").
    public var exactDescription: String {
        if isUnlimited { return "infinity" }
        let whole = usecPerSecond / Self.usecPerCPU, frac = usecPerSecond % Self.usecPerCPU
        if frac == 0 { return "\(whole)" }
        var digits = String(frac)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
