/// systemd's answer to StartTransientUnit or SetUnitProperties with a
/// property it does not know: "Cannot set property X, or unknown property."
/// (`org.freedesktop.DBus.Error.PropertyReadOnly` from systemd 252 to 257;
/// `InvalidArgs` and `UnknownProperty` are taken too, with the same text).
public enum UnknownPropertyError {
    public static let errorNames: Set<String> = [
        "org.freedesktop.DBus.Error.PropertyReadOnly",
        "org.freedesktop.DBus.Error.InvalidArgs",
        "org.freedesktop.DBus.Error.UnknownProperty",
    ]

    /// The rejected property's name, or nil if the error says something else.
    public static func propertyName(errorName: String, message: String) -> String? {
        guard errorNames.contains(errorName) else { return nil }
        let prefix = "Cannot set property ", suffix = ", or unknown property."
        guard message.hasPrefix(prefix), message.hasSuffix(suffix) else { return nil }
        let name = message.dropFirst(prefix.count).dropLast(suffix.count)
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return String(name)
    }
}
