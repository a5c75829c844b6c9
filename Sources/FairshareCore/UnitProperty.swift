/// One property of a transient unit as systemd's D-Bus API takes it, in a
/// form that carries no I/O: the sd-bus layer turns it into `(sv)`.
/// Every text a value carries is a checked type (DESIGN.md, "The trust
/// boundary"): systemd writes transient settings out as lines and reads
/// them again at `daemon-reload`, so no value may be able to start a line.
public struct UnitProperty: Hashable, Sendable {
    public enum Value: Hashable, Sendable {
        case text(UnitText)              // s
        case path(AbsolutePath)          // s
        case unit(UnitName)              // s
        case uint64(UInt64)              // t
        case bool(Bool)                  // b
        case uint32Array([UInt32])       // au
        /// `PIDFDs=` (systemd 253+): open pidfds, sent as file descriptors.
        case fileDescriptors([Int32])    // ah
        /// `IO*Max=`: device and limit.
        case deviceLimits([DeviceLimit]) // a(st)
        /// `DeviceAllow=`: device (or class) and access.
        case deviceAccess([DeviceAccess]) // a(ss)
        case texts([UnitText])           // as
        /// `ExecStart=`: path, argv, ignore failure.
        case command(path: AbsolutePath, argv: [CommandArgument]) // a(sasb)
    }

    public struct DeviceLimit: Hashable, Sendable {
        public var device: DevicePath
        public var value: UInt64
        public init(_ device: DevicePath, _ value: UInt64) { self.device = device; self.value = value }
    }

    /// A `DeviceAllow=` entry: a device node or a class (`char-pts`), and
    /// the access (`rw`).
    public struct DeviceAccess: Hashable, Sendable {
        public var device: UnitText
        public var access: UnitText
        public init(_ device: DevicePath, _ access: UnitText) { self.device = UnitText(device); self.access = access }
        /// A class of devices such as `char-pts`, written in the source.
        public init(deviceClass: UnitText, _ access: UnitText) { self.device = deviceClass; self.access = access }
    }

    public var name: String
    public var value: Value
    /// What to send instead if the running systemd does not know `name`
    /// (PropertyCompatibility): by default nothing, the call fails.
    public var ifUnknown: UnknownPropertyFallback

    public init(_ name: String, _ value: Value, ifUnknown: UnknownPropertyFallback = .fail) {
        self.name = name
        self.value = value
        self.ifUnknown = ifUnknown
    }

    /// The D-Bus signature of the value.
    public var signature: String {
        switch value {
        case .text, .path, .unit: "s"
        case .uint64: "t"
        case .bool: "b"
        case .uint32Array: "au"
        case .fileDescriptors: "ah"
        case .deviceLimits: "a(st)"
        case .deviceAccess: "a(ss)"
        case .texts: "as"
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
