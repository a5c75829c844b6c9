#if canImport(Glibc)
import Glibc
#endif

/// RLIMIT_NOFILE. systemd starts services with a soft limit of 1024 (for
/// select(2)'s sake) and a high hard limit, and asks programs that need
/// more to raise the soft limit themselves: the daemon holds a socket and
/// a pidfd per connection.
public enum FileDescriptorLimit {
    /// Raises the soft limit to the hard one, at most `cap`; the new soft limit.
    @discardableResult
    public static func raise(upTo cap: UInt64 = 65_536) -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let wanted = min(UInt64(limit.rlim_max), cap)
        guard wanted > UInt64(limit.rlim_cur) else { return UInt64(limit.rlim_cur) }
        limit.rlim_cur = rlim_t(wanted)
        return setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? wanted : nil
    }
}
