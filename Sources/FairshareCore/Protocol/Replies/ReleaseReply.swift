/// `release`: `{"released": false}` when nothing was held, else
/// `{"released": true, "slice": …}`.
public struct ReleaseReply: ReplyValue {
    /// The slice stopped; nil when nothing was held.
    public var slice: String?

    public init(slice: String?) { self.slice = slice }

    public var released: Bool { slice != nil }

    public var json: JSON {
        guard let slice else { return ["released": false] }
        return ["released": true, "slice": .string(slice)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        let released = try f.bool("released")
        self.init(slice: released ? try f.string("slice") : nil)
    }
}
