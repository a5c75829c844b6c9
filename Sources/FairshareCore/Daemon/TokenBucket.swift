/// A token bucket: `rate` tokens a second flow in, at most `burst` are
/// kept, each request takes one. Time is a monotonic clock in microseconds
/// handed in by the caller (no wall clock: a clock step must not refill or
/// drain it). Exact integer arithmetic in millionths of a token; nothing
/// overflows, whatever the rate, burst or time.
public struct TokenBucket: Equatable, Sendable {
    /// Tokens added per second (at least 1).
    public private(set) var rate: UInt64
    /// The most tokens kept (at least 1): how many requests may come at once.
    public private(set) var burst: UInt64
    /// Millionths of a token held at `updatedAt`.
    private var level: UInt64
    private var updatedAt: UInt64

    static let unit: UInt64 = 1_000_000

    /// A full bucket.
    public init(rate: UInt64, burst: UInt64, now: UInt64) {
        self.rate = max(rate, 1)
        self.burst = max(burst, 1)
        self.level = 0
        self.updatedAt = now
        self.level = capacity
    }

    /// The result of `take`.
    public enum Decision: Equatable, Sendable {
        case granted
        /// Over the rate: the next token is due in this many microseconds.
        case limited(retryAfterMicroseconds: UInt64)
    }

    private var capacity: UInt64 {
        let (c, overflow) = burst.multipliedReportingOverflow(by: Self.unit)
        return overflow ? .max : c
    }

    /// Takes one token if there is one.
    public mutating func take(now: UInt64) -> Decision {
        refill(now: now)
        if level >= Self.unit {
            level -= Self.unit
            return .granted
        }
        let missing = Self.unit - level
        return .limited(retryAfterMicroseconds: (missing + rate - 1) / rate)
    }

    /// Whole tokens available at `now`.
    public func available(now: UInt64) -> UInt64 {
        var copy = self
        copy.refill(now: now)
        return copy.level / Self.unit
    }

    /// Whether the bucket would be full at `now`: then it is the same as a
    /// new one, and may be forgotten.
    public func isFull(now: UInt64) -> Bool {
        var copy = self
        copy.refill(now: now)
        return copy.level == copy.capacity
    }

    /// New limits (a policy reload); the tokens held are kept, up to the
    /// new burst.
    public mutating func reconfigure(rate: UInt64, burst: UInt64, now: UInt64) {
        refill(now: now)
        self.rate = max(rate, 1)
        self.burst = max(burst, 1)
        level = min(level, capacity)
    }

    /// Adds what flowed in since `updatedAt`. A clock that goes back adds
    /// nothing (and does not move `updatedAt` back).
    private mutating func refill(now: UInt64) {
        guard now > updatedAt else { return }
        let (added, overflow) = (now - updatedAt).multipliedReportingOverflow(by: rate)
        let room = capacity - level
        level = overflow || added >= room ? capacity : level + added
        updatedAt = now
    }
}
