import FairshareCore
import FairshareSystem

/// The peer of one connection, from the kernel's credentials.
public struct Caller: Sendable {
    public var credentials: PeerCredentials
    /// The peer process pinned by its start time at accept(), so a recycled
    /// pid is never moved.
    public var process: ProcessIdentity?
    /// A pidfd of the peer taken at accept(): alive means the pid still
    /// names the process that connected.
    public var handle: ProcessHandle?
    public var userName: String
    public var groupNames: [String]
    public var role: Role

    public var uid: UInt32 { credentials.uid }

    public init(credentials: PeerCredentials, process: ProcessIdentity?, handle: ProcessHandle? = nil,
                userName: String, groupNames: [String], role: Role) {
        self.credentials = credentials
        self.process = process
        self.handle = handle
        self.userName = userName
        self.groupNames = groupNames
        self.role = role
    }
}
