/// CPU, memory and tasks for one user: what they hold, ask for, or may have.
public struct Resources: Hashable, Sendable {
    public var cpu: CPUQuantity
    public var mem: ByteSize
    public var tasks: TaskLimit

    public init(cpu: CPUQuantity, mem: ByteSize, tasks: TaskLimit) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
    }

    /// "0.5 CPUs / 64M", the form `status` prints.
    public var summary: String { "\(cpu.withUnit) / \(mem)" }
}

/// A partial set of resources: each field may be left to a default.
public struct ResourceRequest: Hashable, Sendable {
    public var cpu: CPUQuantity?
    public var mem: ByteSize?
    public var tasks: TaskLimit?
    /// How long the allocation is wanted (`request --for`); nil keeps what
    /// is held (no lease for a first request).
    public var lease: TimeSpan?

    public init(cpu: CPUQuantity? = nil, mem: ByteSize? = nil, tasks: TaskLimit? = nil, lease: TimeSpan? = nil) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.lease = lease
    }

    public var isEmpty: Bool { cpu == nil && mem == nil && tasks == nil }

    /// Fills what is unset from `defaults`.
    public func resolved(defaults: Resources) -> Resources {
        Resources(cpu: cpu ?? defaults.cpu, mem: mem ?? defaults.mem, tasks: tasks ?? defaults.tasks)
    }
}
