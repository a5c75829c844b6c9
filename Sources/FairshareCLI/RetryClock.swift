#if canImport(Glibc)
import Glibc
#endif

/// Milliseconds since it was made, on the monotonic clock (a wall-clock step
/// during a retry neither ends nor stretches it).
struct RetryClock {
    private let start: timespec

    init() { start = Self.now() }

    var elapsedMilliseconds: UInt64 {
        let now = Self.now()
        let ms = (Int64(now.tv_sec) - Int64(start.tv_sec)) * 1000 + (Int64(now.tv_nsec) - Int64(start.tv_nsec)) / 1_000_000
        return UInt64(max(ms, 0))
    }

    private static func now() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts
    }
}
