/// `admin list`: a page of allocations by uid, and of the logins of users
/// who hold none (`logins`, absent from older daemons); `next`, where
/// there are more, is the uid the following page starts after.
public struct AllocationListPage: ReplyValue {
    public var allocations: [AllocationRow]
    public var logins: [LoginRow]
    public var next: UInt32?

    public init(allocations: [AllocationRow], logins: [LoginRow] = [], next: UInt32? = nil) {
        self.allocations = allocations
        self.logins = logins
        self.next = next
    }

    public var json: JSON {
        var o: JSONObject = ["allocations": .array(allocations.map(\.json)), "logins": .array(logins.map(\.json))]
        if let next { o["next"] = .uint(UInt64(next)) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(allocations: try f.list("allocations"), logins: f.object["logins"] == nil ? [] : try f.list("logins"),
                  next: try f.optional("next", "uid", ReplyFields.uid))
    }
}
