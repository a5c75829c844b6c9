/// The `cpu`, `mem` and `tasks` of one `defaults:` or `max:` block, each
/// with its origin; unset keys fall through to the next scope.
public struct ResourceLimits: Equatable, Sendable {
    public var cpu: Sourced<CPUQuantity>?
    public var mem: Sourced<ByteSize>?
    public var tasks: Sourced<TaskLimit>?

    public init(cpu: Sourced<CPUQuantity>? = nil, mem: Sourced<ByteSize>? = nil, tasks: Sourced<TaskLimit>? = nil) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
    }

    public var isEmpty: Bool { cpu == nil && mem == nil && tasks == nil }

    /// `later`'s keys replace these, key by key.
    public mutating func override(with later: ResourceLimits) {
        cpu.override(with: later.cpu)
        mem.override(with: later.mem)
        tasks.override(with: later.tasks)
    }

    /// Fills every key, unset ones from `fallback`.
    public func resolved(over fallback: SourcedResources) -> SourcedResources {
        SourcedResources(cpu: cpu ?? fallback.cpu, mem: mem ?? fallback.mem, tasks: tasks ?? fallback.tasks)
    }
}

/// A complete set of resources with the origin of each.
public struct SourcedResources: Equatable, Sendable {
    public var cpu: Sourced<CPUQuantity>
    public var mem: Sourced<ByteSize>
    public var tasks: Sourced<TaskLimit>

    public init(cpu: Sourced<CPUQuantity>, mem: Sourced<ByteSize>, tasks: Sourced<TaskLimit>) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
    }

    public var values: Resources { Resources(cpu: cpu.value, mem: mem.value, tasks: tasks.value) }
}

/// What one scope (the global section, a user, a group) says.
public struct ScopeLimits: Equatable, Sendable {
    public var defaults = ResourceLimits()
    public var max = ResourceLimits()

    public init(defaults: ResourceLimits = ResourceLimits(), max: ResourceLimits = ResourceLimits()) {
        self.defaults = defaults
        self.max = max
    }

    public var isEmpty: Bool { defaults.isEmpty && max.isEmpty }

    public mutating func override(with later: ScopeLimits) {
        defaults.override(with: later.defaults)
        max.override(with: later.max)
    }
}
