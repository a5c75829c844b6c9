#if canImport(Glibc)
import Glibc
#endif

/// Users and groups as NSS sees them. A protocol so handlers can be tested
/// with an in-memory table.
public protocol UserDatabase: Sendable {
    func userName(uid: UInt32) -> String?
    func uid(ofUser name: String) -> UInt32?
    func groupName(gid: UInt32) -> String?
    func gid(ofGroup name: String) -> UInt32?
    /// The names of every group `user` is in, primary group included; nil
    /// for an unknown user.
    func groupNames(ofUser name: String) -> [String]?
}

/// The system's user database through getpwuid_r and friends.
public struct SystemUserDatabase: UserDatabase {
    public init() {}

    public func userName(uid: UInt32) -> String? {
        withBuffer { buf in
            var pw = passwd(), result: UnsafeMutablePointer<passwd>?
            let rc = getpwuid_r(uid, &pw, buf.baseAddress!, buf.count, &result)
            return (rc, result.map { String(cString: $0.pointee.pw_name) })
        }
    }

    public func uid(ofUser name: String) -> UInt32? {
        withBuffer { buf in
            var pw = passwd(), result: UnsafeMutablePointer<passwd>?
            let rc = getpwnam_r(name, &pw, buf.baseAddress!, buf.count, &result)
            return (rc, result.map { $0.pointee.pw_uid })
        }
    }

    /// The account's home directory (where a remote job starts).
    public func homeDirectory(ofUser name: String) -> String? {
        withBuffer { buf in
            var pw = passwd(), result: UnsafeMutablePointer<passwd>?
            let rc = getpwnam_r(name, &pw, buf.baseAddress!, buf.count, &result)
            return (rc, result.flatMap { $0.pointee.pw_dir.map { String(cString: $0) } })
        }
    }

    public func groupName(gid: UInt32) -> String? {
        withBuffer { buf in
            var gr = group(), result: UnsafeMutablePointer<group>?
            let rc = getgrgid_r(gid, &gr, buf.baseAddress!, buf.count, &result)
            return (rc, result.map { String(cString: $0.pointee.gr_name) })
        }
    }

    public func gid(ofGroup name: String) -> UInt32? {
        withBuffer { buf in
            var gr = group(), result: UnsafeMutablePointer<group>?
            let rc = getgrnam_r(name, &gr, buf.baseAddress!, buf.count, &result)
            return (rc, result.map { $0.pointee.gr_gid })
        }
    }

    public func groupNames(ofUser name: String) -> [String]? {
        let primary: UInt32? = withBuffer { buf in
            var pw = passwd(), result: UnsafeMutablePointer<passwd>?
            let rc = getpwnam_r(name, &pw, buf.baseAddress!, buf.count, &result)
            return (rc, result.map { $0.pointee.pw_gid })
        }
        guard let primary else { return nil }
        var count: Int32 = 32
        while count <= 1 << 16 {
            var gids = [gid_t](repeating: 0, count: Int(count))
            var n = count
            if getgrouplist(name, primary, &gids, &n) >= 0 {
                return gids.prefix(Int(n)).compactMap { groupName(gid: $0) }
            }
            count = max(n, count * 2)
        }
        return [groupName(gid: primary)].compactMap { $0 }
    }

    /// Calls `body` with a growing buffer until it stops answering ERANGE.
    /// Every account with a uid in Debian's range for people (1000 to
    /// 60000, login.defs' UID_MIN and UID_MAX), from NSS. Not thread-safe
    /// (getpwent): the daemon calls it on its queue only.
    public func regularUsers() -> [(name: String, uid: UInt32)] {
        var out: [(name: String, uid: UInt32)] = []
        setpwent()
        defer { endpwent() }
        while let entry = getpwent() {
            let uid = entry.pointee.pw_uid
            if (1000...60000).contains(uid), let name = entry.pointee.pw_name { out.append((String(cString: name), uid)) }
        }
        return out
    }

    private func withBuffer<T>(_ body: (UnsafeMutableBufferPointer<CChar>) -> (Int32, T?)) -> T? {
        var size = 1024
        while size <= 1 << 20 {
            let buf = UnsafeMutableBufferPointer<CChar>.allocate(capacity: size)
            defer { buf.deallocate() }
            let (rc, value) = body(buf)
            if rc == ERANGE { size *= 4; continue }
            return value
        }
        return nil
    }
}
