import Testing
@testable import FairshareCore

/// The policy's `strays:` section: read with origins, checked, merged.
@Suite struct StrayPolicyTests {
    @Test func builtInReportEveryTenSecondsIgnoringNothing() {
        #expect(Policy().strays == StrayPolicy(mode: .report, interval: TimeSpan(seconds: 10), ignore: []))
    }

    @Test func readsEveryKeyWithItsOrigin() throws {
        let s = try readPolicy("""
            strays:
              mode: adopt
              interval: 2s
              ignore: [cron.service, "docker-*.scope", machine.slice]
            """, path: "/etc/fairshare/policy.d/10-strays.yaml")
        let strays = s.strays.resolved
        #expect(strays.mode == .adopt)
        #expect(strays.interval == TimeSpan(seconds: 2))
        #expect(strays.ignore.map(\.pattern) == ["cron.service", "docker-*.scope", "machine.slice"])
        #expect(s.strays.mode?.origin.description == "/etc/fairshare/policy.d/10-strays.yaml:2")
        #expect(s.strays.ignore?.origin.description == "/etc/fairshare/policy.d/10-strays.yaml:4")
    }

    @Test func aScalarIsTheModeAlone() throws {
        let s = try readPolicy("strays: off\n")
        #expect(s.strays.resolved == StrayPolicy(mode: .off))
    }

    @Test func aLaterFileOverridesKeyByKey() throws {
        let result = compilePolicy([("a.yaml", "strays: {mode: adopt, interval: 5s}\n"), ("b.yaml", "strays:\n  interval: 1s\n")])
        let policy = try #require(result.policy)
        #expect(policy.strays.mode == .adopt)
        #expect(policy.strays.interval == TimeSpan(seconds: 1))
        #expect(policy.settings.strays.interval?.origin.description == "b.yaml:2")
    }

    @Test(arguments: [
        ("strays: adpot\n", "p.yaml:1:9: error: unknown strays mode 'adpot' (known: report, adopt, off); did you mean 'adopt'?"),
        ("strays:\n  mode: move\n", "p.yaml:2:9: error: unknown strays mode 'move' (known: report, adopt, off)"),
        ("strays:\n  intervall: 5s\n", "p.yaml:2:3: error: unknown key 'intervall' in 'strays'; did you mean 'interval'?"),
        ("strays:\n  interval: 30s\n", "p.yaml:2:13: error: strays interval 30s is outside 1s to 10s; the default is 10s"),
        ("strays:\n  interval: 0s\n", "p.yaml:2:13: error: the value is 0; it must be more than 0"),
        ("strays:\n  ignore: cron.service\n", "p.yaml:2:11: error: 'ignore' lists unit name patterns such as [cron.service, \"docker-*.scope\"], not a single value"),
        ("strays:\n  ignore: [cron.service, cron.service]\n", "p.yaml:2:26: error: 'cron.service' is listed twice"),
        ("strays:\n  ignore: [\"/system.slice\"]\n", "p.yaml:2:12: error: unit name pattern '/system.slice' holds '/'; unit names have letters, digits, ':-_.\\@' and the patterns '*' and '?'"),
        ("stray: adopt\n", "p.yaml:1:1: error: unknown key 'stray'; did you mean 'strays'?"),
    ])
    func mistakesArePointedAt(input: String, expected: String) {
        #expect(policyHeadlines(input) == [expected])
    }
}

/// `strays.ignore` patterns: systemctl's `*` and `?`, whole names only.
@Suite struct UnitGlobTests {
    @Test(arguments: [
        ("cron.service", "cron.service", true),
        ("cron.service", "crond.service", false),
        ("docker-*.scope", "docker-0123abcd.scope", true),
        ("docker-*.scope", "docker-.scope", true),
        ("docker-*.scope", "docker-1.service", false),
        ("*", "anything.slice", true),
        ("user@?.service", "user@1.service", true),
        ("user@?.service", "user@10.service", false),
        ("*a*b*", "xxaxxbxx", true),
        ("*a*b", "ab-ba", false),
    ])
    func matchesWholeNames(pattern: String, name: String, expected: Bool) throws {
        #expect(try UnitGlob(checking: pattern).matches(name) == expected)
    }

    @Test func refusesWhatCannotBeInAUnitName() {
        #expect(throws: UnitGlob.Problem.empty) { try UnitGlob(checking: "") }
        #expect(throws: UnitGlob.Problem.invalidCharacter(" ")) { try UnitGlob(checking: "a b") }
        #expect(throws: UnitGlob.Problem.invalidCharacter("\n")) { try UnitGlob(checking: "a\nExecStart=x") }
        #expect(throws: UnitGlob.Problem.tooLong) { try UnitGlob(checking: String(repeating: "a", count: 256)) }
    }
}
