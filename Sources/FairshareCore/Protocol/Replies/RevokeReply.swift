/// `revoke`: whose allocation was taken back and the slice stopped.
public struct RevokeReply: ReplyValue {
    public var user: String
    public var slice: String

    public init(user: String, slice: String) {
        self.user = user
        self.slice = slice
    }

    public var json: JSON { ["revoked": true, "user": .string(user), "slice": .string(slice)] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        guard try f.bool("revoked") else { throw ReplyDecodingError(field: f.name("revoked"), expected: "true") }
        self.init(user: try f.string("user"), slice: try f.string("slice"))
    }
}
