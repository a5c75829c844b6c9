import FairshareCLI
@testable import FairshareRemoteClient
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Testing

/// `logs -f` across a real restart: the server is torn down mid-stream
/// (connections closed, no gRPC status), and a new one comes up on the
/// same port a little later.
@Suite struct GatewayRestartTests {
    static func server(_ service: FakeJobsService, port: Int) -> GRPCServer<HTTP2ServerTransport.Posix> {
        GRPCServer(transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
                   services: [service])
    }

    @Test func followCarriesOnWithTheNewGateway() async throws {
        let output: [UInt8] = (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let service = FakeJobsService()
        service.state.withLock { $0.output = output; $0.chunkSize = 50; $0.chunkDelay = .milliseconds(5); $0.end = .exitCode(7) }
        let first = Self.server(service, port: 0)
        let firstServing = Task { try await first.serve() }
        let port = try #require(try await first.transport.listeningAddress.ipv4?.port)
        let connector = GRPCConnector(endpoint: "127.0.0.1:\(port)") {
            try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        }
        let out = CapturedOutput()
        let following = Task {
            try await RemoteLogReader(job: 3, follow: true, patience: .seconds(10), retryDelay: .milliseconds(50))
                .run(RemoteSession(connector: connector, credentials: nil), sink: out.sink)
        }
        // Tear the first gateway down once part of the output is through.
        while out.all.count < 1000 { try await Task.sleep(for: .milliseconds(5)) }
        firstServing.cancel()
        _ = await firstServing.result
        let cutAt = out.all.count
        try await Task.sleep(for: .milliseconds(300))
        let second = Self.server(service, port: port)
        let secondServing = Task { try await second.serve() }
        defer { secondServing.cancel() }

        let status = try await following.value
        #expect(out.all == output)
        #expect(status == 7)
        #expect(cutAt < output.count)
        // Every stream after the first resumed where the output stood, never at 0.
        let offsets = service.state.withLock { $0.streamOffsets }
        #expect(offsets.first == 0)
        #expect(offsets.dropFirst().allSatisfy { $0 > 0 })
    }
}
