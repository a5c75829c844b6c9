import Testing
@testable import FairshareCore

/// The policy's `login:` caps: read in every scope with origins, resolved
/// per account with the usual precedence, limited to min_uid..max_uid.
@Suite struct LoginCapPolicyTests {
    static let files: [(String, String)] = [
        ("/etc/fairshare/policy.d/10-global.yaml", """
            defaults: {cpu: 0.5, mem: 64M}
            login:
              cpu: 0.5
              mem: 256M
              tasks: 100
            """),
        ("/etc/fairshare/policy.d/20-groups.yaml", """
            groups:
              students:
                login: {cpu: 1}
              staff:
                login: {cpu: 1.5, mem: 128M}
            """),
        ("/etc/fairshare/policy.d/30-carol.yaml", """
            user: carol
            login:
              mem: infinity
            """),
    ]

    @Test func globalCapForEveryAccountInRangeWithOrigins() throws {
        let p = try policy(Self.files)
        let cap = p.loginCap(user: "bob", uid: 1002, groups: ["bob"])
        #expect(cap.cpu?.value == CPUQuantity.parse("0.5"))
        #expect(cap.cpu?.origin.description == "/etc/fairshare/policy.d/10-global.yaml:3")
        #expect(cap.mem?.value == .mebibytes(256))
        #expect(cap.tasks?.value == TaskLimit(100))
        #expect(cap.tasks?.origin.description == "/etc/fairshare/policy.d/10-global.yaml:5")
        #expect(cap.io == nil)
        #expect(cap.summary == "cpu 0.5, mem 256M, tasks 100")
    }

    @Test func userOverGroupsOverGlobalMostGenerousGroupWins() throws {
        let p = try policy(Self.files)
        // Both groups set cpu: the larger wins; mem from staff (the only group setting it).
        let dave = p.loginCap(user: "dave", uid: 1004, groups: ["students", "staff"])
        #expect(dave.cpu?.value == CPUQuantity.parse("1.5"))
        #expect(dave.cpu?.origin.description == "/etc/fairshare/policy.d/20-groups.yaml:5")
        #expect(dave.mem?.value == .mebibytes(128))
        #expect(dave.tasks?.origin.description == "/etc/fairshare/policy.d/10-global.yaml:5")
        // A user file lifts one key and keeps the rest.
        let carol = p.loginCap(user: "carol", uid: 1003, groups: ["students"])
        #expect(carol.mem?.value == .unlimited)
        #expect(carol.mem?.origin.description == "/etc/fairshare/policy.d/30-carol.yaml:3")
        #expect(carol.cpu?.value == CPUQuantity(cpus: 1))
    }

