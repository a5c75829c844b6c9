/// An allocation a new policy lowered to its user's new max, or failed
/// to (`error`, from systemd).
public struct ClampedAllocation: ReplyValue {
    public var user: String
    public var uid: UInt32
    public var from: ReplyResources
    public var to: ReplyResources
    public var error: String?

    public init(user: String, uid: UInt32, from: ReplyResources, to: ReplyResources, error: String? = nil) {
        self.user = user
        self.uid = uid
        self.from = from
        self.to = to
        self.error = error
    }

    public var json: JSON {
        var o: JSONObject = ["user": .string(user), "uid": .uint(UInt64(uid)), "from": from.json, "to": to.json]
        if let error { o["error"] = .string(error) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(user: try f.string("user"), uid: try f.uid("uid"), from: try f.nested("from"), to: try f.nested("to"),
                  error: try f.optionalString("error"))
    }
}
