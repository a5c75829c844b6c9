import FairshareCLI
@testable import FairshareRemoteClient
import Foundation
import Testing

@Suite struct RemoteCredentialsTests {
    @Test func optionThenEnvironmentThenHome() {
        let environment: (String) -> String? = { ["FAIRSHARE_REMOTE_CERT": "/env/c.crt", "FAIRSHARE_REMOTE_KEY": ""][$0] }
        let chosen = RemoteCredentials.choose(ca: "/opt/ca.pem", cert: nil, key: nil, environment: environment, home: "/home/al")
        #expect(chosen.ca == RemoteCredentialFile(kind: .ca, path: "/opt/ca.pem", source: .option))
        #expect(chosen.cert == RemoteCredentialFile(kind: .cert, path: "/env/c.crt", source: .environment))
        // An empty variable counts as unset.
        #expect(chosen.key == RemoteCredentialFile(kind: .key, path: "/home/al/.config/fairshare/remote/client.key", source: .defaultLocation))
    }

    @Test func aMissingFileIsAUsageErrorNamingItAndWhatSetsIt() throws {
        let options = try RemoteConnectionOptions.parse(["--remote", "h:1", "--cert", "/nonexistent/me.crt"])
        do {
            _ = try options.credentials(environment: { _ in nil }, home: "/nonexistent-home")
            Issue.record("accepted")
        } catch {
            #expect(error.status == ExitStatus.usage)
            // The CA comes first: the default location, with how to set another.
            #expect(error.message == "cannot use the CA certificate /nonexistent-home/.config/fairshare/remote/ca.crt "
                    + "(the default; set another with --ca FILE or FAIRSHARE_REMOTE_CA): No such file or directory")
        }
        let certs = try TestCertificates.shared.get()
        let withCA = try RemoteConnectionOptions.parse(["--remote", "h:1", "--ca", certs.ca, "--cert", "/nonexistent/me.crt"])
        do {
            _ = try withCA.credentials(environment: { _ in nil }, home: "/nonexistent-home")
            Issue.record("accepted")
        } catch {
            #expect(error.status == ExitStatus.usage)
            #expect(error.message == "cannot use the client certificate /nonexistent/me.crt (from --cert): No such file or directory")
        }
    }

    @Test func aFileOfTheWrongKindIsNamed() throws {
        let certs = try TestCertificates.shared.get()
        // The key given where the certificate belongs, from the environment.
        let environment: (String) -> String? = { ["FAIRSHARE_REMOTE_CERT": certs.clientKey, "FAIRSHARE_REMOTE_KEY": certs.clientKey][$0] }
        let credentials = RemoteCredentials.choose(ca: certs.ca, cert: nil, key: nil, environment: environment, home: "/")
        do {
            try credentials.check()
            Issue.record("accepted")
        } catch {
            #expect(error.file.kind == .cert)
            #expect(error.description.hasPrefix("cannot use the client certificate \(certs.clientKey) (from FAIRSHARE_REMOTE_CERT): "))
        }
        let swapped = RemoteCredentials.choose(ca: certs.ca, cert: certs.clientCert, key: certs.clientCert, environment: { _ in nil }, home: "/")
        #expect(throws: RemoteCredentialError.self) { try swapped.check() }
    }

    @Test func aKeyOfAnotherCertificateIsNamed() throws {
        let certs = try TestCertificates.shared.get()
        let credentials = RemoteCredentials.choose(ca: certs.ca, cert: certs.clientCert, key: certs.otherClientKey, environment: { _ in nil }, home: "/")
        do {
            try credentials.check()
            Issue.record("accepted")
        } catch {
            #expect(error.file.kind == .key)
            #expect(error.description.hasPrefix("cannot use the client key \(certs.otherClientKey) (from --key): "
                                                + "not the key of the client certificate \(certs.clientCert) (from --cert)"))
        }
    }

    @Test func theAdministratorsFilesAreAccepted() throws {
        let certs = try TestCertificates.shared.get()
        try RemoteCredentials.choose(ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, environment: { _ in nil }, home: "/").check()
    }
}
