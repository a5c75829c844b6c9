/// Whether fairshared acts on a request that a caller sends *on behalf of*
/// another account (issue 21, fairshared(8) REMOTE). The trust model:
///
/// * only the gateway's uid, named by the policy's `remote.gateway`, may
///   ask on behalf of anyone; any other caller — a member above all — is
///   refused, whatever it claims;
/// * the account must be one that may use fairshare (in group `fairshare`)
///   and may not be root;
/// * the request must be within the role the gateway asserts (taken from
///   the client certificate), and is then handled with the *account's*
///   own local role, never more: a remote `writer` whose account is a
///   plain member still sees only its own jobs.
///
/// Pure: the daemon looks up the account and passes what it found.
public enum Delegation {
    /// What the daemon knows of the account the gateway names.
    public struct Account: Equatable, Sendable {
        public var name: String
        public var uid: UInt32
        /// The account's local role (Role.of): `outsider` when it is not in
        /// group `fairshare`.
        public var role: Role

        public init(name: String, uid: UInt32, role: Role) {
            self.name = name
            self.uid = uid
            self.role = role
        }
    }

    /// Why an on-behalf request is refused; `message` says what to do.
    public enum Refusal: Error, Equatable, Sendable {
        case notTheGateway(uid: UInt32)
        case noGateway
        case unknownAccount(String)
        case rootAccount
        case notAMember(String)
        case outsideTheRole(RemoteRole, operation: String)

        public var message: String {
            switch self {
            case .notTheGateway(let uid):
                "uid \(uid) may not act on behalf of others: only the gateway named by the policy's 'remote.gateway' may"
            case .noGateway:
                "remote access is off: the policy names no 'remote.gateway'"
            case .unknownAccount(let name):
                "no such account '\(name)'"
            case .rootAccount:
                "root's jobs cannot be run or read remotely"
            case .notAMember(let name):
                "'\(name)' is not in group 'fairshare'; an administrator can run 'adduser \(name) fairshare'"
            case .outsideTheRole(let role, let operation):
                "a \(role.rawValue) certificate may not \(operation)" + (role == .reader ? "; it may query and stream jobs and read status" : "")
            }
        }

        /// Every refusal is `permission_denied` (the gateway answers gRPC
        /// PERMISSION_DENIED): an unknown account is not told apart from a
        /// forbidden one.
        public var code: ErrorCode { .permissionDenied }
    }

    /// The account to act as, or why not.
    /// - Parameters:
    ///   - peerUID: the connection's peer credentials (SO_PEERCRED).
    ///   - gatewayUID: the uid of the policy's `remote.gateway`; nil when
    ///     the policy names none or the user does not exist.
    ///   - account: the account named, nil when no such account exists.
    public static func decide(peerUID: UInt32, gatewayUID: UInt32?, account name: String, found account: Account?,
                              role: RemoteRole, request: ClientRequest) -> Result<Account, Refusal> {
        guard let gatewayUID else { return .failure(.noGateway) }
        guard peerUID == gatewayUID else { return .failure(.notTheGateway(uid: peerUID)) }
        guard let account else { return .failure(.unknownAccount(name)) }
        guard account.uid != 0 else { return .failure(.rootAccount) }
        guard account.role >= .member else { return .failure(.notAMember(account.name)) }
        guard role.permits(request) else { return .failure(.outsideTheRole(role, operation: request.operation)) }
        return .success(account)
    }
}
