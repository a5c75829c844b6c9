/// The text of a systemd drop-in file fairshared writes, built only from
/// a fixed section, fixed directive names and values that are numbers,
/// checked device paths or checked driver names: no free text reaches
/// the file. systemd reads a unit file line by line, resolves `%`
/// specifiers, joins a line ending in `\` with the next and splits some
/// values at white space, so none of those can appear in a value here by
/// construction.
public struct UnitDropIn: Hashable, Sendable, CustomStringConvertible {
    public enum Section: String, Sendable {
        case slice = "Slice"
    }

    /// The resource-control directives fairshared writes (systemd.resource-control(5)).
    public enum Directive: String, Sendable, CaseIterable {
        case cpuQuota = "CPUQuota"
        case memoryMax = "MemoryMax"
        case tasksMax = "TasksMax"
        case ioWeight = "IOWeight"
        case ioReadBandwidthMax = "IOReadBandwidthMax"
        case ioWriteBandwidthMax = "IOWriteBandwidthMax"
        case ioReadIOPSMax = "IOReadIOPSMax"
        case ioWriteIOPSMax = "IOWriteIOPSMax"
        case devicePolicy = "DevicePolicy"
        case deviceAllow = "DeviceAllow"
    }

    /// A directive's value.
    public enum Value: Hashable, Sendable {
        /// The empty assignment: back to systemd's default (`CPUQuota=`: none).
        case reset
        case infinity
        case number(UInt64)
        /// `CPUQuota=12.34%`: hundredths of a percent of one CPU.
        case percent(hundredths: UInt64)
        /// `IOReadBandwidthMax=/dev/vda 52428800`.
        case device(DevicePath, UInt64)
        /// `DevicePolicy=closed`.
        case closed
        /// `DeviceAllow=char-misc rwm`: every device of a driver.
        case driver(DeviceKind, DriverName)
        /// `DeviceAllow=/dev/null rwm`: one node.
        case node(DevicePath)

        var text: String {
            switch self {
            case .reset: ""
            case .infinity: "infinity"
            case .number(let n): String(n)
            case .percent(let h): "\(Decimal2.format(hundredths: h))%"
            case .device(let path, let n): "\(path.string) \(n)"
            case .closed: "closed"
            case .driver(let kind, let name): "\(kind.rawValue)-\(name.string) rwm"
            case .node(let path): "\(path.string) rwm"
            }
        }
    }

    public struct Setting: Hashable, Sendable {
        public var directive: Directive
        public var value: Value
        public init(_ directive: Directive, _ value: Value) {
            self.directive = directive
            self.value = value
        }
    }

    /// A comment made of fixed words and numbers only.
    public struct Comment: Hashable, Sendable {
        let text: String
        /// A literal in the source; it may not hold a control character.
        public init(_ literal: StaticString) {
            text = literal.description
            precondition(!text.unicodeScalars.contains { TextScan.isControl($0) }, "a drop-in comment holds a control character")
        }
        public init(_ prefix: StaticString, _ number: UInt32, _ suffix: StaticString = "") {
            text = "\(prefix)\(number)\(suffix)"
            precondition(!text.unicodeScalars.contains { TextScan.isControl($0) }, "a drop-in comment holds a control character")
        }
    }

    public let section: Section
    public let comments: [Comment]
    public let settings: [Setting]

    public init(section: Section, comments: [Comment] = [], settings: [Setting]) {
        self.section = section
        self.comments = comments
        self.settings = settings
    }

    /// The file's bytes as text: comments, the section header, one line
    /// per setting.
    public var text: String {
        var out = ""
        for comment in comments { out += "# \(comment.text)\n" }
        out += "[\(section.rawValue)]\n"
        for setting in settings { out += "\(setting.directive.rawValue)=\(setting.value.text)\n" }
        return out
    }

    public var description: String { text }
}
