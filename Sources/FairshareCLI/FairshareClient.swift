import ArgumentParser
import FairshareCore

/// `fairshare`: the command users and scripts run.
public struct FairshareClient: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fairshare",
        abstract: "Ask for a fair share of this machine's CPU, memory and tasks.",
        discussion: """
            fairshare talks to the fairshared daemon over /run/fairshare.sock. The \
            daemon checks the administrator's policy and the machine's capacity, \
            then has systemd enforce your allocation in the slice \
            fairshare-UID.slice. You must be in group 'fairshare'.

            Exit status: 0 success; 1 refused by policy or capacity; 64 usage \
            error; 69 daemon not reachable; 70 daemon or systemd failure; 76 \
            protocol error; 77 permission denied. 'exec' returns the command's own \
            status, 126 if it cannot be run and 127 if it is not found.
            """,
        version: FairshareVersion.string,
        subcommands: [Status.self, Request.self, Release.self, Exec.self, Run.self, Jobs.self, Logs.self, Stop.self, Whoami.self, Top.self, Admin.self])

    public init() {}
}
