// Busybox-style applet dispatch: the role is the basename of argv[0].
// Keep this file to choosing the applet (closures here would be main-actor
// isolated; see DESIGN.md §8).
import FairshareCLI
import FairshareDaemon
import FairshareRemoteClient
import FairshareRemoteGateway
import FairshareWeb

switch Applet.named(CommandLine.arguments.first ?? "") {
case .client:
    // `--remote HOST:PORT` (or FAIRSHARE_REMOTE) hands over before the local path.
    if RemoteClient.wanted(CommandLine.arguments) { RemoteClient.run(CommandLine.arguments) }
    FairshareClient.runFromCommandLine()
case .daemon: FairshareDaemonCommand.runFromCommandLine()
case .web: FairshareWebCommand.main()
case .remote: FairshareRemoteCommand.main()
case .unknown(let name): Applet.unknown(name)
}
