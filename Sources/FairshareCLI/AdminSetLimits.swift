import ArgumentParser
import FairshareCore
import FairshareSystem

/// What `set-default` and `set-max` share: whose limits and the values.
struct PolicyLimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Change this user's entry instead of the global section.", valueName: "user"))
    var user: String?

    @Option(help: ArgumentHelp("Change this group's entry instead of the global section.", valueName: "group"))
    var group: String?

    @Option(help: ArgumentHelp("CPUs: 2, 0.5 or 150%; 'infinity' for set-max.", valueName: "cpus"))
    var cpu: String?

    @Option(help: ArgumentHelp("Memory: 512M, 8G, 1.5G (powers of 1024); 'infinity' for set-max.", valueName: "size"))
    var mem: String?

    @Option(help: ArgumentHelp("Most processes and threads at once, or 'infinity'.", valueName: "n"))
    var tasks: String?

    @Flag(help: "Remove this block from the daemon's file, so the hand-written files apply again.")
    var reset = false

    func change(_ block: PolicyChange.Block) throws -> PolicyChange {
        if user != nil && group != nil { throw ValidationError("give --user or --group, not both") }
        var scope = PolicyScope.global
        if let user {
            guard AccountName.isValid(user) else { throw ValidationError("invalid user name '\(user)': it \(AccountName.problem(user)!)") }
            scope = .user(user)
        }
        if let group {
            guard AccountName.isValid(group) else { throw ValidationError("invalid group name '\(group)': it \(AccountName.problem(group)!)") }
            scope = .group(group)
        }
        let isMax = block == .max
        var change = PolicyChange(scope: scope, block: block, reset: reset)
        change.cpu = try cpu.map { text in try Self.read("--cpu", text) { (t) throws(PolicyValue.Problem) in try PolicyValue.cpu(t, allowInfinity: isMax) } }
        change.mem = try mem.map { text in try Self.read("--mem", text) { (t) throws(PolicyValue.Problem) in try PolicyValue.size(t, allowInfinity: isMax) } }
        change.tasks = try tasks.map { text in try Self.read("--tasks", text, PolicyValue.tasks) }
        if let problem = change.problem { throw ValidationError(problem) }
        return change
    }

    private static func read<T>(_ option: String, _ text: String, _ parse: (String) throws(PolicyValue.Problem) -> T) throws -> T {
        do {
            return try parse(text)
        } catch {
            throw ValidationError("\(option): \(error.message)")
        }
    }
}

/// `admin set-default` / `admin set-max`.
protocol SetLimitsCommand: ParsableCommand {
    static var block: PolicyChange.Block { get }
    var limits: PolicyLimitOptions { get }
    var client: ClientOptions { get }
    var output: OutputOptions { get }
}

extension SetLimitsCommand {
    func validate() throws { _ = try limits.change(Self.block) }

    func run() throws {
        try show(.setPolicy(try limits.change(Self.block)), client, output, render: PolicyRendering.applied)
    }

    static var setDiscussion: String {
        """
        Written by the daemon to its own file, /var/lib/fairshare/policy.d/admin.yaml, \
        atomically, after checking the whole policy with the change; the \
        administrator's files in /etc/fairshare/policy.d are never touched. Keys \
        not given keep their values. Then the policy is reloaded: allocations above \
        a lowered maximum are lowered to it. Needs root or admin_group.
        """
    }
}

struct AdminSetDefault: SetLimitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-default",
        abstract: "Set what 'fairshare request' with no flags gets, globally or for a user or group.",
        discussion: setDiscussion)
    static let block = PolicyChange.Block.defaults

    @OptionGroup var limits: PolicyLimitOptions
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions
}

struct AdminSetMax: SetLimitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-max",
        abstract: "Set the most one user may hold, globally or for a user or group.",
        discussion: setDiscussion)
    static let block = PolicyChange.Block.max

    @OptionGroup var limits: PolicyLimitOptions
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: OutputOptions
}
