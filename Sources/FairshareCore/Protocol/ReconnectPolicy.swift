/// How a client rides out a daemon restart (a package upgrade, `systemctl
/// restart fairshared`): which failures it tries again, how long it waits
/// between tries, and when it gives up. Bounded: every retry of one call
/// ends within `budgetMilliseconds` of its first failure.
///
/// With socket activation the listening socket outlives the daemon, so a
/// restart costs a client at most a connection the old daemon accepted and
/// closed unanswered; without it (or while the socket unit itself restarts)
/// connecting fails until the new daemon listens.
public struct ReconnectPolicy: Equatable, Sendable {
    /// What went wrong with one try.
    public enum Failure: Equatable, Sendable {
        /// connect(2) failed with ECONNREFUSED (nobody listens), ENOENT (no
        /// socket file) or EAGAIN (the listen queue is full): nothing was
        /// sent, so any request may be sent again.
        case connectFailed
        /// The connection closed (end of file, ECONNRESET, EPIPE) before a
        /// whole reply to this request: the daemon may or may not have
        /// acted on it, so only requests that change nothing are sent again.
        case closedBeforeReply(ClientRequest)
    }

    /// The longest a client keeps trying after the first failure (5 s).
    public var budgetMilliseconds: UInt64
    /// The first wait; each later one doubles, up to `maxDelayMilliseconds`.
    public var firstDelayMilliseconds: UInt64
    public var maxDelayMilliseconds: UInt64

    public init(budgetMilliseconds: UInt64 = 5000, firstDelayMilliseconds: UInt64 = 20, maxDelayMilliseconds: UInt64 = 250) {
        self.budgetMilliseconds = budgetMilliseconds
        self.firstDelayMilliseconds = firstDelayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
    }

    /// The client's policy, documented in fairshare(1) (RESTARTS).
    public static let standard = ReconnectPolicy()

    /// How long to wait before trying again after `failure`, given that
    /// this was try number `attempt` (0 for the first) and
    /// `elapsedMilliseconds` have passed since the first failure; nil: give
    /// up and report the failure. The wait never reaches past the budget.
    public func delay(after failure: Failure, attempt: Int, elapsedMilliseconds: UInt64) -> UInt64? {
        if case .closedBeforeReply(let request) = failure, !request.isIdempotentRead { return nil }
        guard elapsedMilliseconds < budgetMilliseconds else { return nil }
        let doublings = UInt64(min(max(attempt, 0), 16))
        let wanted = min(firstDelayMilliseconds.multipliedReportingOverflow(by: 1 << doublings).partialValue, maxDelayMilliseconds)
        return min(wanted, budgetMilliseconds - elapsedMilliseconds)
    }
}

extension ClientRequest {
    /// Whether the request only reads, so sending it twice is the same as
    /// sending it once: the ones a client may send again after a connection
    /// closed unanswered. `request`, `release`, `exec`, `run`, `stop` and the
    /// administrators' changes are not (a second `run` would start a second
    /// job).
    public var isIdempotentRead: Bool {
        switch self {
        case .status, .whoami, .list, .showPolicy, .jobs, .logs, .jobStatus, .audit, .metrics: true
        case .request, .release, .exec, .revoke, .reload, .setPolicy, .run, .stop: false
        }
    }
}
