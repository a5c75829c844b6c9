import FairshareRemote

/// What the remote commands ask of fairshare-remote, over one connection
/// (contrib/proto/fairshare/remote/v1/remote.proto). Errors are as the
/// transport throws them (mostly `RPCError`); `RemoteFailure` reads them.
public protocol RemoteJobsAPI: Sendable {
    func start(_ request: Fairshare_Remote_V1_StartRequest) async throws -> Fairshare_Remote_V1_StartReply
    func stop(job: UInt64) async throws
    func query(job: UInt64) async throws -> Fairshare_Remote_V1_QueryReply
    func list(all: Bool) async throws -> Fairshare_Remote_V1_ListReply
    /// Hands each chunk of the job's output from `offset` to `onChunk`, in
    /// order, until the server ends the stream (the job ended) or fails.
    func stream(job: UInt64, from offset: UInt64,
                onChunk: @escaping @Sendable (Fairshare_Remote_V1_OutputChunk) throws -> Void) async throws
    func status() async throws -> Fairshare_Remote_V1_StatusReply
}
