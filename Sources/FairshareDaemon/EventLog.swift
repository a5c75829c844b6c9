import FairshareCore

/// Where the daemon reports what it did. The journal in production; a list
/// in tests.
public protocol EventLog: AnyObject {
    func record(_ event: DaemonEvent)
}

/// One thing worth an audit line.
public struct DaemonEvent: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case started, stopping, granted, refused, released, exec, policyReloaded, policyRejected, error
    }

    public var kind: Kind
    public var message: String
    public var uid: UInt32?
    public var user: String?
    public var resources: Resources?

    public init(_ kind: Kind, _ message: String, uid: UInt32? = nil, user: String? = nil, resources: Resources? = nil) {
        self.kind = kind
        self.message = message
        self.uid = uid
        self.user = user
        self.resources = resources
    }
}
