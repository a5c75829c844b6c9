import FairshareCore
import FairshareRemote
import FairshareSystem
import GRPCCore

/// The API (contrib/proto) served by asking fairshared on behalf of the
/// certificate's account. Nothing is decided here: fairshared checks the
/// role the certificate carries against what is asked (`Delegation`) and
/// then handles the request as the account's own, so a remote user can do
/// exactly what the local role allows, and a reader never starts or stops.
struct RemoteJobsService: Fairshare_Remote_V1_Jobs.SimpleServiceProtocol {
    let pool: DaemonPool
    let registry: PeerRegistry
    let budget: CallBudget
    /// The account's home directory, where its remote jobs start (NSS).
    let homeDirectory: @Sendable (String) -> String?
    /// How often a Stream asks for more output while the job runs.
    var pollInterval: Duration = .milliseconds(100)

    func start(request: Fairshare_Remote_V1_StartRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_StartReply {
        let identity = try registry.identity(of: context)
        return try await budget.admit(identity.account) { try await start(request, as: identity) }
    }

    private func start(_ request: Fairshare_Remote_V1_StartRequest, as identity: CertificateIdentity) async throws -> Fairshare_Remote_V1_StartReply {
        guard let home = homeDirectory(identity.account) else {
            throw RPCError(code: .permissionDenied, message: "no local account '\(identity.account)' on this machine")
        }
        let run = try StartRequestReading.runRequest(request, home: home)
        let started = try await call(.run(run), as: JobStartedReply.self, for: identity)
        var reply = Fairshare_Remote_V1_StartReply()
        reply.job = started.job
        return reply
    }

    func stop(request: Fairshare_Remote_V1_StopRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_StopReply {
        let identity = try registry.identity(of: context)
        return try await budget.admit(identity.account) {
            _ = try await call(.stop(job: request.job), as: StopReply.self, for: identity)
            return Fairshare_Remote_V1_StopReply()
        }
    }

    func query(request: Fairshare_Remote_V1_QueryRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_QueryReply {
        let identity = try registry.identity(of: context)
        return try await budget.admit(identity.account) {
            RemoteMessages.query(try await call(.jobStatus(job: request.job), as: JobReply.self, for: identity))
        }
    }

    func list(request: Fairshare_Remote_V1_ListRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_ListReply {
        let identity = try registry.identity(of: context)
        return try await budget.admit(identity.account) {
            var reply = Fairshare_Remote_V1_ListReply()
            var after: UInt64?
            repeat {
                let page = try await call(.jobs(all: request.all, after: after), as: JobsPage.self, for: identity)
                reply.jobs += page.jobs.map(RemoteMessages.query)
                after = page.next
            } while after != nil
            return reply
        }
    }

    /// From the offset asked for to the end of the output, then live until
    /// the job ended and everything it wrote was sent.
    func stream(request: Fairshare_Remote_V1_StreamRequest, response: RPCWriter<Fairshare_Remote_V1_OutputChunk>,
                context: ServerContext) async throws {
        let identity = try registry.identity(of: context)
        try await budget.admit(identity.account) { try await follow(request, to: response, context: context, as: identity) }
    }

    private func follow(_ request: Fairshare_Remote_V1_StreamRequest, to response: RPCWriter<Fairshare_Remote_V1_OutputChunk>,
                        context: ServerContext, as identity: CertificateIdentity) async throws {
        var offset = request.offset
        // A client that went away cancels the call's context; the handler's
        // task is not always cancelled with it.
        while !context.cancellation.isCancelled {
            let page = try await call(.logs(job: request.job, offset: offset), as: LogsReply.self, for: identity)
            if let chunk = RemoteMessages.chunk(page, from: offset) {
                try await response.write(chunk)
                offset = page.next
                if offset < page.size { continue }
            }
            if page.ended && offset >= page.size { return }
            try await Task.sleep(for: pollInterval)
        }
    }

    func status(request: Fairshare_Remote_V1_StatusRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_StatusReply {
        let identity = try registry.identity(of: context)
        return try await budget.admit(identity.account) {
            RemoteMessages.status(try await call(.status, as: StatusReply.self, for: identity))
        }
    }

    /// fairshared's reply read as `T`; its errors as gRPC's.
    private func call<T: ReplyValue>(_ request: FairshareCore.ClientRequest, as type: T.Type, for identity: CertificateIdentity) async throws(RPCError) -> T {
        switch try await pool.reply(request, onBehalf: OnBehalf(user: identity.account, role: identity.role)) {
        case .success(let result):
            do { return try T(json: result) } catch {
                throw RPCError(code: .internalError, message: "fairshared's reply cannot be read: \(error)")
            }
        case .failure(let error):
            throw RemoteErrors.rpcError(error)
        }
    }
}
