/// An account named in an administrator's request (`admin revoke USER`):
/// a user name as useradd(8) accepts it, or a uid in digits.
public enum AccountReference: Hashable, Sendable, CustomStringConvertible {
    case name(String)
    case uid(UInt32)

    public init(checking text: String, field: String) throws(InputRejection) {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let uid = UInt32(text) else { throw InputRejection(field: field, reason: "\(text) is not a uid (0 to \(UInt32.max))") }
            self = .uid(uid)
        } else {
            self = .name(try AccountName.checked(text, field: field))
        }
    }

    public var description: String {
        switch self {
        case .name(let name): name
        case .uid(let uid): String(uid)
        }
    }
}
