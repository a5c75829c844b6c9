/// A device node in /dev: its path and the device it opens. Two nodes
/// with one number open one device, whatever their names.
public struct DeviceNode: Hashable, Sendable {
    public var path: String
    public var number: DeviceNumber

    public init(_ path: String, _ kind: DeviceKind, _ major: UInt32, _ minor: UInt32) {
        self.path = path
        number = DeviceNumber(kind: kind, major: major, minor: minor)
    }

    public var kind: DeviceKind { number.kind }
    public var major: UInt32 { number.major }
}

/// `c 1:11`: what a device cgroup rule matches.
public struct DeviceNumber: Hashable, Sendable {
    public var kind: DeviceKind
    public var major: UInt32
    public var minor: UInt32
}
