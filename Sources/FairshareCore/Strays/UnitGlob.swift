/// A unit name pattern of `strays.ignore`, as `systemctl list-units`
/// takes them: `*` any run of characters, `?` one character, nothing
/// else special. Only characters systemd allows in unit names (and the
/// two wildcards), so a pattern can never be mistaken for a path.
public struct UnitGlob: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case tooLong
        case invalidCharacter(Character)
    }

    /// systemd's UNIT_NAME_MAX.
    public static let maxLength = 255

    public init(checking pattern: String) throws(Problem) {
        guard !pattern.isEmpty else { throw .empty }
        guard pattern.utf8.count <= Self.maxLength else { throw .tooLong }
        for ch in pattern.unicodeScalars {
            let ok = (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9")
                || ":-_.\\@*?".unicodeScalars.contains(ch)
            guard ok else { throw .invalidCharacter(Character(ch)) }
        }
        self.pattern = pattern
    }

    public var description: String { pattern }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(name.utf8)
        var pi = 0, si = 0
        // The last `*` seen and where in `s` it was tried from: backtrack there.
        var star: Int?, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || (p[pi] != UInt8(ascii: "*") && p[pi] == s[si]) {
                pi += 1
                si += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = si
                pi += 1
            } else if let star {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
