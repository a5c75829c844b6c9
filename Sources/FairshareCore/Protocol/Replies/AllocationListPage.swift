/// `admin list`: a page of allocations by uid; `next`, where there are
/// more, is the uid the following page starts after.
public struct AllocationListPage: ReplyValue {
    public var allocations: [AllocationRow]
    public var next: UInt32?

    public init(allocations: [AllocationRow], next: UInt32? = nil) {
        self.allocations = allocations
        self.next = next
    }

    public var json: JSON {
        var o: JSONObject = ["allocations": .array(allocations.map(\.json))]
        if let next { o["next"] = .uint(UInt64(next)) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(allocations: try f.list("allocations"), next: try f.optional("next", "uid", ReplyFields.uid))
    }
}
