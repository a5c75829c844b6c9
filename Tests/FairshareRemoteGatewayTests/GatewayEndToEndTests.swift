import FairshareCore
import FairshareRemote
@testable import FairshareRemoteGateway
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import NIOPosix
import Synchronization
import Testing

/// The gateway over real TCP and TLS on 127.0.0.1, with a fake fairshared:
/// each certificate's account and role reach fairshared as `on_behalf`,
/// fairshared's errors come back as gRPC status codes, and a refused
/// certificate's calls fail before fairshared is asked.
@Suite struct GatewayEndToEndTests {
    /// Runs `body` with a gateway serving on a free port.
    private func withGateway(callsPerAccount: Int = 64, answer: @escaping @Sendable (JSON) -> Reply,
                             _ body: (_ port: Int, _ pki: String, _ daemon: FakeDaemon) async throws -> Void) async throws {
        let pki = try PKIFixture.write()
        let daemon = try FakeDaemon(directory: pki, answer: answer)
        let tls = try GatewayTLS.context(certificate: pki + "/server-127.0.0.1.crt", key: pki + "/server-127.0.0.1.key", ca: pki + "/ca.crt")
        let registry = PeerRegistry()
        let revocations = RevocationFile(path: pki + "/ca.crl")
        let listener = GatewayListener(host: "127.0.0.1", port: 0, tls: tls, registry: registry, revocations: revocations,
                                       eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let transport = HTTP2ServerTransport.Custom(listenerFactory: listener)
        var service = RemoteJobsService(pool: DaemonPool(socketPath: daemon.path, lanes: 2), registry: registry,
                                        budget: CallBudget(perAccount: callsPerAccount),
                                        homeDirectory: { "/home/" + $0 })
        service.pollInterval = .milliseconds(10)
        let server = GRPCServer(transport: transport, services: [service])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            guard let address = await transport.listeningAddress, let port = address.ipv4?.port else {
                throw RPCError(code: .internalError, message: "the gateway did not listen")
            }
            try await body(port, pki, daemon)
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// Calls the API as the certificate `name` (e.g. "alice-writer").
    private func asClient<T: Sendable>(_ name: String, port: Int, pki: String,
                                       _ body: (Fairshare_Remote_V1_Jobs.Client<HTTP2ClientTransport.Posix>) async throws -> T) async throws -> T {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port),
            transportSecurity: .mTLS(certificateChain: [.file(path: pki + "/\(name).crt", format: .pem)],
                                     privateKey: .file(path: pki + "/\(name).key", format: .pem)) {
                $0.trustRoots = .certificates([.file(path: pki + "/ca.crt", format: .pem)])
            })
        return try await withGRPCClient(transport: transport) { client in
            try await body(Fairshare_Remote_V1_Jobs.Client(wrapping: client))
        }
    }

    private static func noSuchJob(_ request: JSON) -> Reply {
        .failure(ReplyError(code: .noSuchJob, message: "no job 7 of yours"))
    }

