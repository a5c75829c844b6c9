import Testing
@testable import FairshareCore

/// The typed replies: each reads back what it writes, each names the field
/// it cannot read, and the wire text of the common ones is pinned, so a
/// renamed field breaks a test here before it breaks a client.
@Suite struct ReplyTests {
    static let half = CPUQuantity(usecPerSecond: 500_000)
    static let resources = ReplyResources(cpu: half, mem: .mebibytes(64), tasks: TaskLimit(64))
    static var withDevices: ReplyResources {
        var io = IOLimits()
        io.weight = 200
        io[.readBandwidth][try! DevicePath(checking: "/dev/vda", field: "io")] = 50 << 20
        return ReplyResources(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1), tasks: .infinity, io: io, gpus: ["/dev/nvidia0"])
    }
    static let disk = DiskUsage(path: "/home", bytes: 12 << 20, inodes: 31, softBytes: 0, hardBytes: 50 << 30)
    static let job = Job(id: 7, uid: 1001, user: "alice", name: "train", argv: ["/usr/bin/python3", "train.py"], started: 1_700_000_000,
                         end: JobEnd(exitStatus: nil, signal: 15, stopped: true, ended: 1_700_000_100))
    static let runningJob = JobReply(job: Job(id: 8, uid: 1001, user: "alice", name: nil, argv: ["/bin/sleep", "60"], started: 1_700_000_000),
                                     unit: "fairshare-1001-job-8.service", state: .running, pid: 4242,
                                     usage: JobUsage(cpuUsec: 1_500_000, mem: nil))
    static let status = StatusReply(uid: 1001, user: "alice", system: CPUAndMemory(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4)),
                                    available: CPUAndMemory(cpu: CPUQuantity(usecPerSecond: 1_500_000), mem: .gibibytes(3)),
                                    slice: "fairshare-1001.slice", allocation: resources, leaseEnd: 1_700_003_600,
                                    usage: SliceUsageReply(mem: 4096, tasks: 3, ioRead: nil, ioWrite: nil), disk: disk)
    static let sourced = SourcedText(value: "0.5", origin: "built-in")
    static let limits = SourcedLimits(cpu: sourced, mem: SourcedText(value: "64M", origin: "/etc/fairshare/policy.d/10.yaml:2:18"),
                                      tasks: sourced, io: SourcedText(value: "", origin: "built-in"), gpus: sourced)

    /// One of every type, with optional fields both set and left out.
    static let samples: [any ReplyValue] = [
        CPUAndMemory(cpu: half, mem: .mebibytes(1)),
        resources, withDevices,
        SliceUsageReply(), SliceUsageReply(mem: 1, tasks: 2, ioRead: 3, ioWrite: 4),
        disk, DiskUsage(path: "/", bytes: 0, inodes: 0, softBytes: 1, hardBytes: 0),
        status, StatusReply(uid: 0, user: "root", system: CPUAndMemory(cpu: half, mem: .mebibytes(1)), available: CPUAndMemory(cpu: .zero, mem: .mebibytes(0))),
        WhoamiReply(uid: 1001, user: "alice", groups: ["fairshare"], role: .member, slice: nil),
        WhoamiReply(uid: 0, user: "root", groups: [], role: .admin, slice: "fairshare-0.slice"),
        GrantReply(slice: "fairshare-1001.slice", created: true, allocation: withDevices, leaseEnd: 9),
        GrantReply(slice: "fairshare-1001.slice", created: false, allocation: resources),
        GrantReply(slice: "fairshare-1001.slice", created: true, allocation: resources,
                   shrunk: [DefaultGrant.Shrunk(resource: .cpu, policyDefault: "1 CPU", granted: "0.33 CPUs")]),
        ReleaseReply(slice: nil), ReleaseReply(slice: "fairshare-1001.slice"),
        ExecReply(slice: "fairshare-1001.slice", scope: "fairshare-1001-exec-42.scope", allocation: resources, limits: resources),
        RevokeReply(user: "alice", slice: "fairshare-1001.slice"),
        JobEnd(exitStatus: 3, signal: nil, stopped: false, ended: 5),
        JobUsage(cpuUsec: nil, mem: 7),
        JobReply(job: job, unit: "fairshare-1001-job-7.service", state: .stopped), runningJob,
        JobsPage(jobs: [runningJob], next: 8), JobsPage(jobs: []),
        JobStartedReply(job: 8, unit: "fairshare-1001-job-8.service", log: "/var/lib/fairshare/jobs/1001/8.log"),
        LogsReply(job: 7, data: Array("hello\n".utf8), next: 6, size: 6, ended: true, end: job.end),
        LogsReply(job: 7, data: [], next: 0, size: 0, ended: false, end: nil),
        StopReply(job: 7),
        AllocationRow(user: "alice", uid: 1001, cpu: half, mem: .mebibytes(64), tasks: TaskLimit(64), since: 1_700_000_000),
        AllocationRow(user: "bob", uid: 1002, cpu: half, mem: .mebibytes(64), tasks: .infinity, lease: 3, since: 2, io: withDevices.io,
                      gpus: ["/dev/nvidia1"], cpuPercent: 12.5, usage: SliceUsageReply(mem: 1, tasks: 1, ioRead: 0, ioWrite: 0), disk: disk),
        AllocationListPage(allocations: [], next: 1001), AllocationListPage(allocations: []),
        sourced, limits,
        PolicyShowReply(user: "alice", groups: ["students"], defaults: limits, max: limits,
                        settings: [.init("admin_group", SourcedText(value: "-", origin: "built-in")), .init("daemon.connections", sourced)],
                        files: ["/etc/fairshare/policy.d/10.yaml"]),
        DiagnosticReply(severity: "warning", path: "/etc/x.yaml", line: 3, column: 1, message: "m", text: "t"),
        DiagnosticReply(severity: "error", path: "/etc/x.yaml", line: nil, column: nil, message: "m", text: "t"),
        ClampedAllocation(user: "alice", uid: 1001, from: withDevices, to: resources),
        ClampedAllocation(user: "alice", uid: 1001, from: resources, to: resources, error: "systemd said no"),
        PolicyAppliedReply(files: ["/a.yaml"]),
        PolicyAppliedReply(files: [], warnings: [DiagnosticReply(severity: "warning", path: "/a", line: 1, column: 2, message: "m", text: "t")],
                           clamped: [ClampedAllocation(user: "a", uid: 1, from: resources, to: resources)]),
        // Issue 19 (added last: the tests below name samples by index).
        SliceUsageReply(cpuUsec: 5),
        DaemonMetricsReply(version: "1.0", started: 5, counters: RequestCounters(), refusals: []),
        ObserveTests.metrics,
    ]

    @Test(arguments: samples.indices) func roundTrips(_ index: Int) throws {
        func check<T: ReplyValue>(_ value: T) throws {
            // Through the wire text too: numbers come back as the parser reads them.
            #expect(try T(json: value.json) == value)
            #expect(try T(json: JSON.parse(value.json.serialized)) == value)
            #expect(try T(json: value.json).json == value.json)
        }
        try check(Self.samples[index])
    }

    /// Each type, with one required field taken out or of the wrong kind.
    @Test func namesTheFieldItCannotRead() throws {
        func refused<T: ReplyValue>(_ type: T.Type, _ json: JSON, _ field: String, _ expected: String) {
            #expect(throws: ReplyDecodingError(field: field, expected: expected), "\(T.self)") { try T(json: json) }
        }
        func without(_ value: some ReplyValue, _ key: String) -> JSON {
            var o = value.json.objectValue!
            o[key] = nil
            return .object(o)
        }
        func replacing(_ value: some ReplyValue, _ key: String, _ with: JSON) -> JSON {
            var o = value.json.objectValue!
            o[key] = with
            return .object(o)
        }
        let s = Self.samples
        refused(CPUAndMemory.self, without(s[0], "mem"), "mem", "number of bytes")
        refused(ReplyResources.self, replacing(Self.resources, "tasks", "lots"), "tasks", "number or \"infinity\"")
        refused(SliceUsageReply.self, replacing(SliceUsageReply(), "mem", "1"), "mem", "number")
        refused(DiskUsage.self, without(Self.disk, "path"), "path", "string")
        var status = Self.status.json.objectValue!
        status["allocation"] = replacing(Self.resources, "cpu", "half")
        refused(StatusReply.self, .object(status), "allocation.cpu", "number of CPUs")
        refused(StatusReply.self, without(Self.status, "system"), "system", "object")
        refused(WhoamiReply.self, replacing(WhoamiReply(uid: 1, user: "a", groups: [], role: .member), "role", "boss"), "role", "role")
        refused(GrantReply.self, without(GrantReply(slice: "s", created: true, allocation: Self.resources), "created"), "created", "boolean")
        refused(ReleaseReply.self, without(ReleaseReply(slice: "s"), "slice"), "slice", "string")
        refused(ExecReply.self, without(ExecReply(slice: "s", scope: "c", allocation: Self.resources, limits: Self.resources), "scope"), "scope", "string")
        refused(RevokeReply.self, replacing(RevokeReply(user: "a", slice: "s"), "revoked", false), "revoked", "true")
        refused(JobEnd.self, without(Self.job.end!, "ended"), "ended", "number")
        refused(JobUsage.self, replacing(JobUsage(cpuUsec: 1, mem: 1), "cpu_usec", true), "cpu_usec", "number")
        refused(JobReply.self, replacing(Self.runningJob, "state", "dancing"), "state", "job state")
        refused(JobsPage.self, .object(["jobs": .array([without(Self.runningJob, "id")])]), "jobs[0].id", "number")
        refused(JobStartedReply.self, without(JobStartedReply(job: 1, unit: "u", log: "l"), "log"), "log", "string")
        refused(LogsReply.self, replacing(LogsReply(job: 1, data: [], next: 0, size: 0, ended: false, end: nil), "data", "!!"), "data", "base64 string")
        refused(StopReply.self, without(StopReply(job: 1), "job"), "job", "number")
        refused(AllocationRow.self, replacing(s[28], "uid", -1), "uid", "uid")
        refused(AllocationListPage.self, replacing(AllocationListPage(allocations: []), "allocations", 3), "allocations", "list")
        refused(SourcedText.self, without(Self.sourced, "origin"), "origin", "string")
        refused(SourcedLimits.self, without(Self.limits, "gpus"), "gpus", "object")
        let policy = s.compactMap { $0 as? PolicyShowReply }[0]
        var settings = policy.json["settings"]!.objectValue!
        settings["admin_group"] = ["value": 1, "origin": "built-in"]
        refused(PolicyShowReply.self, replacing(policy, "settings", .object(settings)), "settings.admin_group.value", "string")
        refused(DiagnosticReply.self, without(DiagnosticReply(severity: "e", path: "p", line: nil, column: nil, message: "m", text: "t"), "text"),
                "text", "string")
        refused(ClampedAllocation.self, without(ClampedAllocation(user: "a", uid: 1, from: Self.resources, to: Self.resources), "to"), "to", "object")
        refused(PolicyAppliedReply.self, without(PolicyAppliedReply(files: []), "clamped"), "clamped", "list")
        refused(StatusReply.self, "not an object", "result", "object")
    }

    @Test func decodingErrorSaysWhatIsMissing() {
        #expect(ReplyDecodingError(field: "allocation.cpu", expected: "number").description
                == "the daemon's reply has no 'allocation.cpu' (number expected; daemon version mismatch?)")
    }

    /// The wire text as the system tests and `--json` users read it.
    @Test func statusWireTextIsPinned() {
        #expect(Self.status.json.serialized == """
            {"uid":1001,"user":"alice","system":{"cpu":2,"mem":4294967296},"available":{"cpu":1.5,"mem":3221225472},\
            "slice":"fairshare-1001.slice","allocation":{"cpu":0.5,"mem":67108864,"tasks":64},"lease_end":1700003600,\
            "usage":{"mem":4096,"tasks":3,"io_read":null,"io_write":null,"cpu_usec":null},\
            "disk":{"path":"/home","used":12582912,"inodes":31,"soft":null,"hard":53687091200},"login":null}
            """)
        let nothing = StatusReply(uid: 1002, user: "bob", system: CPUAndMemory(cpu: Self.half, mem: .mebibytes(1)),
                                  available: CPUAndMemory(cpu: Self.half, mem: .mebibytes(1)))
        #expect(nothing.json.serialized == """
            {"uid":1002,"user":"bob","system":{"cpu":0.5,"mem":1048576},"available":{"cpu":0.5,"mem":1048576},\
            "slice":null,"allocation":null,"lease_end":null,"usage":null,"disk":null,"login":null}
            """)
    }

    @Test func jobWireTextIsPinned() {
        #expect(JobReply(job: Self.job, unit: "fairshare-1001-job-7.service", state: .stopped).json.serialized == """
            {"id":7,"uid":1001,"user":"alice","argv":["/usr/bin/python3","train.py"],"started":1700000000,"name":"train",\
            "end":{"exit_status":null,"signal":15,"stopped":true,"ended":1700000100},\
            "unit":"fairshare-1001-job-7.service","state":"stopped","pid":null}
            """)
        #expect(JobsPage(jobs: [Self.runningJob], next: 8).json.serialized == """
            {"jobs":[{"id":8,"uid":1001,"user":"alice","argv":["/bin/sleep","60"],"started":1700000000,\
            "unit":"fairshare-1001-job-8.service","state":"running","pid":4242,"usage":{"cpu_usec":1500000,"mem":null}}],"next":8}
            """)
    }

    @Test func allocationRowWireTextIsPinned() {
        let row = AllocationRow(user: "alice", uid: 1001, cpu: Self.half, mem: .mebibytes(64), tasks: .infinity, since: 5, cpuPercent: nil)
        #expect(row.json.serialized == """
            {"user":"alice","uid":1001,"cpu":0.5,"mem":67108864,"tasks":"infinity","lease":null,"since":5,"io":null,"gpus":[],\
            "usage":{"cpu_percent":null,"mem":null,"tasks":null,"io_read":null,"io_write":null,"cpu_usec":null},"disk":null,"login":null}
            """)
    }

    /// The logins part (added for issue 17): the cap with "infinity" where
    /// lifted, the GPU access, the usage; a page without `logins` (an
    /// older daemon) reads as none.
    @Test func loginWireTextIsPinnedAndRoundTrips() throws {
        let login = LoginReply(slice: "user-1001.slice", cpu: Self.half, mem: .unlimited, tasks: TaskLimit(100), gpus: .closed,
                               usage: LoginUsageReply(cpuUsec: 1_500_000, mem: 4096, tasks: 3))
        #expect(login.json.serialized == """
            {"slice":"user-1001.slice","cpu":0.5,"mem":"infinity","tasks":100,"io":null,"gpus":"closed",\
            "usage":{"cpu_usec":1500000,"mem":4096,"tasks":3}}
            """)
        #expect(try LoginReply(json: login.json) == login)
        let page = AllocationListPage(allocations: [], logins: [LoginRow(user: "bob", uid: 1002, login: LoginReply(slice: "user-1002.slice"))])
        #expect(try AllocationListPage(json: page.json) == page)
        #expect(try AllocationListPage(json: .object(["allocations": .array([])])).logins.isEmpty)
        var status = Self.status
        status.login = login
        #expect(try StatusReply(json: status.json).login == login)
    }

    @Test func releaseLeavesOutTheSliceWhenNothingWasHeld() {
        #expect(ReleaseReply(slice: nil).json.serialized == #"{"released":false}"#)
    }
}
