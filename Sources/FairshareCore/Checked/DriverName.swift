/// A driver name from `/proc/devices` fit for `DeviceAllow=char-NAME`:
/// 1–64 of letters, digits and `/ _ . : + @ -`. systemd matches the name
/// as an fnmatch pattern against /proc/devices and reads the unit file
/// split at white space with `%` specifiers resolved, so a glob
/// character, white space, `%` or a quote could allow other drivers than
/// the one named. A name the kernel lists that fails the check is not
/// written; its nodes found in /dev are allowed by path instead.
public struct DriverName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let string: String

    public init?(_ text: String) {
        guard (1...64).contains(text.unicodeScalars.count), text.unicodeScalars.allSatisfy(Self.isAllowed) else { return nil }
        string = text
    }

    public var description: String { string }
    public static func < (a: DriverName, b: DriverName) -> Bool { a.string < b.string }

    static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "/", "_", ".", ":", "+", "@", "-": true
        default: false
        }
    }
}
