import FairshareCore
import GRPCCore
import NIOCore
import Synchronization

/// Each open TLS connection's verdict, by the peer address gRPC puts in
/// `ServerContext.remotePeer` ("ipv4:127.0.0.1:40312", "ipv6:[::1]:40312"):
/// set when the handshake completes, before any call on the connection is
/// read, and removed when it closes. A custom listener cannot give calls a
/// transport-specific context, so this is how a call learns its peer's
/// certificate; while a connection is open no other has its address.
final class PeerRegistry: Sendable {
    private let verdicts = Mutex<[String: (connection: ObjectIdentifier, verdict: PeerVerdict)]>([:])

    /// gRPC's name for a connection's remote address.
    static func key(_ address: SocketAddress?) -> String? {
        switch address {
        case .v4(let a)?: "ipv4:\(a.host):\(address!.port!)"
        case .v6(let a)?: "ipv6:[\(a.host)]:\(address!.port!)"
        default: nil
        }
    }

    func record(_ verdict: PeerVerdict, for key: String, connection: ObjectIdentifier) {
        verdicts.withLock { $0[key] = (connection, verdict) }
    }

    func forget(_ key: String, connection: ObjectIdentifier) {
        verdicts.withLock { if $0[key]?.connection == connection { $0[key] = nil } }
    }


    /// The account and role of the call's connection, or the error the
    /// call fails with.
    func identity(of context: ServerContext) throws(RPCError) -> CertificateIdentity {
        switch verdicts.withLock({ $0[context.remotePeer]?.verdict }) {
        case .admitted(let identity)?: return identity
        case .refused(let reason)?: throw RPCError(code: .unauthenticated, message: reason)
        case nil: throw RPCError(code: .unauthenticated, message: "no verified client certificate on this connection")
        }
    }
}
