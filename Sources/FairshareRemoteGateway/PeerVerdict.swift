import FairshareCore
import X509

/// What the gateway decided about one TLS connection's client certificate,
/// right after the handshake. BoringSSL has already checked the chain to
/// the CA and the validity dates (a certificate from another CA or an
/// expired one never completes the handshake); this adds the CRL and the
/// account and role the subject names.
enum PeerVerdict: Equatable, Sendable {
    case admitted(CertificateIdentity)
    /// Why every call on this connection is refused (UNAUTHENTICATED).
    case refused(String)

    /// Judges the verified leaf certificate, `der`.
    static func judge(certificate der: [UInt8], revocations: Result<RevocationList, RevocationFile.Unreadable>) -> PeerVerdict {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            return .refused("the client certificate cannot be read: \(error)")
        }
        switch revocations {
        case .failure(let problem):
            // Fail closed: an unreadable CRL might revoke this one.
            return .refused("the gateway cannot read its CRL (\(problem)); ask the administrator")
        case .success(let list):
            if list.revokes(serial: certificate.serialNumber.bytes) {
                return .refused("the client certificate (serial \(certificate.serialNumber)) is revoked")
            }
        }
        var commonNames: [String] = [], units: [String] = []
        for name in certificate.subject {
            for attribute in name {
                switch attribute.type {
                case .RDNAttributeType.commonName: commonNames.append(String(attribute.value) ?? "\(attribute.value)")
                case .RDNAttributeType.organizationalUnitName: units.append(String(attribute.value) ?? "\(attribute.value)")
                default: break
                }
            }
        }
        switch CertificateIdentity.read(commonNames: commonNames, organizationalUnits: units) {
        case .success(let identity): return .admitted(identity)
        case .failure(let problem): return .refused(problem.message)
        }
    }
}
