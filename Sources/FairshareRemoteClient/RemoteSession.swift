import FairshareCLI

/// A remote command's way to the gateway: calls that fail as the local
/// command would (`RemoteFailure`).
public struct RemoteSession: Sendable {
    public var connector: any RemoteConnector
    public var failures: RemoteFailure

    public init(connector: any RemoteConnector, credentials: RemoteCredentials?) {
        self.connector = connector
        self.failures = RemoteFailure(endpoint: connector.endpoint, credentials: credentials)
    }

    /// Runs `body` on a new connection.
    public func call<Result: Sendable>(_ body: @Sendable (any RemoteJobsAPI) async throws -> Result) async throws(ClientFailure) -> Result {
        do {
            return try await connector.withJobs(body)
        } catch {
            throw failures.failure(error)
        }
    }
}
