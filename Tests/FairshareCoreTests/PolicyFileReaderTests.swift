import Testing
@testable import FairshareCore

/// The diagnostics' headlines for one file named `p.yaml`.
func policyHeadlines(_ text: String) -> [String] {
    PolicyFileReader.read(Array(text.utf8), path: "p.yaml").diagnostics.map(\.headline)
}

func readPolicy(_ text: String, path: String = "p.yaml") throws -> PolicySettings {
    let (settings, diagnostics) = PolicyFileReader.read(Array(text.utf8), path: path)
    if !diagnostics.isEmpty { throw PolicyTestFailure(diagnostics.report) }
    return settings
}

struct PolicyTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite struct PolicyFileReaderTests {
    @Test func readsEveryGlobalKey() throws {
        let s = try readPolicy("""
            defaults:            # what `fairshare request` with no flags gets
              cpu: 2
              mem: 8G
              tasks: 1024
            max: {cpu: 8, mem: 32G, tasks: infinity}
            admin_group: sysadmins
            reader_group: auditors
            reserve: {cpu: 1, mem: 2G}
            overcommit:
              cpu: 2.5
            allocator: quasilinear
            idle_release: 30m
            """)
        #expect(s.global.defaults.cpu?.value == CPUQuantity(cpus: 2))
        #expect(s.global.defaults.mem?.value == .gibibytes(8))
        #expect(s.global.defaults.tasks?.value == TaskLimit(1024))
        #expect(s.global.max.cpu?.value == CPUQuantity(cpus: 8))
        #expect(s.global.max.tasks?.value == .infinity)
        #expect(s.adminGroup?.value == "sysadmins")
        #expect(s.readerGroup?.value == "auditors")
        #expect(s.reserveCPU?.value == CPUQuantity(cpus: 1))
        #expect(s.reserveMem?.value == .gibibytes(2))
        #expect(s.cpuOvercommit?.value == Overcommit(hundredths: 250))
        #expect(s.allocator?.value == .quasilinear)
        #expect(s.idleRelease?.value == .after(TimeSpan(seconds: 1800)))
        #expect(s.global.defaults.mem?.origin == PolicyOrigin(path: "p.yaml", at: SourceLocation(line: 3, column: 3)))
        #expect(s.global.max.mem?.origin.description == "p.yaml:5")
    }

    @Test func defaultIsAnAliasOfDefaults() throws {
        #expect(try readPolicy("default:\n  cpu: 3\n").global.defaults.cpu?.value == CPUQuantity(cpus: 3))
        #expect(try readPolicy("users:\n  alice:\n    defaults: {cpu: 3}\n").users["alice"]?.defaults.cpu?.value == CPUQuantity(cpus: 3))
    }

    @Test func userAndGroupEntriesInMappings() throws {
        let s = try readPolicy("""
            users:
              alice:
                default: {cpu: 1}
                max:
                  cpu: 4
                  mem: 16G
              bob:
            groups:
              students: {max: {cpu: 2, mem: 4G}}
            """)
        #expect(s.users["alice"]?.defaults.cpu?.value == CPUQuantity(cpus: 1))
        #expect(s.users["alice"]?.max.mem?.value == .gibibytes(16))
        #expect(s.users["bob"] == ScopeLimits())
        #expect(s.userEntries["bob"]?.description == "p.yaml:7")
        #expect(s.groups["students"]?.max.cpu?.value == CPUQuantity(cpus: 2))
    }

    @Test func userAndGroupFiles() throws {
        let alice = try readPolicy("user: alice\ndefault:\n  cpu: 1\nmax:\n  cpu: 4\n")
        #expect(alice.users["alice"]?.max.cpu?.value == CPUQuantity(cpus: 4))
        #expect(alice.users["alice"]?.defaults.cpu?.value == CPUQuantity(cpus: 1))
        #expect(alice.global == ScopeLimits())
        let students = try readPolicy("group: students\nmax: {mem: 4G}\n")
        #expect(students.groups["students"]?.max.mem?.value == .gibibytes(4))
    }

