import FairshareRemote
import GRPCCore

/// Opens a connection to fairshare-remote for as long as `body` runs. A
/// follower of `logs -f` opens a new one after the gateway went away.
public protocol RemoteConnector: Sendable {
    /// "HOST:PORT" as the user gave it, for messages.
    var endpoint: String { get }
    func withJobs<Result: Sendable>(_ body: @Sendable (any RemoteJobsAPI) async throws -> Result) async throws -> Result
}

/// A connector over a gRPC client transport, made anew for each connection
/// (a transport is spent once its client shuts down).
public struct GRPCConnector<Transport: ClientTransport>: RemoteConnector {
    public let endpoint: String
    /// How long a one-shot call waits for its reply: as long as the local
    /// client waits for fairshared (60 s).
    public let replyTimeout: Duration
    private let makeTransport: @Sendable () throws -> Transport

    public init(endpoint: String, replyTimeout: Duration = .seconds(60), makeTransport: @escaping @Sendable () throws -> Transport) {
        self.endpoint = endpoint
        self.replyTimeout = replyTimeout
        self.makeTransport = makeTransport
    }

    public func withJobs<Result: Sendable>(_ body: @Sendable (any RemoteJobsAPI) async throws -> Result) async throws -> Result {
        try await withGRPCClient(transport: try makeTransport()) { client in
            try await body(GeneratedJobsAPI(client: Fairshare_Remote_V1_Jobs.Client(wrapping: client), replyTimeout: replyTimeout))
        }
    }
}
