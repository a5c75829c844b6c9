/// What the pool can hand out: the machine's CPUs and memory minus what the
/// policy reserves for the system.
public struct Capacity: Hashable, Sendable {
    public var cpu: CPUQuantity
    public var mem: ByteSize

    public init(cpu: CPUQuantity, mem: ByteSize) {
        self.cpu = cpu
        self.mem = mem
    }

    /// "2 CPUs / 23.4G RAM", the `System:` line.
    public var summary: String { "\(cpu.withUnit) / \(mem) RAM" }
}

/// The held allocations, summed.
public struct Holdings: Hashable, Sendable {
    public var cpu: CPUQuantity = .zero
    public var mem: ByteSize = .zero
    public var holders = 0

    public init() {}

    public init<S: Sequence>(_ allocations: S) where S.Element == Resources {
        for a in allocations { add(a) }
    }

    public mutating func add(_ r: Resources) {
        cpu = cpu + r.cpu
        mem = mem + r.mem
        holders += 1
    }

    public mutating func remove(_ r: Resources) {
        cpu = cpu - r.cpu
        mem = mem - r.mem
        holders = max(0, holders - 1)
    }
}
