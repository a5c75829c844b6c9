/// A user's disk quota on one file system (`disk:` in the policy): soft and
/// hard limits on space and on inodes, applied with quotactl(2) to the file
/// system that holds `path`. Unset limits are 0 to the kernel: none.
public struct DiskQuota: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var soft: ByteSize?
    public var hard: ByteSize?
    public var inodesSoft: UInt64?
    public var inodesHard: UInt64?

    public init(path: String, soft: ByteSize? = nil, hard: ByteSize? = nil, inodesSoft: UInt64? = nil, inodesHard: UInt64? = nil) {
        self.path = path
        self.soft = soft
        self.hard = hard
        self.inodesSoft = inodesSoft
        self.inodesHard = inodesHard
    }

    /// Quota space limits count 1 KiB blocks; rounded up so a limit is
    /// never below what was written.
    public var softBlocks: UInt64 { Self.blocks(soft) }
    public var hardBlocks: UInt64 { Self.blocks(hard) }

    private static func blocks(_ size: ByteSize?) -> UInt64 {
        guard let size else { return 0 }
        return size.bytes / 1024 + (size.bytes % 1024 == 0 ? 0 : 1)
    }

    /// Orders quotas by generosity: no hard limit is the most generous.
    public var hardOrUnlimited: UInt64 { hard?.bytes ?? UInt64.max }

    public var description: String {
        var parts = [path]
        if let soft { parts.append("soft \(soft)") }
        if let hard { parts.append("hard \(hard)") }
        if let inodesSoft { parts.append("inodes soft \(inodesSoft)") }
        if let inodesHard { parts.append("inodes hard \(inodesHard)") }
        return parts.joined(separator: ", ")
    }
}

/// What a user has on the quota'd file system, from quotactl(Q_GETQUOTA).
public struct DiskUsage: Hashable, Sendable {
    public var path: String
    public var bytes: UInt64
    public var inodes: UInt64
    public var softBytes: UInt64
    public var hardBytes: UInt64

    public init(path: String, bytes: UInt64, inodes: UInt64, softBytes: UInt64, hardBytes: UInt64) {
        self.path = path
        self.bytes = bytes
        self.inodes = inodes
        self.softBytes = softBytes
        self.hardBytes = hardBytes
    }
}
