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
    public static let builtinMax = Resources(cpu: .unlimited, mem: .unlimited, tasks: .infinity)

    public var adminGroup: String? { settings.adminGroup?.value }
    public var readerGroup: String? { settings.readerGroup?.value }
    public var reserve: Capacity { Capacity(cpu: settings.reserveCPU?.value ?? .zero, mem: settings.reserveMem?.value ?? .zero) }
    public var cpuOvercommit: Overcommit { settings.cpuOvercommit?.value ?? .none }
    public var allocator: FairShareRule { settings.allocator?.value ?? .polynomial }
    public var idleRelease: TimeSpan? { settings.idleRelease?.value.span }

    /// The global section over the built-in values.
    public var globalLimits: EffectiveLimits {
        EffectiveLimits(defaults: settings.global.defaults.resolved(over: SourcedResources(Self.builtinDefaults)),
                        max: settings.global.max.resolved(over: SourcedResources(Self.builtinMax)))
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
        }
        if let own = settings.users[user] {
            limits.defaults = own.defaults.resolved(over: limits.defaults)
            limits.max = own.max.resolved(over: limits.max)
        }
        limits.defaults.clamp(to: limits.max)
        return limits
    }
}

/// One user's resolved `defaults` and `max`, each value with its origin.
public struct EffectiveLimits: Equatable, Sendable {
    public var defaults: SourcedResources
    public var max: SourcedResources
}

extension SourcedResources {
    init(_ builtin: Resources) {
        self.init(cpu: Sourced(builtin.cpu, from: .builtin), mem: Sourced(builtin.mem, from: .builtin),
                  tasks: Sourced(builtin.tasks, from: .builtin))
    }

    /// Lowers every value above `limit` to it (and takes its origin).
    mutating func clamp(to limit: SourcedResources) {
        if cpu.value > limit.cpu.value { cpu = limit.cpu }
        if mem.value > limit.mem.value { mem = limit.mem }
        if tasks.value > limit.tasks.value { tasks = limit.tasks }
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
        }
        return best
    }
}
