import FairshareCore
import FairshareSystem

/// The peer of one connection, from the kernel's credentials.
public struct Caller: Sendable {
    public var credentials: PeerCredentials
    /// The peer process pinned by its start time at accept(), so a recycled
    /// pid is never moved.
    public var process: ProcessIdentity?
    public var userName: String
    public var groupNames: [String]
    public var role: Role

    public var uid: UInt32 { credentials.uid }

    public init(credentials: PeerCredentials, process: ProcessIdentity?, userName: String, groupNames: [String], role: Role) {
        self.credentials = credentials
        self.process = process
        self.userName = userName
        self.groupNames = groupNames
        self.role = role
    }
}
