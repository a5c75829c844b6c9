/// User and group names as Debian's useradd(8) and groupadd(8) accept
/// them: 1 to 32 characters; not starting with '-', '+' or '~'; no ':',
/// ',', '/', whitespace or control characters; not all digits (it would
/// read as a uid or gid).
public enum AccountName {
    public static let maximumLength = 32

    /// Nil when `name` is valid, else why not.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.unicodeScalars.count > maximumLength { return "is longer than \(maximumLength) characters" }
        if let first = name.first, "-+~".contains(first) { return "starts with '\(first)'" }
        if name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return "is all digits (it would read as a numeric id)" }
        for scalar in name.unicodeScalars {
            if scalar == ":" || scalar == "," || scalar == "/" { return "contains '\(scalar)'" }
            if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F { return "contains whitespace or a control character" }
        }
        return nil
    }

    public static func isValid(_ name: String) -> Bool { problem(name) == nil }
}

extension AccountName {
    /// `name`, or a rejection naming `field` (and the character, when one
    /// character is the problem).
    public static func checked(_ name: String, field: String) throws(InputRejection) -> String {
        guard let problem = problem(name) else { return name }
        let position = TextScan.first(in: name) { $0 == ":" || $0 == "," || $0 == "/" || $0.properties.isWhitespace || TextScan.isControl($0) }?.position
        throw InputRejection(field: field, reason: "not a valid user or group name: it \(problem)", position: position)
    }
}
