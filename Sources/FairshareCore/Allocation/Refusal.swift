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
        /// A default shrunk to fit would fall below the policy's `min`.
        case minimum = "min"
    }

    public var resource: ResourceKind
    public var bound: Bound
    public var requested: String
    public var limit: String
    /// The largest value of `resource` that would be granted now.
    public var fits: String
    /// For `.minimum`: how much of the pool is held, and by how many users.
    public var pool: (held: String, capacity: String, holders: Int)?

    public init(resource: ResourceKind, bound: Bound, requested: String, limit: String, fits: String,
                pool: (held: String, capacity: String, holders: Int)? = nil) {
        self.resource = resource
        self.bound = bound
        self.requested = requested
        self.limit = limit
        self.fits = fits
        self.pool = pool
    }

    public static func == (a: Refusal, b: Refusal) -> Bool {
        a.resource == b.resource && a.bound == b.bound && a.requested == b.requested && a.limit == b.limit && a.fits == b.fits
            && a.pool?.held == b.pool?.held && a.pool?.capacity == b.pool?.capacity && a.pool?.holders == b.pool?.holders
    }

    public var description: String {
        switch bound {
        case .userMax:
            "\(resource.rawValue) \(requested) exceeds your maximum of \(limit) (policy 'max.\(resource.rawValue)')"
        case .available:
            "\(resource.rawValue) \(requested) exceeds what is available (\(limit) free for you); at most \(fits) would be granted now"
        case .fairShare:
            "\(resource.rawValue) \(requested) exceeds your fair share of what is left (\(limit) while others hold the rest); at most \(fits) would be granted now"
        case .minimum:
            "\(resource.rawValue): your fair share now is \(fits), below the policy's minimum of \(limit) (policy 'min.\(resource.rawValue)')"
                + (pool.map { "; \($0.held) of \($0.capacity) \($0.holders == 1 ? "is" : "are") held by \($0.holders) user\($0.holders == 1 ? "" : "s")" } ?? "")
                + " — try again when some is released"
        }
    }

    public var details: JSONObject {
        var d: JSONObject = ["resource": .string(resource.rawValue), "bound": .string(bound.rawValue),
                             "requested": .string(requested), "limit": .string(limit), "fits": .string(fits)]
        if let pool {
            d["held"] = .string(pool.held)
            d["capacity"] = .string(pool.capacity)
            d["holders"] = .uint(UInt64(pool.holders))
        }
        return d
    }
}
