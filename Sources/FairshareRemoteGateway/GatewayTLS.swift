import NIOSSL

/// The gateway's TLS: its own certificate and key, client certificates
/// required and verified against the private CA only (not the system's
/// roots), TLS 1.3 only, and ALPN for gRPC.
enum GatewayTLS {
    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    static func context(certificate: String, key: String, ca: String) throws(Unusable) -> NIOSSLContext {
        func load<T>(_ what: String, _ path: String, _ body: () throws -> T) throws(Unusable) -> T {
            do { return try body() } catch { throw Unusable(description: "cannot read the \(what) \(path): \(error)") }
        }
        let chain = try load("certificate", certificate) { try NIOSSLCertificate.fromPEMFile(certificate) }
        let privateKey = try load("private key", key) { try NIOSSLPrivateKey(file: key, format: .pem) }
        let roots = try load("CA certificate", ca) { try NIOSSLCertificate.fromPEMFile(ca) }
        if chain.isEmpty { throw Unusable(description: "no certificate in \(certificate)") }
        if roots.isEmpty { throw Unusable(description: "no certificate in \(ca)") }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(roots)
        configuration.sendCANameList = true
        configuration.applicationProtocols = ["grpc-exp", "h2"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw Unusable(description: "the TLS configuration is unusable: \(error)")
        }
    }
}
