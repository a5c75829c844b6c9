import ArgumentParser
import FairshareCLI
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// `fairshare --remote HOST:PORT …`: the remote-client module the client
/// hands over to before its local command path (README, Layers).
public enum RemoteClient {
    /// Whether `arguments` (argv, argv[0] included) ask for a remote
    /// command: a connection option first, or FAIRSHARE_REMOTE set and not
    /// empty. Runs before every local command: argv and getenv only.
    public static func wanted(_ arguments: [String]) -> Bool {
        if let first = arguments.dropFirst().first, first.hasPrefix("--") {
            for name in RemoteInvocation.connectionOptionNames where first == name || first.hasPrefix(name + "=") { return true }
        }
        guard let value = getenv(RemoteEnvironment.remote) else { return false }
        return value.pointee != 0
    }

    /// Runs the remote command and exits with its status.
    public static func run(_ arguments: [String]) -> Never {
        let invocation = RemoteInvocation(Array(arguments.dropFirst()))
        if let refusal = invocation.refusal {
            StandardStreams.err("fairshare: \(refusal)\n")
            exit(ExitStatus.usage)
        }
        RemoteFairshare.main(invocation.parserArguments)
        exit(ExitStatus.success)
    }
}
