#if canImport(Glibc)
import Glibc
#endif

/// `CLOCK_BOOTTIME`: seconds since boot, suspend included, never stepped
/// by NTP or `date -s`. Leases and idle release count on it.
public enum BootClock {
    public static func seconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return UInt64(ts.tv_sec)
    }
}

extension BootClock {
    /// The same clock in microseconds: what `/proc/PID/stat`'s start
    /// times (in clock ticks) count on.
    public static func microseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
