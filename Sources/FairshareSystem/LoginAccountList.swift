#if canImport(Glibc)
import Glibc
#endif

extension SystemUserDatabase {
    /// Every account NSS lists with a uid in `uids` (first entry per uid).
    /// Not thread-safe (getpwent): the daemon calls it on its queue only.
    public func accounts(uids: ClosedRange<UInt32>) -> [(name: String, uid: UInt32)] {
        var out: [(name: String, uid: UInt32)] = []
        var seen: Set<UInt32> = []
        setpwent()
        defer { endpwent() }
        while let entry = getpwent() {
            let uid = entry.pointee.pw_uid
            guard uids.contains(uid), let name = entry.pointee.pw_name, seen.insert(uid).inserted else { continue }
            out.append((String(cString: name), uid))
        }
        return out
    }
}
