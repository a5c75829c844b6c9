import CShims
#if canImport(Glibc)
import Glibc
#endif

/// Who is at the other end of a Unix socket, as the kernel recorded it at
/// connect(): never taken from anything the peer says.
public struct PeerCredentials: Equatable, Sendable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    /// Supplementary groups (`SO_PEERGROUPS`).
    public var groups: [UInt32]

    public init(pid: Int32, uid: UInt32, gid: UInt32, groups: [UInt32]) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }

    public static func of(socket fd: Int32) throws(SystemError) -> PeerCredentials {
        var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
        guard fs_peer_credentials(fd, &pid, &uid, &gid) == 0 else { throw .current("getsockopt(SO_PEERCRED)") }
        var capacity: Int32 = 64
        while true {
            var buffer = [gid_t](repeating: 0, count: Int(capacity))
            var count = capacity
            if fs_peer_groups(fd, &buffer, &count) == 0 {
                return PeerCredentials(pid: pid, uid: uid, gid: gid, groups: Array(buffer.prefix(Int(count))))
            }
            let e = SystemError.current("getsockopt(SO_PEERGROUPS)")
            guard e.errno.rawValue == ERANGE, count > capacity, capacity < 65536 else { throw e }
            capacity = count
        }
    }

    /// Primary and supplementary groups together.
    public var allGroups: Set<UInt32> { Set(groups).union([gid]) }
}
