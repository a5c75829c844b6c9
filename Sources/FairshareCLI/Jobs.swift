import ArgumentParser
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a command as a detached job in your slice; print its id.",
        discussion: """
            The job is the transient service fairshare-UID-job-ID.service in your \
            slice (taking the policy's defaults first if you hold nothing), running \
            as you in the current directory, with systemd's environment for your \
            user plus FAIRSHARE_JOB=ID, standard input from /dev/null. Its standard \
            output and error go, interleaved as written, to a log kept by the daemon: \
            'fairshare logs ID'. It keeps running after you log out and across \
            daemon restarts. Only the id is printed, so 'id=$(fairshare run -- …)' works.
            """)

    @OptionGroup var job: JobOptions

    @Option(help: ArgumentHelp("The job's IO weight, 1 to 10000 (systemd's IOWeight=; 100 is everyone's default).", valueName: "n"))
    var ioWeight: UInt64?

    @OptionGroup var client: ClientOptions

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments (after --).", valueName: "command"))
    var command: [String] = []

    var arguments: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        if arguments.isEmpty { throw ValidationError("no command given: fairshare run -- COMMAND [ARG...]") }
        if let ioWeight, !IOLimits.weightRange.contains(ioWeight) { throw ValidationError("invalid --io-weight \(ioWeight): give 1 to 10000") }
    }

    func run() throws {
        var words = arguments
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else {
            StandardStreams.err("fairshare: cannot tell the current directory\n")
            throw ExitCode(ExitStatus.refused)
        }
        let here = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        words[0] = try ExecutableLookup.resolve(words[0])
        // The job starts elsewhere than here: systemd needs the program's absolute path.
        if !words[0].hasPrefix("/") { words[0] = (here == "/" ? "" : here) + "/" + words[0] }
        let (argv, cwd): ([CommandArgument], AbsolutePath)
        do {
            argv = try words.enumerated().map { (i, w) throws(InputRejection) in try CommandArgument(checking: w, field: "argv[\(i)]") }
            cwd = try AbsolutePath(checking: here, field: "cwd")
            try RunRequest.checkCommandSize(words)
        } catch {
            StandardStreams.err("fairshare: cannot run a job from here: \(error)\n")
            throw ExitCode(ExitStatus.usage)
        }
        var request = RunRequest(argv: argv, cwd: cwd, name: try job.namePart(), limits: try job.limits())
        request.ioWeight = ioWeight
        try withDaemon(client) { daemon throws(ClientFailure) in
            let started = try daemon.call(.run(request), as: JobStartedReply.self)
            StandardStreams.out("\(started.job)\n")
        }
    }
}

public struct Jobs: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "List your jobs (everyone's with --all: root, admin_group, reader_group).")

    @Flag(help: "Everyone's jobs.")
    var all = false

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    public init() {}

    public func run() throws {
        try withDaemon(client) { [all, output] daemon throws(ClientFailure) in
            let result: JobsPage = try daemon.everyPage { .jobs(all: all, after: $0) }
            StandardStreams.out(output.json ? result.json.pretty + "\n" : Self.table(result))
        }
    }

    public static func table(_ r: JobsPage) -> String {
        var rows = [["ID", "USER", "NAME", "STATE", "PID", "EXIT", "CPU TIME", "MEM", "STARTED", "COMMAND"]]
        for row in r.jobs {
            let j = row.job
            let exit = j.end?.exitStatus.map { "\($0)" } ?? j.end?.signal.map { "signal \($0)" } ?? "-"
            rows.append(["\(j.id)", j.user, j.name ?? "-", row.state.rawValue, row.pid.map { "\($0)" } ?? "-", exit,
                         row.usage?.cpuUsec.map { "\(TimeSpan(seconds: $0 / 1_000_000))" } ?? "-",
                         row.usage?.mem.map { "\(ByteSize(bytes: $0))" } ?? "-",
                         Rendering.time(j.started), j.argv.joined(separator: " ")])
        }
        return rows.count == 1 ? "No jobs.\n" : Rendering.table(rows)
    }
}

public struct Logs: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Print a job's output from its first byte.",
        discussion: """
            Standard output and error, interleaved as the job wrote them. With \
            --follow, keep printing until the job ends, then exit with its status \
            (128+N if a signal ended it); any number of followers may join at any \
            time, and each gets the whole output.
            """)

    @Flag(name: .shortAndLong, help: "Follow the output until the job ends.")
    var follow = false

    @Argument(help: ArgumentHelp("The job's id.", valueName: "id"))
    var id: UInt64

    @OptionGroup var client: ClientOptions

    public init() {}

    /// How long `logs -f` keeps trying to reach a daemon that went away
    /// (a restart) without getting any further, before giving up.
    public static let reattachSeconds = 60

    public func run() throws {
        var status: Int32 = 0
        var offset: UInt64 = 0
        var stuck: (since: time_t, at: UInt64)?
        while true {
            do throws(ClientFailure) {
                let daemon = try DaemonClient.connect(client.socketPath)
                defer { daemon.close() }
                status = try printPages(daemon, from: &offset)
                break
            } catch {
                // A follower outlives a daemon restart: the output is on disk.
                if stuck == nil || stuck!.at != offset { stuck = (time(nil), offset) }
                guard follow, error.status == ExitStatus.unavailable, time(nil) - stuck!.since < Self.reattachSeconds else {
                    StandardStreams.err("fairshare: \(error.message)\n")
                    throw ExitCode(error.status)
                }
                usleep(250_000)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Prints pages from `offset` on; with --follow until the job ended.
    /// The job's shell status, or 0.
    private func printPages(_ daemon: DaemonClient, from offset: inout UInt64) throws(ClientFailure) -> Int32 {
        while true {
            let page = try daemon.call(.logs(job: id, offset: offset), as: LogsReply.self, notices: offset == 0)
            StandardStreams.write(1, bytes: page.data)
            offset = page.next
            if !page.data.isEmpty && offset < page.size { continue }
            if !follow { return 0 }
            if page.ended && offset >= page.size { return page.end?.shellStatus ?? 0 }
            usleep(200_000)
        }
    }
}

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a job: SIGTERM, then SIGKILL after 10 s.")

    @Argument(help: ArgumentHelp("The job's id.", valueName: "id"))
    var id: UInt64

    @OptionGroup var client: ClientOptions

    func run() throws {
        try withDaemon(client) { daemon throws(ClientFailure) in
            _ = try daemon.call(.stop(job: id), as: StopReply.self)
            StandardStreams.out("Stopped job \(id).\n")
        }
    }
}
