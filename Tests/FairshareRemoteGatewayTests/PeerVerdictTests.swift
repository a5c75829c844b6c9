import FairshareCore
import FairshareRemote
@testable import FairshareRemoteGateway
import NIOSSL
import Testing

@Suite struct PeerVerdictTests {
    private func der(_ pem: String) throws -> [UInt8] { try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem).toDERBytes() }
    private let revoked = Result<RevocationList, RevocationFile.Unreadable>.success(try! RevocationList.read(Array(PKIFixture.crl.utf8)))

    @Test func theSubjectNamesTheAccountAndTheRole() throws {
        #expect(PeerVerdict.judge(certificate: try der(PKIFixture.aliceWriterCertificate), revocations: revoked)
                == .admitted(CertificateIdentity(account: "alice", role: .writer)))
        #expect(PeerVerdict.judge(certificate: try der(PKIFixture.bobReaderCertificate), revocations: revoked)
                == .admitted(CertificateIdentity(account: "bob", role: .reader)))
    }

    @Test func noRoleIsRefused() throws {
        let verdict = PeerVerdict.judge(certificate: try der(PKIFixture.daveNoRoleCertificate), revocations: revoked)
        #expect(verdict == .refused(CertificateIdentity.Problem.noRole.message))
    }

    @Test func aRevokedCertificateIsRefused() throws {
        guard case .refused(let reason) = PeerVerdict.judge(certificate: try der(PKIFixture.carolRevokedCertificate), revocations: revoked) else {
            Issue.record("a revoked certificate was admitted")
            return
        }
        #expect(reason.contains("revoked"))
    }

    @Test func anUnreadableCRLRefusesEveryone() throws {
        let verdict = PeerVerdict.judge(certificate: try der(PKIFixture.aliceWriterCertificate),
                                        revocations: .failure(.init(description: "/etc/fairshare/remote/crl.pem: not a CRL")))
        guard case .refused(let reason) = verdict else {
            Issue.record("admitted without a readable CRL")
            return
        }
        #expect(reason.contains("CRL"))
    }

    @Test func listenAddresses() throws {
        #expect(try FairshareRemoteCommand.parse(["--listen", "0.0.0.0:9326"]).listenAddress() == RemoteAddress(host: .ipv4("0.0.0.0"), port: 9326))
        let v6 = try FairshareRemoteCommand.parse(["--listen", "[::]:443"]).listenAddress()
        #expect(v6.bareHost == "::" && v6.port == 443)
        for bad in ["9326", ":9326", "host:0", "host:70000", "::1:9326", "[::1]", "host:port"] {
            #expect(throws: (any Error).self, "\(bad)") { try FairshareRemoteCommand.parse(["--listen", bad]) }
        }
    }
}
