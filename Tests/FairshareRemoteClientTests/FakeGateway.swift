import FairshareCLI
import FairshareCore
import FairshareRemote
@testable import FairshareRemoteClient
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fairshare-remote stand-in: canned replies, and a job whose output
/// stream can be cut (UNAVAILABLE, as a restarting gateway's clients see).
final class FakeJobsService: Fairshare_Remote_V1_Jobs.SimpleServiceProtocol {
    struct State {
        var rows: [Fairshare_Remote_V1_QueryReply] = []
        var listedAll: [Bool] = []
        var started: [Fairshare_Remote_V1_StartRequest] = []
        var stopped: [UInt64] = []
        var statusReply = Fairshare_Remote_V1_StatusReply()
        /// The job's whole output and how it ends.
        var output: [UInt8] = []
        var end: Fairshare_Remote_V1_QueryReply.OneOf_End? = .exitCode(0)
        /// Each stream fails (UNAVAILABLE) once it has sent this many bytes
        /// in all, first entry first; an empty list lets streams finish.
        var cuts: [Int] = []
        /// Bytes per chunk; resent from this many bytes before the offset asked for.
        var chunkSize = 7
        var overlap = 0
        /// A pause after each chunk, so a test can cut a stream halfway.
        var chunkDelay: Duration = .zero
        /// The offset each Stream asked for.
        var streamOffsets: [UInt64] = []
        /// Fail every call with this error instead.
        var failure: RPCError?
        /// How long Status takes to answer.
        var statusDelay: Duration = .zero
    }

    let state = Mutex(State())

    func start(request: Fairshare_Remote_V1_StartRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_StartReply {
        try state.withLock { s in
            if let failure = s.failure { throw failure }
            s.started.append(request)
            var reply = Fairshare_Remote_V1_StartReply()
            reply.job = 41
            return reply
        }
    }

    func stop(request: Fairshare_Remote_V1_StopRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_StopReply {
        try state.withLock { s in
            if let failure = s.failure { throw failure }
            s.stopped.append(request.job)
            return Fairshare_Remote_V1_StopReply()
        }
    }

    func query(request: Fairshare_Remote_V1_QueryRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_QueryReply {
        try state.withLock { s in
            if let failure = s.failure { throw failure }
            var q = Fairshare_Remote_V1_QueryReply()
            q.job = request.job
            q.user = "alice"
            q.argv = [Data("/bin/echo".utf8)]
            q.end = s.end
            q.state = s.end == nil ? .running : .exited
            if s.end != nil { q.ended = 1_790_000_100 }
            return q
        }
    }

    func list(request: Fairshare_Remote_V1_ListRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_ListReply {
        try state.withLock { s in
            if let failure = s.failure { throw failure }
            s.listedAll.append(request.all)
            var reply = Fairshare_Remote_V1_ListReply()
            reply.jobs = s.rows
            return reply
        }
    }

    func stream(request: Fairshare_Remote_V1_StreamRequest, response: RPCWriter<Fairshare_Remote_V1_OutputChunk>,
                context: ServerContext) async throws {
        let (output, cut, chunkSize, overlap, delay) = try state.withLock { s in
            if let failure = s.failure { throw failure }
            s.streamOffsets.append(request.offset)
            return (s.output, s.cuts.isEmpty ? nil : s.cuts.removeFirst(), s.chunkSize, s.overlap, s.chunkDelay)
        }
        var offset = Int(request.offset) > overlap ? Int(request.offset) - overlap : 0
        while offset < output.count {
            if let cut, offset >= cut { throw RPCError(code: .unavailable, message: "the gateway is shutting down") }
            let end = min(output.count, offset + chunkSize, cut ?? Int.max)
            var chunk = Fairshare_Remote_V1_OutputChunk()
            chunk.offset = UInt64(offset)
            chunk.data = Data(output[offset..<end])
            try await response.write(chunk)
            offset = end
            if delay > .zero { try await Task.sleep(for: delay) }
        }
        if let cut, cut <= output.count { throw RPCError(code: .unavailable, message: "the gateway is shutting down") }
        // A running job: keep the stream open, as the gateway does, until
        // the client cancels (at most 10 s, so a test cannot hang on it).
        if state.withLock({ $0.end == nil }) {
            let deadline = ContinuousClock.now + .seconds(10)
            while !context.cancellation.isCancelled && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }
    }

    func status(request: Fairshare_Remote_V1_StatusRequest, context: ServerContext) async throws -> Fairshare_Remote_V1_StatusReply {
        let delay = state.withLock { $0.statusDelay }
        let until = ContinuousClock.now + delay
        while ContinuousClock.now < until, !context.cancellation.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
        return try state.withLock { s in
            if let failure = s.failure { throw failure }
            return s.statusReply
        }
    }
}

/// Bytes a command wrote, in order.
final class CapturedOutput: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    var all: [UInt8] { bytes.withLock { $0 } }
    var text: String { String(decoding: all, as: UTF8.self) }
    var sink: @Sendable ([UInt8]) -> Void { { [self] new in bytes.withLock { $0 += new } } }
}

enum FakeGateway {
    /// Serves `service` over plaintext HTTP/2 on 127.0.0.1 (a free port) and
    /// runs `body` with a session whose connector is the client's own
    /// `GRPCConnector` with a plaintext transport.
    static func with<R: Sendable>(_ service: FakeJobsService, replyTimeout: Duration = .seconds(60),
                                  _ body: (RemoteSession) async throws -> R) async throws -> R {
        let server = GRPCServer(transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
                                services: [service])
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            guard let port = try await server.transport.listeningAddress.ipv4?.port else {
                throw RPCError(code: .internalError, message: "the fake gateway has no IPv4 address")
            }
            let connector = GRPCConnector(endpoint: "127.0.0.1:\(port)", replyTimeout: replyTimeout) {
                try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
            }
            return try await body(RemoteSession(connector: connector, credentials: nil))
        }
    }
}

extension FakeGateway {
    /// The failure `body` ends with against `service`, or nil (recorded as an
    /// issue) if it succeeded.
    static func expectFailure(_ service: FakeJobsService,
                              _ body: (RemoteSession) async throws(ClientFailure) -> Void) async -> ClientFailure? {
        do {
            return try await with(service) { session -> ClientFailure? in
                do throws(ClientFailure) {
                    try await body(session)
                    Issue.record("expected a failure")
                    return nil
                } catch {
                    return error
                }
            }
        } catch {
            Issue.record("the fake gateway failed: \(error)")
            return nil
        }
    }

    /// A connector to a local port nothing listens on.
    static func unreachable() -> GRPCConnector<HTTP2ClientTransport.Posix> {
        let port = closedPort()
        return GRPCConnector(endpoint: "127.0.0.1:\(port)") {
            try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        }
    }

    /// A port the kernel just handed out and that is closed again.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                _ = bind(fd, a, length)
                _ = getsockname(fd, a, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// fairshared's errors as the gateway sends them.
enum RemoteErrorsFixture {
    static func rpcError(_ code: ErrorCode, _ message: String, details: JSONObject = [:]) -> RPCError {
        RemoteErrors.rpcError(ReplyError(code: code, message: message, details: details))
    }
}
