/// Which side of a failed TLS handshake refused the other, read from the
/// TLS library's error text (BoringSSL's reason names and NIOSSL's errors),
/// so the message can say which of our files to look at.
enum TLSFailureHint: Equatable {
    /// We did not accept the gateway's certificate: not signed by our CA,
    /// expired, or not naming the host we dialled.
    case serverCertificateRejected
    /// The gateway refused our certificate (its alert reached us).
    case clientCertificateRejected

    static func classify(_ texts: [String]) -> Self? {
        let text = texts.joined(separator: " ").uppercased()
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("FAILEDTOVALIDATEHOSTNAME")
            || text.contains("UNABLETOVALIDATECERTIFICATE") { return .serverCertificateRejected }
        let refusedAlerts = ["ALERT_BAD_CERTIFICATE", "ALERT_UNKNOWN_CA", "ALERT_CERTIFICATE_REQUIRED", "ALERT_CERTIFICATE_REVOKED",
                             "ALERT_CERTIFICATE_EXPIRED", "ALERT_CERTIFICATE_UNKNOWN", "ALERT_UNSUPPORTED_CERTIFICATE",
                             "ALERT_ACCESS_DENIED", "ALERT_DECRYPT_ERROR"]
        if refusedAlerts.contains(where: text.contains) { return .clientCertificateRejected }
        return nil
    }

    func advice(_ credentials: RemoteCredentials?) -> String {
        switch self {
        case .serverCertificateRejected:
            let ca = credentials.map { " against \($0.ca.described)" } ?? ""
            return "the gateway's certificate did not verify\(ca): is it the CA that signed the gateway's certificate, and does that certificate name the host you gave?"
        case .clientCertificateRejected:
            return "the gateway refused \(credentials?.cert.described ?? "our client certificate"): is it signed by the gateway's CA, unexpired and not revoked? An administrator makes one with 'fairshare-remote-certs client DIR USER reader|writer'"
        }
    }
}