    @Test func membershipOfGroupFairshareMakesNoDifference() throws {
        let p = try policy(Self.files)
        #expect(p.loginCap(user: "alice", uid: 1001, groups: ["alice", "fairshare"])
                == p.loginCap(user: "bob", uid: 1002, groups: ["bob"]))
    }

    @Test func laterFileOverridesKeyByKey() throws {
        let p = try policy(Self.files + [("/var/lib/fairshare/policy.d/admin.yaml", "login:\n  tasks: 50\n")])
        let cap = p.loginCap(user: "bob", uid: 1002, groups: [])
        #expect(cap.tasks?.value == TaskLimit(50))
        #expect(cap.tasks?.origin.description == "/var/lib/fairshare/policy.d/admin.yaml:2")
        #expect(cap.cpu?.origin.description == "/etc/fairshare/policy.d/10-global.yaml:3")
    }

    @Test func onlyUIDsFromMinToMaxDefaultsAsDebian() throws {
        let p = try policy(Self.files)
        #expect(p.loginUIDs == 1000...60000)
        #expect(!p.loginCap(user: "alice", uid: 1000, groups: []).isEmpty)
        #expect(!p.loginCap(user: "x", uid: 60000, groups: []).isEmpty)
        for uid: UInt32 in [0, 1, 999, 60001, 61184, 65519, 65534, 524288] {
            #expect(p.loginCap(user: "x", uid: uid, groups: []).isEmpty, "uid \(uid)")
        }
        let narrow = try policy(Self.files + [("z.yaml", "min_uid: 2000\nmax_uid: 61183\n")])
        #expect(narrow.loginUIDs == 2000...61183)
        #expect(narrow.loginCap(user: "x", uid: 1999, groups: []).isEmpty)
        #expect(!narrow.loginCap(user: "x", uid: 61183, groups: []).isEmpty)
        #expect(narrow.settings.minUID?.origin.description == "z.yaml:1")
    }

    @Test func systemdDynamicUsersAreNeverTouched() throws {
        // No value of max_uid reaches them: the reader refuses it.
        for uid in ["61184", "65519", "65534", "4294967294"] {
            #expect(compilePolicy([("p.yaml", "login: {cpu: 1}\nmax_uid: \(uid)\n")]).policy == nil)
        }
        let p = try policy([("p.yaml", "login: {cpu: 1}\nmax_uid: 61183\n")])
        for uid in LoginAccounts.dynamicUsers { #expect(!p.capsLogins(ofUID: uid)) }
    }

    @Test func noLoginKeyMeansNoCaps() throws {
        let p = try policy([("p.yaml", "defaults: {cpu: 1}\n")])
        #expect(!p.setsLoginCaps)
        #expect(p.loginCap(user: "alice", uid: 1001, groups: []).isEmpty)
        #expect(try policy([("p.yaml", "users: {alice: {login: {tasks: 9}}}\n")]).setsLoginCaps)
    }

    @Test(arguments: [
        ("logn: {cpu: 1}\n", "p.yaml:1:1: error: unknown key 'logn'; did you mean 'login'?"),
        ("login:\n  memory: 1G\n", "p.yaml:2:3: error: unknown key 'memory' in 'login'; did you mean 'mem'?"),
        ("login:\n  cpus: 1\n", "p.yaml:2:3: error: unknown key 'cpus' in 'login'; did you mean 'cpu'?"),
        ("login:\n  swap: 1G\n", "p.yaml:2:3: error: unknown key 'swap' in 'login' (known: cpu, mem, tasks, io)"),
        ("login:\n  gpus: 1\n", "p.yaml:2:3: error: 'gpus' cannot be in 'login': a login session's GPU access is its device policy, not a cap; "
         + "the global 'login_gpus: open' or 'closed' sets it (see GPUS IN LOGINS in fairshare-policy(5))"),
        ("users:\n  alice:\n    logins: {cpu: 1}\n", "p.yaml:3:5: error: unknown key 'logins' in 'users.alice'; did you mean 'login'?"),
        ("user: alice\nlgoin: {cpu: 1}\n", "p.yaml:2:1: error: 'lgoin' cannot be in a 'user:' file, which holds only 'user', 'default', 'max', 'disk', 'login', 'sharing' and 'burst'; did you mean 'login'?"),
        ("min-uid: 1000\n", "p.yaml:1:1: error: unknown key 'min-uid'; did you mean 'min_uid'?"),
        ("maxuid: 1000\n", "p.yaml:1:1: error: unknown key 'maxuid'; did you mean 'max_uid'?"),
        ("login:\n  cpu: 0\n", "p.yaml:2:8: error: the value is 0; it must be more than 0"),
        ("login:\n  mem: lots\n", "p.yaml:2:8: error: invalid size 'lots'; expected e.g. 512M, 8G, 1.5G or 8GiB (K, M, G, T are powers of 1024), or infinity"),
        ("login:\n  tasks: -1\n", "p.yaml:2:10: error: '-1' is negative; the value must be more than 0"),
        ("login: 2\n", "p.yaml:1:8: error: 'login' must be a mapping of keys (like 'cpu: 2 …'), not a single value"),
        ("min_uid: 0\n", "p.yaml:1:10: error: uid 0 is root's, whose logins are never capped; min_uid is at least 1"),
        ("max_uid: 61184\n", "p.yaml:1:10: error: uid 61184 is at or above systemd's dynamic users (61184-65519), which login caps never touch; max_uid is at most 61183"),
        ("min_uid: 1e3\n", "p.yaml:1:10: error: invalid uid '1e3' for min_uid; expected a whole number such as 1000"),
        ("user: alice\nmin_uid: 5\n", "p.yaml:2:1: error: 'min_uid' cannot be in a 'user:' file, which holds only 'user', 'default', 'max', 'disk', 'login', 'sharing' and 'burst' (global keys go in a file without 'user:')"),
    ])
    func mistakesArePointedAtWithFileLineColumn(input: String, expected: String) {
        #expect(policyHeadlines(input) == [expected])
    }

    @Test func minAboveMaxIsAnErrorAcrossFiles() {
        let result = compilePolicy([("a.yaml", "min_uid: 5000\n"), ("b.yaml", "max_uid: 4000\n")])
        #expect(result.policy == nil)
        #expect(result.diagnostics.map(\.headline) == [
            "b.yaml:1:1: error: min_uid 5000 (a.yaml:1) is above max_uid 4000 (b.yaml:1); no account would get its login cap",
        ])
        #expect(compilePolicy([("a.yaml", "min_uid: 60001\n")]).diagnostics.map(\.headline) == [
            "a.yaml:1:1: error: min_uid 60001 (a.yaml:1) is above max_uid 60000 (built-in); no account would get its login cap",
        ])
    }

    @Test func theOverrideFileKeepsLoginBlocks() throws {
        var settings = try readPolicy("login: {cpu: 0.25, tasks: 64}\nusers:\n  alice:\n    login: {mem: 1536M}\n")
        settings.global.defaults.cpu = Sourced(CPUQuantity(cpus: 1), from: .builtin)
        let text = PolicyWriter.render(settings)
        let back = try readPolicy(text)
        #expect(back.global.login.cpu?.value == CPUQuantity.parse("0.25"))
        #expect(back.global.login.tasks?.value == TaskLimit(64))
        #expect(back.users["alice"]?.login.mem?.value == .mebibytes(1536))
    }
}
