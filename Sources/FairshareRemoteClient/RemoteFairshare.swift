import ArgumentParser
import FairshareCore

/// `fairshare --remote HOST:PORT`: the commands that work through
/// fairshare-remote, for help and dispatch. The connection options are
/// each command's (`RemoteInvocation` puts them there), not this one's:
/// declared in both, ArgumentParser hands `run`'s to this one.
struct RemoteFairshare: ParsableCommand {
    static let remoteCommands: [any RemoteCommand.Type] = [RemoteRun.self, RemoteJobs.self, RemoteLogs.self, RemoteStop.self, RemoteStatus.self]

    static let configuration = CommandConfiguration(
        commandName: "fairshare",
        abstract: "Run and watch jobs on a shared machine from another one, through fairshare-remote.",
        usage: "fairshare --remote HOST:PORT [--ca FILE] [--cert FILE] [--key FILE] <subcommand>",
        discussion: """
            With --remote HOST:PORT (or FAIRSHARE_REMOTE set), fairshare talks to \
            the fairshare-remote gateway on that machine over gRPC with mutual TLS \
            instead of to the local daemon. The account and role (reader: jobs, \
            logs, status; writer: also run and stop) are your client certificate's \
            subject; an administrator of the machine makes one with \
            'fairshare-remote-certs client DIR USER reader|writer'.

            Connection options, before the command (each also as --OPTION=VALUE):
              --remote HOST:PORT  the gateway; HOST a name, an IPv4 address or an
                                  [IPv6] address, which the gateway's certificate
                                  must name. Default: $FAIRSHARE_REMOTE.
              --ca FILE           the CA certificate (PEM) that signed the gateway's.
                                  Default: $FAIRSHARE_REMOTE_CA, then
                                  ~/.config/fairshare/remote/ca.crt.
              --cert FILE         your client certificate (PEM). Default:
                                  $FAIRSHARE_REMOTE_CERT, then
                                  ~/.config/fairshare/remote/client.crt.
              --key FILE          its private key (PEM). Default:
                                  $FAIRSHARE_REMOTE_KEY, then
                                  ~/.config/fairshare/remote/client.key.

            Exit status as for local commands: 0 success; 1 refused (or no such \
            job); 64 usage error, or a TLS file missing or unreadable; 69 the \
            gateway not reachable (TLS refused included); 70 gateway or daemon \
            failure; 76 protocol error; 77 permission denied. 'logs -f' exits \
            with the job's status.
            """,
        version: FairshareVersion.string,
        subcommands: remoteCommands.map { $0 as any ParsableCommand.Type })
}
