import Testing
@testable import FairshareCore

/// Which processes are strays, from their uid and cgroup; what a sweep
/// reports of them and how adoption groups them.
@Suite struct StrayCensusTests {
    let uids: ClosedRange<UInt32> = 1000...60000
    let ignore = [try! UnitGlob(checking: "docker-*.scope"), try! UnitGlob(checking: "machine.slice")]

    func place(_ uid: UInt32, _ path: String, entirely: Bool = true, zombie: Bool = false) -> ProcessPlacement {
        ProcessPlacement.classify(uid: uid, entirely: entirely, zombie: zombie, cgroup: path, uids: uids, ignore: ignore)
    }

    @Test func ownLoginAndOwnAllocationAreNotStrays() {
        #expect(place(1000, "/user.slice/user-1000.slice/session-3.scope") == .login)
        #expect(place(1000, "/user.slice/user-1000.slice/user@1000.service/app.slice/x.service") == .login)
        #expect(place(1000, "/user.slice/user-1000.slice") == .login)
        #expect(place(1000, "/fairshare.slice/fairshare-1000.slice/fairshare-1000-exec-42.scope") == .allocation)
        #expect(place(1000, "/fairshare.slice/fairshare-1000.slice") == .allocation)
    }

    @Test func everywhereElseIsAStray() {
        #expect(place(1000, "/system.slice/cron.service") == .stray(unit: "cron.service"))
        #expect(place(1000, "/system.slice/run-u7.service") == .stray(unit: "run-u7.service"))
        #expect(place(1000, "/") == .stray(unit: "-.slice"))
        // Someone else's login or allocation, and look-alike names.
        #expect(place(1000, "/user.slice/user-1001.slice/session-9.scope") == .stray(unit: "session-9.scope"))
        #expect(place(1000, "/user.slice/user-10000.slice/session-9.scope") == .stray(unit: "session-9.scope"))
        #expect(place(1000, "/fairshare.slice/fairshare-10001.slice") == .stray(unit: "fairshare-10001.slice"))
        #expect(place(1000, "/fairshare.slice") == .stray(unit: "fairshare.slice"))
    }

    @Test func ignoredUnitsAnywhereOnThePath() {
        #expect(place(1000, "/system.slice/docker-ab12.scope") == .ignored(unit: "docker-ab12.scope"))
        #expect(place(1000, "/machine.slice/systemd-nspawn@c1.service/payload/system.slice/x.service") == .ignored(unit: "machine.slice"))
        #expect(place(1000, "/system.slice/docker.service") == .stray(unit: "docker.service"))
    }

    @Test func rootOtherRangesSetuidAndZombiesAreExempt() {
        #expect(place(0, "/system.slice/cron.service") == .exempt)
        #expect(place(999, "/system.slice/cron.service") == .exempt)
        #expect(place(60001, "/system.slice/cron.service") == .exempt)
        #expect(place(61184, "/system.slice/cron.service") == .exempt)
        #expect(place(1000, "/system.slice/cron.service", entirely: false) == .exempt)
        #expect(place(1000, "/system.slice/cron.service", zombie: true) == .exempt)
        #expect(ProcessPlacement.classify(uid: 1000, entirely: true, zombie: false, cgroup: "/system.slice/cron.service", uids: nil, ignore: []) == .exempt)
    }

    @Test func systemdPathFromProcCgroup() {
        let hybrid = """
            12:pids:/system.slice/cron.service
            5:cpu,cpuacct:/system.slice/cron.service
            1:name=systemd:/system.slice/cron.service
            0::/system.slice/cron.service
            """
        #expect(ProcessCgroup.systemdPath(fromProcCgroup: hybrid) == "/system.slice/cron.service")
        #expect(ProcessCgroup.systemdPath(fromProcCgroup: "0::/user.slice/user-1000.slice/session-1.scope\n") == "/user.slice/user-1000.slice/session-1.scope")
        #expect(ProcessCgroup.systemdPath(fromProcCgroup: "0::/a:b.service\n") == "/a:b.service")
        #expect(ProcessCgroup.systemdPath(fromProcCgroup: "garbage\n") == nil)
        #expect(ProcessCgroup.units(inPath: "/system.slice/docker-1.scope/init.scope/sub") == ["system.slice", "docker-1.scope", "init.scope"])
    }

