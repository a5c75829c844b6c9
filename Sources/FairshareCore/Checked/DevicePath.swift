/// A device named by path for systemd's IO and device settings: an
/// `AbsolutePath` of letters, digits and `/ _ . : + @ - = ,` only.
/// systemd re-reads these settings split at white space and with quotes
/// and `%` specifiers resolved, so anything else could name another
/// device after a `daemon-reload`. Whether the device exists is the
/// daemon's question (a request for a missing one is refused).
public struct DevicePath: Hashable, Comparable, Sendable, CustomStringConvertible, CheckedLiteral {
    public let path: AbsolutePath

    public init(checking text: String, field: String) throws(InputRejection) {
        let path = try AbsolutePath(checking: text, field: field)
        if let (scalar, position) = TextScan.first(in: text, where: { !Self.isAllowed($0) }) {
            throw InputRejection(field: field,
                                 reason: "'\(scalar.properties.isWhitespace ? TextScan.name(scalar) : String(scalar))' cannot stand in a device path "
                                     + "(letters, digits and / _ . : + @ - = , only)", position: position)
        }
        self.path = path
    }

    public var string: String { path.string }
    public var description: String { path.string }
    public static func < (a: DevicePath, b: DevicePath) -> Bool { a.path < b.path }

    static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "/", "_", ".", ":", "+", "@", "-", "=", ",": true
        default: false
        }
    }
}
