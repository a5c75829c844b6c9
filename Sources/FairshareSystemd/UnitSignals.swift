/// What systemd's signals say about a unit, for a daemon that tracks
/// units instead of asking about them: the properties a
/// `PropertiesChanged` carried (systemd sends every property that emits
/// changes, for the type's interface first, then for `Unit`), or that the
/// unit was unloaded (`UnitRemoved`).
public enum UnitSignal: Equatable, Sendable {
    case changed(unit: String, interface: String, values: [String: UnitSignalValue])
    case removed(unit: String)
}

/// A property value a `UnitSignal` carries (only the types asked for).
public enum UnitSignalValue: Equatable, Sendable {
    case string(String)
    case int32(Int32)
    case uint32(UInt32)

    public var string: String? { if case .string(let v) = self { v } else { nil } }
    public var int32: Int32? { if case .int32(let v) = self { v } else { nil } }
    public var uint32: UInt32? { if case .uint32(let v) = self { v } else { nil } }
}

/// The subscriptions behind `SystemdManager.watchUnits`; dropping it ends them.
public final class UnitWatch {
    let matches: [SignalMatch]
    init(_ matches: [SignalMatch]) { self.matches = matches }
}

extension SystemdManager {
    /// Calls `handler` for every `PropertiesChanged` of a unit on
    /// `interfaces` and every `UnitRemoved`, for units `wanted` accepts.
    /// `properties`: the names to read, with their D-Bus type (`s`, `i`,
    /// `u`); the rest are skipped. Needs `Subscribe` (done at init).
    public func watchUnits(interfaces: [String], properties: [String: Character], wanted: @escaping (String) -> Bool,
                           handler: @escaping (UnitSignal) -> Void) throws(BusError) -> UnitWatch {
        var matches: [SignalMatch] = []
        for interface in interfaces {
            let rule = "type='signal',sender='\(Self.service)',interface='org.freedesktop.DBus.Properties',"
                + "member='PropertiesChanged',path_namespace='\(Self.path)/unit',arg0='\(interface)'"
            matches.append(try bus.addMatch(rule: rule) { m in
                guard let path = m.path, let unit = BusLabel.unitName(ofPath: path), wanted(unit),
                      let signal = try? Self.propertiesChanged(m, unit: unit, properties: properties) else { return }
                handler(signal)
            })
        }
        matches.append(try bus.matchSignal(sender: Self.service, path: Self.path, interface: Self.interface, member: "UnitRemoved") { m in
            // UnitRemoved(s id, o path)
            guard let unit = try? m.readString(), wanted(unit) else { return }
            handler(.removed(unit: unit))
        })
        return UnitWatch(matches)
    }

    /// PropertiesChanged(s interface, a{sv} changed, as invalidated).
    private static func propertiesChanged(_ m: BusMessage, unit: String, properties: [String: Character]) throws(BusError) -> UnitSignal? {
        guard let interface = try m.readString(), try m.enter("a", "{sv}") else { return nil }
        var values: [String: UnitSignalValue] = [:]
        while try m.enter("e", "sv") {
            guard let name = try m.readString() else { break }
            switch properties[name] {
            case "s"?:
                if try m.enter("v", "s"), let v = try m.readString() { values[name] = .string(v); try m.exit() }
            case "i"?:
                if try m.enter("v", "i"), let v = try m.readInt32() { values[name] = .int32(v); try m.exit() }
            case "u"?:
                if try m.enter("v", "u"), let v = try m.readUInt32() { values[name] = .uint32(v); try m.exit() }
            default:
                try m.skip("v")
            }
            try m.exit()
        }
        try m.exit()
        return .changed(unit: unit, interface: interface, values: values)
    }
}
