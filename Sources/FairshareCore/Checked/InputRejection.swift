/// A value from outside (a client's request, a policy file, `state.json`)
/// refused at the edge, before it became one of the checked types: which
/// field, why, and at which character.
public struct InputRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field as the protocol or the policy names it: `cwd`, `argv[2]`,
    /// `io.read_bw`, `name`.
    public var field: String
    /// What is wrong, in words that say what to do.
    public var reason: String
    /// 1-based position of the offending character (Unicode scalars), when
    /// one character is the problem.
    public var position: Int?

    public init(field: String, reason: String, position: Int? = nil) {
        self.field = field
        self.reason = reason
        self.position = position
    }

    public var description: String {
        "invalid \"\(field)\"" + (position.map { " at character \($0)" } ?? "") + ": \(reason)"
    }
}

/// The one scan every checked type runs over text from outside.
enum TextScan {
    /// `U+000A`: how a refusal names a character nobody can see.
    static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Unicode's control characters (C0, DEL, C1): systemd stores unit
    /// settings as lines of text, so a line break in a value is a new setting.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    /// The first scalar of `text` that `isRefused` refuses, with its
    /// 1-based position.
    static func first(in text: String, where isRefused: (Unicode.Scalar) -> Bool) -> (scalar: Unicode.Scalar, position: Int)? {
        var position = 0
        for scalar in text.unicodeScalars {
            position += 1
            if isRefused(scalar) { return (scalar, position) }
        }
        return nil
    }

    /// Refuses the first control character of `text`.
    static func rejectControls(_ text: String, field: String, what: String) throws(InputRejection) {
        if let (scalar, position) = first(in: text, where: isControl) {
            throw InputRejection(field: field, reason: "\(name(scalar)) is a control character; \(what) may not hold control characters",
                                 position: position)
        }
    }
}
