import PropertyBased
import Testing
@testable import FairshareCore

/// The values of a policy without their origins, to compare what was
/// written with what is read back.
struct PolicyValues: Equatable, CustomStringConvertible {
    var global: [String]
    var users: [String: [String]]
    var groups: [String: [String]]

    init(_ s: PolicySettings) {
        func flat(_ scope: ScopeLimits) -> [String] {
            [scope.defaults.cpu?.value.exactDescription, scope.defaults.mem?.value.exactDescription, scope.defaults.tasks?.value.description,
             scope.max.cpu?.value.exactDescription, scope.max.mem?.value.exactDescription, scope.max.tasks?.value.description].map { $0 ?? "-" }
        }
        global = flat(s.global)
        users = s.users.filter { !$0.value.isEmpty }.mapValues(flat)
        groups = s.groups.filter { !$0.value.isEmpty }.mapValues(flat)
    }

    var description: String { "global \(global) users \(users) groups \(groups)" }
}

private let here = PolicyOrigin(path: "test", at: SourceLocation(line: 1, column: 1))

private let cpuGen = Gen.uint64(in: 1...64_000_000).map { CPUQuantity(usecPerSecond: $0) }
private let memGen = Gen.uint64(in: 1...(1 << 44)).map { ByteSize(bytes: $0) }
private let tasksGen = Gen.uint64(in: 1...100_000).map { TaskLimit($0) }
private let limitsGen = zip(cpuGen.optional(), memGen.optional(), tasksGen.optional()).map { cpu, mem, tasks in
    ResourceLimits(cpu: cpu.map { Sourced($0, from: here) }, mem: mem.map { Sourced($0, from: here) }, tasks: tasks.map { Sourced($0, from: here) })
}
private let scopeGen = zip(limitsGen, limitsGen).map { ScopeLimits(defaults: $0, max: $1) }
/// Names as Debian allows them, including ones that need quoting in YAML.
private func pick(_ choices: [String]) -> Generator<String, Shrink.Integer<Int>> {
    Gen.int(in: 0...(choices.count - 1)).map { choices[$0] }
}
private let nameGen = zip(pick(["a", "_", "Z", "é", "#", "&", "*", "!", "'", "\"", "\\", "[", "{", "@", "%", "?", "|", ">"]),
                          pick(["lice", "b", "-x", ".y", "$", " z", "#q", "\"q\"", ": ", "", "ü"]).array(of: 0...3))
    .map { first, rest in first + rest.joined() }
    .filter { AccountName.isValid($0) }
private let settingsGen = zip(scopeGen, zip(nameGen, scopeGen).array(of: 0...6), zip(nameGen, scopeGen).array(of: 0...4))
    .map { global, users, groups in
        var s = PolicySettings()
        s.global = global
        for (name, scope) in users { s.users[name] = scope }
        for (name, scope) in groups { s.groups[name] = scope }
        return s
    }

@Suite struct PolicyWriterTests {
    @Test func writtenPoliciesReadBackToTheSameValues() async {
        await propertyCheck(count: 300, input: settingsGen) { settings in
            let text = PolicyWriter.render(settings)
            let (read, diagnostics) = PolicyFileReader.read(Array(text.utf8), path: "admin.yaml")
            #expect(diagnostics.isEmpty, "\(diagnostics.report)\n\(text)")
            #expect(PolicyValues(read) == PolicyValues(settings), "\(text)")
        }
    }

    @Test func theOverrideFileLooksLikeHandWrittenPolicy() {
        var s = PolicySettings()
        s.apply(PolicyChange(scope: .global, block: .max, cpu: CPUQuantity(cpus: 8)), origin: here)
        s.apply(PolicyChange(scope: .user("alice"), block: .max, cpu: CPUQuantity(usecPerSecond: 1_500_000), mem: .mebibytes(1536)), origin: here)
        s.apply(PolicyChange(scope: .group("gpu lab"), block: .defaults, tasks: .infinity), origin: here)
        #expect(PolicyWriter.render(s) == PolicyWriter.header + """
            max:
              cpu: 8
            users:
              alice:
                max:
                  cpu: 1.5
                  mem: 1536M
            groups:
              "gpu lab":
                default:
                  tasks: infinity

            """)
    }

    /// The override file holds limits only: an entry that says nothing but
    /// `sharing:` (read from a hand-edited file) is not written as an empty key.
    @Test func anEntryWithoutLimitsIsNotWritten() {
        var s = PolicySettings()
        s.users["dora"] = ScopeLimits(sharing: Sourced(.lend, from: here))
        s.apply(PolicyChange(scope: .user("alice"), block: .max, cpu: CPUQuantity(cpus: 2)), origin: here)
        let text = PolicyWriter.render(s)
        #expect(!text.contains("dora"), "\(text)")
        #expect(PolicyFileReader.read(Array(text.utf8), path: "admin.yaml").1.isEmpty)
    }

    @Test func changesOverrideKeyByKeyAndResetRemovesTheBlock() {
        var s = PolicySettings()
        s.apply(PolicyChange(scope: .user("bob"), block: .max, cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4)), origin: here)
        s.apply(PolicyChange(scope: .user("bob"), block: .max, cpu: CPUQuantity(cpus: 3)), origin: here)
        #expect(s.users["bob"]?.max.cpu?.value == CPUQuantity(cpus: 3))
        #expect(s.users["bob"]?.max.mem?.value == .gibibytes(4))
        #expect(s.userEntries["bob"] != nil)
        s.apply(PolicyChange(scope: .user("bob"), block: .max, reset: true), origin: here)
        #expect(s.users["bob"] == nil)
        #expect(s.userEntries["bob"] == nil)
    }

    @Test func changesThatMakeNoSenseAreRefused() {
        #expect(PolicyChange(scope: .global, block: .max).problem == "nothing to set: give --cpu, --mem or --tasks (or --reset)")
        #expect(PolicyChange(scope: .global, block: .max, cpu: CPUQuantity(cpus: 1), reset: true).problem
            == "--reset removes the whole block; give it without --cpu, --mem or --tasks")
        #expect(PolicyChange(scope: .global, block: .defaults, mem: .unlimited).problem == "a default cannot be infinity")
        #expect(PolicyChange(scope: .global, block: .max, mem: .unlimited).problem == nil)
    }
}
