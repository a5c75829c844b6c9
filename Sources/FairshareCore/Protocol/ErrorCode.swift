/// The `error.code` of a failed reply. Stable strings: scripts match on them.
public enum ErrorCode: String, Sendable, CaseIterable {
    /// Not JSON, not an object, or a field of the wrong type.
    case badRequest = "bad_request"
    /// A line longer than `WireProtocol.maxLineBytes`.
    case lineTooLong = "line_too_long"
    case unsupportedVersion = "unsupported_version"
    case unknownOperation = "unknown_operation"
    /// The caller's identity does not allow this.
    case permissionDenied = "permission_denied"
    /// The policy or the machine's capacity does not allow the request.
    case refused
    /// The policy files have errors (`details.diagnostics` lists them); the
    /// running policy is kept.
    case invalidPolicy = "invalid_policy"
    /// No job has this id (or it was never the caller's to see).
    case noSuchJob = "no_such_job"
    /// The operation needs an allocation and there is none.
    case noAllocation = "no_allocation"
    /// The process to move is no longer the caller.
    case callerGone = "caller_gone"
    /// systemd refused or failed a call.
    case systemd
    /// The daemon is shutting down or overloaded, or the caller holds as
    /// many connections as the policy allows one user.
    case unavailable
    /// The caller sent more requests a second than the policy allows one
    /// user (`details.retry_after_ms`); the connection stays usable.
    case rateLimited = "rate_limited"
    case internalError = "internal"
}
