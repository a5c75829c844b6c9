import FairshareCore
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection, parsed by NIOHTTP1: routes each request
/// (`WebRoute`), answers from the snapshot cache, keeps the connection
/// alive when the client asks.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let cache: SnapshotCache
    let token: String?
    let host: String
    private var head: HTTPRequestHead?

    init(cache: SnapshotCache, token: String?, host: String) {
        self.cache = cache
        self.token = token
        self.host = host
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let route = WebRoute.resolve(method: head.method.rawValue, uri: head.uri,
                                         authorization: head.headers.first(name: "authorization"), token: token)
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let host = self.host
            let respond: @Sendable (WebResponse) -> Void = { response in
                loop.execute { bound.value.0.write(response, for: head, context: bound.value.1) }
            }
            if let immediate = WebResponse.withoutSnapshot(route) {
                respond(immediate)
            } else {
                cache.latest { respond(WebResponse.answer(route, $0, host: host)) }
            }
        }
    }

    private func write(_ response: WebResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        if response.status == 401 { headers.add(name: "WWW-Authenticate", value: "Bearer realm=\"fairshare\"") }
        if response.contentType.hasPrefix("text/html") {
            headers.add(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'")
        }
        let keepAlive = request.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