    @Test func theCertificatesAccountAndRoleGoToFairshared() async throws {
        try await withGateway(answer: Self.noSuchJob) { port, pki, daemon in
            var query = Fairshare_Remote_V1_QueryRequest()
            query.job = 7
            await #expect {
                _ = try await asClient("alice-writer", port: port, pki: pki) { try await $0.query(query) }
            } throws: { error in
                guard let rpc = error as? RPCError else { return false }
                return rpc.code == .notFound && rpc.message == "no job 7 of yours" && rpc.metadata[stringValues: "fairshare-code"].map { $0 } == ["no_such_job"]
            }
            let sent = daemon.requests.withLock { $0 }
            #expect(sent.count == 1)
            #expect(sent.first?["op"]?.stringValue == "job-status")
            #expect(sent.first?["on_behalf"] == OnBehalf(user: "alice", role: .writer).json)
        }
    }

    @Test func aReaderIsAskedForAsAReader() async throws {
        try await withGateway(answer: { _ in .failure(ReplyError(code: .permissionDenied, message: "a reader certificate may not run jobs")) }) { port, pki, daemon in
            var start = Fairshare_Remote_V1_StartRequest()
            start.argv = [Data("/bin/true".utf8)]
            await #expect {
                _ = try await asClient("bob-reader", port: port, pki: pki) { try await $0.start(start) }
            } throws: { ($0 as? RPCError)?.code == .permissionDenied }
            let sent = daemon.requests.withLock { $0 }
            #expect(sent.first?["on_behalf"] == OnBehalf(user: "bob", role: .reader).json)
            // The job would start in bob's home, the command found on systemd's path.
            #expect(sent.first?["cwd"]?.stringValue == "/home/bob")
            #expect(sent.first?["argv"] == ["/bin/true"])
        }
    }

    @Test func revokedAndRolelessCertificatesNeverReachFairshared() async throws {
        try await withGateway(answer: Self.noSuchJob) { port, pki, daemon in
            for (name, words) in [("carol-writer", "revoked"), ("dave-norole", "no role")] {
                await #expect {
                    _ = try await asClient(name, port: port, pki: pki) { try await $0.status(Fairshare_Remote_V1_StatusRequest()) }
                } throws: { error in
                    guard let rpc = error as? RPCError else { return false }
                    return rpc.code == .unauthenticated && rpc.message.contains(words)
                }
            }
            #expect(daemon.requests.withLock { $0.isEmpty })
        }
    }

    @Test func aStreamFollowsTheOutputUntilTheJobEnded() async throws {
        // The log grows by one page per request until it ends at 3 pages.
        let output = Array("first line\nsecond line\nthird line\n".utf8)
        let calls = Mutex(0)
        try await withGateway(answer: { request in
            let offset = Int(request["offset"]?.uint64Value ?? 0)
            let written = calls.withLock { n -> Int in n += 1; return min(output.count, n * 11) }
            let page = Array(output[min(offset, written)..<written])
            let ended = written == output.count
            return .success(LogsReply(job: 7, data: page, next: UInt64(offset + page.count), size: UInt64(written), ended: ended,
                                      end: ended ? JobEnd(exitStatus: 0, signal: nil, stopped: false, ended: 1) : nil).json)
        }) { port, pki, _ in
            var request = Fairshare_Remote_V1_StreamRequest()
            request.job = 7
            let received: [UInt8] = try await asClient("alice-writer", port: port, pki: pki) { jobs in
                try await jobs.stream(request) { response in
                    var bytes: [UInt8] = []
                    for try await chunk in response.messages {
                        #expect(chunk.offset == UInt64(bytes.count))
                        bytes += chunk.data
                    }
                    return bytes
                }
            }
            #expect(received == output)
        }
    }

    /// One account's open calls are bounded; another account is still served.
    @Test func anAccountsOpenCallsAreBounded() async throws {
        // A job that runs and has written nothing: a Stream stays open.
        let running = LogsReply(job: 7, data: [], next: 0, size: 0, ended: false, end: nil).json
        let status = StatusReply(uid: 1001, user: "x", system: CPUAndMemory(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                                 available: CPUAndMemory(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                                 allocation: nil, leaseEnd: nil, usage: nil).json
        try await withGateway(callsPerAccount: 1, answer: { $0["op"]?.stringValue == "logs" ? .success(running) : .success(status) }) { port, pki, daemon in
            var request = Fairshare_Remote_V1_StreamRequest()
            request.job = 7
            let stream = Task {
                try await asClient("alice-writer", port: port, pki: pki) { jobs in
                    try await jobs.stream(request) { response in for try await _ in response.messages {} }
                }
            }
            while daemon.requests.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
            await #expect {
                _ = try await asClient("alice-writer", port: port, pki: pki) { try await $0.status(Fairshare_Remote_V1_StatusRequest()) }
            } throws: { ($0 as? RPCError)?.code == .resourceExhausted }
            let bob = try await asClient("bob-reader", port: port, pki: pki) { try await $0.status(Fairshare_Remote_V1_StatusRequest()) }
            #expect(bob.uid == 1001)
            stream.cancel()
            _ = await stream.result
        }
    }
}
