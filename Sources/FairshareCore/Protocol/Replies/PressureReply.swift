/// A slice's pressure stall information on the wire, `some avg10` in
/// percent of the last 10 s, null where the kernel has none:
/// `{"cpu": 1.52, "memory": 0, "io": 0.1}`.
extension SlicePressure: ReplyValue {
    public var json: JSON {
        func percent(_ h: UInt64?) -> JSON { .orNull(h) { .number(Double($0) / 100) } }
        return ["cpu": percent(cpu), "memory": percent(memory), "io": percent(io)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        func hundredths(_ key: String) throws(ReplyDecodingError) -> UInt64? {
            guard let v = try f.optionalDouble(key) else { return nil }
            guard v >= 0, v <= 100 else { throw ReplyDecodingError(field: f.name(key), expected: "percentage from 0 to 100") }
            return UInt64((v * 100).rounded())
        }
        self.init(cpu: try hundredths("cpu"), memory: try hundredths("memory"), io: try hundredths("io"))
    }

    /// "cpu 1.52%, memory 0%, io -".
    public var summary: String {
        func show(_ h: UInt64?) -> String { h.map { Self.format($0) + "%" } ?? "-" }
        return "cpu \(show(cpu)), memory \(show(memory)), io \(show(io))"
    }
}
