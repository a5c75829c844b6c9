import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// `fairshare --remote HOST:PORT …`: the remote-client module the client
/// hands over to before its local command path (README, Layers).
public enum RemoteClient {
    /// Whether `arguments` (argv, argv[0] included) ask for a remote command.
    public static func wanted(_ arguments: [String]) -> Bool {
        arguments.dropFirst().first.map { $0 == "--remote" || $0.hasPrefix("--remote=") } ?? false
    }

    /// Runs the remote command and exits with its status.
    public static func run(_ arguments: [String]) -> Never {
        StandardStreams.err("fairshare: --remote is not built yet\n")
        exit(64)
    }
}