    @Test func statusAndStatParse() throws {
        let status = "Name:\tsh (x)\nUmask:\t0022\nState:\tR (running)\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nVmRSS:\t    1536 kB\n"
        var s = try #require(ProcessSample.fromStatus(status, pid: 42))
        #expect(s.name == "sh (x)" && s.uid == 1000 && s.runsEntirelyAsUID && !s.zombie && s.rssBytes == 1536 * 1024)
        let parsed = s.readStat("42 (sh (x)) R 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0 12345 1000 100 18446744073709551615")
        #expect(parsed)
        #expect(s.cpuTicks == 300 && s.startTicks == 12345)
        let setuid = try #require(ProcessSample.fromStatus("Name:\tpasswd\nState:\tS (sleeping)\nUid:\t1000\t0\t0\t0\n", pid: 7))
        #expect(!setuid.runsEntirelyAsUID && setuid.rssBytes == 0)
        #expect(ProcessSample.fromStatus("Name:\tx\nState:\tZ (zombie)\nUid:\t1000\t1000\t1000\t1000\n", pid: 8)?.zombie == true)
        #expect(ProcessSample.fromStatus("Name:\tx\n", pid: 9) == nil)
        var short = s
        let shortParsed = short.readStat("42 (sh) R 1")
        #expect(!shortParsed)
    }

    func sample(_ pid: Int32, uid: UInt32 = 1000, _ cgroup: String, cpu: UInt64, start: UInt64 = 0) -> ProcessSample {
        ProcessSample(pid: pid, name: "p\(pid)", uid: uid, rssBytes: 4096, startTicks: start, cpuTicks: cpu, cgroup: cgroup)
    }

    @Test func cpuPercentSinceStartThenSinceThePreviousSweep() throws {
        // 100 ticks a second; the process started at 10 s and has used 5 s
        // of CPU by 20 s: 50 % since its start.
        let first = StrayCensus.take([sample(5, "/system.slice/cron.service", cpu: 500, start: 1000)], uids: uids, ignore: [],
                                     previous: [:], nowUsec: 20_000_000, ticksPerSecond: 100)
        #expect(first.strays.map(\.cpuPercent) == [50.0])
        #expect(first.strays.first?.unit == "cron.service")
        // 2 s later it used 4 s more: 200 % (two CPUs).
        let second = StrayCensus.take([sample(5, "/system.slice/cron.service", cpu: 900, start: 1000)], uids: uids, ignore: [],
                                      previous: first.marks, nowUsec: 22_000_000, ticksPerSecond: 100)
        #expect(second.strays.map(\.cpuPercent) == [200.0])
        // A recycled pid (another start time) counts from its own start.
        let recycled = StrayCensus.take([sample(5, "/system.slice/cron.service", cpu: 10, start: 2100)], uids: uids, ignore: [],
                                        previous: second.marks, nowUsec: 22_000_000, ticksPerSecond: 100)
        #expect(recycled.strays.map(\.cpuPercent) == [10.0])
    }

    @Test func onlyStraysAreListedAndMarked() {
        let census = StrayCensus.take([
            sample(10, "/user.slice/user-1000.slice/session-1.scope", cpu: 1),
            sample(11, uid: 0, "/system.slice/cron.service", cpu: 1),
            sample(12, "/system.slice/cron.service", cpu: 1),
            sample(13, "/system.slice/docker-1.scope", cpu: 1),
        ], uids: uids, ignore: ignore, previous: [:], nowUsec: 1_000_000, ticksPerSecond: 100)
        #expect(census.strays.map(\.pid) == [12])
        #expect(Array(census.marks.keys) == [12])
    }

    @Test func adoptionGroupsByUserAndCgroupUnderTheLoginSlice() {
        let census = StrayCensus.take([
            sample(31, "/system.slice/cron.service", cpu: 1),
            sample(30, "/system.slice/cron.service", cpu: 1),
            sample(40, uid: 1001, "/system.slice/cron.service", cpu: 1),
            sample(20, "/system.slice/atd.service", cpu: 1),
        ], uids: uids, ignore: [], previous: [:], nowUsec: 1_000_000, ticksPerSecond: 100)
        let plan = census.adoptions
        #expect(plan.map { $0.processes.map(\.pid) } == [[20], [30, 31], [40]])
        #expect(plan.map(\.scope.string) == ["fairshare-stray-1000-20.scope", "fairshare-stray-1000-30.scope", "fairshare-stray-1001-40.scope"])
        #expect(plan.map(\.slice.string) == ["user-1000.slice", "user-1000.slice", "user-1001.slice"])
        #expect(plan[1].unit == "cron.service")
    }
}
