/// A systemd unit name. fairshare's own are built by `UnitNames` from
/// numbers and checked parts; a name read back from systemd goes through
/// `init(checking:)` (systemd's rules: 1 to 255 of `A-Z a-z 0-9 : _ . - @ \`,
/// with a type suffix).
public struct UnitName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maxLength = 255

    public let string: String

    /// Only `UnitNames` builds names from parts it has checked.
    init(composedOfCheckedParts text: String) { string = text }

    public init(checking text: String, field: String) throws(InputRejection) {
        if text.isEmpty || text.utf8.count > Self.maxLength {
            throw InputRejection(field: field, reason: "a unit name has 1 to \(Self.maxLength) characters")
        }
        if let (scalar, position) = TextScan.first(in: text, where: { !Self.isAllowed($0) }) {
            throw InputRejection(field: field, reason: "\(TextScan.name(scalar)) cannot stand in a unit name", position: position)
        }
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
            throw InputRejection(field: field, reason: "a unit name ends in a type such as .slice or .service")
        }
        string = text
    }

    public var description: String { string }
    public static func < (a: UnitName, b: UnitName) -> Bool { a.string < b.string }

    static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", ":", "_", ".", "-", "@", "\\": true
        default: false
        }
    }
}
