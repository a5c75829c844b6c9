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

extension CapacityForecast {
    /// The forecast as people read it: the pool, then who gets what.
    public func lines(minimum: Capacity) -> [String] {
        let promised = cpuOvercommit > 1
            ? " (CPU promised \(Self.factor(cpuOvercommit)) times over: \(CPUQuantity(usecPerSecond: UInt64(saturating: Double(pool.cpu.usecPerSecond) * cpuOvercommit)).withUnit))"
            : ""
        var out = ["Pool: \(pool.cpu.withUnit) / \(pool.mem)\(promised); allocator \(allocator.rawValue); defaults \(defaults.cpu.withUnit) / \(defaults.mem); min \(minimum.cpu.withUnit) / \(minimum.mem)"]
        let full = fullDefaults
        switch full {
        case 0: out.append("No user gets the full defaults.")
        case turns.count where turns.count >= 1000: out.append("Users 1–\(full) in a row get the full defaults (the forecast stops at 1000).")
        case 1: out.append("User 1 gets the full defaults.")
        default: out.append("Users 1–\(full) in a row get the full defaults.")
        }
        for (k, turn) in notableTurns {
            switch turn {
            case .granted(let r, let shrunk):
                let what = shrunk.isEmpty ? "the full defaults" : "\(r.cpu.withUnit) / \(r.mem)"
                out.append("User \(k) gets \(what)" + (shrunk.isEmpty ? "" : " (less \(shrunk.map { $0.resource == .cpu ? "CPU" : "memory" }.joined(separator: " and ")))"))
            case .refused(let refusal):
                out.append("User \(k) is refused: \(refusal)")
            }
        }
        return out
    }

    /// "4", "1.5".
    static func factor(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        return hundredths % 100 == 0 ? "\(hundredths / 100)" : String(Double(hundredths) / 100)
    }
}
