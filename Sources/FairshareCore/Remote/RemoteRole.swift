/// What a client certificate lets its holder do through `fairshare-remote`
/// (fairshared(8), REMOTE): `reader` may query and stream the account's
/// jobs and read its status; `writer` may also start and stop jobs. The
/// account's own local role (member, reader, admin) still bounds what it
/// sees: a remote role never adds to it.
public enum RemoteRole: String, CaseIterable, Comparable, Sendable {
    case reader
    case writer

    public static func < (a: RemoteRole, b: RemoteRole) -> Bool { a == .reader && b == .writer }

    /// Whether `request`, sent on behalf of an account, is within this role.
    /// Only the gateway's API is reachable remotely (Start, Stop, Query,
    /// Stream, Status); allocations, exec and administration are local.
    public func permits(_ request: ClientRequest) -> Bool {
        switch request {
        case .status, .jobs, .logs, .jobStatus: true
        case .run, .stop: self == .writer
        case .whoami, .request, .release, .exec, .list, .revoke, .reload, .setPolicy, .showPolicy, .audit, .metrics: false
        }
    }
}
