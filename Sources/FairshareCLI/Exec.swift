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

            --cpu, --mem and --tasks limit this command's scope alone, within \
            your allocation (never above it); --name names the scope \
            fairshare-UID-exec-NAME.scope instead (one running at a time).
            """)

    @Flag(name: .shortAndLong, help: "Print nothing of fairshare's own.")
    var quiet = false

    @Flag(name: .long, help: "Print the daemon's result as JSON on standard error (never on standard output).")
    var json = false

    @Option(help: ArgumentHelp("CPUs for this command alone: 2, 0.5 or 150%, at most your allocation's.", valueName: "cpus"))
    var cpu: String?

    @Option(help: ArgumentHelp("Memory for this command alone: 512M, 1.5G, at most your allocation's.", valueName: "size"))
    var mem: String?

    @Option(help: ArgumentHelp("Most processes and threads for this command alone.", valueName: "n"))
    var tasks: String?

    @Option(help: ArgumentHelp("Name the scope fairshare-UID-exec-NAME.scope.", valueName: "name"))
    var name: String?

    @OptionGroup var client: ClientOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments (after --).", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if arguments.isEmpty { throw ValidationError("no command given: fairshare exec -- COMMAND [ARG...]") }
        _ = try request()
    }

    func request() throws -> ExecRequest {
        ExecRequest(limits: try Request.resources(cpu: cpu, mem: mem, tasks: tasks, lease: nil), name: try Request.namePart(name))
    }

    /// The command without a leading `--`.
    var arguments: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func run() throws {
        try Self.run(arguments, request: try request(), quiet: quiet, json: json, socketPath: client.socketPath)
    }

    static func run(_ argv: [String], request: ExecRequest = ExecRequest(), quiet: Bool, json: Bool, socketPath: String) throws {
        // Resolve before moving anything, so a typo costs no scope.
        let path = try ExecutableLookup.resolve(argv[0])
        try withDaemon(socketPath: socketPath) { daemon throws(ClientFailure) in
            let result = try daemon.call(.exec(request), notices: !quiet)
            let reply = try ExecReply.read(result)
            if json {
                StandardStreams.err(result.pretty + "\n")
            } else if !quiet {
                let scoped = request.limits.isEmpty ? "" : "; this command: \(Rendering.limits(reply.limits))"
                StandardStreams.err("Running under \(reply.slice) (\(Rendering.limits(reply.allocation))\(scoped))\n")
            }
        }
        let error = ExecutableLookup.replaceProcess(path: path, argv: argv)
        StandardStreams.err("fairshare: \(argv[0]): \(error)\n")
        throw ExitCode(error.errno == .noSuchFileOrDirectory ? ExitStatus.notFound : ExitStatus.cannotExecute)
    }
}
