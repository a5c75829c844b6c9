import FairshareCore

/// Where the daemon reports what it did. The journal in production; a list
/// in tests.
public protocol EventLog: AnyObject {
    func record(_ event: DaemonEvent)
}

/// One thing worth an audit line.
public struct DaemonEvent: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case started, stopping, granted, refused, released, revoked, leaseExpired, idleReleased, exec, policyReloaded, policyRejected, clamped, quota, throttled, reclaimed, strayAdopted, strayFound, propertyUnknown, error

        /// The journal's MESSAGE_ID for this kind: fixed forever, so
        /// `journalctl MESSAGE_ID=…` finds every event of a kind (the audit
        /// trail); explained in contrib/fairshare.catalog.
        public var messageID: String {
            switch self {
            case .started: "95ec0e90e3d14df587bed75a860ef997"
            case .stopping: "d89e6993c7f2403d944b3b16bed3b4e4"
            case .granted: "3a680982f31641fb9d695b3dbd6650cf"
            case .refused: "0b55ad87d6354e618bdf4a1555e0320f"
            case .released: "d991ee01de6740ecbb0eadbf3016d033"
            case .revoked: "5a1c0f3e8b7d4e2a9c6f1b0d3e7a2c94"
            case .leaseExpired: "e4b1d2c39f8a4b7e8d6c5a4f3e2d1c0b"
            case .idleReleased: "7c3e9a1f5b2d4c6e8a0f1e3d5c7b9a24"
            case .exec: "1d88a0202e8d4db4aaa3d3e1529a540e"
            case .policyReloaded: "ddfc279aca7e4eb08ca3c66bb7d39d9c"
            case .policyRejected: "8c1aeaaba3e74582a659ddb97f910983"
            case .clamped: "d51d7e7aac834c83b5725c1dfe6e24c2"
            case .quota: "ca9f49bde95e4c46b060379bfffaac2c"
            case .throttled: "0ceb8399aaef49fbaa4d255faccd6e9f"
            case .reclaimed: "6f0d3a8e2b5c4e71a9d4c7b1e8f25a36"
            case .strayAdopted: "4f7b2d9e61c84a0b9e35d18c7a2f60e1"
            case .strayFound: "a18856fdb2234fbbaec9eaa752c88a15"
            case .propertyUnknown: "d182b358ea2744db9b6a05c349b4ee8c"
            case .error: "29d399c654c34bd7bc88399185fc21b4"
            }
        }
    }

    public var kind: Kind
    public var message: String
    public var uid: UInt32?
    public var user: String?
    public var resources: Resources?
    /// More journal fields, by name (`FAIRSHARE_PIDS`, …), in this order.
    public var fields: [(name: String, value: String)]

    public init(_ kind: Kind, _ message: String, uid: UInt32? = nil, user: String? = nil, resources: Resources? = nil,
                fields: [(name: String, value: String)] = []) {
        self.kind = kind
        self.message = message
        self.uid = uid
        self.user = user
        self.resources = resources
        self.fields = fields
    }

    public static func == (a: DaemonEvent, b: DaemonEvent) -> Bool {
        a.kind == b.kind && a.message == b.message && a.uid == b.uid && a.user == b.user && a.resources == b.resources
            && a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }
}
