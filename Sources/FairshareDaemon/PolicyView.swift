import FairshareCore

/// What request handling needs from the policy.
public protocol PolicyView: Sendable {
    var adminGroup: String? { get }
    var readerGroup: String? { get }
    /// The fully resolved defaults and max for one user.
    func limits(user: String, groups: [String]) -> (defaults: Resources, max: Resources)
}
