/// A length of time in whole seconds, written as systemd and people write
/// it: `90s`, `30m`, `2h`, `1d`, combined `1h30m`; a bare number is seconds.
///
/// Range: the whole of UInt64 (`213503982334601d25215s` is the largest);
/// parsing refuses text whose parts or sum do not fit, and a span added to
/// a time saturates (`end(after:)`).
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: UInt64

    public init(seconds: UInt64) { self.seconds = seconds }
    public static func < (a: Self, b: Self) -> Bool { a.seconds < b.seconds }

    public static func parse(_ text: String) -> TimeSpan? {
        var total: UInt64 = 0, number: UInt64 = 0, digits = 0, parts = 0
        for ch in text.utf8 {
            switch ch {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(ch - 48))
                guard !o1, !o2 else { return nil }
                number = s
                digits += 1
            default:
                let unit: UInt64
                switch ch {
                case UInt8(ascii: "s"): unit = 1
                case UInt8(ascii: "m"): unit = 60
                case UInt8(ascii: "h"): unit = 3600
                case UInt8(ascii: "d"): unit = 86400
                default: return nil
                }
                guard digits > 0 else { return nil }
                let (v, o) = number.multipliedReportingOverflow(by: unit)
                let (sum, o2) = total.addingReportingOverflow(v)
                guard !o, !o2 else { return nil }
                total = sum
                number = 0
                digits = 0
                parts += 1
            }
        }
        if digits > 0 {
            guard parts == 0 else { return nil }   // "1h30" is ambiguous
            total = number
        } else if parts == 0 {
            return nil
        }
        return TimeSpan(seconds: total)
    }

    /// The moment this span after `start` (seconds since the epoch) ends;
    /// UInt64.max, which never comes, where that is past the clock's range.
    public func end(after start: UInt64) -> UInt64 { start.addingSaturating(seconds) }

    /// "2h", "1h30m", "90s" → "1m30s"; "0s" for zero.
    public var description: String {
        if seconds == 0 { return "0s" }
        var rest = seconds, out = ""
        for (unit, suffix) in [(UInt64(86400), "d"), (3600, "h"), (60, "m"), (1, "s")] where rest >= unit {
            out += "\(rest / unit)\(suffix)"
            rest %= unit
        }
        return out
    }
}
