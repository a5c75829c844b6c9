/// The policy in force: every file merged in order and checked, with
/// fairshare's built-in values for what no file sets.
public struct Policy: Sendable {
    public var settings: PolicySettings
    /// The files read, in the order they were applied.
    public var files: [String]

    public init(settings: PolicySettings = PolicySettings(), files: [String] = []) {
        self.settings = settings
        self.files = files
    }

    public static let builtinDefaults = Resources(cpu: CPUQuantity(cpus: 1), mem: .gibibytes(1), tasks: TaskLimit(1024))
    public static let builtinMax = Resources(cpu: .unlimited, mem: .unlimited, tasks: .infinity, gpus: GPUSpec.all.count)

    public var adminGroup: String? { settings.adminGroup?.value }
    public var readerGroup: String? { settings.readerGroup?.value }
    /// The smallest grant worth making, for each pooled resource: a default
    /// that shrinks to fit below it is refused instead.
    public static let builtinMinimum = Capacity(cpu: CPUQuantity(usecPerSecond: 100_000), mem: .mebibytes(64))
    public var minimum: Capacity {
        Capacity(cpu: settings.minCPU?.value ?? Self.builtinMinimum.cpu, mem: settings.minMem?.value ?? Self.builtinMinimum.mem)
    }
    public var reserve: Capacity { Capacity(cpu: settings.reserveCPU?.value ?? .zero, mem: settings.reserveMem?.value ?? .zero) }
    public var cpuOvercommit: Overcommit { settings.cpuOvercommit?.value ?? .none }
    public var allocator: FairShareRule { settings.allocator?.value ?? .polynomial }
    public var idleRelease: TimeSpan? { settings.idleRelease?.value.span }
    public var daemonLimits: DaemonLimits { settings.daemon.resolved }

    /// Whether the policy hands out GPUs: it sets `gpus` somewhere. Only
    /// then do user slices get a device policy (a machine whose policy
    /// never mentions GPUs keeps its device access as it was).
    public var managesGPUs: Bool {
        let scopes = [settings.global] + Array(settings.users.values) + Array(settings.groups.values)
        return scopes.contains { $0.defaults.gpus != nil || $0.max.gpus != nil }
    }

    /// Whether any scope lends (`sharing: lend`): then every user slice
    /// gets a `CPUWeight=` in proportion to its grant (SliceShape).
    public var lends: Bool {
        let scopes = [settings.global] + Array(settings.users.values) + Array(settings.groups.values)
        return scopes.contains { $0.sharing?.value == .lend }
    }

    /// Whether any scope sets `disk:`.
    public var setsDiskQuotas: Bool {
        settings.global.disk != nil || settings.users.values.contains { $0.disk != nil } || settings.groups.values.contains { $0.disk != nil }
    }

    /// The global section over the built-in values.
    public var globalLimits: EffectiveLimits {
        EffectiveLimits(defaults: settings.global.defaults.resolved(over: SourcedResources(Self.builtinDefaults, gpus: .count(0))),
                        max: settings.global.max.resolved(over: SourcedResources(Self.builtinMax, gpus: .all)),
                        disk: settings.global.disk,
                        sharing: settings.global.sharing ?? Sourced(.strict, from: .builtin),
                        burst: settings.global.burst ?? Sourced(.max, from: .builtin))
    }

    /// What `user`, a member of `groups`, may have: their own entry, over
    /// their groups' entries, over the global section (fairshare-policy(5),
    /// PRECEDENCE). Where several of their groups set a key, the most
    /// generous value wins; groups that do not set it do not count. A
    /// default above the max is lowered to the max.
    public func effectiveLimits(user: String, groups: [String]) -> EffectiveLimits {
        var limits = globalLimits
        let groupScopes = groups.sorted().compactMap { settings.groups[$0] }
        if !groupScopes.isEmpty {
            limits.defaults = ResourceLimits.mostGenerous(groupScopes.map(\.defaults)).resolved(over: limits.defaults)
            limits.max = ResourceLimits.mostGenerous(groupScopes.map(\.max)).resolved(over: limits.max)
            let quotas = groupScopes.compactMap(\.disk)
            if let best = quotas.first(where: { q in !quotas.contains { $0.value.hardOrUnlimited > q.value.hardOrUnlimited } }) {
                limits.disk = best
            }
            // Sharing: `lend` is the more generous; burst: the largest.
            if let lend = groupScopes.compactMap(\.sharing).first(where: { $0.value == .lend }) ?? groupScopes.compactMap(\.sharing).first {
                limits.sharing = lend
            }
            let bursts = groupScopes.compactMap(\.burst)
            if let best = bursts.first(where: { b in !bursts.contains { Burst.moreGenerous($0.value, b.value) } }) { limits.burst = best }
        }
        if let own = settings.users[user] {
            limits.defaults = own.defaults.resolved(over: limits.defaults)
            limits.max = own.max.resolved(over: limits.max)
            if let disk = own.disk { limits.disk = disk }
            if let sharing = own.sharing { limits.sharing = sharing }
            if let burst = own.burst { limits.burst = burst }
        }
        limits.defaults.clamp(to: limits.max)
        return limits
    }
}

/// One user's resolved `defaults` and `max`, each value with its origin,
/// and their disk quota if the policy sets one.
public struct EffectiveLimits: Equatable, Sendable {
    public var defaults: SourcedResources
    public var max: SourcedResources
    public var disk: Sourced<DiskQuota>?
    public var sharing = Sourced(Sharing.strict, from: .builtin)
    public var burst = Sourced(Burst.max, from: .builtin)
}

extension SourcedResources {
    init(_ builtin: Resources, gpus: GPUSpec) {
        self.init(cpu: Sourced(builtin.cpu, from: .builtin), mem: Sourced(builtin.mem, from: .builtin),
                  tasks: Sourced(builtin.tasks, from: .builtin), io: Sourced(builtin.io, from: .builtin),
                  gpus: Sourced(gpus, from: .builtin))
    }

    /// Lowers every value above `limit` to it (and takes its origin).
    mutating func clamp(to limit: SourcedResources) {
        if cpu.value > limit.cpu.value { cpu = limit.cpu }
        if mem.value > limit.mem.value { mem = limit.mem }
        if tasks.value > limit.tasks.value { tasks = limit.tasks }
        if io.value.firstExcess(over: limit.io.value) != nil { io = Sourced(io.value.clamped(to: limit.io.value), from: limit.io.origin) }
        if gpus.value.count > limit.gpus.value.count { gpus = limit.gpus }
    }
}

extension ResourceLimits {
    /// Per key, the largest value any of `all` sets (the first on ties).
    static func mostGenerous(_ all: [ResourceLimits]) -> ResourceLimits {
        var best = ResourceLimits()
        for limits in all {
            if let v = limits.cpu, v.value > (best.cpu?.value ?? .zero) || best.cpu == nil { best.cpu = v }
            if let v = limits.mem, v.value > (best.mem?.value ?? .zero) || best.mem == nil { best.mem = v }
            if let v = limits.tasks, v.value > (best.tasks?.value ?? TaskLimit(0)) || best.tasks == nil { best.tasks = v }
            // io: the block with the larger weight (unset = systemd's 100).
            if let v = limits.io, best.io == nil || (v.value.weight ?? 100) > (best.io?.value.weight ?? 100) { best.io = v }
            if let v = limits.gpus, best.gpus == nil || v.value.count > best.gpus!.value.count { best.gpus = v }
        }
        return best
    }
}
