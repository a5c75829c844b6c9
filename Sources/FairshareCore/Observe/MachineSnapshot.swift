/// Everything a reader sees of the machine at one moment, as the daemon
/// answered a reader's `status`, `list` (every page), `jobs` (everyone's)
/// and `metrics`: what `fairshare top` and `fairshare-web` render.
public struct MachineSnapshot: Equatable, Sendable {
    /// When it was read: wall-clock µs since the epoch (CPU rates divide by it).
    public var takenUsec: UInt64
    /// What the pool can hand out, and what nobody holds.
    public var system: CPUAndMemory
    public var available: CPUAndMemory
    public var allocations: [AllocationRow]
    public var logins: [LoginRow]
    public var jobs: [JobReply]
    /// Nil when the daemon is older than `metrics`.
    public var daemon: DaemonMetricsReply?

    public init(takenUsec: UInt64, system: CPUAndMemory, available: CPUAndMemory, allocations: [AllocationRow],
                logins: [LoginRow] = [], jobs: [JobReply] = [], daemon: DaemonMetricsReply? = nil) {
        self.takenUsec = takenUsec
        self.system = system
        self.available = available
        self.allocations = allocations
        self.logins = logins
        self.jobs = jobs
        self.daemon = daemon
    }

    public var takenSeconds: UInt64 { takenUsec / 1_000_000 }

    /// Jobs by state, every state present (0 where none).
    public var jobsByState: [(state: JobReply.State, count: Int)] {
        let all: [JobReply.State] = [.running, .exited, .stopped, .unknown]
        return all.map { state in (state, jobs.lazy.filter { $0.state == state }.count) }
    }
}
