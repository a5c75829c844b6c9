import ArgumentParser
import FairshareCore

/// A job's name and its own limits: `fairshare run` and
/// `fairshare --remote HOST:PORT run` take the same ones.
public struct JobOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("A name for the job (shown by 'fairshare jobs').", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("CPUs for this job alone, at most your allocation's.", valueName: "cpus"))
    var cpu: String?

    @Option(help: ArgumentHelp("Memory for this job alone, at most your allocation's.", valueName: "size"))
    var mem: String?

    @Option(help: ArgumentHelp("Most processes and threads for this job alone.", valueName: "n"))
    var tasks: String?

    public init() {}

    /// The name as a unit-name part, nil when none was given.
    public func namePart() throws(ValidationError) -> UnitNamePart? { try Request.namePart(name) }

    /// The limits asked for (no lease: a job has none of its own).
    public func limits() throws(ValidationError) -> ResourceRequest {
        try Request.resources(cpu: cpu, mem: mem, tasks: tasks, lease: nil)
    }

    public func validate() throws {
        _ = try namePart()
        _ = try limits()
    }
}
