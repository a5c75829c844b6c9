/// A daemon's result the client cannot read: a required field is missing
/// or of another kind (a daemon of another version, most likely).
public struct ReplyDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field's path in the result: `allocation.cpu`, `jobs[2].id`.
    public var field: String
    /// What it should have been: `number`, `string`, `object`, …
    public var expected: String

    public init(field: String, expected: String) {
        self.field = field
        self.expected = expected
    }

    public var description: String {
        "the daemon's reply has no '\(field)' (\(expected) expected; daemon version mismatch?)"
    }
}
