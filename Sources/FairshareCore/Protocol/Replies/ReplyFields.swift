/// The fields of one JSON object in a reply, read by name. Every failure
/// names the field's whole path (`allocation.cpu`). Optional fields read
/// absent and null alike as nil; present with another kind is an error.
public struct ReplyFields: Sendable {
    /// Where this object is in the reply; "" at the top.
    public let path: String
    let object: JSONObject

    init(_ json: JSON, path: String) throws(ReplyDecodingError) {
        guard let object = json.objectValue else { throw ReplyDecodingError(field: path.isEmpty ? "result" : path, expected: "object") }
        self.object = object
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value unless it is absent or null.
    private func present(_ key: String) -> JSON? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    public func required<T>(_ key: String, _ expected: String, _ read: (JSON) -> T?) throws(ReplyDecodingError) -> T {
        guard let value = present(key).flatMap(read) else { throw ReplyDecodingError(field: name(key), expected: expected) }
        return value
    }

    public func optional<T>(_ key: String, _ expected: String, _ read: (JSON) -> T?) throws(ReplyDecodingError) -> T? {
        guard let value = present(key) else { return nil }
        guard let read = read(value) else { throw ReplyDecodingError(field: name(key), expected: expected) }
        return read
    }

    public func string(_ key: String) throws(ReplyDecodingError) -> String { try required(key, "string", \.stringValue) }
    public func bool(_ key: String) throws(ReplyDecodingError) -> Bool { try required(key, "boolean", \.boolValue) }
    public func uint64(_ key: String) throws(ReplyDecodingError) -> UInt64 { try required(key, "number", \.uint64Value) }
    public func uid(_ key: String) throws(ReplyDecodingError) -> UInt32 { try required(key, "uid", Self.uid) }
    public func strings(_ key: String) throws(ReplyDecodingError) -> [String] { try required(key, "list of strings", Self.strings) }
    public func cpu(_ key: String) throws(ReplyDecodingError) -> CPUQuantity { try required(key, "number of CPUs", Self.cpu) }
    public func bytes(_ key: String) throws(ReplyDecodingError) -> ByteSize { try required(key, "number of bytes", { $0.uint64Value.map(ByteSize.init(bytes:)) }) }
    public func tasks(_ key: String) throws(ReplyDecodingError) -> TaskLimit { try required(key, "number or \"infinity\"", Self.tasks) }

    public func optionalString(_ key: String) throws(ReplyDecodingError) -> String? { try optional(key, "string", \.stringValue) }
    public func optionalUInt64(_ key: String) throws(ReplyDecodingError) -> UInt64? { try optional(key, "number", \.uint64Value) }
    public func optionalDouble(_ key: String) throws(ReplyDecodingError) -> Double? { try optional(key, "number", \.doubleValue) }

    /// IO settings as `IOLimits.json` writes them; absent or null is none.
    public func io(_ key: String) throws(ReplyDecodingError) -> IOLimits {
        try optional(key, "IO settings", { if case .success(let io) = IOLimits.decode($0) { io } else { nil } }) ?? .none
    }

    public func nested<T: ReplyValue>(_ key: String, as type: T.Type = T.self) throws(ReplyDecodingError) -> T {
        guard let value = present(key) else { throw ReplyDecodingError(field: name(key), expected: "object") }
        return try T(fields: ReplyFields(value, path: name(key)))
    }

    public func optionalNested<T: ReplyValue>(_ key: String, as type: T.Type = T.self) throws(ReplyDecodingError) -> T? {
        guard let value = present(key) else { return nil }
        return try T(fields: ReplyFields(value, path: name(key)))
    }

    /// A list of objects; each one's fields are named `key[i].field`.
    public func list<T: ReplyValue>(_ key: String, of type: T.Type = T.self) throws(ReplyDecodingError) -> [T] {
        let items = try required(key, "list", \.arrayValue)
        var values: [T] = []
        for (i, item) in items.enumerated() { values.append(try T(fields: ReplyFields(item, path: "\(name(key))[\(i)]"))) }
        return values
    }

    /// A list of objects that may be absent (nil) or null.
    public func optionalList<T: ReplyValue>(_ key: String, of type: T.Type = T.self) throws(ReplyDecodingError) -> [T]? {
        guard present(key) != nil else { return nil }
        return try list(key, of: type)
    }

    static func uid(_ json: JSON) -> UInt32? { json.uint64Value.flatMap { UInt32(exactly: $0) } }

    static func strings(_ json: JSON) -> [String]? {
        guard let items = json.arrayValue else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }

    /// CPUs as a number (0.5), back to the exact microseconds per second.
    static func cpu(_ json: JSON) -> CPUQuantity? {
        guard let cpus = json.doubleValue, cpus >= 0, cpus.isFinite else { return nil }
        return CPUQuantity(usecPerSecond: UInt64(saturating: (cpus * 1e6).rounded()))
    }

    static func tasks(_ json: JSON) -> TaskLimit? {
        if json.stringValue == "infinity" { return .infinity }
        return json.uint64Value.map(TaskLimit.init)
    }
}

extension JSON {
    /// CPUs as the protocol writes them: a number, 0.5 for 500 000 µs/s.
    public static func cpus(_ q: CPUQuantity) -> JSON { .number(Double(q.usecPerSecond) / 1e6) }

    /// A task limit: a number, or "infinity".
    public static func tasks(_ t: TaskLimit) -> JSON { t.isInfinite ? "infinity" : .uint(t.count) }

    /// `value`'s JSON, or null.
    public static func orNull<T>(_ value: T?, _ encode: (T) -> JSON) -> JSON { value.map(encode) ?? .null }
}
