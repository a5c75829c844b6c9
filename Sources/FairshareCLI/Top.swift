import ArgumentParser
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// `fairshare top`: every allocation, busiest first, redrawn every second
/// like systemd-cgtop; `q` quits. Not on a terminal it prints plain
/// screens (`--iterations`, 1 by default) and exits.
struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch every user's CPU, memory and tasks, busiest first (root, admin_group, reader_group).",
        discussion: """
            One line per allocation, sorted by CPU use (percent of one CPU over the \
            last interval), then memory. On a terminal it redraws every interval until \
            'q' (or Ctrl-C); otherwise it prints --iterations plain screens, the first \
            after one interval (CPU use is measured between two readings).
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("Seconds between readings.", valueName: "seconds"))
    var delay: Double = 1

    @Option(name: [.short, .customLong("iterations")], help: ArgumentHelp("Stop after this many screens (default: 1 when not on a terminal, else until q).", valueName: "n"))
    var iterations: Int?

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard delay >= 0.1, delay <= 3600 else { throw ValidationError("--delay must be 0.1 to 3600 seconds") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        let terminal = isatty(STDOUT_FILENO) == 1
        let screens = iterations ?? (terminal ? Int.max : 1)
        var previous = try read()
        if terminal {
            try TerminalScreen.run(interval: delay, screens: screens) { width, height in
                let current = try read()
                defer { previous = current }
                return TopView.screen(current, rates: CPURates.between(previous, current), width: width, height: height,
                                      clock: MachineReader.clock(current.takenSeconds))
            }
        } else {
            for i in 0..<screens {
                sleepSeconds(delay)
                let current = try read()
                if i > 0 { StandardStreams.out("\n") }
                let lines = TopView.screen(current, rates: CPURates.between(previous, current), width: Int.max,
                                           clock: MachineReader.clock(current.takenSeconds))
                StandardStreams.out(lines.joined(separator: "\n") + "\n")
                previous = current
            }
        }
    }

    private func read() throws -> MachineSnapshot {
        do {
            return try MachineReader.snapshot(socketPath: client.socketPath)
        } catch {
            StandardStreams.err("fairshare: \(error.message)\n")
            throw ExitCode(error.status)
        }
    }

    private func sleepSeconds(_ s: Double) {
        var left = timespec(tv_sec: Int(s), tv_nsec: Int((s - s.rounded(.towardZero)) * 1e9))
        var rest = timespec()
        while nanosleep(&left, &rest) != 0 && errno == EINTR { left = rest }
    }
}
