/// `request`: the allocation as granted.
public struct GrantReply: ReplyValue {
    public var slice: String
    /// Whether the slice was new (a first request) rather than changed.
    public var created: Bool
    public var allocation: ReplyResources
    public var leaseEnd: UInt64?

    public init(slice: String, created: Bool, allocation: ReplyResources, leaseEnd: UInt64? = nil) {
        self.slice = slice
        self.created = created
        self.allocation = allocation
        self.leaseEnd = leaseEnd
    }

    public var json: JSON {
        ["slice": .string(slice), "created": .bool(created), "allocation": allocation.json, "lease_end": .orNull(leaseEnd, JSON.uint)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(slice: try f.string("slice"), created: try f.bool("created"), allocation: try f.nested("allocation"),
                  leaseEnd: try f.optionalUInt64("lease_end"))
    }
}
