/// What the kernel is told about one user's slice: the grant, turned into
/// unit properties according to the user's `sharing:` (fairshare-policy(5),
/// ALLOCATION). Pure: the daemon computes it and the controller sends it.
///
/// * `strict`: `CPUQuota=` and `MemoryMax=` at the grant (as fairshare
///   always did).
/// * `lend`: `CPUWeight=` (and `IOWeight=`, unless one is set explicitly)
///   in proportion to the granted CPUs, `CPUQuota=` at the burst ceiling;
///   on cgroup v2 also `MemoryLow=` and `MemoryMin=` at the granted memory
///   and `MemoryHigh=`/`MemoryMax=` at the burst ceiling. `MemoryLow=`
///   alone is best effort: when nothing else is reclaimable (a borrower's
///   anonymous memory on a machine without swap) the kernel reclaims
///   protected pages before it kills anyone — measured in the VM, a lender
///   kept 42 % of a 96M working set. `MemoryMin=` makes the guarantee hard:
///   the borrower above its grant is what the OOM killer finds instead.
///   Both protect only what is in use, so an idle guarantee is still lent. cgroup v1 has no
///   `memory.low`, so there memory stays strict (`MemoryMax=` at the
///   grant): lending memory without protection would let a borrower push
///   the lender out.
///
/// Weights only count among siblings, the slices in `fairshare.slice`;
/// once any user lends, every slice there gets a weight in proportion to
/// its grant (strict ones too, so a strict guarantee is not diluted by a
/// borrower's default weight).
public struct SliceShape: Hashable, Sendable {
    public var sharing: Sharing
    /// What was granted: the guarantee under `lend`.
    public var grant: Resources
    /// How far CPU and memory may go: the grant under `strict`.
    public var ceiling: Capacity
    /// `CPUWeight=`; nil leaves systemd's default.
    public var cpuWeight: UInt64?
    /// `IOWeight=` when derived from the grant; nil when the grant's own
    /// `io.weight` (or none) applies.
    public var ioWeight: UInt64?
    /// `MemoryLow=` and `MemoryMin=`; nil on strict slices and on cgroup v1.
    public var memoryLow: ByteSize?
    /// `MemoryHigh=` as reclaim has lowered it; nil: at the ceiling.
    public var memoryHigh: ByteSize?

    /// systemd's "unset" for weights (`CGROUP_WEIGHT_INVALID`) and
    /// "infinity" for memory: what a reset sends.
    public static let unset: UInt64 = .max

    /// The weight for `cpu`: 100 (systemd's default) per CPU, from 1 to
    /// 10000 (0.5 CPUs: 50; 2 CPUs: 200; 100 CPUs and more: 10000).
    public static func weight(for cpu: CPUQuantity) -> UInt64 {
        Swift.min(10_000, Swift.max(1, (cpu.usecPerSecond + 5_000) / 10_000))
    }

    /// - Parameters:
    ///   - weighted: whether slices get weights at all (the policy lends
    ///     somewhere); a strict slice of a policy that never lends is sent
    ///     exactly what it always was.
    ///   - memoryProtection: whether the kernel has `memory.low` (cgroup v2).
    public init(grant: Resources, sharing: Sharing, burst: Burst, userMax: Resources, pool: Capacity,
                weighted: Bool, memoryProtection: Bool) {
        self.sharing = sharing
        self.grant = grant
        let weight = weighted || sharing == .lend ? Self.weight(for: grant.cpu) : nil
        cpuWeight = weight
        ioWeight = grant.io.weight == nil ? weight : nil
        switch sharing {
        case .strict:
            ceiling = Capacity(cpu: grant.cpu, mem: grant.mem)
        case .lend:
            let limit = BurstCeiling.of(grant: Capacity(cpu: grant.cpu, mem: grant.mem), burst: burst,
                                        userMax: Capacity(cpu: userMax.cpu, mem: userMax.mem), pool: pool)
            ceiling = Capacity(cpu: limit.cpu, mem: memoryProtection ? limit.mem : grant.mem)
            memoryLow = memoryProtection ? grant.mem : nil
        }
    }

    /// Whether memory goes above the grant (lend on cgroup v2).
    public var lendsMemory: Bool { memoryLow != nil && ceiling.mem > grant.mem }

    /// The properties that make the kernel hold this shape. `resetting`
    /// also sends systemd's defaults for what this shape leaves unset, so
    /// a slice that lent before (a policy change) loses its weights,
    /// protection and raised ceilings.
    public func unitProperties(resetting: Bool = false) -> [UnitProperty] {
        var out: [UnitProperty] = [
            UnitProperty("CPUQuotaPerSecUSec", .uint64(ceiling.cpu.usecPerSecond)),
            UnitProperty("MemoryMax", .uint64(ceiling.mem.bytes)),
            UnitProperty("TasksMax", .uint64(grant.tasks.count)),
        ] + grant.io.unitProperties
        if let cpuWeight { out.append(UnitProperty("CPUWeight", .uint64(cpuWeight))) } else if resetting { out.append(UnitProperty("CPUWeight", .uint64(Self.unset))) }
        if let ioWeight {
            out.append(UnitProperty("IOWeight", .uint64(ioWeight)))
        } else if resetting && grant.io.weight == nil {
            out.append(UnitProperty("IOWeight", .uint64(Self.unset)))
        }
        if let memoryLow {
            out.append(UnitProperty("MemoryMin", .uint64(memoryLow.bytes)))
            out.append(UnitProperty("MemoryLow", .uint64(memoryLow.bytes)))
            out.append(UnitProperty("MemoryHigh", .uint64((memoryHigh ?? ceiling.mem).bytes)))
        } else if resetting {
            out.append(UnitProperty("MemoryMin", .uint64(0)))
            out.append(UnitProperty("MemoryLow", .uint64(0)))
            out.append(UnitProperty("MemoryHigh", .uint64(Self.unset)))
        }
        return out
    }
}
