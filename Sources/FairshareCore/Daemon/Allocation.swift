/// One user's granted resources, as the daemon records them.
public struct Allocation: Equatable, Sendable {
    public var uid: UInt32
    public var user: String
    public var resources: Resources
    /// Seconds since the Unix epoch when first granted.
    public var since: UInt64
    /// Seconds since the epoch when the lease ends; nil = until released.
    public var leaseEnd: UInt64?
    /// The GPU nodes held (`resources.gpus` of them).
    public var gpuDevices: [String]

    public init(uid: UInt32, user: String, resources: Resources, since: UInt64, leaseEnd: UInt64? = nil, gpuDevices: [String] = []) {
        self.uid = uid
        self.user = user
        self.resources = resources
        self.since = since
        self.leaseEnd = leaseEnd
        self.gpuDevices = gpuDevices
    }

    public var sliceName: UnitName { UnitNames.slice(uid: uid) }
}
