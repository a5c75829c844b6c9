/// A daemon result, or a part of one: the daemon builds it and sends
/// `json`; the client reads it back with `init(json:)`. Both sides share
/// the one type, so a field renamed on one side fails to compile on the other.
public protocol ReplyValue: Equatable, Sendable {
    /// Exactly the wire form: field names, numbers or strings, null or absent.
    var json: JSON { get }
    /// Reads the fields of `fields`, naming any that is missing or wrong.
    init(fields: ReplyFields) throws(ReplyDecodingError)
}

extension ReplyValue {
    public init(json: JSON) throws(ReplyDecodingError) {
        try self.init(fields: ReplyFields(json, path: ""))
    }
}
