/// `metrics` (readers and admins): the daemon's own counters since it
/// started. `requests` is every (op, result, reason) seen with its count;
/// `latency` per operation, `counts` per bucket of `bounds_usec` (not
/// cumulative; one more for above the last bound); `refusals` the latest
/// refused or denied requests, oldest first.
public struct DaemonMetricsReply: ReplyValue {
    public var version: String
    /// When the daemon started, seconds since the epoch.
    public var started: UInt64
    public var counters: RequestCounters
    public var refusals: [RefusalLog.Entry]

    public init(version: String, started: UInt64, counters: RequestCounters, refusals: [RefusalLog.Entry]) {
        self.version = version
        self.started = started
        self.counters = counters
        self.refusals = refusals
    }

    public var json: JSON {
        let requests: [JSON] = counters.outcomes.sorted { $0.key < $1.key }.map { outcome, count in
            ["op": .string(outcome.op), "result": .string(outcome.result), "reason": .string(outcome.reason), "count": .uint(count)]
        }
        let ops: [JSON] = counters.latency.sorted { $0.key < $1.key }.map { op, l in
            ["op": .string(op), "counts": .array(l.counts.map(JSON.uint)), "count": .uint(l.count), "sum_usec": .uint(l.sumUsec)]
        }
        return ["version": .string(version), "started": .uint(started), "requests": .array(requests),
                "latency": ["bounds_usec": .array(RequestCounters.boundsUsec.map(JSON.uint)), "ops": .array(ops)],
                "refusals": .array(refusals.map(\.json))]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        var outcomes: [RequestCounters.Outcome: UInt64] = [:]
        for row in try f.required("requests", "list", \.arrayValue) {
            let r = try ReplyFields(row, path: f.name("requests"))
            outcomes[.init(op: try r.string("op"), result: try r.string("result"), reason: try r.string("reason"))] = try r.uint64("count")
        }
        let latencyFields = try ReplyFields(f.object["latency"] ?? .null, path: f.name("latency"))
        let bounds = try latencyFields.required("bounds_usec", "list of numbers", { $0.arrayValue?.compactMap(\.uint64Value) })
        guard bounds == RequestCounters.boundsUsec else {
            throw ReplyDecodingError(field: latencyFields.name("bounds_usec"), expected: "the bounds \(RequestCounters.boundsUsec)")
        }
        var latency: [String: RequestCounters.Latency] = [:]
        for row in try latencyFields.required("ops", "list", \.arrayValue) {
            let r = try ReplyFields(row, path: latencyFields.name("ops"))
            let counts = try r.required("counts", "list of numbers", { $0.arrayValue?.compactMap(\.uint64Value) })
            guard counts.count == bounds.count + 1 else { throw ReplyDecodingError(field: r.name("counts"), expected: "\(bounds.count + 1) counts") }
            latency[try r.string("op")] = .init(counts: counts, count: try r.uint64("count"), sumUsec: try r.uint64("sum_usec"))
        }
        self.init(version: try f.string("version"), started: try f.uint64("started"),
                  counters: RequestCounters(outcomes: outcomes, latency: latency), refusals: try f.list("refusals"))
    }
}
