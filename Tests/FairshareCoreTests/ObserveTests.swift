import Testing
@testable import FairshareCore

/// What `fairshare-web` and `fairshare top` render, from snapshots made up
/// here: metric names and values, escaping, the histogram, the order of
/// top's lines, the dashboard's rows, the routes and the token.
@Suite struct ObserveTests {
    static var metrics: DaemonMetricsReply {
        var c = RequestCounters()
        c.record(op: "status", errorCode: nil, usec: 200)
        c.record(op: "status", errorCode: nil, usec: 3_000)
        c.record(op: "request", errorCode: "refused", usec: 90_000_000)
        var log = RefusalLog(capacity: 2)
        log.append(.init(time: 1, user: "bob", uid: 1002, op: "request", code: "refused", message: "a <b> \"no\""))
        return DaemonMetricsReply(version: "1.2.3", started: 1_700_000_000, counters: c, refusals: log.entries)
    }

    static func row(_ user: String, uid: UInt32, cpuUsec: UInt64?, mem: UInt64? = nil, lease: UInt64? = nil) -> AllocationRow {
        AllocationRow(user: user, uid: uid, cpu: CPUQuantity(cpus: 1), mem: .mebibytes(256), tasks: TaskLimit(64), lease: lease,
                      since: 1_700_000_000, usage: SliceUsageReply(mem: mem, tasks: 3, ioRead: 10, ioWrite: 20, cpuUsec: cpuUsec))
    }

