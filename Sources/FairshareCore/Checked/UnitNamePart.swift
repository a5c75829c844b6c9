/// The part of a unit name a user chooses (`fairshare exec --name`,
/// `fairshare run --name`): 1 to 64 of `A-Z a-z 0-9 _ . -`, not all
/// digits (those name pid scopes).
public struct UnitNamePart: Hashable, Sendable, CustomStringConvertible, CheckedLiteral {
    public static let maxLength = 64

    public let string: String

    public init(checking text: String, field: String = "name") throws(InputRejection) {
        if text.isEmpty || text.utf8.count > Self.maxLength {
            throw InputRejection(field: field, reason: "a name has 1 to \(Self.maxLength) characters")
        }
        if let (scalar, position) = TextScan.first(in: text, where: { !Self.isAllowed($0) }) {
            let shown = TextScan.isControl(scalar) || scalar.properties.isWhitespace ? TextScan.name(scalar) : "'\(scalar)'"
            throw InputRejection(field: field, reason: "\(shown) is not allowed; a name may hold only letters, digits, '_', '.' and '-'",
                                 position: position)
        }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw InputRejection(field: field, reason: "a name may not be all digits")
        }
        string = text
    }

    public var description: String { string }

    static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": true
        default: false
        }
    }
}
