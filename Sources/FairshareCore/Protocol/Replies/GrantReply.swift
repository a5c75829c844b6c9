/// `request`: the allocation as granted.
public struct GrantReply: ReplyValue {
    public var slice: String
    /// Whether the slice was new (a first request) rather than changed.
    public var created: Bool
    public var allocation: ReplyResources
    public var leaseEnd: UInt64?
    /// Defaults that shrank to fit (sent only when some did).
    public var shrunk: [DefaultGrant.Shrunk]

    public init(slice: String, created: Bool, allocation: ReplyResources, leaseEnd: UInt64? = nil, shrunk: [DefaultGrant.Shrunk] = []) {
        self.slice = slice
        self.created = created
        self.allocation = allocation
        self.leaseEnd = leaseEnd
        self.shrunk = shrunk
    }

    public var json: JSON {
        var o: JSONObject = ["slice": .string(slice), "created": .bool(created), "allocation": allocation.json, "lease_end": .orNull(leaseEnd, JSON.uint)]
        if !shrunk.isEmpty { o["shrunk"] = .array(shrunk.map(\.json)) }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(slice: try f.string("slice"), created: try f.bool("created"), allocation: try f.nested("allocation"),
                  leaseEnd: try f.optionalUInt64("lease_end"), shrunk: try f.optionalList("shrunk") ?? [])
    }
}
