/// A JSON value. fairshare's wire format is one JSON object per line; this
/// small codec keeps Foundation out of the client's start-up path.
public enum JSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    /// An integer above 2^53, which a Double cannot hold exactly (sizes at
    /// systemd's infinity, UInt64.max). `JSON.uint(_:)` and the parser use
    /// it only there, so each integer has one form.
    case bigUInt(UInt64)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var doubleValue: Double? {
        switch self {
        case .number(let n): n
        case .bigUInt(let n): Double(n)
        default: nil
        }
    }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }

    /// An exact non-negative integer: any UInt64 written as digits; numbers
    /// written otherwise (`1e19`, `2.5`) only up to 2^53, where a Double is
    /// still exact.
    public var uint64Value: UInt64? {
        if case .bigUInt(let n) = self { return n }
        guard case .number(let n) = self, n >= 0, n <= Self.exactDoubleLimit, n.rounded(.towardZero) == n else { return nil }
        return UInt64(n)
    }

    /// 2^53: every integer up to it is exact as a Double.
    static let exactDoubleLimit: Double = 9_007_199_254_740_992
}

/// A JSON object that keeps its keys in insertion order, so output is stable
/// and reads the way it was built.
public struct JSONObject: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: String, value: JSON)] = []

    public init() {}
    /// The entries in order; a later duplicate key replaces the earlier value.
    public init<S: Sequence>(_ entries: S) where S.Element == (String, JSON) {
        for (k, v) in entries { self[k] = v }
    }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        for (k, v) in elements { self[k] = v }
    }

    public subscript(key: String) -> JSON? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }

    public static func == (a: Self, b: Self) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into h: inout Hasher) {
        for e in entries { h.combine(e.key); h.combine(e.value) }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral,
    ExpressibleByFloatLiteral
{
    public init(floatLiteral d: Double) { self = .number(d) }
    public init(stringLiteral s: String) { self = .string(s) }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(integerLiteral i: Int) { self = .number(Double(i)) }
    public init(arrayLiteral a: JSON...) { self = .array(a) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var o = JSONObject()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
    public init(nilLiteral: ()) { self = .null }

    /// A non-negative integer, exact over the whole UInt64 range.
    public static func uint(_ n: UInt64) -> JSON { n <= 1 << 53 ? .number(Double(n)) : .bigUInt(n) }
}
