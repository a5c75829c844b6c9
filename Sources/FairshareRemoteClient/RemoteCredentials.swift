import GRPCNIOTransportHTTP2Posix
import NIOSSL

/// The CA that signed the gateway's certificate, and our certificate and
/// key: mutual TLS, the account and role being our certificate's subject.
public struct RemoteCredentials: Equatable, Sendable {
    public var ca: RemoteCredentialFile
    public var cert: RemoteCredentialFile
    public var key: RemoteCredentialFile

    public init(ca: RemoteCredentialFile, cert: RemoteCredentialFile, key: RemoteCredentialFile) {
        self.ca = ca
        self.cert = cert
        self.key = key
    }

    /// Each file from its option, else its environment variable, else
    /// ~/.config/fairshare/remote/.
    public static func choose(ca: String?, cert: String?, key: String?,
                              environment: (String) -> String?, home: String) -> Self {
        Self(ca: .choose(.ca, option: ca, environment: environment, home: home),
             cert: .choose(.cert, option: cert, environment: environment, home: home),
             key: .choose(.key, option: key, environment: environment, home: home))
    }

    /// Reads all three as PEM, so a wrong file is named before any
    /// connection is tried (the TLS library would only say that its
    /// context could not be made).
    public func check() throws(RemoteCredentialError) {
        for file in [ca, cert, key] { try file.checkReadable() }
        try Self.read(ca, as: "PEM certificate") { !(try NIOSSLCertificate.fromPEMFile($0)).isEmpty }
        try Self.read(cert, as: "PEM certificate") { !(try NIOSSLCertificate.fromPEMFile($0)).isEmpty }
        try Self.read(key, as: "PEM private key") { _ = try NIOSSLPrivateKey(file: $0, format: .pem); return true }
        do {
            var tls = TLSConfiguration.makeClientConfiguration()
            // Our CA, not the system's store (a machine without
            // ca-certificates has none, and the check is about the key).
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca.path))
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert.path).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem))
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw RemoteCredentialError(file: key, reason: "not the key of \(cert.described) (\(error))")
        }
    }

    private static func read(_ file: RemoteCredentialFile, as what: String, _ parses: (String) throws -> Bool) throws(RemoteCredentialError) {
        let found: Bool
        do {
            found = try parses(file.path)
        } catch {
            throw RemoteCredentialError(file: file, reason: "not a \(what) (\(error))")
        }
        if !found { throw RemoteCredentialError(file: file, reason: "no \(what) in it") }
    }

    /// Mutual TLS that trusts only `ca` and checks that the server's
    /// certificate names the host the user typed (for an IP address,
    /// BoringSSL compares the certificate's IP entries with the peer).
    public var transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
        .mTLS(certificateChain: [.file(path: cert.path, format: .pem)], privateKey: .file(path: key.path, format: .pem)) { tls in
            tls.trustRoots = .certificates([.file(path: ca.path, format: .pem)])
            tls.serverCertificateVerification = .fullVerification
        }
    }
}