    static func snapshot(at usec: UInt64, alice: UInt64, carol: UInt64) -> MachineSnapshot {
        MachineSnapshot(takenUsec: usec, system: CPUAndMemory(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4)),
                        available: CPUAndMemory(cpu: CPUQuantity(usecPerSecond: 500_000), mem: .gibibytes(3)),
                        allocations: [row("alice", uid: 1001, cpuUsec: alice, mem: 1 << 20, lease: 1_700_003_600),
                                      row("ca\"rol", uid: 1003, cpuUsec: carol, mem: 2 << 20)],
                        jobs: [ReplyTests.runningJob], daemon: metrics)
    }

    @Test func cpuRatesComeFromTwoReadings() {
        let a = Self.snapshot(at: 1_700_000_000_000_000, alice: 0, carol: 0)
        let b = Self.snapshot(at: 1_700_000_002_000_000, alice: 1_900_000, carol: 100_000)
        let rates = CPURates.between(a, b)
        #expect(rates[1001] == 0.95)
        #expect(rates[1003] == 0.05)
        #expect(CPURates.between(nil, b).isEmpty)
    }

    @Test func exposition() {
        let text = PrometheusExposition.render(Self.snapshot(at: 1_700_000_000_500_000, alice: 1_500_000, carol: 0), version: "9.9")
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "fairshare_build_info{version=\"9.9\",daemon_version=\"1.2.3\"} 1",
            "fairshare_pool_cpus 2", "fairshare_pool_memory_bytes 4294967296", "fairshare_available_cpus 0.5",
            "fairshare_user_granted_cpus{user=\"alice\",uid=\"1001\"} 1",
            "fairshare_user_granted_memory_bytes{user=\"alice\",uid=\"1001\"} 268435456",
            "fairshare_user_cpu_seconds_total{user=\"alice\",uid=\"1001\"} 1.5",
            "fairshare_user_cpu_seconds_total{user=\"ca\\\"rol\",uid=\"1003\"} 0",
            "fairshare_user_lease_end_timestamp_seconds{user=\"alice\",uid=\"1001\"} 1700003600",
            "fairshare_jobs{state=\"running\"} 1", "fairshare_jobs{state=\"exited\"} 0",
            "fairshare_requests_total{op=\"request\",result=\"error\",reason=\"refused\"} 1",
            "fairshare_requests_total{op=\"status\",result=\"ok\",reason=\"\"} 2",
            "fairshare_request_duration_seconds_bucket{op=\"status\",le=\"0.00025\"} 1",
            "fairshare_request_duration_seconds_bucket{op=\"status\",le=\"0.005\"} 2",
            "fairshare_request_duration_seconds_bucket{op=\"request\",le=\"60\"} 0",
            "fairshare_request_duration_seconds_bucket{op=\"request\",le=\"+Inf\"} 1",
            "fairshare_request_duration_seconds_count{op=\"status\"} 2",
            "fairshare_request_duration_seconds_sum{op=\"status\"} 0.0032",
            "# TYPE fairshare_user_cpu_seconds_total counter",
            "# TYPE fairshare_request_duration_seconds histogram",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        // carol has no lease: no sample rather than a 0.
        #expect(!text.contains("fairshare_user_lease_end_timestamp_seconds{user=\"ca"))
    }

    /// PSI where the kernel has it: a ratio per resource, none where a file is missing.
    @Test func pressureIsARatioPerResource() {
        var s = Self.snapshot(at: 1, alice: 0, carol: 0)
        s.allocations[0].pressure = SlicePressure(cpu: 4665, memory: 0, io: nil)
        let lines = Set(PrometheusExposition.render(s, version: "x").split(separator: "\n").map(String.init))
        #expect(lines.contains("fairshare_user_pressure_some_avg10_ratio{user=\"alice\",uid=\"1001\",resource=\"cpu\"} 0.4665"))
        #expect(lines.contains("fairshare_user_pressure_some_avg10_ratio{user=\"alice\",uid=\"1001\",resource=\"memory\"} 0"))
        #expect(!lines.contains { $0.contains("resource=\"io\"") || $0.contains("ca\\\"rol\",uid=\"1003\",resource") })
    }

    @Test func numbersAndEscapes() {
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(3) == "3")
        #expect(PrometheusText.number(0.25) == "0.25")
        #expect(PrometheusText.escape("a\\b\"c\nd") == "a\\\\b\\\"c\\nd")
    }

    @Test func exposition1000UsersIsQuick() {
        let rows = (0..<1000).map { Self.row("user\($0)", uid: UInt32(2000 + $0), cpuUsec: UInt64($0) * 1000, mem: 1 << 20) }
        var s = Self.snapshot(at: 1, alice: 0, carol: 0)
        s.allocations = rows
        let text = PrometheusExposition.render(s, version: "x")
        // 10 per-user families of 1000 samples (carol's and alice's lease: only some have one).
        #expect(text.split(separator: "\n").count > 10_000)
    }

    @Test func topSortsByCPUThenMemory() {
        let a = Self.snapshot(at: 1_000_000, alice: 0, carol: 0)
        let b = Self.snapshot(at: 2_000_000, alice: 100_000, carol: 900_000)
        let screen = TopView.screen(b, rates: CPURates.between(a, b), width: 100)
        #expect(screen[1].hasPrefix("USER"))
        #expect(screen[2].hasPrefix("ca\"rol"))
        #expect(screen[2].contains(" 90.0 "))
        #expect(screen[3].hasPrefix("alice"))
        // Equal CPU: the one using more memory first.
        let same = TopView.lines(b, rates: [1001: 0.5, 1003: 0.5])
        #expect(same.map(\.user) == ["ca\"rol", "alice"])
    }

    @Test func topFitsTheTerminal() {
        let b = Self.snapshot(at: 2_000_000, alice: 0, carol: 0)
        let screen = TopView.screen(b, rates: [:], width: 30, height: 3)
        #expect(screen.count == 3)
        #expect(screen.allSatisfy { $0.count <= 30 })
        #expect(screen.last == "… 2 more")
    }

    @Test func dashboardRowsAreEscapedAndLabelled() {
        let a = Self.snapshot(at: 1_000_000, alice: 0, carol: 0)
        let b = Self.snapshot(at: 2_000_000, alice: 500_000, carol: 0)
        let page = DashboardPage.render(b, rates: CPURates.between(a, b), host: "h<1>", clock: { "t\($0)" })
        #expect(page.contains("<tr id=\"user-alice\" data-user=\"alice\" data-uid=\"1001\" data-cpu-granted=\"1\" data-cpu-used=\"0.5\""))
        #expect(page.contains("user-ca&quot;rol"))
        #expect(page.contains("h&lt;1&gt;"))
        #expect(page.contains("a &lt;b&gt; &quot;no&quot;"))
        #expect(page.contains("http-equiv=\"refresh\""))
        #expect(!page.contains("<script"))
    }

    @Test func routesAndToken() {
        #expect(WebRoute.resolve(method: "GET", uri: "/", authorization: nil, token: "s3cret") == .dashboard)
        #expect(WebRoute.resolve(method: "GET", uri: "/metrics", authorization: nil, token: nil) == .metrics)
        if case .status(401, _) = WebRoute.resolve(method: "GET", uri: "/metrics", authorization: nil, token: "s3cret") {} else { Issue.record("no 401") }
        if case .status(401, _) = WebRoute.resolve(method: "GET", uri: "/api/v1/status", authorization: "Bearer s3cre", token: "s3cret") {} else { Issue.record("no 401") }
        #expect(WebRoute.resolve(method: "GET", uri: "/metrics?x=1", authorization: "Bearer s3cret", token: "s3cret") == .metrics)
        #expect(WebRoute.resolve(method: "GET", uri: "/api/v1/jobs", authorization: "Bearer s3cret", token: "s3cret") == .api("/api/v1/jobs"))
        if case .status(405, _) = WebRoute.resolve(method: "POST", uri: "/", authorization: nil, token: nil) {} else { Issue.record("no 405") }
        if case .status(404, _) = WebRoute.resolve(method: "GET", uri: "/etc/passwd", authorization: nil, token: nil) {} else { Issue.record("no 404") }
        #expect(!WebRoute.authorized("Bearer ", token: ""))
    }

    @Test func apiDocuments() throws {
        let s = Self.snapshot(at: 2_000_000, alice: 0, carol: 0)
        let status = try #require(APIDocument.render("/api/v1/status", s, rates: [:]))
        #expect(status["api"] == .number(1))
        #expect(status["jobs"]?["running"] == .number(1))
        let allocations = try #require(APIDocument.render("/api/v1/allocations", s, rates: [1001: 0.25]))
        #expect(allocations["allocations"]?.arrayValue?.first?["cpu_used"] == .number(0.25))
        let jobs = try #require(APIDocument.render("/api/v1/jobs", s, rates: [:]))
        #expect(jobs["jobs"]?.arrayValue?.first?["output"] == nil)
        #expect(APIDocument.render("/api/v2/x", s, rates: [:]) == nil)
    }

    @Test func countersAndRefusalLog() {
        var c = RequestCounters()
        c.record(op: "list", errorCode: nil, usec: 60_000_001)
        #expect(c.latency["list"]?.counts.last == 1)
        var log = RefusalLog(capacity: 2)
        for i in 0..<3 { log.append(.init(time: UInt64(i), user: "u", uid: 1, op: "request", code: "refused", message: "")) }
        #expect(log.entries.map(\.time) == [1, 2])
    }
}
