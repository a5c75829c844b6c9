/// An absolute, normalised file system path from outside, safe to hand to
/// systemd as a unit setting: starts with `/`; no empty, `.` or `..`
/// component (a path that has them is refused, never rewritten); no
/// control characters; at most `maxBytes` bytes. Only `init(checking:)`
/// builds one.
public struct AbsolutePath: Hashable, Comparable, Sendable, CustomStringConvertible, CheckedLiteral {
    /// PATH_MAX less the terminating NUL.
    public static let maxBytes = 4095

    public let string: String

    public init(checking text: String, field: String) throws(InputRejection) {
        try Self.check(text, field: field)
        string = text
    }

    public var description: String { string }

    public static func < (a: AbsolutePath, b: AbsolutePath) -> Bool { a.string < b.string }

    /// The path with `component` appended (`component` holds no `/`).
    public func appending(_ component: String, field: String) throws(InputRejection) -> AbsolutePath {
        try AbsolutePath(checking: string == "/" ? "/" + component : string + "/" + component, field: field)
    }

    static func check(_ text: String, field: String) throws(InputRejection) {
        guard text.hasPrefix("/") else {
            throw InputRejection(field: field, reason: text.isEmpty ? "a path is needed" : "the path must be absolute (start with '/')",
                                 position: text.isEmpty ? nil : 1)
        }
        if text.utf8.count > maxBytes {
            throw InputRejection(field: field, reason: "the path is longer than \(maxBytes) bytes (PATH_MAX)")
        }
        try TextScan.rejectControls(text, field: field, what: "a path")
        guard text != "/" else { return }
        // Components with the position of their first character.
        var position = 1
        for component in text.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            position += 1
            let word = String(String.UnicodeScalarView(component))
            if word.isEmpty {
                throw InputRejection(field: field, reason: position > text.unicodeScalars.count
                    ? "the path ends with '/'; write it without" : "the path holds '//'; write it with one '/'", position: position)
            }
            if word == "." || word == ".." {
                throw InputRejection(field: field, reason: "the path holds a '\(word)' component; give it normalised (as realpath(1) prints it)",
                                     position: position)
            }
            position += component.count
        }
    }
}
