/// A policy value as `show-policy` gives it, with where it came from:
/// `{"value": "2", "origin": "/etc/fairshare/policy.d/10.yaml:3:8"}`
/// (`built-in` where no file sets it).
public struct SourcedText: ReplyValue {
    public var value: String
    public var origin: String

    public init(value: String, origin: String) {
        self.value = value
        self.origin = origin
    }

    public var json: JSON { ["value": .string(value), "origin": .string(origin)] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(value: try f.string("value"), origin: try f.string("origin"))
    }
}
