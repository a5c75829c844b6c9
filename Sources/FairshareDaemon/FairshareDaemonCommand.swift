import ArgumentParser
import FairshareCore
import FairshareSystem

/// `fairshared`: the root daemon.
public struct FairshareDaemonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fairshared",
        abstract: "The fairshare daemon: fair CPU, memory and task limits per user, enforced by systemd.",
        discussion: """
            Runs as root, normally started by systemd (fairshared.service). Reads \
            the policy, listens for fairshare clients, and manages the transient \
            slices fairshare-UID.slice under fairshare.slice over D-Bus. SIGHUP \
            reloads the policy; SIGTERM finishes requests in flight and exits.
            """,
        version: FairshareVersion.string)

    @Option(help: ArgumentHelp("Where to listen, unless systemd passes a socket.", valueName: "path"))
    var socket = Self.defaultSocket

    @Option(help: ArgumentHelp("The administrator's policy files (*.yaml).", valueName: "dir"))
    var policyDir = Self.defaultPolicyDir

    @Option(help: ArgumentHelp("The daemon's state (state.json) and its policy.d for 'fairshare admin set-*'.", valueName: "dir"))
    var stateDir = Self.defaultStateDir

    static let defaultSocket = "/run/fairshare.sock"
    static let defaultPolicyDir = "/etc/fairshare/policy.d"
    static let defaultStateDir = "/var/lib/fairshare"

    @Flag(help: ArgumentHelp(
        "Check the policy files this daemon would read, print every error, and exit: 0 when valid, 1 when not.",
        discussion: "Needs no socket, no systemd and no root (only read access to the files)."))
    var checkPolicy = false

    public init() {}

    public func validate() throws {
        if socket.utf8.count > UnixSocket.maxPathLength {
            throw ValidationError("--socket path is longer than \(UnixSocket.maxPathLength) bytes")
        }
    }

    public func run() throws {
        if checkPolicy {
            let ok = PolicyCheck.run([policyDir, stateDir + "/policy.d"], users: SystemUserDatabase(), quiet: false, program: "fairshared") != nil
            throw ExitCode(ok ? 0 : 1)
        }
        try Self.serve(socket: socket, policyDir: policyDir, stateDir: stateDir)
    }

    static func serve(socket: String, policyDir: String, stateDir: String) throws {
        let config = DaemonConfiguration(socketPath: socket, policyDirectories: [policyDir, stateDir + "/policy.d"],
                                         stateDirectory: stateDir)
        do {
            try DaemonRuntime(config).run()
        } catch {
            StandardStreams.err("fairshared: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// The entry point. Without arguments (how the unit starts it) the
    /// daemon runs with its defaults and never builds the argument parser's
    /// command tree, whose reflection would touch most of the binary's
    /// metadata and keep it resident for the daemon's whole life.
    public static func runFromCommandLine() -> Never {
        if CommandLine.arguments.count == 1 {
            do {
                try serve(socket: defaultSocket, policyDir: defaultPolicyDir, stateDir: defaultStateDir)
            } catch {
                exit(withError: error)
            }
        }
        main()
        exit(withError: nil)
    }
}

/// Where the daemon finds and keeps its files.
public struct DaemonConfiguration: Sendable {
    public var socketPath: String
    /// Read in this order; the first is the administrator's, the last the
    /// daemon's own (`fairshare admin set-*`).
    public var policyDirectories: [String]
    public var stateDirectory: String
    public var groupName = "fairshare"

    public init(socketPath: String, policyDirectories: [String], stateDirectory: String) {
        self.socketPath = socketPath
        self.policyDirectories = policyDirectories
        self.stateDirectory = stateDirectory
    }
}
