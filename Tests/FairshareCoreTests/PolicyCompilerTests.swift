import Testing
@testable import FairshareCore

func compilePolicy(_ files: [(String, String)], accounts: PolicyCompiler.Accounts = .any) -> PolicyCompiler.Result {
    PolicyCompiler.compile(files.map { PolicyCompiler.Source(path: $0.0, bytes: Array($0.1.utf8)) }, accounts: accounts)
}

func policy(_ files: [(String, String)]) throws -> Policy {
    let result = compilePolicy(files)
    guard let policy = result.policy else { throw PolicyTestFailure(result.diagnostics.report) }
    return policy
}

@Suite struct PolicyCompilerTests {
    @Test func builtinValuesApplyWhenNoFileSetsThem() throws {
        let p = try policy([("a.yaml", "admin_group: sysadmins\n")])
        let limits = p.effectiveLimits(user: "alice", groups: [])
        #expect(limits.defaults.values == Policy.builtinDefaults)
        #expect(limits.max.values == Policy.builtinMax)
        #expect(limits.defaults.cpu.origin == .builtin)
        #expect(p.allocator == .polynomial)
        #expect(p.cpuOvercommit == .none)
        #expect(p.reserve == Capacity(cpu: .zero, mem: .zero))
        #expect(p.idleRelease == nil)
    }

    @Test func laterFilesOverrideEarlierOnesKeyByKey() throws {
        let p = try policy([
            ("/etc/fairshare/policy.d/00-base.yaml", "defaults: {cpu: 2, mem: 8G}\nmax: {cpu: 8, mem: 32G}\nallocator: none\n"),
            ("/etc/fairshare/policy.d/50-lab.yaml", "max:\n  cpu: 4\n"),
            ("/var/lib/fairshare/policy.d/admin.yaml", "defaults:\n  mem: 4G\n"),
        ])
        let limits = p.effectiveLimits(user: "alice", groups: [])
        #expect(limits.max.cpu.value == CPUQuantity(cpus: 4))
        #expect(limits.max.cpu.origin.description == "/etc/fairshare/policy.d/50-lab.yaml:2")
        #expect(limits.max.mem.value == .gibibytes(32))
        #expect(limits.max.mem.origin.description == "/etc/fairshare/policy.d/00-base.yaml:2")
        #expect(limits.defaults.mem.value == .gibibytes(4))
        #expect(limits.defaults.mem.origin.description == "/var/lib/fairshare/policy.d/admin.yaml:2")
        #expect(limits.defaults.cpu.value == CPUQuantity(cpus: 2))
        #expect(p.allocator == .none)
    }

    @Test func userEntriesMergeAcrossFilesAndForms() throws {
        let p = try policy([
            ("10-users.yaml", "users:\n  alice:\n    max: {cpu: 6, mem: 12G}\n"),
            ("20-alice.yaml", "user: alice\nmax:\n  cpu: 3\n"),
        ])
        let limits = p.effectiveLimits(user: "alice", groups: [])
        #expect(limits.max.cpu.value == CPUQuantity(cpus: 3))
        #expect(limits.max.mem.value == .gibibytes(12))
    }

    /// User over groups over global; among groups the most generous value.
    @Test func precedenceUserOverGroupOverGlobal() throws {
        let p = try policy([
            ("00.yaml", """
                defaults: {cpu: 1, mem: 1G}
                max: {cpu: 8, mem: 16G, tasks: 500}
                groups:
                  students: {max: {cpu: 2, mem: 4G}}
                  gpu-lab: {max: {cpu: 4}, default: {cpu: 2}}
                users:
                  carol: {max: {mem: 32G}}
                """),
        ])
        let student = p.effectiveLimits(user: "alice", groups: ["students"])
        #expect(student.max.values.kernelLimits == Resources(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4), tasks: TaskLimit(500)))
        #expect(student.max.cpu.origin.description == "00.yaml:4")
        #expect(student.max.tasks.origin.description == "00.yaml:2")

        // In both groups: cpu from the more generous gpu-lab, mem from
        // students (gpu-lab does not set it, so it does not count).
        let both = p.effectiveLimits(user: "bob", groups: ["students", "gpu-lab"])
        #expect(both.max.cpu.value == CPUQuantity(cpus: 4))
        #expect(both.max.mem.value == .gibibytes(4))
        #expect(both.defaults.cpu.value == CPUQuantity(cpus: 2))
        #expect(p.effectiveLimits(user: "bob", groups: ["gpu-lab", "students"]) == both)

        let carol = p.effectiveLimits(user: "carol", groups: ["students"])
        #expect(carol.max.mem.value == .gibibytes(32))
        #expect(carol.max.cpu.value == CPUQuantity(cpus: 2))

        #expect(p.effectiveLimits(user: "dave", groups: ["staff"]).max.cpu.value == CPUQuantity(cpus: 8))
    }

