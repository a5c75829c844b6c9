/// A size in bytes, parsed and printed the way systemd does: suffixes
/// K, M, G, T (also KiB… and KB…) are powers of 1024.
///
/// Range: the whole of UInt64, where UInt64.max is systemd's `infinity`
/// (`MemoryMax=infinity` on an adopted slice, `max: {mem: infinity}`).
/// Sums saturate at it, differences at zero, and it prints as `infinity`;
/// parsing refuses what does not fit instead of wrapping.
public struct ByteSize: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bytes: UInt64

    public init(bytes: UInt64) { self.bytes = bytes }
    public static func mebibytes(_ n: UInt64) -> ByteSize { ByteSize(bytes: n.multipliedSaturating(by: 1 << 20)) }
    public static func gibibytes(_ n: UInt64) -> ByteSize { ByteSize(bytes: n.multipliedSaturating(by: 1 << 30)) }
    public static let zero = ByteSize(bytes: 0)

    public static func < (a: Self, b: Self) -> Bool { a.bytes < b.bytes }
    /// Saturating addition: at most UInt64.max (infinity).
    public static func + (a: Self, b: Self) -> Self { Self(bytes: a.bytes.addingSaturating(b.bytes)) }
    /// Saturating subtraction: never below zero.
    public static func - (a: Self, b: Self) -> Self { Self(bytes: a.bytes.subtractingSaturating(b.bytes)) }

    private static let units: [(suffix: String, shift: UInt64)] = [("T", 40), ("G", 30), ("M", 20), ("K", 10)]

    /// "1.5G", "256M", "512" (bytes): the largest unit that gives at least 1,
    /// one decimal, ".0" dropped; "infinity" for UInt64.max.
    public var description: String {
        if isUnlimited { return "infinity" }
        for (suffix, shift) in Self.units where bytes >= (1 << shift) {
            // Whole units and the rounded tenths of the rest, apart: the
            // rest times ten stays below 2^44, the whole below 2^24 × 10.
            let rest = bytes & ((1 << shift) - 1)
            let tenths = (bytes >> shift) * 10 + (rest * 10 + (1 << shift) / 2) >> shift
            if tenths % 10 == 0 { return "\(tenths / 10)\(suffix)" }
            return "\(tenths / 10).\(tenths % 10)\(suffix)"
        }
        return "\(bytes)"
    }

    /// Parses `512M`, `8G`, `1.5G`, `8GiB`, `64KB`, `1048576` (bytes).
    public static func parse(_ text: String) -> ByteSize? {
        var number = Substring(text)
        var shift: UInt64 = 0
        for suffix in ["iB", "B"] where number.hasSuffix(suffix) && number.count > suffix.count {
            let before = number.dropLast(suffix.count)
            if let last = before.last, "KMGTkmgt".contains(last) { number = before; break }
        }
        if let last = number.last, let unit = Self.units.first(where: { $0.suffix == String(last).uppercased() }) {
            shift = unit.shift
            number = number.dropLast()
        }
        // A whole number: exact over all of UInt64 (the fixed point below
        // holds only up to 2^44 units).
        if !number.isEmpty, number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = UInt64(number) {
            let (b, o) = n.multipliedReportingOverflow(by: 1 << shift)
            return o ? nil : ByteSize(bytes: b)
        }
        guard let value = FixedPoint.parse(String(number), scale: 1 << 20) else { return nil }
        // value is the number times 2^20; bring it to bytes (rounding down, as systemd does).
        if shift >= 20 {
            let (b, o) = value.multipliedReportingOverflow(by: 1 << (shift - 20))
            return o ? nil : ByteSize(bytes: b)
        }
        return ByteSize(bytes: value >> (20 - shift))
    }
}

extension ByteSize {
    /// No memory limit (`infinity`).
    public static let unlimited = ByteSize(bytes: UInt64.max)
    public var isUnlimited: Bool { bytes == UInt64.max }

    /// The exact size in the largest unit that divides it ("1536M",
    /// "8G", "1000"), so that parsing it gives this value back.
    public var exactDescription: String {
        if isUnlimited { return "infinity" }
        for (suffix, shift) in Self.exactUnits where bytes != 0 && bytes & ((1 << shift) - 1) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        return "\(bytes)"
    }

    private static let exactUnits: [(String, UInt64)] = [("T", 40), ("G", 30), ("M", 20), ("K", 10)]
}
