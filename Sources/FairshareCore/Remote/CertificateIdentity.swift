/// Who a client certificate speaks for (fairshared(8), REMOTE): the local
/// account is the subject's commonName, the role its organizationalUnitName
/// (`reader` or `writer`, as contrib/fairshare-remote-certs writes them).
/// Pure: the gateway reads the attributes from the verified leaf
/// certificate and passes them here; anything but exactly one account and
/// one role is refused, so a certificate never speaks for two.
public struct CertificateIdentity: Equatable, Sendable {
    public var account: String
    public var role: RemoteRole

    public init(account: String, role: RemoteRole) {
        self.account = account
        self.role = role
    }

    public enum Problem: Error, Equatable, Sendable {
        case noAccount
        case severalAccounts
        case invalidAccount(String, reason: String)
        case noRole
        case severalRoles
        case unknownRole(String)

        public var message: String {
            switch self {
            case .noAccount: "the client certificate's subject has no commonName (CN=USER names the account)"
            case .severalAccounts: "the client certificate's subject has more than one commonName"
            case .invalidAccount(let name, let reason): "the client certificate's commonName '\(name)' is not a user name: it \(reason)"
            case .noRole: "the client certificate has no role (OU=reader or OU=writer in its subject)"
            case .severalRoles: "the client certificate has more than one role (OU)"
            case .unknownRole(let text): "the client certificate's role '\(text)' is neither reader nor writer"
            }
        }
    }

    public static func read(commonNames: [String], organizationalUnits: [String]) -> Result<CertificateIdentity, Problem> {
        guard let account = commonNames.first else { return .failure(.noAccount) }
        guard commonNames.count == 1 else { return .failure(.severalAccounts) }
        if let reason = AccountName.problem(account) { return .failure(.invalidAccount(account, reason: reason)) }
        guard let text = organizationalUnits.first else { return .failure(.noRole) }
        guard organizationalUnits.count == 1 else { return .failure(.severalRoles) }
        guard let role = RemoteRole(rawValue: text) else { return .failure(.unknownRole(text)) }
        return .success(CertificateIdentity(account: account, role: role))
    }
}
