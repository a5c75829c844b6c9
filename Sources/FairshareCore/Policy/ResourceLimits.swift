/// The `cpu`, `mem`, `tasks`, `io` and `gpus` of one `defaults:` or `max:`
/// block, each with its origin; unset keys fall through to the next scope
/// (an `io:` block as a whole).
public struct ResourceLimits: Equatable, Sendable {
    public var cpu: Sourced<CPUQuantity>?
    public var mem: Sourced<ByteSize>?
    public var tasks: Sourced<TaskLimit>?
    public var io: Sourced<IOLimits>?
    public var gpus: Sourced<GPUSpec>?

    public init(cpu: Sourced<CPUQuantity>? = nil, mem: Sourced<ByteSize>? = nil, tasks: Sourced<TaskLimit>? = nil,
                io: Sourced<IOLimits>? = nil, gpus: Sourced<GPUSpec>? = nil) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
        self.gpus = gpus
    }

    public var isEmpty: Bool { cpu == nil && mem == nil && tasks == nil && io == nil && gpus == nil }

    /// `later`'s keys replace these, key by key.
    public mutating func override(with later: ResourceLimits) {
        cpu.override(with: later.cpu)
        mem.override(with: later.mem)
        tasks.override(with: later.tasks)
        io.override(with: later.io)
        gpus.override(with: later.gpus)
    }

    /// Fills every key, unset ones from `fallback`.
    public func resolved(over fallback: SourcedResources) -> SourcedResources {
        SourcedResources(cpu: cpu ?? fallback.cpu, mem: mem ?? fallback.mem, tasks: tasks ?? fallback.tasks,
                         io: io ?? fallback.io, gpus: gpus ?? fallback.gpus)
    }
}

/// A complete set of resources with the origin of each.
public struct SourcedResources: Equatable, Sendable {
    public var cpu: Sourced<CPUQuantity>
    public var mem: Sourced<ByteSize>
    public var tasks: Sourced<TaskLimit>
    public var io: Sourced<IOLimits>
    public var gpus: Sourced<GPUSpec>

    public init(cpu: Sourced<CPUQuantity>, mem: Sourced<ByteSize>, tasks: Sourced<TaskLimit>,
                io: Sourced<IOLimits>, gpus: Sourced<GPUSpec>) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
        self.gpus = gpus
    }

    public var values: Resources {
        Resources(cpu: cpu.value, mem: mem.value, tasks: tasks.value, io: io.value, gpus: gpus.value.count)
    }
}

/// What one scope (the global section, a user, a group) says.
public struct ScopeLimits: Equatable, Sendable {
    public var defaults = ResourceLimits()
    public var max = ResourceLimits()
    /// `disk:`, replaced as a whole by a later file's.
    public var disk: Sourced<DiskQuota>?
    /// `login:`: the cap on the account's `user-UID.slice` (cpu, mem,
    /// tasks, io; never gpus), key by key like `max:`.
    public var login = ResourceLimits()
    /// `sharing:` and `burst:` (fairshare-policy(5), ALLOCATION).
    public var sharing: Sourced<Sharing>?
    public var burst: Sourced<Burst>?

    public init(defaults: ResourceLimits = ResourceLimits(), max: ResourceLimits = ResourceLimits(), disk: Sourced<DiskQuota>? = nil,
                login: ResourceLimits = ResourceLimits(), sharing: Sourced<Sharing>? = nil, burst: Sourced<Burst>? = nil) {
        self.defaults = defaults
        self.max = max
        self.disk = disk
        self.login = login
        self.sharing = sharing
        self.burst = burst
    }

    public var isEmpty: Bool { defaults.isEmpty && max.isEmpty && disk == nil && login.isEmpty && sharing == nil && burst == nil }

    public mutating func override(with later: ScopeLimits) {
        defaults.override(with: later.defaults)
        max.override(with: later.max)
        disk.override(with: later.disk)
        login.override(with: later.login)
        sharing.override(with: later.sharing)
        burst.override(with: later.burst)
    }
}
