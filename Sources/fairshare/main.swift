// Busybox-style applet dispatch: the role is the basename of argv[0].
// Keep this file to choosing the applet (closures here would be main-actor
// isolated; see DESIGN.md §8).
import FairshareCLI
import FairshareDaemon
import FairshareWeb

switch Applet.named(CommandLine.arguments.first ?? "") {
case .client: FairshareClient.runFromCommandLine()
case .daemon: FairshareDaemonCommand.runFromCommandLine()
case .web: FairshareWebCommand.main()
case .unknown(let name): Applet.unknown(name)
}
