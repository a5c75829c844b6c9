/// `admin audit`: the strays the last sweep found, and when and how it
/// ran: `{"mode": …, "interval": SECONDS, "swept_at": EPOCH|null,
/// "sweep_usec": …|null, "processes": N, "strays": [StrayRow…],
/// "more": N}`. `more` counts strays left out to keep the reply inside
/// one protocol line.
public struct StrayAuditReply: ReplyValue {
    public var mode: String
    public var interval: UInt64
    /// Wall-clock seconds of the last completed sweep; nil before the first.
    public var sweptAt: UInt64?
    /// How long that sweep took, µs (its parts run between requests).
    public var sweepUsec: UInt64?
    /// Processes it read.
    public var processes: UInt64
    public var strays: [StrayRow]
    public var more: UInt64

    public init(mode: String, interval: UInt64, sweptAt: UInt64?, sweepUsec: UInt64?, processes: UInt64, strays: [StrayRow], more: UInt64 = 0) {
        self.mode = mode
        self.interval = interval
        self.sweptAt = sweptAt
        self.sweepUsec = sweepUsec
        self.processes = processes
        self.strays = strays
        self.more = more
    }

    public var json: JSON {
        .object(["mode": .string(mode), "interval": .uint(interval), "swept_at": .orNull(sweptAt, JSON.uint),
                 "sweep_usec": .orNull(sweepUsec, JSON.uint), "processes": .uint(processes),
                 "strays": .array(strays.map(\.json)), "more": .uint(more)])
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(mode: try f.string("mode"), interval: try f.uint64("interval"), sweptAt: try f.optionalUInt64("swept_at"),
                  sweepUsec: try f.optionalUInt64("sweep_usec"), processes: try f.uint64("processes"),
                  strays: try f.list("strays"), more: try f.optionalUInt64("more") ?? 0)
    }
}
