import Testing
@testable import FairshareCore

@Suite struct PolicyValueTests {
    @Test(arguments: [("2", 2_000_000), ("0.5", 500_000), ("150%", 1_500_000), ("1.25", 1_250_000), ("0.000001", 1)])
    func cpuAmounts(text: String, usec: UInt64) throws {
        #expect(try PolicyValue.cpu(text, allowInfinity: false) == CPUQuantity(usecPerSecond: usec))
    }

    static let sizeCases: [(String, UInt64)] = [
        ("512M", 512 << 20), ("8G", 8 << 30), ("1.5G", 3 << 29), ("8GiB", 8 << 30), ("64KB", 64 << 10), ("1048576", 1 << 20), ("2T", 2 << 40),
    ]

    @Test(arguments: sizeCases)
    func sizes(text: String, bytes: UInt64) throws {
        #expect(try PolicyValue.size(text, allowInfinity: false) == ByteSize(bytes: bytes))
    }

    @Test func infinityOnlyWhereAllowed() throws {
        #expect(try PolicyValue.cpu("infinity", allowInfinity: true) == .unlimited)
        #expect(try PolicyValue.size("infinity", allowInfinity: true) == .unlimited)
        #expect(try PolicyValue.tasks("infinity") == .infinity)
        #expect(throws: PolicyValue.Problem("'infinity' is only allowed in 'max:' and 'login:'")) { try PolicyValue.cpu("infinity", allowInfinity: false) }
        #expect(throws: PolicyValue.Problem("'infinity' is only allowed in 'max:' and 'login:'")) { try PolicyValue.size("infinity", allowInfinity: false) }
    }

    @Test func durationsAndIdleRelease() throws {
        #expect(try PolicyValue.duration("90s") == TimeSpan(seconds: 90))
        #expect(try PolicyValue.duration("30m") == TimeSpan(seconds: 1800))
        #expect(try PolicyValue.duration("2h") == TimeSpan(seconds: 7200))
        #expect(try PolicyValue.duration("1d") == TimeSpan(seconds: 86400))
        #expect(try PolicyValue.duration("1h30m") == TimeSpan(seconds: 5400))
        #expect(try PolicyValue.idleRelease("off") == .off)
        #expect(try PolicyValue.idleRelease("10m") == .after(TimeSpan(seconds: 600)))
    }

    @Test func booleansAreOnlyTrueAndFalse() throws {
        #expect(try PolicyValue.boolean("true"))
        #expect(try !PolicyValue.boolean("false"))
        for word in ["yes", "no", "on", "off", "True", "1"] {
            #expect(throws: PolicyValue.Problem("invalid boolean '\(word)'; write true or false")) { try PolicyValue.boolean(word) }
        }
    }

    @Test(arguments: [
        ("cpu", "-1", "'-1' is negative; the value must be more than 0"),
        ("cpu", "0", "the value is 0; it must be more than 0"),
        ("cpu", "0%", "the value is 0; it must be more than 0"),
        ("cpu", "two", "invalid CPU amount 'two'; expected a number of CPUs such as 2, 0.5 or 150%, or infinity"),
        ("cpu", "0.0000001", "invalid CPU amount '0.0000001'; expected a number of CPUs such as 2, 0.5 or 150%, or infinity"),
        ("cpu", "+2", "'+2': write the number without '+'"),
        ("mem", "8X", "invalid size '8X'; expected e.g. 512M, 8G, 1.5G or 8GiB (K, M, G, T are powers of 1024)"),
        ("mem", "-8G", "'-8G' is negative; the value must be more than 0"),
        ("mem", "0", "the value is 0; it must be more than 0"),
        ("tasks", "1.5", "invalid task count '1.5'; expected a whole number such as 1024, or infinity"),
        ("tasks", "0", "the value is 0; it must be more than 0"),
        ("duration", "-5m", "'-5m' is negative; the value must be more than 0"),
        ("duration", "soon", "invalid duration 'soon'; expected e.g. 90s, 30m, 2h, 1d or 1h30m"),
        ("duration", "0s", "the value is 0; it must be more than 0"),
        ("overcommit", "0.5", "invalid overcommit factor '0.5'; expected a number from 1 to 1000 such as 2.0 (at most two decimals)"),
        ("overcommit", "1.005", "invalid overcommit factor '1.005'; expected a number from 1 to 1000 such as 2.0 (at most two decimals)"),
        ("allocator", "polynomal", "unknown allocator 'polynomal' (known: polynomial, quasilinear, none); did you mean 'polynomial'?"),
        ("user", "-bob", "invalid user name '-bob': it starts with '-'"),
        ("user", "1000", "invalid user name '1000': it is all digits (it would read as a numeric id)"),
        ("user", "a:b", "invalid user name 'a:b': it contains ':'"),
        ("user", "a b", "invalid user name 'a b': it contains whitespace or a control character"),
        ("user", String(repeating: "x", count: 33), "invalid user name '\(String(repeating: "x", count: 33))': it is longer than 32 characters"),
    ])
    func invalidValuesSayWhy(kind: String, text: String, message: String) {
        let problem: PolicyValue.Problem?
        do {
            switch kind {
            case "cpu": _ = try PolicyValue.cpu(text, allowInfinity: true)
            case "mem": _ = try PolicyValue.size(text, allowInfinity: false)
            case "tasks": _ = try PolicyValue.tasks(text)
            case "duration": _ = try PolicyValue.duration(text)
            case "overcommit": _ = try PolicyValue.overcommit(text)
            case "allocator": _ = try PolicyValue.allocator(text)
            default: _ = try PolicyValue.accountName(text, kind: kind)
            }
            problem = nil
        } catch {
            problem = error
        }
        #expect(problem?.message == message)
    }

    @Test func validAccountNames() {
        for name in ["alice", "_apt", "Debian-exim", "www-data", "user.name", "ab$", "é"] {
            #expect(AccountName.isValid(name), "\(name)")
        }
    }

    @Test func exactDescriptionsReadBackToTheSameValue() throws {
        for usec: UInt64 in [1, 500_000, 1_000_000, 1_333_333, 250_000_000] {
            let cpu = CPUQuantity(usecPerSecond: usec)
            #expect(try PolicyValue.cpu(cpu.exactDescription, allowInfinity: false) == cpu)
        }
        for bytes: UInt64 in [1, 1023, 1024, 1536 << 20, 8 << 30, (3 << 40) + 1] {
            let size = ByteSize(bytes: bytes)
            #expect(try PolicyValue.size(size.exactDescription, allowInfinity: false) == size)
        }
        #expect(ByteSize(bytes: 3 << 29).exactDescription == "1536M")
        #expect(CPUQuantity.unlimited.exactDescription == "infinity")
    }

    @Test func suggestionsFindTyposAndSynonyms() {
        #expect(KeySuggestion.nearest(to: "memory", in: ["cpu", "mem", "tasks"]) == "mem")
        #expect(KeySuggestion.nearest(to: "cpus", in: ["cpu", "mem", "tasks"]) == "cpu")
        #expect(KeySuggestion.nearest(to: "taks", in: ["cpu", "mem", "tasks"]) == "tasks")
        #expect(KeySuggestion.nearest(to: "admin-group", in: PolicyFileReader.globalKeys) == "admin_group")
        #expect(KeySuggestion.nearest(to: "idle_relase", in: PolicyFileReader.globalKeys) == "idle_release")
        #expect(KeySuggestion.nearest(to: "colour", in: ["cpu", "mem", "tasks"]) == nil)
    }
}
