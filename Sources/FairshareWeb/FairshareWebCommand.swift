import ArgumentParser
import FairshareCLI
import FairshareCore
import FairshareSystem
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// `fairshare-web`: the read-only HTTP view of fairshare — `/` (the
/// dashboard), `/metrics` (Prometheus), `/api/v1/…` (JSON) — reading
/// everything through fairshared's socket as a reader. Normally started by
/// `fairshare-web.socket` (127.0.0.1:9325); fairshare-web(8).
public struct FairshareWebCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fairshare-web",
        abstract: "Serve fairshare's dashboard, Prometheus metrics and JSON API over HTTP (read-only).",
        discussion: """
            Socket-activated by fairshare-web.socket (127.0.0.1:9325 by default); started \
            by hand it listens on --listen. It reads the daemon over its socket as a \
            member of 'fairshare' and the policy's reader_group. With a token \
            (--token-file, or the credential 'token' of the service), /metrics and \
            /api need 'Authorization: Bearer TOKEN'.
            """,
        version: FairshareVersion.string)

    @Option(help: ArgumentHelp("fairshared's socket.", valueName: "path"))
    var socket = "/run/fairshare.sock"

    @Option(help: ArgumentHelp("Address and port when not socket-activated.", valueName: "address:port"))
    var listen = "127.0.0.1:9325"

    @Option(help: ArgumentHelp("A file holding the bearer token for /metrics and /api (default: $CREDENTIALS_DIRECTORY/token if present).",
                               valueName: "path"))
    var tokenFile: String?

    public init() {}

    public func run() throws {
        let token = try readToken()
        let cache = SnapshotCache(socketPath: socket, version: FairshareVersion.string)
        let host = Self.hostName()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPHandler(cache: cache, token: token, host: host))
                }
            }
        let channel: Channel
        if let fd = Self.activatedSocket() {
            channel = try bootstrap.withBoundSocket(fd).wait()
            StandardStreams.err("fairshare-web: serving on the socket systemd passed (\(channel.localAddress.map { "\($0)" } ?? "?"))\(token == nil ? "" : ", token required for /metrics and /api")\n")
        } else {
            let (address, port) = try Self.parseListen(listen)
            channel = try bootstrap.bind(host: address, port: port).wait()
            StandardStreams.err("fairshare-web: listening on \(address):\(port)\(token == nil ? "" : ", token required for /metrics and /api")\n")
        }
        try channel.closeFuture.wait()
    }

    /// The token, if any: `--token-file` (which must exist), else the
    /// service's credential `token`.
    private func readToken() throws -> String? {
        var path = tokenFile
        if path == nil, let dir = getenv("CREDENTIALS_DIRECTORY").map({ String(cString: $0) }), FileIO.exists(dir + "/token") {
            path = dir + "/token"
        }
        guard let path else { return nil }
        let text: String
        do {
            text = try FileIO.readString(path, limit: 4096)
        } catch {
            throw ValidationError("cannot read the token file \(path): \(error)")
        }
        let token = text.trimmingWhitespace
        guard !token.isEmpty else { throw ValidationError("the token file \(path) is empty") }
        return token
    }

    /// fd 3 when systemd passed exactly one socket to this process.
    static func activatedSocket() -> Int32? {
        guard let pid = getenv("LISTEN_PID").flatMap({ Int32(String(cString: $0)) }), pid == getpid(),
              let count = getenv("LISTEN_FDS").flatMap({ Int(String(cString: $0)) }), count >= 1 else { return nil }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        return 3
    }

    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw ValidationError("--listen must be ADDRESS:PORT, e.g. 127.0.0.1:9325")
        }
        var address = String(text[..<colon])
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        return (address, port)
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

private extension String {
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
