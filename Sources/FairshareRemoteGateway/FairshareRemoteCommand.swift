import ArgumentParser
import Dispatch
import FairshareCore
import FairshareRemote
import FairshareSystem
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// `fairshare-remote`: the gRPC gateway for remote jobs (fairshare-remote(8)).
public struct FairshareRemoteCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fairshare-remote",
        abstract: "Serve fairshare's remote jobs API over gRPC with mutual TLS.",
        discussion: """
            Started by fairshare-remote.service as the system user fairshare-remote. \
            Each client presents a certificate from the private CA (--ca): its \
            subject's CN names the local account, its OU the role (reader: query \
            and stream; writer: also start and stop). The gateway asks fairshared \
            on that account's behalf; the policy's 'remote: {gateway: \
            fairshare-remote}' must name the gateway's user. Only TLS 1.3 is \
            spoken; a certificate in the CRL file (--crl, reread when it changes) \
            is refused.
            """,
        version: FairshareVersion.string)

    static let directory = "/etc/fairshare/remote"

    @Option(help: ArgumentHelp("Address and port to listen on ([v6]:port for IPv6).", valueName: "address:port"))
    var listen = "0.0.0.0:9326"

    @Option(help: ArgumentHelp("The gateway's certificate (PEM) (default: $CREDENTIALS_DIRECTORY/server.crt, else \(directory)/server.crt).",
                               valueName: "path"))
    var cert: String?

    @Option(help: ArgumentHelp("Its private key (PEM) (default: $CREDENTIALS_DIRECTORY/server.key, else \(directory)/server.key).",
                               valueName: "path"))
    var key: String?

    @Option(help: ArgumentHelp("The private CA whose client certificates are accepted (default: $CREDENTIALS_DIRECTORY/ca.crt, else \(directory)/ca.crt).",
                               valueName: "path"))
    var ca: String?

    @Option(help: ArgumentHelp("The CRL file; absent means nothing is revoked.", valueName: "path"))
    var crl = "\(directory)/crl.pem"

    @Option(help: ArgumentHelp("fairshared's socket.", valueName: "path"))
    var socket = "/run/fairshare.sock"

    @Option(help: ArgumentHelp("Most calls (streams included) one account may have open at once.", valueName: "n"))
    var callsPerAccount = 256

    public init() {}

    public func validate() throws {
        _ = try listenAddress()
        if callsPerAccount < 1 { throw ValidationError("invalid --calls-per-account \(callsPerAccount): give at least 1") }
    }

    public func run() throws {
        let address = try listenAddress()
        let tls = try GatewayTLS.context(certificate: Self.file(cert, "server.crt"), key: Self.file(key, "server.key"),
                                         ca: Self.file(ca, "ca.crt"))
        let revocations = RevocationFile(path: crl)
        if case .failure(let problem) = revocations.current() {
            StandardStreams.err("fairshare-remote: warning: \(problem); every client is refused until the CRL can be read\n")
        }
        let registry = PeerRegistry()
        let listener = GatewayListener(host: address.bareHost, port: address.port, tls: tls, registry: registry,
                                       revocations: revocations, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let transport = HTTP2ServerTransport.Custom(listenerFactory: listener)
        let service = RemoteJobsService(pool: DaemonPool(socketPath: socket), registry: registry, budget: CallBudget(perAccount: callsPerAccount),
                                        homeDirectory: { SystemUserDatabase().homeDirectory(ofUser: $0) })
        let server = GRPCServer(transport: transport, services: [service])
        Task.detached {
            async let serving: Void = server.serve()
            if let bound = await transport.listeningAddress {
                StandardStreams.err("fairshare-remote: listening on \(bound) (TLS 1.3, client certificates from the CA required)\n")
            }
            do {
                try await serving
                Glibc.exit(0)
            } catch {
                StandardStreams.err("fairshare-remote: \(error)\n")
                Glibc.exit(ExitCode.failure.rawValue)
            }
        }
        dispatchMain()
    }

    func listenAddress() throws(ValidationError) -> RemoteAddress {
        guard let address = RemoteAddress(parsing: listen) else {
            throw ValidationError("invalid --listen '\(listen)': give ADDRESS:PORT, e.g. 0.0.0.0:9326 or [::]:9326")
        }
        return address
    }

    /// A credential systemd passed (LoadCredential=), else the file in
    /// /etc/fairshare/remote; an option given wins.
    private static func file(_ given: String?, _ name: String) -> String {
        if let given { return given }
        if let credentials = getenv("CREDENTIALS_DIRECTORY") {
            let path = String(cString: credentials) + "/" + name
            if access(path, R_OK) == 0 { return path }
        }
        return directory + "/" + name
    }
}
