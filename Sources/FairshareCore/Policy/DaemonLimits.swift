/// The policy's `daemon:` section: how much of the daemon itself one user
/// may take (fairshare-policy(5), DAEMON). Every key optional and tagged
/// with its origin, like the other global keys; `resolved` fills in the
/// built-in values.
public struct DaemonLimitSettings: Equatable, Sendable {
    /// `connections`: open connections of everyone together.
    public var connections: Sourced<UInt64>?
    /// `connections_per_user`: open connections of one uid (root exempt).
    public var connectionsPerUser: Sourced<UInt64>?
    /// `reserved_connections`: slots past `connections` that only root and
    /// admin_group may take.
    public var reservedConnections: Sourced<UInt64>?
    /// `requests_per_second` and `request_burst`: one uid's token bucket.
    public var requestsPerSecond: Sourced<UInt64>?
    public var requestBurst: Sourced<UInt64>?
    /// `reply_buffer`: unsent reply bytes past which a connection is not
    /// read until the client has read them.
    public var replyBuffer: Sourced<ByteSize>?
    /// `running_jobs_per_user`: detached jobs one uid may have running.
    public var runningJobsPerUser: Sourced<UInt64>?
    /// `kept_jobs_per_user`: ended jobs kept per uid (with their output);
    /// older ones are retired first.
    public var keptJobsPerUser: Sourced<UInt64>?

    public init() {}

    /// The policy keys, in the order `show-policy` and the manual list them.
    public static let keys = ["connections", "connections_per_user", "reserved_connections",
                              "requests_per_second", "request_burst", "reply_buffer",
                              "running_jobs_per_user", "kept_jobs_per_user"]

    public mutating func override(with later: DaemonLimitSettings) {
        connections.override(with: later.connections)
        connectionsPerUser.override(with: later.connectionsPerUser)
        reservedConnections.override(with: later.reservedConnections)
        requestsPerSecond.override(with: later.requestsPerSecond)
        requestBurst.override(with: later.requestBurst)
        replyBuffer.override(with: later.replyBuffer)
        runningJobsPerUser.override(with: later.runningJobsPerUser)
        keptJobsPerUser.override(with: later.keptJobsPerUser)
    }

    /// The values in force: each set key over the built-in one.
    public var resolved: DaemonLimits {
        let builtin = DaemonLimits.builtin
        return DaemonLimits(connections: connections.map { Int($0.value) } ?? builtin.connections,
                            connectionsPerUser: connectionsPerUser.map { Int($0.value) } ?? builtin.connectionsPerUser,
                            reservedConnections: reservedConnections.map { Int($0.value) } ?? builtin.reservedConnections,
                            requestsPerSecond: requestsPerSecond?.value ?? builtin.requestsPerSecond,
                            requestBurst: requestBurst?.value ?? builtin.requestBurst,
                            replyBuffer: Int(replyBuffer?.value.bytes ?? UInt64(builtin.replyBuffer)),
                            runningJobsPerUser: runningJobsPerUser.map { Int($0.value) } ?? builtin.runningJobsPerUser,
                            keptJobsPerUser: keptJobsPerUser.map { Int($0.value) } ?? builtin.keptJobsPerUser)
    }
}

/// The daemon's own limits in force. The built-in values leave every
/// normal use alone: 64 connections are 64 commands of one user at once
/// (50 `logs --follow` of one job fit), and 50,000 requests a second is
/// above what the daemon answers on a 2-CPU machine (~30,000 `status` a
/// second over 8 connections), so the rate limit binds only a client that
/// could otherwise take the daemon's whole queue on a faster machine.
public struct DaemonLimits: Equatable, Sendable {
    public var connections: Int
    public var connectionsPerUser: Int
    public var reservedConnections: Int
    public var requestsPerSecond: UInt64
    public var requestBurst: UInt64
    public var replyBuffer: Int
    public var runningJobsPerUser: Int
    public var keptJobsPerUser: Int

    public init(connections: Int, connectionsPerUser: Int, reservedConnections: Int,
                requestsPerSecond: UInt64, requestBurst: UInt64, replyBuffer: Int,
                runningJobsPerUser: Int = DaemonLimits.builtin.runningJobsPerUser, keptJobsPerUser: Int = DaemonLimits.builtin.keptJobsPerUser) {
        self.connections = connections
        self.connectionsPerUser = connectionsPerUser
        self.reservedConnections = reservedConnections
        self.requestsPerSecond = requestsPerSecond
        self.requestBurst = requestBurst
        self.replyBuffer = replyBuffer
        self.runningJobsPerUser = runningJobsPerUser
        self.keptJobsPerUser = keptJobsPerUser
    }

    /// 64 running jobs is a busy user's whole day of builds; 500 ended
    /// ones kept is days of them, and bounds `state.json` (each job's
    /// command line is at most `RunRequest.maxCommandBytes`).
    public static let builtin = DaemonLimits(connections: 512, connectionsPerUser: 64, reservedConnections: 8,
                                             requestsPerSecond: 50_000, requestBurst: 100_000, replyBuffer: 256 << 10,
                                             runningJobsPerUser: 64, keptJobsPerUser: 500)
    /// The most the policy may set for either job limit.
    public static let maxJobs: UInt64 = 100_000

    public var connectionBudget: ConnectionBudget {
        ConnectionBudget(total: connections, perUser: connectionsPerUser, reserved: reservedConnections)
    }

    /// Upper bounds the policy reader accepts (beyond them a typo, not a
    /// plan): the daemon's file descriptors, a rate no machine answers, a
    /// buffer larger than a reply ever is.
    public static let maxConnections: UInt64 = 65_536
    public static let maxRequestRate: UInt64 = 10_000_000
    public static let maxReplyBuffer = ByteSize.gibibytes(1)
    /// The smallest buffer: a reply of one full line must fit.
    public static let minReplyBuffer = ByteSize(bytes: 64 << 10)
}
