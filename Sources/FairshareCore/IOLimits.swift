/// A slice's IO settings: the weight against other slices, and per-device
/// bandwidth and IOPS ceilings (systemd's `IOWeight=` and
/// `IO{Read,Write}{Bandwidth,IOPS}Max=`). Devices are named by path, as
/// systemd takes them (a block device node, or a file on the device),
/// always as checked `DevicePath`s.
public struct IOLimits: Hashable, Sendable {
    /// The four per-device limits, by their policy key.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case readBandwidth = "read_bw"
        case writeBandwidth = "write_bw"
        case readIOPS = "read_iops"
        case writeIOPS = "write_iops"

        /// systemd's property for this limit.
        public var property: String {
            switch self {
            case .readBandwidth: "IOReadBandwidthMax"
            case .writeBandwidth: "IOWriteBandwidthMax"
            case .readIOPS: "IOReadIOPSMax"
            case .writeIOPS: "IOWriteIOPSMax"
            }
        }

        /// The command-line option: `--io-read-bw`.
        public var option: String { "io-" + String(rawValue.map { $0 == "_" ? "-" : $0 }) }

        public var isBandwidth: Bool { self == .readBandwidth || self == .writeBandwidth }

        /// `50M/s` for bandwidth, `1000/s` for IOPS.
        public func format(_ value: UInt64) -> String {
            isBandwidth ? "\(ByteSize(bytes: value))/s" : "\(value)/s"
        }
    }

    /// 1 to 10000 (systemd's default is 100); nil leaves systemd's.
    public var weight: UInt64?
    /// Per kind, device path → bytes or operations per second. Range: 1
    /// to UInt64.max (systemd's `infinity`); only compared and printed,
    /// never summed.
    public var limits: [Kind: [DevicePath: UInt64]]

    public init(weight: UInt64? = nil, limits: [Kind: [DevicePath: UInt64]] = [:]) {
        self.weight = weight
        self.limits = limits.filter { !$0.value.isEmpty }
    }

    public static let none = IOLimits()
    public static let weightRange: ClosedRange<UInt64> = 1...10_000

    public var isEmpty: Bool { weight == nil && limits.isEmpty }

    public subscript(kind: Kind) -> [DevicePath: UInt64] {
        get { limits[kind] ?? [:] }
        set { limits[kind] = newValue.isEmpty ? nil : newValue }
    }

    /// These settings with `change`'s on top: its weight and each device
    /// it names replace ours; devices it does not name stay.
    public func updated(with change: IOLimits) -> IOLimits {
        var out = self
        if let weight = change.weight { out.weight = weight }
        for (kind, devices) in change.limits {
            out[kind] = out[kind].merging(devices) { _, new in new }
        }
        return out
    }

    /// Each value lowered to `ceiling`'s where that sets one.
    public func clamped(to ceiling: IOLimits) -> IOLimits {
        var out = self
        if let w = weight, let top = ceiling.weight, w > top { out.weight = top }
        for (kind, devices) in ceiling.limits {
            for (device, top) in devices where (out[kind][device] ?? 0) > top { out[kind][device] = top }
        }
        return out
    }

    /// The first value above `ceiling`: (option, wanted, limit) for the
    /// refusal message; nil when everything is within it. A device the
    /// ceiling does not name has no ceiling.
    public func firstExcess(over ceiling: IOLimits) -> (key: String, wanted: String, limit: String)? {
        if let w = weight, let top = ceiling.weight, w > top { return ("io-weight", "weight \(w)", "weight \(top)") }
        for kind in Kind.allCases {
            for (device, value) in self[kind].sorted(by: { $0.key < $1.key }) {
                if let top = ceiling[kind][device], value > top {
                    return (kind.option, "\(kind.rawValue) \(device) \(kind.format(value))", kind.format(top))
                }
            }
        }
        return nil
    }

    /// The properties that apply these settings to a unit. Each device list
    /// is sent after an empty one, which clears the unit's earlier entries,
    /// so a device dropped from the policy loses its limit.
    public var unitProperties: [UnitProperty] {
        var out: [UnitProperty] = []
        if let weight { out.append(UnitProperty("IOWeight", .uint64(weight))) }
        for kind in Kind.allCases {
            let devices = self[kind]
            guard !devices.isEmpty else { continue }
            out.append(UnitProperty(kind.property, .deviceLimits([])))
            out.append(UnitProperty(kind.property, .deviceLimits(devices.keys.sorted().map { UnitProperty.DeviceLimit($0, devices[$0]!) })))
        }
        return out
    }

    /// "weight 200, read_bw /dev/vda 50M/s", or "-" when empty.
    public var summary: String {
        var parts: [String] = []
        if let weight { parts.append("weight \(weight)") }
        for kind in Kind.allCases {
            for (device, value) in self[kind].sorted(by: { $0.key < $1.key }) {
                parts.append("\(kind.rawValue) \(device) \(kind.format(value))")
            }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}
