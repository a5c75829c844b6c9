/// The device drivers the kernel has registered, as `/proc/devices` lists
/// them: a character and a block section of `MAJOR NAME` lines. One major
/// may carry several names (5: `/dev/tty`, `/dev/console`, `/dev/ptmx`)
/// and one name several majors (`sd`). systemd's `DeviceAllow=char-NAME`
/// matches these names (fnmatch) when it builds a unit's device rules.
public struct DeviceDrivers: Equatable, Sendable {
    public struct Driver: Hashable, Sendable {
        public var kind: DeviceKind
        public var major: UInt32
        public var name: String

        public init(_ kind: DeviceKind, _ major: UInt32, _ name: String) {
            self.kind = kind
            self.major = major
            self.name = name
        }
    }

    public var drivers: [Driver]

    public init(_ drivers: [Driver] = []) { self.drivers = drivers }

    /// The text of `/proc/devices`; lines that are not `MAJOR NAME` under a
    /// section header are skipped.
    public static func parse(_ text: String) -> DeviceDrivers {
        var kind: DeviceKind?
        var out: [Driver] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "Character devices:" { kind = .char; continue }
            if line == "Block devices:" { kind = .block; continue }
            if line.allSatisfy({ $0 == " " }) { kind = nil; continue }
            guard let kind else { continue }
            let trimmed = line.drop { $0 == " " }
            guard let space = trimmed.firstIndex(of: " "), let major = UInt32(trimmed[..<space]), major > 0 else { continue }
            let name = trimmed[space...].drop { $0 == " " }
            guard !name.isEmpty else { continue }
            out.append(Driver(kind, major, String(name)))
        }
        return DeviceDrivers(out)
    }
}

/// A character or a block device.
public enum DeviceKind: String, Hashable, Sendable, Comparable {
    case char
    case block

    public static func < (a: DeviceKind, b: DeviceKind) -> Bool { a.rawValue < b.rawValue }
}
