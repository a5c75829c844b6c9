import Testing
@testable import FairshareCore

/// The policy's `daemon:` section: read with origins, checked, merged.
@Suite struct DaemonLimitsPolicyTests {
    @Test func builtInValuesWhenNoFileSetsThem() {
        let limits = Policy().daemonLimits
        #expect(limits == DaemonLimits.builtin)
        #expect(limits.connections == 512 && limits.connectionsPerUser == 64 && limits.reservedConnections == 8)
        #expect(limits.requestsPerSecond == 50_000 && limits.requestBurst == 100_000)
        #expect(limits.replyBuffer == 256 << 10)
        #expect(limits.connectionBudget == ConnectionBudget(total: 512, perUser: 64, reserved: 8))
    }

    @Test func readsEveryKeyWithItsOrigin() throws {
        let s = try readPolicy("""
            daemon:
              connections: 300
              connections_per_user: 16
              reserved_connections: 0
              requests_per_second: 200
              request_burst: 400
              reply_buffer: 1M
            """, path: "/etc/fairshare/policy.d/10-daemon.yaml")
        let limits = s.daemon.resolved
        #expect(limits == DaemonLimits(connections: 300, connectionsPerUser: 16, reservedConnections: 0,
                                       requestsPerSecond: 200, requestBurst: 400, replyBuffer: 1 << 20))
        #expect(s.daemon.connectionsPerUser?.origin.description == "/etc/fairshare/policy.d/10-daemon.yaml:3")
        #expect(s.daemon.replyBuffer?.origin.description == "/etc/fairshare/policy.d/10-daemon.yaml:7")
    }

    @Test func aLaterFileOverridesKeyByKey() throws {
        let result = compilePolicy([("a.yaml", "daemon: {connections_per_user: 8, requests_per_second: 100}\n"),
                                    ("b.yaml", "daemon:\n  requests_per_second: 300\n")])
        let policy = try #require(result.policy)
        #expect(policy.daemonLimits.connectionsPerUser == 8)
        #expect(policy.daemonLimits.requestsPerSecond == 300)
        #expect(policy.settings.daemon.requestsPerSecond?.origin.description == "b.yaml:2")
        #expect(policy.settings.daemon.connectionsPerUser?.origin.description == "a.yaml:1")
    }

    @Test(arguments: [
        ("daemon:\n  conections: 10\n", "p.yaml:2:3: error: unknown key 'conections' in 'daemon'; did you mean 'connections'?"),
        ("daemon:\n  request_per_second: 10\n", "p.yaml:2:3: error: unknown key 'request_per_second' in 'daemon'; did you mean 'requests_per_second'?"),
        ("daemon:\n  backlog: 10\n", "p.yaml:2:3: error: unknown key 'backlog' in 'daemon' (known: connections, connections_per_user, reserved_connections, requests_per_second, request_burst, reply_buffer, running_jobs_per_user, kept_jobs_per_user)"),
        ("deamon: {connections: 10}\n", "p.yaml:1:1: error: unknown key 'deamon'; did you mean 'daemon'?"),
        ("daemon: 64\n", "p.yaml:1:9: error: 'daemon' must be a mapping of keys (like 'connections_per_user: 64 …'), not a single value"),
        ("daemon:\n  connections_per_user: 0\n", "p.yaml:2:25: error: the value is 0; it must be more than 0"),
        ("daemon:\n  connections: lots\n", "p.yaml:2:16: error: invalid connection count 'lots'; expected a whole number such as 64"),
        ("daemon:\n  connections: 100000\n", "p.yaml:2:16: error: connection count 100000 is more than 65536, the most allowed"),
        ("daemon:\n  requests_per_second: -5\n", "p.yaml:2:24: error: '-5' is negative; the value must be more than 0"),
        ("daemon:\n  reply_buffer: 4K\n", "p.yaml:2:17: error: reply_buffer 4K is outside 64K to 1G; the default is 256K"),
    ])
    func mistakesArePointedAt(input: String, expected: String) {
        #expect(policyHeadlines(input) == [expected])
    }

    @Test func reservedConnectionsMayBeZero() throws {
        #expect(try readPolicy("daemon: {reserved_connections: 0}\n").daemon.resolved.reservedConnections == 0)
    }

    @Test func oneUserAboveEveryoneIsAnError() {
        let result = compilePolicy([("a.yaml", "daemon:\n  connections: 100\n"), ("b.yaml", "daemon: {connections_per_user: 200}\n")])
        #expect(result.policy == nil)
        #expect(result.diagnostics.map(\.headline) == [
            "b.yaml:1:10: error: daemon.connections_per_user 200 is above daemon.connections 100 (a.yaml:2); one user could hold every connection",
        ])
        // Against the built-in total as well.
        #expect(compilePolicy([("a.yaml", "daemon: {connections_per_user: 600}\n")]).diagnostics.map(\.headline) == [
            "a.yaml:1:10: error: daemon.connections_per_user 600 is above daemon.connections 512 (built-in); one user could hold every connection",
        ])
    }
}
