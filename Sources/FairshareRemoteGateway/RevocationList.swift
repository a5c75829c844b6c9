import SwiftASN1

/// The serial numbers a CRL file revokes (RFC 5280 §5: CertificateList →
/// tbsCertList → revokedCertificates → userCertificate). Neither
/// swift-nio-ssl nor swift-certificates reads CRLs, so this reads the one
/// field the gateway needs. The file is the administrator's own (like the
/// CA file beside it, read from local disk), so its signature is not
/// checked; `contrib/fairshare-remote-certs revoke` writes it.
struct RevocationList: Equatable, Sendable {
    /// Each revoked serial number, big-endian, without leading zero bytes
    /// (DER adds one before a high bit; swift-certificates may not).
    var serials: Set<[UInt8]>

    static let empty = RevocationList(serials: [])

    struct Malformed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "not a CRL: \(reason)" }
    }

    /// A PEM file ("-----BEGIN X509 CRL-----") or DER bytes.
    static func read(_ bytes: [UInt8]) throws(Malformed) -> RevocationList {
        var der = bytes
        if bytes.starts(with: Array("-----BEGIN".utf8)) {
            do {
                let document = try PEMDocument(pemString: String(decoding: bytes, as: UTF8.self))
                guard document.discriminator == "X509 CRL" else { throw Malformed(reason: "the PEM block is \"\(document.discriminator)\", not \"X509 CRL\"") }
                der = document.derBytes
            } catch let error as Malformed {
                throw error
            } catch {
                throw Malformed(reason: "\(error)")
            }
        }
        let root: ASN1Node
        do { root = try DER.parse(der) } catch { throw Malformed(reason: "\(error)") }
        guard let list = constructed(root), let tbs = list.first, let fields = constructed(tbs) else {
            throw Malformed(reason: "no tbsCertList")
        }
        // version?, signature, issuer, thisUpdate, nextUpdate?, revokedCertificates?, [0] extensions?
        var rest = Array(fields)
        if rest.first?.identifier == .integer { rest.removeFirst() }
        guard rest.count >= 3 else { throw Malformed(reason: "tbsCertList is too short") }
        rest.removeFirst(3)
        if let next = rest.first, next.identifier == .utcTime || next.identifier == .generalizedTime { rest.removeFirst() }
        var serials = Set<[UInt8]>()
        if let revoked = rest.first, revoked.identifier == .sequence {
            for entry in constructed(revoked) ?? [] {
                guard let parts = constructed(entry), let serial = parts.first, serial.identifier == .integer,
                      case .primitive(let bytes) = serial.content else {
                    throw Malformed(reason: "a revoked entry has no serial number")
                }
                serials.insert(Self.canonical(bytes))
            }
        }
        return RevocationList(serials: serials)
    }

    func revokes(serial: ArraySlice<UInt8>) -> Bool { serials.contains(Self.canonical(serial)) }

    static func canonical(_ serial: ArraySlice<UInt8>) -> [UInt8] {
        let significant = serial.drop { $0 == 0 }
        return significant.isEmpty ? [0] : Array(significant)
    }

    private static func constructed(_ node: ASN1Node) -> [ASN1Node]? {
        guard case .constructed(let children) = node.content else { return nil }
        return Array(children)
    }
}
