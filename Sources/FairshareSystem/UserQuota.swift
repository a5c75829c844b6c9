import CShims
import FairshareCore

/// User disk quotas through quotactl(2), on the block device of the file
/// system that holds a path (found in /proc/self/mountinfo).
public enum UserQuota {
    /// Sets `quota`'s limits for `uid` on the file system holding `quota.path`.
    public static func apply(_ quota: DiskQuota, uid: UInt32) throws(SystemError) {
        let device = try blockDevice(holding: quota.path)
        var q = fs_user_quota(block_soft: quota.softBlocks, block_hard: quota.hardBlocks,
                              inode_soft: quota.inodesSoft ?? 0, inode_hard: quota.inodesHard ?? 0,
                              space_used: 0, inodes_used: 0)
        guard fs_quota_set(device, uid, &q) == 0 else { throw SystemError.current("quotactl(Q_SETQUOTA) for uid \(uid) on", device) }
    }

    /// What `uid` uses on the file system holding `path`, with the limits.
    public static func usage(path: String, uid: UInt32) throws(SystemError) -> DiskUsage {
        let device = try blockDevice(holding: path)
        var q = fs_user_quota()
        guard fs_quota_get(device, uid, &q) == 0 else { throw SystemError.current("quotactl(Q_GETQUOTA) for uid \(uid) on", device) }
        return DiskUsage(path: path, bytes: q.space_used, inodes: q.inodes_used,
                         softBytes: q.block_soft * 1024, hardBytes: q.block_hard * 1024)
    }

    /// The mount source of the file system `path` is on: the longest mount
    /// point that contains it (the last one mounted there wins).
    static func blockDevice(holding path: String) throws(SystemError) -> String {
        let text: String
        do { text = try FileIO.readString("/proc/self/mountinfo", limit: 4 << 20) } catch { throw error }
        var best: (point: String, source: String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 9, let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count else { continue }
            let point = unescape(fields[4])
            guard path == point || path.hasPrefix(point == "/" ? "/" : point + "/") else { continue }
            if best == nil || point.count >= best!.point.count { best = (point, unescape(fields[dash + 2])) }
        }
        guard let best, best.source.hasPrefix("/dev/") else {
            throw SystemError("find the block device of", path, errno: .noSuchFileOrDirectory)
        }
        return best.source
    }

    /// mountinfo writes space, tab, newline and backslash as \ooo.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var out: [UInt8] = []
        var bytes = Array(field.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "\\"), bytes.count >= 3, let n = UInt8(String(decoding: bytes.prefix(3), as: UTF8.self), radix: 8) {
                out.append(n)
                bytes = bytes.dropFirst(3)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
