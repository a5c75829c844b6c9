/// Which unit properties the running systemd turned down as unknown, and
/// what to send instead: the retry decision after a failed
/// StartTransientUnit or SetUnitProperties, as `systemd-run` and logind
/// make it for `PIDFDs=`. Learned at run time, never from the version;
/// once learned, later calls send the fallback at once.
public struct PropertyCompatibility: Sendable, Equatable {
    /// Properties this systemd said it does not know.
    public private(set) var unknown: Set<String> = []

    public init() {}

    public enum Decision: Equatable, Sendable {
        /// Send these instead. `firstTime`: this systemd had not turned
        /// `property` down before (worth one line in the journal).
        case retry([UnitProperty], property: String, firstTime: Bool)
        /// The error stands: not about an unknown property, or about one
        /// that has no fallback (`.fail`).
        case giveUp
    }

    /// `properties` with every property known to be unknown replaced by its
    /// fallback, or left out. A `.fail` one stays (and fails again).
    public func adapt(_ properties: [UnitProperty]) -> [UnitProperty] {
        properties.flatMap { adapt($0) }
    }

    private func adapt(_ p: UnitProperty) -> [UnitProperty] {
        guard unknown.contains(p.name) else { return [p] }
        switch p.ifUnknown {
        case .fail: return [p]
        case .omit: return []
        case .replace(let other): return adapt(other)
        }
    }

    /// After a call that sent `sent` failed with `errorName`/`message`.
    public mutating func decide(sent: [UnitProperty], errorName: String, message: String) -> Decision {
        guard let name = UnknownPropertyError.propertyName(errorName: errorName, message: message),
              let rejected = sent.first(where: { $0.name == name }) else { return .giveUp }
        if case .fail = rejected.ifUnknown { return .giveUp }
        let firstTime = unknown.insert(name).inserted
        return .retry(adapt(sent), property: name, firstTime: firstTime)
    }
}
