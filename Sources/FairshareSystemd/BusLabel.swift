/// systemd's object paths for units: `/org/freedesktop/systemd1/unit/`
/// followed by the name with every byte that is not a letter or digit (and
/// a leading digit) written `_xx` in hex (`bus_label_escape`).
public enum BusLabel {
    static let unitPathPrefix = "/org/freedesktop/systemd1/unit/"

    /// The unit name in a unit's object path; nil for any other path or a
    /// label that is not a valid escape.
    public static func unitName(ofPath path: String) -> String? {
        guard path.hasPrefix(unitPathPrefix) else { return nil }
        return unescape(Array(path.utf8.dropFirst(unitPathPrefix.utf8.count)))
    }

    static func unescape(_ label: [UInt8]) -> String? {
        guard !label.isEmpty, label != [UInt8(ascii: "_")] else { return label.isEmpty ? nil : "" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(label.count)
        var i = 0
        while i < label.count {
            guard label[i] == UInt8(ascii: "_") else {
                bytes.append(label[i])
                i += 1
                continue
            }
            guard i + 2 < label.count, let high = hexValue(label[i + 1]), let low = hexValue(label[i + 2]) else { return nil }
            bytes.append(high << 4 | low)
            i += 3
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
