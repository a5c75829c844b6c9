import FairshareRemote
import GRPCNIOTransportHTTP2Posix

extension GRPCConnector where Transport == HTTP2ClientTransport.Posix {
    /// HTTP/2 over TCP with mutual TLS to `address`. For a name the
    /// authority (and so SNI and the certificate check) is the name; for an
    /// IP address the certificate must carry that address.
    public static func mutualTLS(to address: RemoteAddress, credentials: RemoteCredentials) -> Self {
        let security = credentials.transportSecurity
        return Self(endpoint: address.description) {
            let target: any ResolvableTarget = switch address.host {
            case .name(let name): ResolvableTargets.DNS(host: name, port: address.port)
            case .ipv4(let ip): ResolvableTargets.IPv4(addresses: [.init(host: ip, port: address.port)])
            case .ipv6(let ip): ResolvableTargets.IPv6(addresses: [.init(host: ip, port: address.port)])
            }
            return try HTTP2ClientTransport.Posix(target: target, transportSecurity: security, config: .defaults)
        }
    }
}