    @Test func emptyFilesAndEmptyBlocksAreFine() throws {
        #expect(try readPolicy("") == PolicySettings())
        #expect(try readPolicy("# nothing yet\n") == PolicySettings())
        #expect(try readPolicy("defaults:\nmax:\n") == PolicySettings())
    }

    @Test(arguments: [
        ("memory: 8G\n", "p.yaml:1:1: error: unknown key 'memory'; did you mean 'mem' inside 'defaults:' or 'max:'?"),
        ("max:\n  memory: 8G\n", "p.yaml:2:3: error: unknown key 'memory' in 'max'; did you mean 'mem'?"),
        ("max:\n  gpu: 1\n", "p.yaml:2:3: error: unknown key 'gpu' in 'max'; did you mean 'gpus'?"),
        ("max:\n  cpuu: 1\n", "p.yaml:2:3: error: unknown key 'cpuu' in 'max'; did you mean 'cpu'?"),
        ("max:\n  swap: 1G\n", "p.yaml:2:3: error: unknown key 'swap' in 'max' (known: cpu, mem, tasks, io, gpus)"),
        ("cpu: 2\n", "p.yaml:1:1: error: unknown key 'cpu'; 'cpu' belongs inside 'defaults:' or 'max:'"),
        ("admin-group: wheel\n", "p.yaml:1:1: error: unknown key 'admin-group'; did you mean 'admin_group'?"),
        ("reserve:\n  tasks: 10\n", "p.yaml:2:3: error: unknown key 'tasks' in 'reserve' (known: cpu, mem)"),
        ("overcommit: {mem: 2}\n", "p.yaml:1:14: error: unknown key 'mem' in 'overcommit' (known: cpu)"),
        ("users:\n  alice:\n    maxx: {cpu: 1}\n", "p.yaml:3:5: error: unknown key 'maxx' in 'users.alice'; did you mean 'max'?"),
        ("users:\n  alice:\n    max: {cpus: 1}\n", "p.yaml:3:11: error: unknown key 'cpus' in 'users.alice.max'; did you mean 'cpu'?"),
        ("defaults:\n  cpu: lots\n", "p.yaml:2:8: error: invalid CPU amount 'lots'; expected a number of CPUs such as 2, 0.5 or 150%"),
        ("max:\n  cpu: -2\n", "p.yaml:2:8: error: '-2' is negative; the value must be more than 0"),
        ("max:\n  mem: 0\n", "p.yaml:2:8: error: the value is 0; it must be more than 0"),
        ("defaults:\n  mem: infinity\n", "p.yaml:2:8: error: 'infinity' is only allowed in 'max:' and 'login:'"),
        ("max:\n  cpu:\n", "p.yaml:2:3: error: 'cpu' has no value; give one or remove the line"),
        ("max:\n  cpu: [1, 2]\n", "p.yaml:2:8: error: 'cpu' takes a single value, not a list"),
        ("max: 8\n", "p.yaml:1:6: error: 'max' must be a mapping of keys (like 'cpu: 2 …'), not a single value"),
        ("- defaults\n", "p.yaml:1:1: error: a policy file must be a mapping of keys (like 'defaults: …'), not a list"),
        ("users: [alice]\n", "p.yaml:1:8: error: 'users' must be a mapping of keys (like 'alice: …'), not a list"),
        ("users:\n  alice: 4\n", "p.yaml:2:10: error: 'users.alice' must be a mapping of keys (like 'max: …'), not a single value"),
        ("users:\n  '-x': {}\n", "p.yaml:2:3: error: invalid user name '-x': it starts with '-'"),
        ("groups:\n  '1000': {}\n", "p.yaml:2:3: error: invalid group name '1000': it is all digits (it would read as a numeric id)"),
        ("admin_group: 'wheel group'\n", "p.yaml:1:14: error: invalid group name 'wheel group': it contains whitespace or a control character"),
        ("allocator: fair\n", "p.yaml:1:12: error: unknown allocator 'fair' (known: polynomial, quasilinear, none)"),
        ("idle_release: never\n", "p.yaml:1:15: error: invalid duration 'never'; expected e.g. 90s, 30m, 2h, 1d or 1h30m, or off"),
        ("overcommit:\n  cpu: 0.5\n", "p.yaml:2:8: error: invalid overcommit factor '0.5'; expected a number from 1 to 1000 such as 2.0 (at most two decimals)"),
        ("defaults: {cpu: 1}\ndefault: {cpu: 2}\n", "p.yaml:2:1: error: 'default' repeats 'defaults' from line 1 ('defaults' and 'default' are the same key)"),
        ("user: alice\nadmin_group: x\n", "p.yaml:2:1: error: 'admin_group' cannot be in a 'user:' file, which holds only 'user', 'default', 'max', 'disk', 'login', 'sharing' and 'burst' (global keys go in a file without 'user:')"),
        ("user: alice\nmx: {cpu: 1}\n", "p.yaml:2:1: error: 'mx' cannot be in a 'user:' file, which holds only 'user', 'default', 'max', 'disk', 'login', 'sharing' and 'burst'; did you mean 'max'?"),
        ("user: alice\ngroup: staff\n", "p.yaml:2:1: error: a file holds either 'user:' or 'group:', not both"),
        ("user:\nmax: {cpu: 1}\n", "p.yaml:1:1: error: 'user' has no value; give one or remove the line"),
        ("defaults:\n  cpu: 1\n  cpu: 2\n", "p.yaml:3:3: error: duplicate key 'cpu' (first defined on line 2)"),
        ("defaults:\n\tcpu: 1\n", "p.yaml:2:1: error: a tab in indentation; YAML indents with spaces only"),
    ])
    func schemaErrorsArePointedAt(input: String, expected: String) {
        #expect(policyHeadlines(input) == [expected])
    }

