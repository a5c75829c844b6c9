/// Which resource a decision is about.
public enum ResourceKind: String, Sendable, CaseIterable {
    case cpu, mem, tasks, io, gpus
}

/// Why a request was not granted: the resource, the bound that stopped it,
/// and the most that would be granted now.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Bound: String, Sendable {
        /// The user's `max` from the policy.
        case userMax = "max"
        /// What the pool has left.
        case available
        /// The fairdist bound: no one takes more than a share of what is
        /// left, so newcomers always find room.
        case fairShare = "fair_share"
    }

    public var resource: ResourceKind
    public var bound: Bound
    public var requested: String
    public var limit: String
    /// The largest value of `resource` that would be granted now.
    public var fits: String

    public var description: String {
        switch bound {
        case .userMax:
            "\(resource.rawValue) \(requested) exceeds your maximum of \(limit) (policy 'max.\(resource.rawValue)')"
        case .available:
            "\(resource.rawValue) \(requested) exceeds what is available (\(limit) free for you); at most \(fits) would be granted now"
        case .fairShare:
            "\(resource.rawValue) \(requested) exceeds your fair share of what is left (\(limit) while others hold the rest); at most \(fits) would be granted now"
        }
    }

    public var details: JSONObject {
        ["resource": .string(resource.rawValue), "bound": .string(bound.rawValue),
         "requested": .string(requested), "limit": .string(limit), "fits": .string(fits)]
    }
}
