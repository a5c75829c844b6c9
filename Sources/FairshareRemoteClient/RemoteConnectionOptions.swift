import FairshareRemote
import ArgumentParser
import FairshareCLI
#if canImport(Glibc)
import Glibc
#endif

/// Where the gateway is and which TLS files to use. They come before the
/// command (`fairshare --remote HOST:PORT jobs`); `RemoteInvocation` moves
/// them after it, so every remote command reads them here (after the
/// command they work too).
struct RemoteConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The fairshare-remote gateway: HOST:PORT, HOST a name, an IPv4 address or an [IPv6] address.",
        discussion: "Defaults to $FAIRSHARE_REMOTE. The gateway's certificate must name HOST.",
        valueName: "host:port"))
    var remote: String?

    @Option(name: .long, help: ArgumentHelp(
        "The CA certificate (PEM) that signed the gateway's certificate.",
        discussion: "Defaults to $FAIRSHARE_REMOTE_CA, then ~/.config/fairshare/remote/ca.crt.",
        valueName: "file"))
    var ca: String?

    @Option(name: .long, help: ArgumentHelp(
        "Your client certificate (PEM); its subject is your account and role on the machine.",
        discussion: "Defaults to $FAIRSHARE_REMOTE_CERT, then ~/.config/fairshare/remote/client.crt.",
        valueName: "file"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp(
        "The private key (PEM) of your client certificate.",
        discussion: "Defaults to $FAIRSHARE_REMOTE_KEY, then ~/.config/fairshare/remote/client.key.",
        valueName: "file"))
    var key: String?

    /// For each remote command's `validate()`. Not this group's own
    /// `validate()`: the root command declares the group too, for its help,
    /// and does not always receive the values (`run` captures its words).
    func checkAddress() throws(ValidationError) {
        _ = try address()
    }

    func address(environment: (String) -> String? = RemoteEnvironment.value) throws(ValidationError) -> RemoteAddress {
        try Self.address(option: remote, environment: environment)
    }

    /// --remote, else $FAIRSHARE_REMOTE.
    static func address(option remote: String?, environment: (String) -> String?) throws(ValidationError) -> RemoteAddress {
        let (text, source): (String, String)
        if let remote {
            (text, source) = (remote, "--remote")
        } else if let value = environment(RemoteEnvironment.remote) {
            (text, source) = (value, RemoteEnvironment.remote)
        } else {
            throw ValidationError("no gateway given: use --remote HOST:PORT or set \(RemoteEnvironment.remote)")
        }
        guard let address = RemoteAddress(parsing: text) else {
            throw ValidationError("invalid \(source) '\(text)': give \(RemoteAddress.expectedForm)")
        }
        return address
    }

    /// The three TLS files, each checked (exit 64 naming the file and what sets it).
    func credentials(environment: (String) -> String? = RemoteEnvironment.value,
                     home: String = RemoteEnvironment.home) throws(ClientFailure) -> RemoteCredentials {
        let credentials = RemoteCredentials.choose(ca: ca, cert: cert, key: key, environment: environment, home: home)
        do {
            try credentials.check()
        } catch {
            throw ClientFailure(error.description, status: ExitStatus.usage)
        }
        return credentials
    }

    /// A session with the gateway over mutual TLS.
    func session() throws(ClientFailure) -> RemoteSession {
        let address: RemoteAddress
        do {
            address = try self.address()
        } catch {
            throw ClientFailure(error.message, status: ExitStatus.usage)
        }
        let credentials = try self.credentials()
        return RemoteSession(connector: GRPCConnector.mutualTLS(to: address, credentials: credentials), credentials: credentials)
    }
}
