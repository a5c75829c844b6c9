/// `status`: the pool, what is free, and the caller's allocation. Every
/// field is always there; those the caller does not have are null.
public struct StatusReply: ReplyValue {
    public var uid: UInt32
    public var user: String
    /// What the pool can hand out.
    public var system: CPUAndMemory
    /// What nobody holds.
    public var available: CPUAndMemory
    public var slice: String?
    public var allocation: ReplyResources?
    /// When the lease ends, seconds since the epoch.
    public var leaseEnd: UInt64?
    public var usage: SliceUsageReply?
    /// Only when the policy sets disk quotas and one could be read.
    public var disk: DiskUsage?
    /// The caller's logins (cap, GPUs, usage); null outside `min_uid`..`max_uid`.
    public var login: LoginReply?
    /// Guaranteed, in use, burst ceiling and PSI (absent from older daemons).
    public var sharing: SharingReply?

    public init(uid: UInt32, user: String, system: CPUAndMemory, available: CPUAndMemory, slice: String? = nil,
                allocation: ReplyResources? = nil, leaseEnd: UInt64? = nil, usage: SliceUsageReply? = nil, disk: DiskUsage? = nil,
                login: LoginReply? = nil, sharing: SharingReply? = nil) {
        self.uid = uid
        self.user = user
        self.system = system
        self.available = available
        self.slice = slice
        self.allocation = allocation
        self.leaseEnd = leaseEnd
        self.usage = usage
        self.disk = disk
        self.login = login
        self.sharing = sharing
    }

    public var json: JSON {
        var o: JSONObject = ["uid": .uint(UInt64(uid)), "user": .string(user), "system": system.json, "available": available.json,
                             "slice": .orNull(slice, JSON.string), "allocation": .orNull(allocation, \.json), "lease_end": .orNull(leaseEnd, JSON.uint),
                             "usage": .orNull(usage, \.json), "disk": .orNull(disk, \.json), "login": .orNull(login, \.json)]
        // Only with an allocation, so the fields before it keep their wire text.
        if let sharing { o["sharing"] = sharing.json }
        return .object(o)
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(uid: try f.uid("uid"), user: try f.string("user"), system: try f.nested("system"), available: try f.nested("available"),
                  slice: try f.optionalString("slice"), allocation: try f.optionalNested("allocation"),
                  leaseEnd: try f.optionalUInt64("lease_end"), usage: try f.optionalNested("usage"), disk: try f.optionalNested("disk"),
                  login: try f.optionalNested("login"), sharing: try f.optionalNested("sharing"))
    }
}
