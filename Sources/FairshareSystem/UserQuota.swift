import CShims
import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// User disk quotas through quotactl_fd(2) on the file system that holds a
/// path (a loop or device-mapper source works the same). Setting limits on
/// a mount that is read-only in the daemon's namespace (ProtectSystem=)
/// goes through the file system's /dev/block/MAJ:MIN node instead, looked up
/// but never opened (fs_quota_set).
public enum UserQuota {
    /// Sets `quota`'s limits for `uid` on the file system holding `quota.path`.
    public static func apply(_ quota: DiskQuota, uid: UInt32) throws(SystemError) {
        var q = fs_user_quota(block_soft: quota.softBlocks, block_hard: quota.hardBlocks,
                              inode_soft: quota.inodesSoft ?? 0, inode_hard: quota.inodesHard ?? 0,
                              space_used: 0, inodes_used: 0)
        try onFileSystem(of: quota.path, "quotactl(Q_SETQUOTA) for uid \(uid) on") { fs_quota_set($0, uid, &q) }
    }

    /// What `uid` uses on the file system holding `path`, with the limits.
    public static func usage(path: String, uid: UInt32) throws(SystemError) -> DiskUsage {
        var q = fs_user_quota()
        try onFileSystem(of: path, "quotactl(Q_GETQUOTA) for uid \(uid) on") { fs_quota_get($0, uid, &q) }
        return DiskUsage(path: path, bytes: q.space_used, inodes: q.inodes_used,
                         softBytes: q.block_soft * 1024, hardBytes: q.block_hard * 1024)
    }

    /// Whether the file system holding `path` enforces user quota limits
    /// (it may only track usage).
    public static func limitsEnforced(path: String) throws(SystemError) -> Bool {
        var enforced: Int32 = 0
        try onFileSystem(of: path, "quotactl(Q_XGETQSTAT) on") { fd in
            enforced = fs_quota_enforced(fd)
            return enforced < 0 ? -1 : 0
        }
        return enforced == 1
    }

    /// Opens the directory `path` read-only and runs `call` with it.
    private static func onFileSystem(of path: String, _ operation: String, _ call: (Int32) -> Int32) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path) }
        defer { close(fd) }
        guard call(fd) == 0 else { throw SystemError.current(operation, path) }
    }
}
