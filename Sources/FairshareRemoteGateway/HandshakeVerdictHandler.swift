import FairshareSystem
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind the TLS handler: once the handshake completed, judges the
/// client certificate (`PeerVerdict`) and records the verdict for the
/// connection's calls; a refusal is logged once per connection.
final class HandshakeVerdictHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let registry: PeerRegistry
    private let revocations: RevocationFile
    private var key: String?

    init(registry: PeerRegistry, revocations: RevocationFile) {
        self.registry = registry
        self.revocations = revocations
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let connection = ObjectIdentifier(context.channel)
            let peer = context.channel.remoteAddress
            let verdict: PeerVerdict
            if let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate(), let der = try? certificate.toDERBytes() {
                verdict = PeerVerdict.judge(certificate: der, revocations: revocations.current())
            } else {
                verdict = .refused("the client sent no certificate")
            }
            if case .refused(let reason) = verdict {
                StandardStreams.err("fairshare-remote: refusing calls from \(peer.map { "\($0)" } ?? "?"): \(reason)\n")
            }
            if let key = PeerRegistry.key(peer) {
                self.key = key
                registry.record(verdict, for: key, connection: connection)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let key { registry.forget(key, connection: ObjectIdentifier(context.channel)) }
        context.fireChannelInactive()
    }
}
