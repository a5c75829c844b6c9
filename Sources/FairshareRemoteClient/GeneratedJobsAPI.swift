import FairshareRemote
import GRPCCore

/// `RemoteJobsAPI` through the generated gRPC client, over any transport
/// (TLS to a gateway in use, plaintext or in-process in tests).
struct GeneratedJobsAPI<Transport: ClientTransport>: RemoteJobsAPI {
    let client: Fairshare_Remote_V1_Jobs.Client<Transport>
    /// How long a one-shot call may take (`GRPCConnector.replyTimeout`).
    let replyTimeout: Duration

    /// A gateway that accepted a call and hangs is an error, not a hung
    /// script. Streams have no deadline: they last as long as the job.
    private var oneShot: CallOptions {
        var options = CallOptions.defaults
        options.timeout = replyTimeout
        return options
    }

    func start(_ request: Fairshare_Remote_V1_StartRequest) async throws -> Fairshare_Remote_V1_StartReply {
        try await client.start(request, options: oneShot)
    }

    func stop(job: UInt64) async throws {
        var request = Fairshare_Remote_V1_StopRequest()
        request.job = job
        _ = try await client.stop(request, options: oneShot)
    }

    func query(job: UInt64) async throws -> Fairshare_Remote_V1_QueryReply {
        var request = Fairshare_Remote_V1_QueryRequest()
        request.job = job
        return try await client.query(request, options: oneShot)
    }

    func list(all: Bool) async throws -> Fairshare_Remote_V1_ListReply {
        var request = Fairshare_Remote_V1_ListRequest()
        request.all = all
        return try await client.list(request, options: oneShot)
    }

    func stream(job: UInt64, from offset: UInt64,
                onChunk: @escaping @Sendable (Fairshare_Remote_V1_OutputChunk) throws -> Void) async throws {
        var request = Fairshare_Remote_V1_StreamRequest()
        request.job = job
        request.offset = offset
        try await client.stream(request) { response in
            for try await chunk in response.messages { try onChunk(chunk) }
        }
    }

    func status() async throws -> Fairshare_Remote_V1_StatusReply {
        try await client.status(Fairshare_Remote_V1_StatusRequest(), options: oneShot)
    }
}
