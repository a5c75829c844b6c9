import FairshareCore

extension ReplyError {
    /// The answer to anyone outside group `fairshare`, wherever it is given.
    static func notInFairshareGroup(_ user: String) -> ReplyError {
        ReplyError(code: .permissionDenied,
                   message: "you are not in group 'fairshare'; ask an administrator to add you (adduser \(user) fairshare)")
    }
}

extension ReplyError {
    /// The answer to a non-admin asking for an admin-only change.
    static func adminOnly(_ action: String) -> ReplyError {
        ReplyError(code: .permissionDenied, message: "only root and members of admin_group may \(action)")
    }

    /// The policy files have errors; every one is in `details.diagnostics`.
    static func invalidPolicy(_ diagnostics: [PolicyDiagnostic], kept: String) -> ReplyError {
        let errors = diagnostics.errors.count
        return ReplyError(code: .invalidPolicy,
                          message: "the policy has \(errors) error\(errors == 1 ? "" : "s"); \(kept)",
                          details: ["diagnostics": .array(diagnostics.map(\.json))])
    }
}

extension PolicyDiagnostic {
    var json: JSON { DiagnosticReply(self).json }
}

extension ReplyError {
    /// A connection past the policy's `daemon.connections_per_user` or
    /// `daemon.connections`; the connection is closed after it.
    static func connectionRefused(_ refusal: ConnectionBudget.Refusal, user: String) -> ReplyError {
        let message = switch refusal {
        case .userLimit(let limit):
            "\(user) already has \(limit) connections to fairshared, the most one user may hold (policy daemon.connections_per_user); "
                + "finish or stop some of your fairshare commands (each holds a connection while it runs) and try again"
        case .full(let limit):
            "fairshared holds \(limit) connections, the most it takes (policy daemon.connections); try again in a moment"
        }
        return ReplyError(code: .unavailable, message: message)
    }

    /// A request over the caller's token bucket; the connection stays open.
    static func rateLimited(user: String, rate: UInt64, burst: UInt64, retryAfterMicroseconds: UInt64) -> ReplyError {
        let milliseconds = (retryAfterMicroseconds + 999) / 1000
        return ReplyError(code: .rateLimited,
                          message: "too many requests from \(user): at most \(rate) a second (bursts of \(burst)) by policy daemon.requests_per_second; "
                              + "slow down and retry in \(milliseconds) ms",
                          details: ["retry_after_ms": .uint(milliseconds)])
    }
}
