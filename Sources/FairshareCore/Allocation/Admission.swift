/// Decides whether a user may hold `requested`. Pure.
///
/// Granted iff, for each resource:
/// * it is within the user's `max` (tasks have only this bound);
/// * for the pooled resources, CPU (times `overcommit`) and memory, it fits
///   in what the pool has left once the user's own holding is given back;
/// * and it respects the fairdist bound of `rule` (see `FairShareRule`):
///   `A(n)·total − share ≤ remaining`, n counting the requester.
/// Shrinking is always granted: it only gives back.
public enum Admission {
    public struct Pool: Sendable {
        public var capacity: Capacity
        public var holdings: Holdings
        public var rule: FairShareRule
        /// CPU may be promised this many times over (≥ 1); memory never.
        public var cpuOvercommit: Double

        public init(capacity: Capacity, holdings: Holdings, rule: FairShareRule = .polynomial, cpuOvercommit: Double = 1) {
            self.capacity = capacity
            self.holdings = holdings
            self.rule = rule
            self.cpuOvercommit = cpuOvercommit
        }

        /// The CPU the pool may promise (at most UInt64.max).
        public var cpuCapacity: CPUQuantity {
            CPUQuantity(usecPerSecond: UInt64(saturating: Double(capacity.cpu.usecPerSecond) * max(1, cpuOvercommit)))
        }
    }

    public static func evaluate(requested: Resources, held: Resources?, userMax: Resources, pool: Pool) -> Result<Resources, Refusal> {
        if requested.cpu > userMax.cpu {
            return .failure(Refusal(resource: .cpu, bound: .userMax, requested: requested.cpu.withUnit,
                                    limit: userMax.cpu.withUnit, fits: userMax.cpu.withUnit))
        }
        if requested.mem > userMax.mem {
            return .failure(Refusal(resource: .mem, bound: .userMax, requested: "\(requested.mem)",
                                    limit: "\(userMax.mem)", fits: "\(userMax.mem)"))
        }
        if requested.tasks > userMax.tasks {
            return .failure(Refusal(resource: .tasks, bound: .userMax, requested: "\(requested.tasks)",
                                    limit: "\(userMax.tasks)", fits: "\(userMax.tasks)"))
        }
        if let excess = requested.io.firstExcess(over: userMax.io) {
            return .failure(Refusal(resource: .io, bound: .userMax, requested: "\(excess.wanted)", limit: excess.limit, fits: excess.limit))
        }
        if requested.gpus > userMax.gpus {
            return .failure(Refusal(resource: .gpus, bound: .userMax, requested: "\(requested.gpus)", limit: "\(userMax.gpus)", fits: "\(userMax.gpus)"))
        }
        // n counts the requester: a newcomer makes one more holder.
        let holders = pool.holdings.holders + (held == nil ? 1 : 0)
        let cpu = check(total: requested.cpu.usecPerSecond, share: held?.cpu.usecPerSecond ?? 0,
                        capacity: pool.cpuCapacity.usecPerSecond, held: pool.holdings.cpu.usecPerSecond,
                        max: userMax.cpu.usecPerSecond, holders: holders, rule: pool.rule)
        if let (bound, limit, fits) = cpu {
            let q = { CPUQuantity(usecPerSecond: $0).withUnit }
            return .failure(Refusal(resource: .cpu, bound: bound, requested: requested.cpu.withUnit, limit: q(limit), fits: q(fits)))
        }
        let mem = check(total: requested.mem.bytes, share: held?.mem.bytes ?? 0,
                        capacity: pool.capacity.mem.bytes, held: pool.holdings.mem.bytes,
                        max: userMax.mem.bytes, holders: holders, rule: pool.rule)
        if let (bound, limit, fits) = mem {
            let s = { "\(ByteSize(bytes: $0))" }
            return .failure(Refusal(resource: .mem, bound: bound, requested: "\(requested.mem)", limit: s(limit), fits: s(fits)))
        }
        return .success(requested)
    }

    /// nil when `total` is admissible; otherwise the bound that stops it,
    /// that bound's value, and the largest total that would be granted.
    static func check(total: UInt64, share: UInt64, capacity: UInt64, held: UInt64, max userMax: UInt64,
                      holders: Int, rule: FairShareRule) -> (Refusal.Bound, UInt64, UInt64)? {
        guard total > share else { return nil }
        let remaining = capacity.subtractingSaturating(held)
        let free = remaining.addingSaturating(share)   // what this user could hold at most
        let fair = rule.largestTotal(share: share, remaining: remaining, holders: holders)
        let fits = min(userMax, free, fair)
        if total > free { return (.available, free, fits) }
        if !rule.admits(total: total, share: share, remaining: remaining, holders: holders) {
            return (.fairShare, fair, fits)
        }
        return nil
    }

    /// The most CPU and memory a user holding `held` (nil: a newcomer)
    /// could hold now: within their max, what the pool has free and the
    /// fairdist bound (`check`'s `fits`).
    public static func largestAdmissible(held: Resources?, userMax: Resources, pool: Pool) -> Capacity {
        let holders = pool.holdings.holders + (held == nil ? 1 : 0)
        func largest(share: UInt64, capacity: UInt64, heldInPool: UInt64, max: UInt64) -> UInt64 {
            let remaining = capacity.subtractingSaturating(heldInPool)
            return Swift.min(max, remaining.addingSaturating(share),
                             pool.rule.largestTotal(share: share, remaining: remaining, holders: holders))
        }
        return Capacity(
            cpu: CPUQuantity(usecPerSecond: largest(share: held?.cpu.usecPerSecond ?? 0, capacity: pool.cpuCapacity.usecPerSecond,
                                                    heldInPool: pool.holdings.cpu.usecPerSecond, max: userMax.cpu.usecPerSecond)),
            mem: ByteSize(bytes: largest(share: held?.mem.bytes ?? 0, capacity: pool.capacity.mem.bytes,
                                         heldInPool: pool.holdings.mem.bytes, max: userMax.mem.bytes)))
    }
}
