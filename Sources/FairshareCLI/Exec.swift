import ArgumentParser
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a command inside your slice.",
        discussion: """
            The daemon moves this very process into a new scope \
            fairshare-UID-exec-PID.scope in your slice (asking for the policy \
            defaults first if you hold nothing), then fairshare replaces itself \
            with COMMAND. The command keeps the terminal, working directory, \
            environment and standard streams, and its exit status is yours. \
            If COMMAND is not found the status is 127; if it cannot be run, 126.
            """)

    @Flag(name: .shortAndLong, help: "Print nothing of fairshare's own.")
    var quiet = false

    @Flag(name: .long, help: "Print the daemon's result as JSON on standard error (never on standard output).")
    var json = false

    @OptionGroup var client: ClientOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments (after --).", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if arguments.isEmpty { throw ValidationError("no command given: fairshare exec -- COMMAND [ARG...]") }
    }

    /// The command without a leading `--`.
    var arguments: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func run() throws {
        try Self.run(arguments, quiet: quiet, json: json, socketPath: client.socketPath)
    }

    static func run(_ argv: [String], quiet: Bool, json: Bool, socketPath: String) throws {
        // Resolve before moving anything, so a typo costs no scope.
        let path: String
        switch ExecutableLookup.find(argv[0]) {
        case .found(let p): path = p
        case .notFound:
            StandardStreams.err("fairshare: \(argv[0]): command not found\n")
            throw ExitCode(ExitStatus.notFound)
        case .notExecutable(let p):
            StandardStreams.err("fairshare: \(p): permission denied\n")
            throw ExitCode(ExitStatus.cannotExecute)
        }
        try withDaemon(socketPath: socketPath) { daemon throws(ClientFailure) in
            let result = try daemon.call(.exec(ExecRequest()), notices: !quiet)
            if json {
                StandardStreams.err(result.pretty + "\n")
            } else if !quiet {
                let slice = result["slice"]?.stringValue ?? "?"
                StandardStreams.err("Running under \(slice) (\(Rendering.limits(result["allocation"] ?? .null)))\n")
            }
        }
        let error = ExecutableLookup.replaceProcess(path: path, argv: argv)
        StandardStreams.err("fairshare: \(argv[0]): \(error)\n")
        throw ExitCode(error.errno == .noSuchFileOrDirectory ? ExitStatus.notFound : ExitStatus.cannotExecute)
    }
}
