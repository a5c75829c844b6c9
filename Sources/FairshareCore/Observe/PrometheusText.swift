/// Prometheus' text exposition format 0.0.4, written by hand: `# HELP`,
/// `# TYPE`, then samples, label values escaped as the format says.
/// (Our own writer rather than swift-prometheus: the metrics are a
/// snapshot rendered at once, not instruments updated over time, and
/// FairshareCore stays free of dependencies.)
public struct PrometheusText: Sendable {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public private(set) var text = ""

    public init() { text.reserveCapacity(1 << 16) }

    public mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (i, (key, v)) in labels.enumerated() {
                if i > 0 { text += "," }
                text += key
                text += "=\""
                text += Self.escape(v)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += value
        text += "\n"
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: UInt64) {
        sample(name, labels, String(value))
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        sample(name, labels, Self.number(value))
    }

    /// A float as the format takes it: `+Inf`, `-Inf`, `NaN`, else digits.
    public static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Backslash, double quote and newline escaped, as label values need.
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
