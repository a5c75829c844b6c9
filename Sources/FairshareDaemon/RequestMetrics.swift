import FairshareCore

/// The daemon's own counters (`metrics`): every answered request is
/// counted by operation and outcome with its latency, and refusals and
/// denials are kept for the dashboard.
extension RequestHandler {
    /// Errors worth showing as "recent refusals": the caller was told no.
    static let refusalCodes: Set<ErrorCode> = [.refused, .permissionDenied, .rateLimited]

    func count(_ reply: Reply, of request: ClientRequest, by caller: Caller, since begun: UInt64) {
        let elapsed = clockUsec().subtractingSaturating(begun)
        switch reply {
        case .success:
            counters.record(op: request.operation, errorCode: nil, usec: elapsed)
        case .failure(let error):
            counters.record(op: request.operation, errorCode: error.code.rawValue, usec: elapsed)
            if Self.refusalCodes.contains(error.code) {
                refusals.append(.init(time: now(), user: caller.userName, uid: caller.uid, op: request.operation,
                                      code: error.code.rawValue, message: error.message))
            }
        }
    }

    func metrics() -> DaemonMetricsReply {
        DaemonMetricsReply(version: FairshareVersion.string, started: started, counters: counters, refusals: refusals.entries)
    }
}