    @Test func everyErrorInAFileIsReported() {
        #expect(policyHeadlines("""
            defaults:
              cpu: lots
              memory: 8G
            max:
              tasks: -1
            allocator: fifo
            """) == [
                "p.yaml:2:8: error: invalid CPU amount 'lots'; expected a number of CPUs such as 2, 0.5 or 150%",
                "p.yaml:3:3: error: unknown key 'memory' in 'defaults'; did you mean 'mem'?",
                "p.yaml:5:10: error: '-1' is negative; the value must be more than 0",
                "p.yaml:6:12: error: unknown allocator 'fifo' (known: polynomial, quasilinear, none)",
            ])
    }

    @Test func errorsShowTheLineAndACaret() {
        let (_, diagnostics) = PolicyFileReader.read(Array("max:\r\n  cpu: 8\r\n  memory: 8G\r\n".utf8), path: "/etc/fairshare/policy.d/50-lab.yaml")
        #expect(diagnostics.map(\.description) == ["""
            /etc/fairshare/policy.d/50-lab.yaml:3:3: error: unknown key 'memory' in 'max'; did you mean 'mem'?
                  memory: 8G
                  ^
            """])
    }

    @Test func syntaxErrorsComeWithThePath() {
        #expect(policyHeadlines("max: &m {cpu: 1}\n") == ["p.yaml:1:6: error: anchors ('&') are not supported; repeat the value instead"])
        let invalid = PolicyFileReader.read(Array("\u{FEFF}max:\n  cpu: ".utf8) + [0xFF, 0x0A], path: "p.yaml").diagnostics
        #expect(invalid.map(\.headline) == ["p.yaml:2:8: error: the file is not valid UTF-8 (byte 0xFF)"])
    }

    @Test func quotedValuesReadLikePlainOnes() throws {
        let s = try readPolicy("max: {cpu: '2', mem: \"8G\", tasks: \"infinity\"}\nadmin_group: \"wheel\"\n")
        #expect(s.global.max.cpu?.value == CPUQuantity(cpus: 2))
        #expect(s.global.max.mem?.value == .gibibytes(8))
        #expect(s.global.max.tasks?.value == .infinity)
        #expect(s.adminGroup?.value == "wheel")
    }
}
