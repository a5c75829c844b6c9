import ArgumentParser
import FairshareCore
import FairshareSystem

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the machine's capacity, what is available, and your allocation.",
        discussion: """
            The first four lines are always, in this order: System (CPUs and memory \
            the pool can hand out), Available (what nobody holds), Your slice \
            (fairshare-UID.slice, or none) and Allocation. CPUs have up to two \
            decimals, sizes are in binary units (1.5G = 1.5 GiB).
            """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try show(.status, client, output, render: Rendering.status)
    }
}
