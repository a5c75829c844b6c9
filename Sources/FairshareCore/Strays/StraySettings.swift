/// The policy's `strays:` section, each key optional and tagged with its
/// origin so later files override earlier ones key by key (like
/// `daemon:`); `resolved` fills in the built-in values.
public struct StraySettings: Equatable, Sendable {
    public var mode: Sourced<StrayMode>?
    public var interval: Sourced<TimeSpan>?
    public var ignore: Sourced<[UnitGlob]>?

    public init() {}

    /// The policy keys, in the order `show-policy` and the manual list them.
    public static let keys = ["mode", "interval", "ignore"]

    public mutating func override(with later: StraySettings) {
        mode.override(with: later.mode)
        interval.override(with: later.interval)
        ignore.override(with: later.ignore)
    }

    public var resolved: StrayPolicy {
        StrayPolicy(mode: mode?.value ?? .report, interval: interval?.value ?? StrayPolicy.maxInterval, ignore: ignore?.value ?? [])
    }
}

/// The `strays:` values in force.
public struct StrayPolicy: Equatable, Sendable {
    public var mode: StrayMode
    /// How often the daemon looks: at most every 10 s, so a stray is
    /// listed (or adopted) within 10 s of its start.
    public var interval: TimeSpan
    public var ignore: [UnitGlob]

    public init(mode: StrayMode = .report, interval: TimeSpan = StrayPolicy.maxInterval, ignore: [UnitGlob] = []) {
        self.mode = mode
        self.interval = interval
        self.ignore = ignore
    }

    public static let maxInterval = TimeSpan(seconds: 10)
    public static let minInterval = TimeSpan(seconds: 1)
}

extension Policy {
    public var strays: StrayPolicy { settings.strays.resolved }
}
