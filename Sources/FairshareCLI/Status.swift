import ArgumentParser
import FairshareCore
import FairshareSystem

public struct Status: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Show the machine's capacity, what is available, and your allocation.",
        discussion: """
            The first four lines are always, in this order: System (CPUs and memory \
            the pool can hand out), Available (what nobody holds), Your slice \
            (fairshare-UID.slice, or none) and Allocation. CPUs have up to two \
            decimals, sizes are in binary units (1.5G = 1.5 GiB).

            With a job id: the job's state, pid, and exit status once it ended.
            """)

    @Argument(help: ArgumentHelp("A job's id, for that job's state instead.", valueName: "id"))
    var job: UInt64?

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    public init() {}

    public func run() throws {
        if let job {
            try show(.jobStatus(job: job), client, output, render: Self.job)
        } else {
            try show(.status, client, output, render: Rendering.status)
        }
    }

    public static func job(_ r: JobReply) -> String {
        let j = r.job
        let exit = j.end?.exitStatus.map { "\($0)" } ?? j.end?.signal.map { "killed by signal \($0)" }
        return """
            Job: \(j.id)\(j.name.map { " (\($0))" } ?? "")
            State: \(r.state.rawValue)
            PID: \(r.pid.map { "\($0)" } ?? "-")
            Exit: \(exit ?? "-")
            Command: \(j.argv.joined(separator: " "))

            """
    }
}
