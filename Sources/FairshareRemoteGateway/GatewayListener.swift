import GRPCNIOTransportHTTP2Posix
import NIOCore
import NIOPosix
import NIOSSL

/// The listening socket of `fairshare-remote`: TCP, then TLS 1.3 with a
/// required client certificate (`GatewayTLS`), then the verdict on that
/// certificate, then gRPC's HTTP/2. A listener of our own (rather than the
/// transport's stock one) because the stock one accepts TLS 1.2.
struct GatewayListener: HTTP2ServerTransport.ListenerFactory {
    let host: String
    let port: Int
    let tls: NIOSSLContext
    let registry: PeerRegistry
    let revocations: RevocationFile
    let eventLoopGroup: any EventLoopGroup

    func makeListeningChannel(
        listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator,
        connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
    ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
        try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { listenerConfigurator.configure(channel: $0) }
            .bind(host: host, port: port) { [tls, registry, revocations] channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLServerHandler(context: tls))
                    try sync.addHandler(HandshakeVerdictHandler(registry: registry, revocations: revocations))
                }.flatMap {
                    connectionConfigurator.configure(channel: channel, tls: .configured(requireALPN: false))
                }
            }
    }
}
