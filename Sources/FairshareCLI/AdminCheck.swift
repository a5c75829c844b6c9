import ArgumentParser
import FairshareCore
import FairshareSystem

struct AdminCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check policy files without applying them; no daemon needed.",
        discussion: """
            Reads every *.yaml in each directory (in lexical order) and each file \
            named, in the order given, merges them as the daemon would and checks \
            the result. Every error and warning is printed on stderr as \
            path:line:column, with the line and a caret. Exits 0 when the policy is \
            valid (warnings allowed), 1 when it has errors. Without paths it checks \
            /etc/fairshare/policy.d and /var/lib/fairshare/policy.d, what a reload \
            would read. Safe in a package's postinst or a configuration manager's \
            validate step.

            With --capacity, and a valid policy: what users who each make a \
            plain first request get, one after another, on this machine's CPUs \
            and memory with the policy's allocator, overcommit, defaults and \
            min — how many get the full defaults, and what the k-th gets after \
            that (fairshare-policy(5), SHRINK TO FIT).
            """)

    @Argument(help: ArgumentHelp("Policy directories or files.", valueName: "path"))
    var paths: [String] = []

    @Flag(name: .shortAndLong, help: "Print nothing when the policy is valid.")
    var quiet = false

    @Flag(help: "Also show what users in a row get on this machine.")
    var capacity = false

    func run() throws {
        let files = paths.isEmpty ? PolicyCheck.defaultPaths : paths
        guard let policy = PolicyCheck.run(files, users: SystemUserDatabase(), quiet: quiet, program: "fairshare") else {
            throw ExitCode(ExitStatus.refused)
        }
        if capacity {
            let forecast = CapacityForecast.simulate(policy: policy, machine: MachineResources.capacity())
            StandardStreams.out(forecast.lines(minimum: policy.minimum).joined(separator: "\n") + "\n")
        }
    }
}

struct AdminReload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the daemon re-read the policy (the same as SIGHUP).",
        discussion: """
            When the files have errors, every one is printed, the running policy \
            stays in force and the exit status is 1. Allocations above a lowered \
            maximum are lowered to it, and listed.
            """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try show(.reload, client, output, render: PolicyRendering.applied)
    }
}
