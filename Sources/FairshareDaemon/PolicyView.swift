import FairshareCore

/// What request handling needs from the policy.
public protocol PolicyView: Sendable {
    var adminGroup: String? { get }
    var readerGroup: String? { get }
    /// Kept for the system: subtracted from the machine before anything is handed out.
    var reserve: Capacity { get }
    /// CPU may be promised this many times over (≥ 1).
    var cpuOvercommit: Double { get }
    var allocator: FairShareRule { get }
    /// An allocation whose slice had no tasks and used no CPU this long is released.
    var idleRelease: TimeSpan? { get }
    /// The fully resolved defaults and max for one user.
    func limits(user: String, groups: [String]) -> (defaults: Resources, max: Resources)
}
