/// CPU, memory, tasks, IO and GPUs for one user: what they hold, ask for,
/// or may have. CPU and memory come from a shared pool; IO settings and
/// the GPU count are per user (which GPUs: `Allocation.gpuDevices`).
public struct Resources: Hashable, Sendable {
    public var cpu: CPUQuantity
    public var mem: ByteSize
    public var tasks: TaskLimit
    public var io: IOLimits
    public var gpus: Int

    public init(cpu: CPUQuantity, mem: ByteSize, tasks: TaskLimit, io: IOLimits = .none, gpus: Int = 0) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
        self.gpus = gpus
    }

    /// "0.5 CPUs / 64M" (", 1 GPU"), the form `status` prints.
    public var summary: String {
        "\(cpu.withUnit) / \(mem)" + (gpus > 0 ? ", \(gpus) GPU\(gpus == 1 ? "" : "s")" : "")
    }

    /// CPU, memory and tasks: what systemd reports back for a slice.
    public var kernelLimits: Resources { Resources(cpu: cpu, mem: mem, tasks: tasks) }
}

/// A partial set of resources: each field may be left to a default.
public struct ResourceRequest: Hashable, Sendable {
    public var cpu: CPUQuantity?
    public var mem: ByteSize?
    public var tasks: TaskLimit?
    /// How long the allocation is wanted (`request --for`); nil keeps what
    /// is held (no lease for a first request).
    public var lease: TimeSpan?
    /// IO settings to change: the weight and the devices named replace
    /// what is held; the rest stays.
    public var io: IOLimits
    public var gpus: Int?

    public init(cpu: CPUQuantity? = nil, mem: ByteSize? = nil, tasks: TaskLimit? = nil, lease: TimeSpan? = nil,
                io: IOLimits = .none, gpus: Int? = nil) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.lease = lease
        self.io = io
        self.gpus = gpus
    }

    public var isEmpty: Bool { cpu == nil && mem == nil && tasks == nil && io.isEmpty && gpus == nil }

    /// Fills what is unset from `defaults`.
    public func resolved(defaults: Resources) -> Resources {
        Resources(cpu: cpu ?? defaults.cpu, mem: mem ?? defaults.mem, tasks: tasks ?? defaults.tasks,
                  io: defaults.io.updated(with: io), gpus: gpus ?? defaults.gpus)
    }
}
