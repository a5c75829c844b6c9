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
    /// The fully resolved defaults and max for one user.
    func limits(user: String, groups: [String]) -> (defaults: Resources, max: Resources)
}
