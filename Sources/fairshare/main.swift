// Busybox-style applet dispatch: the role is the basename of argv[0].
// Keep this file to choosing the applet (closures here would be main-actor
// isolated; see DESIGN.md §8).
import FairshareCLI
import FairshareDaemon

switch Applet.named(CommandLine.arguments.first ?? "") {
case .client: FairshareClient.runFromCommandLine()
case .daemon: FairshareDaemonCommand.runFromCommandLine()
case .unknown(let name): Applet.unknown(name)
}
