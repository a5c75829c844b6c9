#if canImport(Glibc)
import Glibc
#endif

/// One of the three PEM files mutual TLS needs, with where its path came
/// from, so that a message about it can say what sets it.
public struct RemoteCredentialFile: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case ca, cert, key

        /// The command-line option that sets it.
        public var option: String { "--\(rawValue)" }
        /// The environment variable that sets it when the option is absent.
        public var environmentVariable: String {
            switch self {
            case .ca: "FAIRSHARE_REMOTE_CA"
            case .cert: "FAIRSHARE_REMOTE_CERT"
            case .key: "FAIRSHARE_REMOTE_KEY"
            }
        }
        /// The file's name in ~/.config/fairshare/remote/.
        public var defaultName: String {
            switch self {
            case .ca: "ca.crt"
            case .cert: "client.crt"
            case .key: "client.key"
            }
        }
        /// "the CA certificate", for messages.
        public var noun: String {
            switch self {
            case .ca: "the CA certificate"
            case .cert: "the client certificate"
            case .key: "the client key"
            }
        }
    }

    public enum Source: Equatable, Sendable {
        case option, environment, defaultLocation
    }

    public var kind: Kind
    public var path: String
    public var source: Source

    public init(kind: Kind, path: String, source: Source) {
        self.kind = kind
        self.path = path
        self.source = source
    }

    /// The option if given, else the environment variable if set and not
    /// empty, else the file in `home`/.config/fairshare/remote/.
    public static func choose(_ kind: Kind, option: String?, environment: (String) -> String?, home: String) -> Self {
        if let option { return Self(kind: kind, path: option, source: .option) }
        if let value = environment(kind.environmentVariable), !value.isEmpty { return Self(kind: kind, path: value, source: .environment) }
        return Self(kind: kind, path: (home.hasSuffix("/") ? home : home + "/") + ".config/fairshare/remote/" + kind.defaultName, source: .defaultLocation)
    }

    /// "--cert FILE or FAIRSHARE_REMOTE_CERT": how to point at another file.
    public var howToSet: String {
        "\(kind.option) FILE or \(kind.environmentVariable)"
    }

    /// "the client certificate /x/client.crt (from --cert)": the file and where its path came from.
    public var described: String {
        let from = switch source {
        case .option: "from \(kind.option)"
        case .environment: "from \(kind.environmentVariable)"
        case .defaultLocation: "the default; set another with \(howToSet)"
        }
        return "\(kind.noun) \(path) (\(from))"
    }

    /// Fails, naming the file and what sets it, unless it is a readable regular file.
    public func checkReadable() throws(RemoteCredentialError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw RemoteCredentialError(file: self, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw RemoteCredentialError(file: self, reason: "not a regular file") }
        guard access(path, R_OK) == 0 else { throw RemoteCredentialError(file: self, reason: String(cString: strerror(errno))) }
    }
}

/// A credential file that is missing, unreadable or not PEM of its kind.
public struct RemoteCredentialError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: RemoteCredentialFile
    public var reason: String

    public init(file: RemoteCredentialFile, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "cannot use \(file.described): \(reason)" }
}
