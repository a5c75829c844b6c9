/// `fairshare admin check --capacity`: on a machine's pool, with the
/// policy's allocator, overcommit, defaults and floor, what users who each
/// make a plain first request get, one after another — so an administrator
/// sees the effect before users do. Pure.
public struct CapacityForecast: Equatable, Sendable {
    /// What the k-th user (from 1) got: their grant and what shrank, or the
    /// refusal that stopped the row.
    public enum Turn: Equatable, Sendable {
        case granted(Resources, shrunk: [DefaultGrant.Shrunk])
        case refused(Refusal)
    }

    public var pool: Capacity
    public var cpuOvercommit: Double
    public var allocator: FairShareRule
    public var defaults: Resources
    public var turns: [Turn]

    /// How many users in a row got the full defaults.
    public var fullDefaults: Int {
        turns.prefix { if case .granted(_, let shrunk) = $0 { shrunk.isEmpty } else { false } }.count
    }

    /// Users one after another until one is refused or `users` is reached.
    public static func simulate(policy: Policy, machine: Capacity, users: Int = 1000) -> CapacityForecast {
        let limits = policy.globalLimits
        let capacity = Capacity(cpu: machine.cpu - policy.reserve.cpu, mem: machine.mem - policy.reserve.mem)
        var holdings = Holdings()
        var turns: [Turn] = []
        for _ in 0..<max(users, 0) {
            let pool = Admission.Pool(capacity: capacity, holdings: holdings, rule: policy.allocator, cpuOvercommit: policy.cpuOvercommit.factor)
            switch DefaultGrant.evaluate(wanted: limits.defaults.values, namedCPU: false, namedMem: false, held: nil,
                                         userMax: limits.max.values, minimum: policy.minimum, pool: pool) {
            case .success(let outcome):
                holdings.add(outcome.granted)
                turns.append(.granted(outcome.granted, shrunk: outcome.shrunk))
            case .failure(let refusal):
                turns.append(.refused(refusal))
                return CapacityForecast(pool: capacity, cpuOvercommit: policy.cpuOvercommit.factor, allocator: policy.allocator,
                                        defaults: limits.defaults.values, turns: turns)
            }
        }
        return CapacityForecast(pool: capacity, cpuOvercommit: policy.cpuOvercommit.factor, allocator: policy.allocator,
                                defaults: limits.defaults.values, turns: turns)
    }

    /// The turns worth printing: the first after the full defaults, then
    /// ever further apart (k = F+1, F+2, F+3, F+5, F+9, …), and the last.
    public var notableTurns: [(k: Int, turn: Turn)] {
        var picked: [Int] = []
        var step = 1
        var k = fullDefaults + 1
        while k <= turns.count {
            picked.append(k)
            k = fullDefaults + 1 + step
            step *= 2
        }
        if let last = picked.last, last != turns.count, !turns.isEmpty { picked.append(turns.count) }
        return picked.map { ($0, turns[$0 - 1]) }
    }
}
