/// A first request's defaults shrink to fit (fairshare-policy(5), SHRINK
/// TO FIT): where the user named no amount of CPU or memory, they get the
/// policy default or the largest amount admissible now (max, pool,
/// fairdist), whichever is smaller — never less than the policy's `min`.
/// Amounts the user named keep the all-or-nothing answer of `Admission`,
/// and a change of a held allocation keeps what it does not name. Pure.
public enum DefaultGrant {
    /// A default that was lowered: what the policy says and what was granted.
    public struct Shrunk: Equatable, Sendable {
        public var resource: ResourceKind
        public var policyDefault: String
        public var granted: String

        public init(resource: ResourceKind, policyDefault: String, granted: String) {
            self.resource = resource
            self.policyDefault = policyDefault
            self.granted = granted
        }
    }

    public struct Outcome: Equatable, Sendable {
        public var granted: Resources
        public var shrunk: [Shrunk]
    }

    /// `wanted`: the request over the defaults (`ResourceRequest.resolved`);
    /// `named`: which of CPU and memory the user gave explicitly.
    public static func evaluate(wanted: Resources, namedCPU: Bool, namedMem: Bool, held: Resources?, userMax: Resources,
                                minimum: Capacity, pool: Admission.Pool) -> Result<Outcome, Refusal> {
        var wanted = wanted
        var shrunk: [Shrunk] = []
        var belowFloor: Refusal?
        if held == nil {
            let room = rounded(Admission.largestAdmissible(held: nil, userMax: userMax, pool: pool))
            let poolState = { (held: String, capacity: String) in (held, capacity, pool.holdings.holders) }
            if !namedCPU, wanted.cpu > room.cpu {
                if room.cpu < minimum.cpu {
                    belowFloor = Refusal(resource: .cpu, bound: .minimum, requested: wanted.cpu.withUnit, limit: minimum.cpu.withUnit,
                                         fits: room.cpu.withUnit, pool: poolState(pool.holdings.cpu.withUnit, pool.cpuCapacity.withUnit))
                }
                shrunk.append(Shrunk(resource: .cpu, policyDefault: wanted.cpu.withUnit, granted: room.cpu.withUnit))
                wanted.cpu = room.cpu
            }
            if !namedMem, wanted.mem > room.mem {
                if room.mem < minimum.mem, belowFloor == nil {
                    belowFloor = Refusal(resource: .mem, bound: .minimum, requested: "\(wanted.mem)", limit: "\(minimum.mem)",
                                         fits: "\(room.mem)", pool: poolState("\(pool.holdings.mem)", "\(pool.capacity.mem)"))
                }
                shrunk.append(Shrunk(resource: .mem, policyDefault: "\(wanted.mem)", granted: "\(room.mem)"))
                wanted.mem = room.mem
            }
        }
        // What the user named is answered first, all or nothing.
        return Admission.evaluate(requested: wanted, held: held, userMax: userMax, pool: pool).flatMap { granted in
            if let belowFloor { return .failure(belowFloor) }
            return .success(Outcome(granted: granted, shrunk: shrunk))
        }
    }

    /// Down to what systemd sets and people read: CPU in hundredths
    /// (CPUQuota= is in percent), memory in whole MiB.
    static func rounded(_ room: Capacity) -> Capacity {
        Capacity(cpu: CPUQuantity(usecPerSecond: room.cpu.usecPerSecond / 10_000 * 10_000),
                 mem: ByteSize(bytes: (room.mem.bytes >> 20) << 20))
    }
}
