/// How the caller's slice shares (fairshare-policy(5), ALLOCATION), for
/// `status`: the mode, what is guaranteed, what is in use, how far it may
/// burst, reclaim's lowered `MemoryHigh=` (null when at the ceiling), and
/// the slice's PSI.
/// `{"mode": "lend", "guaranteed": {"cpu": 1, "mem": …}, "in_use_cpu": 1.98, "in_use_mem": …,
///   "ceiling": {"cpu": 2, "mem": …}, "memory_high": null, "pressure": {…}}`.
public struct SharingReply: ReplyValue {
    public var mode: String
    public var guaranteed: CPUAndMemory
    /// CPU since the previous `status` (or the grant), memory now; null
    /// where it could not be read.
    public var inUseCPU: CPUQuantity?
    public var inUseMem: UInt64?
    public var ceiling: CPUAndMemory
    public var memoryHigh: UInt64?
    public var pressure: SlicePressure?

    public init(mode: String, guaranteed: CPUAndMemory, inUseCPU: CPUQuantity?, inUseMem: UInt64?, ceiling: CPUAndMemory,
                memoryHigh: UInt64? = nil, pressure: SlicePressure? = nil) {
        self.mode = mode
        self.guaranteed = guaranteed
        self.inUseCPU = inUseCPU
        self.inUseMem = inUseMem
        self.ceiling = ceiling
        self.memoryHigh = memoryHigh
        self.pressure = pressure
    }

    public var json: JSON {
        ["mode": .string(mode), "guaranteed": guaranteed.json,
         "in_use_cpu": .orNull(inUseCPU, JSON.cpus), "in_use_mem": .orNull(inUseMem, JSON.uint),
         "ceiling": ceiling.json, "memory_high": .orNull(memoryHigh, JSON.uint), "pressure": .orNull(pressure, \.json)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(mode: try f.string("mode"), guaranteed: try f.nested("guaranteed"),
                  inUseCPU: try f.optional("in_use_cpu", "number of CPUs", ReplyFields.cpu), inUseMem: try f.optionalUInt64("in_use_mem"),
                  ceiling: try f.nested("ceiling"), memoryHigh: try f.optionalUInt64("memory_high"), pressure: try f.optionalNested("pressure"))
    }
}
