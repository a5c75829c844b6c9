/// Readings kept for a moment, so a burst of requests reads the kernel's
/// files once rather than once per request (`status` at thousands of
/// requests a second). A reading older than `maxAgeUSec` is read again.
/// Pure: the caller passes the clock.
public struct RecentReadings<Key: Hashable, Value> {
    public let maxAgeUSec: UInt64
    /// Past this many keys, everything is forgotten (bounded memory).
    public let capacity: Int
    private var readings: [Key: (atUSec: UInt64, value: Value)] = [:]

    public init(maxAgeUSec: UInt64, capacity: Int = 4096) {
        self.maxAgeUSec = maxAgeUSec
        self.capacity = capacity
    }

    /// The reading of `key` taken less than `maxAgeUSec` before `nowUSec`,
    /// else a fresh one from `read` (kept for the next caller).
    public mutating func value(for key: Key, nowUSec: UInt64, read: () -> Value) -> Value {
        if let kept = readings[key], nowUSec >= kept.atUSec, nowUSec - kept.atUSec < maxAgeUSec { return kept.value }
        let value = read()
        if readings.count >= capacity && readings[key] == nil { readings.removeAll(keepingCapacity: true) }
        readings[key] = (nowUSec, value)
        return value
    }
}

/// How old a cgroup usage reading may be when `status` or `admin list`
/// shows it: ten readings a second at most, however many requests.
public enum UsageFreshness {
    public static let maxAgeUSec: UInt64 = 100_000
}
