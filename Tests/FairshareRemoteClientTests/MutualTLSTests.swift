import FairshareCLI
import FairshareRemote
@testable import FairshareRemoteClient
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Testing

/// The client's TLS set-up against a gateway stand-in with the server side
/// of mutual TLS, using certificates made by contrib/fairshare-remote-certs.
@Suite struct MutualTLSTests {
    /// Serves a fake gateway over mutual TLS on 127.0.0.1 with the main CA's
    /// server certificate, trusting only client certificates of that CA.
    static func withGateway<R: Sendable>(_ certs: TestCertificates, named: Bool = false, service: FakeJobsService? = nil,
                                         _ body: (Int) async throws -> R) async throws -> R {
        let (cert, key) = named ? (certs.namedServerCert, certs.namedServerKey) : (certs.serverCert, certs.serverKey)
        let security = HTTP2ServerTransport.Posix.TransportSecurity.mTLS(
            certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem)
        ) { tls in
            tls.trustRoots = .certificates([.file(path: certs.ca, format: .pem)])
            tls.clientCertificateVerification = .noHostnameVerification
        }
        let service = service ?? FakeJobsService()
        service.state.withLock { $0.statusReply.user = "alice"; $0.statusReply.uid = 1001 }
        let server = GRPCServer(transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: security),
                                services: [service])
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            guard let port = try await server.transport.listeningAddress.ipv4?.port else {
                throw RPCError(code: .internalError, message: "the TLS gateway has no IPv4 address")
            }
            return try await body(port)
        }
    }

    static func status(_ host: RemoteAddress.Host, _ port: Int, ca: String, cert: String, key: String) async -> Result<String, ClientFailure> {
        let credentials = RemoteCredentials.choose(ca: ca, cert: cert, key: key, environment: { _ in nil }, home: "/")
        let session = RemoteSession(connector: GRPCConnector.mutualTLS(to: RemoteAddress(host: host, port: port), credentials: credentials),
                                    credentials: credentials)
        do throws(ClientFailure) {
            return .success(try await session.call { api in try await api.status() }.user)
        } catch {
            return .failure(error)
        }
    }

    @Test func theAdministratorsCertificatesWork() async throws {
        let certs = try TestCertificates.shared.get()
        let result = try await Self.withGateway(certs) { port in
            await Self.status(.ipv4("127.0.0.1"), port, ca: certs.ca, cert: certs.clientCert, key: certs.clientKey)
        }
        #expect(try result.get() == "alice")
    }

    @Test func aGatewayOurCADidNotSignIsRefused() async throws {
        let certs = try TestCertificates.shared.get()
        let result = try await Self.withGateway(certs) { port in
            await Self.status(.ipv4("127.0.0.1"), port, ca: certs.otherCA, cert: certs.clientCert, key: certs.clientKey)
        }
        guard case .failure(let failure) = result else { Issue.record("connected"); return }
        #expect(failure.status == ExitStatus.unavailable)
        #expect(failure.message.hasPrefix("cannot reach fairshare-remote at 127.0.0.1:"))
        #expect(failure.message.contains("the gateway's certificate did not verify against the CA certificate \(certs.otherCA) (from --ca)"))
    }

    @Test func theGatewaysCertificateMustNameTheHostDialled() async throws {
        let certs = try TestCertificates.shared.get()
        // Signed by our CA, but for gpu1.example, not 127.0.0.1.
        let result = try await Self.withGateway(certs, named: true) { port in
            await Self.status(.ipv4("127.0.0.1"), port, ca: certs.ca, cert: certs.clientCert, key: certs.clientKey)
        }
        guard case .failure(let failure) = result else { Issue.record("connected"); return }
        #expect(failure.status == ExitStatus.unavailable)
        #expect(failure.message.contains("the gateway's certificate did not verify"))
    }

    /// NIOSSL accepts a certificate whose IP entry is the address connected
    /// to, whatever name was dialled: "localhost" reaches a certificate for
    /// IP:127.0.0.1 (fairshare(1) says so).
    @Test func aNameIsAcceptedForTheAddressItResolvedTo() async throws {
        let certs = try TestCertificates.shared.get()
        let result = try await Self.withGateway(certs) { port in
            await Self.status(.name("localhost"), port, ca: certs.ca, cert: certs.clientCert, key: certs.clientKey)
        }
        #expect(try result.get() == "alice")
    }

    @Test func aClientCertificateTheGatewayDoesNotTrustIsRefused() async throws {
        let certs = try TestCertificates.shared.get()
        let result = try await Self.withGateway(certs) { port in
            await Self.status(.ipv4("127.0.0.1"), port, ca: certs.ca, cert: certs.otherClientCert, key: certs.otherClientKey)
        }
        guard case .failure(let failure) = result else { Issue.record("connected"); return }
        #expect(failure.status == ExitStatus.unavailable)
        #expect(failure.message.contains("the gateway refused the client certificate \(certs.otherClientCert) (from --cert)"),
                "\(failure.message)")
    }
}
