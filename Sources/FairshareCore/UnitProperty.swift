/// One property of a transient unit as systemd's D-Bus API takes it, in a
/// form that carries no I/O: the sd-bus layer turns it into `(sv)`.
public struct UnitProperty: Hashable, Sendable {
    public enum Value: Hashable, Sendable {
        case string(String)              // s
        case uint64(UInt64)              // t
        case bool(Bool)                  // b
        case uint32Array([UInt32])       // au
        case stringUInt64Pairs([StringUInt64]) // a(st)
        case stringPairs([StringPair])   // a(ss)
        case strings([String])           // as
        /// `ExecStart=`: path, argv, ignore failure.
        case command(path: String, argv: [String]) // a(sasb)
    }

    public struct StringUInt64: Hashable, Sendable {
        public var string: String
        public var value: UInt64
        public init(_ string: String, _ value: UInt64) { self.string = string; self.value = value }
    }

    public struct StringPair: Hashable, Sendable {
        public var first: String
        public var second: String
        public init(_ first: String, _ second: String) { self.first = first; self.second = second }
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    /// The D-Bus signature of the value.
    public var signature: String {
        switch value {
        case .string: "s"
        case .uint64: "t"
        case .bool: "b"
        case .uint32Array: "au"
        case .stringUInt64Pairs: "a(st)"
        case .stringPairs: "a(ss)"
        case .strings: "as"
        case .command: "a(sasb)"
        }
    }
}

extension Resources {
    /// The properties that make the kernel enforce these resources on a unit.
    public var unitProperties: [UnitProperty] {
        [
            UnitProperty("CPUQuotaPerSecUSec", .uint64(cpu.usecPerSecond)),
            UnitProperty("MemoryMax", .uint64(mem.bytes)),
            UnitProperty("TasksMax", .uint64(tasks.count)),
        ] + io.unitProperties
    }
}
