/// CPUs and memory, as `status` gives the pool's size and what is free:
/// `{"cpu": 1.5, "mem": 25165824}`.
public struct CPUAndMemory: ReplyValue {
    public var cpu: CPUQuantity
    public var mem: ByteSize

    public init(cpu: CPUQuantity, mem: ByteSize) {
        self.cpu = cpu
        self.mem = mem
    }

    public var json: JSON { ["cpu": .cpus(cpu), "mem": .uint(mem.bytes)] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(cpu: try f.cpu("cpu"), mem: try f.bytes("mem"))
    }
}
