/// The daemon's request counters: how many requests of each operation
/// ended in each outcome, and how long they took, as a histogram per
/// operation. Pure; the daemon records, `metrics` reports, and
/// `fairshare-web` exports them (`fairshare_requests_total`,
/// `fairshare_request_duration_seconds`).
public struct RequestCounters: Equatable, Sendable {
    /// One line of `fairshare_requests_total`: `result` is `ok` or
    /// `error`, `reason` the error code (`refused`, `permission_denied`, …)
    /// and empty for `ok`.
    public struct Outcome: Hashable, Sendable, Comparable {
        public var op: String
        public var result: String
        public var reason: String

        public init(op: String, result: String, reason: String) {
            self.op = op
            self.result = result
            self.reason = reason
        }

        public static func < (a: Self, b: Self) -> Bool { (a.op, a.result, a.reason) < (b.op, b.result, b.reason) }
    }

    /// One operation's latencies: `counts[i]` requests took at most
    /// `bounds[i]` µs and more than the bound before (not cumulative);
    /// the last entry counts those above every bound.
    public struct Latency: Equatable, Sendable {
        public var counts: [UInt64]
        public var count: UInt64
        public var sumUsec: UInt64

        public init(counts: [UInt64], count: UInt64, sumUsec: UInt64) {
            self.counts = counts
            self.count = count
            self.sumUsec = sumUsec
        }
    }

    /// Upper bounds in µs: 0.25 ms to 60 s (a request that waits on a
    /// systemd job may take seconds; status takes a fraction of a ms).
    public static let boundsUsec: [UInt64] = [250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
                                              1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000]

    public private(set) var outcomes: [Outcome: UInt64] = [:]
    public private(set) var latency: [String: Latency] = [:]

    public init() {}

    public init(outcomes: [Outcome: UInt64], latency: [String: Latency]) {
        self.outcomes = outcomes
        self.latency = latency
    }

    /// Counts one answered request: `code` nil for success.
    public mutating func record(op: String, errorCode: String?, usec: UInt64) {
        let outcome = Outcome(op: op, result: errorCode == nil ? "ok" : "error", reason: errorCode ?? "")
        outcomes[outcome, default: 0] &+= 1
        var l = latency[op] ?? Latency(counts: Array(repeating: 0, count: Self.boundsUsec.count + 1), count: 0, sumUsec: 0)
        let bucket = Self.boundsUsec.firstIndex { usec <= $0 } ?? Self.boundsUsec.count
        l.counts[bucket] &+= 1
        l.count &+= 1
        l.sumUsec = l.sumUsec.addingSaturating(usec)
        latency[op] = l
    }
}
