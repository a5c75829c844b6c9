import ArgumentParser
import FairshareCore
import FairshareSystem

public struct Request: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Ask for an allocation, or change the one you hold.",
        discussion: """
            With no options, a first request takes the policy's defaults. A \
            request while you hold an allocation changes only what you name: \
            'fairshare request --cpu 2' keeps your memory and task limits. \
            Limits change in place; your running processes stay. A request \
            above your policy maximum or above what is available is refused \
            (exit 1) with the limit that stopped it.
            """)

    @Option(help: ArgumentHelp("CPUs: 2, 0.5, or a percentage of one CPU like 150%.", valueName: "cpus"))
    var cpu: String?

    @Option(help: ArgumentHelp("Memory: bytes, or with K, M, G, T (powers of 1024): 512M, 1.5G.", valueName: "size"))
    var mem: String?

    @Option(help: ArgumentHelp("Most processes and threads at once, or 'infinity'.", valueName: "n"))
    var tasks: String?

    @Option(name: .customLong("for"), help: ArgumentHelp(
        "Hold the allocation this long, then give it back by itself: 90s, 30m, 2h, 1d, 1h30m.", valueName: "duration"))
    var lease: String?

    @Option(help: ArgumentHelp("How many GPUs to hold (0 gives yours back). Others cannot open the ones you hold.", valueName: "n"))
    var gpus: Int?

    @Option(name: .customLong("io-weight"), help: ArgumentHelp(
        "IO weight against other users' slices, 1 to 10000 (systemd's default: 100).", valueName: "n"))
    var ioWeight: UInt64?

    @Option(name: .customLong("io-read-bw"), help: ArgumentHelp(
        "Read bandwidth ceiling on a device: /dev/vda=50M (per second). Repeatable.", valueName: "device=rate"))
    var ioReadBandwidth: [String] = []

    @Option(name: .customLong("io-write-bw"), help: ArgumentHelp(
        "Write bandwidth ceiling on a device: /dev/vda=20M. Repeatable.", valueName: "device=rate"))
    var ioWriteBandwidth: [String] = []

    @Option(name: .customLong("io-read-iops"), help: ArgumentHelp(
        "Read operations per second on a device: /dev/vda=1000. Repeatable.", valueName: "device=n"))
    var ioReadIOPS: [String] = []

    @Option(name: .customLong("io-write-iops"), help: ArgumentHelp(
        "Write operations per second on a device: /dev/vda=500. Repeatable.", valueName: "device=n"))
    var ioWriteIOPS: [String] = []

    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions

    public init() {}

    public func validate() throws {
        _ = try resources()
    }

    func resources() throws -> ResourceRequest {
        var r = try Self.resources(cpu: cpu, mem: mem, tasks: tasks, lease: lease)
        if let gpus {
            guard (0...GPUSpec.maxCount).contains(gpus) else { throw ValidationError("invalid --gpus '\(gpus)': give a number of GPUs, 0 or more") }
            r.gpus = gpus
        }
        if let ioWeight {
            guard IOLimits.weightRange.contains(ioWeight) else { throw ValidationError("invalid --io-weight '\(ioWeight)': give 1 to 10000") }
            r.io.weight = ioWeight
        }
        let perDevice: [(IOLimits.Kind, [String])] = [(.readBandwidth, ioReadBandwidth), (.writeBandwidth, ioWriteBandwidth),
                                                      (.readIOPS, ioReadIOPS), (.writeIOPS, ioWriteIOPS)]
        for (kind, values) in perDevice {
            for value in values {
                guard let eq = value.firstIndex(of: "="), let device = try? PolicyValue.devicePath(String(value[..<eq])),
                      let rate = try? PolicyValue.ioRate(String(value[value.index(after: eq)...]), bandwidth: kind.isBandwidth)
                else {
                    let example = kind.isBandwidth ? "/dev/vda=50M" : "/dev/vda=1000"
                    throw ValidationError("invalid --\(kind.option) '\(value)': give DEVICE=\(kind.isBandwidth ? "RATE" : "N") such as \(example)")
                }
                r.io[kind][device] = rate
            }
        }
        return r
    }

    /// `--name` of exec and run, checked as the daemon checks it.
    public static func namePart(_ name: String?) throws(ValidationError) -> UnitNamePart? {
        guard let name else { return nil }
        do {
            return try UnitNamePart(checking: name)
        } catch {
            throw ValidationError("invalid --name '\(name)': \(error.reason)")
        }
    }

    public static func resources(cpu: String?, mem: String?, tasks: String?, lease: String?) throws(ValidationError) -> ResourceRequest {
        var r = ResourceRequest()
        if let cpu {
            guard let q = CPUQuantity.parse(cpu), q.usecPerSecond >= 10_000 else {
                throw ValidationError("invalid --cpu '\(cpu)': give CPUs (2, 0.5) or a percentage (150%), at least 0.01")
            }
            r.cpu = q
        }
        if let mem {
            guard let s = ByteSize.parse(mem), s.bytes > 0 else {
                throw ValidationError("invalid --mem '\(mem)': give a size like 512M, 8G or 1.5G")
            }
            r.mem = s
        }
        if let tasks {
            guard let t = TaskLimit.parse(tasks), t.count > 0 else {
                throw ValidationError("invalid --tasks '\(tasks)': give a positive number or 'infinity'")
            }
            r.tasks = t
        }
        if let lease {
            guard let span = TimeSpan.parse(lease), span.seconds > 0 else {
                throw ValidationError("invalid --for '\(lease)': give a duration like 90s, 30m, 2h or 1h30m")
            }
            r.lease = span
        }
        return r
    }

    public func run() throws {
        try Self.perform(try resources(), socketPath: client.socketPath, json: output.json)
    }

    static func perform(_ wanted: ResourceRequest, socketPath: String, json: Bool) throws {
        try withDaemon(socketPath: socketPath) { daemon throws(ClientFailure) in
            let result = try daemon.call(.request(wanted))
            let reply = try GrantReply.read(result)
            if json {
                StandardStreams.out(result.pretty + "\n")
                return
            }
            let a = reply.allocation
            StandardStreams.out("""
                Request approved — limits updated for \(reply.slice)
                Allocation: \(Rendering.allocation(a)), at most \(a.tasks) tasks

                """ + Rendering.devicesAndIO(a) + (reply.leaseEnd.map { "Lease: ends \(Rendering.time($0))\n" } ?? ""))
        }
    }
}
