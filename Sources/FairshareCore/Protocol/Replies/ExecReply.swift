/// `exec`: where the caller's process was moved and the limits it runs under.
public struct ExecReply: ReplyValue {
    public var slice: String
    public var scope: String
    /// The allocation's CPU, memory and tasks.
    public var allocation: ReplyResources
    /// The scope's own limits, the allocation's where none were asked for.
    public var limits: ReplyResources

    public init(slice: String, scope: String, allocation: ReplyResources, limits: ReplyResources) {
        self.slice = slice
        self.scope = scope
        self.allocation = allocation
        self.limits = limits
    }

    public var json: JSON {
        ["slice": .string(slice), "scope": .string(scope), "allocation": allocation.json, "limits": limits.json]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(slice: try f.string("slice"), scope: try f.string("scope"), allocation: try f.nested("allocation"),
                  limits: try f.nested("limits"))
    }
}