    @Test func aDefaultAboveAnInheritedMaxIsLoweredWithAWarning() throws {
        let result = compilePolicy([("p.yaml", "defaults: {cpu: 4}\nusers:\n  alice:\n    max: {cpu: 2}\n  bob:\n    default: {cpu: 16}\nmax: {cpu: 8}\n")])
        let p = try #require(result.policy)
        let alice = p.effectiveLimits(user: "alice", groups: [])
        #expect(alice.defaults.cpu.value == CPUQuantity(cpus: 2))
        #expect(alice.defaults.cpu.origin.description == "p.yaml:4")
        #expect(result.diagnostics.map(\.headline) == [
            "p.yaml:6:15: warning: users.bob.default.cpu 16 is above the global max.cpu 8 (p.yaml:7); it is lowered to 8",
        ])
    }

    @Test func aDefaultAboveItsOwnMaxIsAnError() {
        let result = compilePolicy([
            ("a.yaml", "defaults:\n  cpu: 4\n  mem: 8G\n"),
            ("b.yaml", "max:\n  cpu: 2\ngroups:\n  students:\n    default: {tasks: 100}\n    max: {tasks: 50}\n"),
        ])
        #expect(result.policy == nil)
        #expect(result.diagnostics.map(\.headline) == [
            "a.yaml:2:3: error: defaults.cpu 4 is above max.cpu 2 (b.yaml:2)",
            "b.yaml:5:15: error: groups.students.default.tasks 100 is above groups.students.max.tasks 50 (b.yaml:6)",
        ])
        #expect(result.diagnostics[0].description == "a.yaml:2:3: error: defaults.cpu 4 is above max.cpu 2 (b.yaml:2)\n      cpu: 4\n      ^")
    }

    @Test func unknownAccountsAreWarningsNotErrors() throws {
        let accounts = PolicyCompiler.Accounts(userExists: { $0 == "alice" }, groupExists: { $0 == "staff" })
        let result = compilePolicy([("p.yaml", """
            admin_group: wheel
            users:
              alice: {max: {cpu: 2}}
              ghost: {max: {cpu: 2}}
            groups:
              staff: {max: {cpu: 4}}
              phantoms: {max: {cpu: 1}}
            """)], accounts: accounts)
        #expect(result.policy != nil)
        #expect(result.diagnostics.map(\.headline) == [
            "p.yaml:4:3: warning: user 'ghost' does not exist (yet); the entry applies when the account appears",
            "p.yaml:7:3: warning: group 'phantoms' does not exist (yet); the entry applies when the group appears",
            "p.yaml:1:1: warning: group 'wheel' does not exist; nobody gets its role until it is created",
        ])
    }

    @Test func errorsFromEveryFileAreCollected() {
        let result = compilePolicy([("a.yaml", "max: {cpu: x}\n"), ("b.yaml", "defaults:\n  mem: 8Q\n"), ("c.yaml", "a: [\n")])
        #expect(result.policy == nil)
        #expect(result.diagnostics.map(\.headline) == [
            "a.yaml:1:12: error: invalid CPU amount 'x'; expected a number of CPUs such as 2, 0.5 or 150%, or infinity",
            "b.yaml:2:8: error: invalid size '8Q'; expected e.g. 512M, 8G, 1.5G or 8GiB (K, M, G, T are powers of 1024)",
            "c.yaml:1:4: error: '[' is never closed (no matching ']')",
        ])
    }
}
