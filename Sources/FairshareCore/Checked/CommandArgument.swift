/// One word of a command line a client asks the daemon to start: anything
/// but NUL (C strings end there, so the program would see less than was
/// sent). Newlines, quotes, `;`, `$` and `%` pass through byte for byte:
/// systemd receives the words as a D-Bus array and quotes them itself.
public struct CommandArgument: Hashable, Sendable, CustomStringConvertible, CheckedLiteral {
    public let string: String

    public init(checking text: String, field: String) throws(InputRejection) {
        if let (_, position) = TextScan.first(in: text, where: { $0.value == 0 }) {
            throw InputRejection(field: field, reason: "U+0000 (NUL) cannot be passed to a program", position: position)
        }
        string = text
    }

    public var description: String { string }
}
