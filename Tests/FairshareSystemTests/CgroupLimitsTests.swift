import Testing
@testable import FairshareSystem
import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// A fake cgroupfs in a temporary directory.
final class FakeCgroupFS {
    let root: String

    init() {
        var template = Array("/tmp/fairshare-cgroupfs-XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { _ = system("rm -rf '\(root)'") }

    func write(_ path: String, _ text: String) {
        try? FileIO.makeDirectory(FileIO.parentDirectory(of: root + path))
        try? FileIO.writeAtomically(root + path, Array(text.utf8))
    }
}

@Suite struct CgroupLimitsTests {
    @Test func v1LimitsAnywhereAboveCount() {
        let fs = FakeCgroupFS()
        fs.write("/cpu,cpuacct/cpu.cfs_quota_us", "-1\n")
        fs.write("/cpu,cpuacct/cpu.cfs_period_us", "100000\n")
        fs.write("/cpu,cpuacct/system.slice/cpu.cfs_quota_us", "150000\n")
        fs.write("/cpu,cpuacct/system.slice/cpu.cfs_period_us", "100000\n")
        fs.write("/memory/memory.limit_in_bytes", "9223372036854771712\n")
        fs.write("/memory/system.slice/memory.limit_in_bytes", "1073741824\n")
        // The daemon's own limit bounds the daemon, not the pool.
        fs.write("/memory/system.slice/fairshared.service/memory.limit_in_bytes", "268435456\n")
        let membership = "4:cpu,cpuacct:/system.slice/fairshared.service\n5:memory:/system.slice/fairshared.service\n0::/system.slice/fairshared.service\n"
        let limits = CgroupLimits.above(membership: membership, root: fs.root)
        #expect(limits.cpu == CPUQuantity(usecPerSecond: 1_500_000))
        #expect(limits.mem == .gibibytes(1))
    }

    /// v1 without CPU accounting for the daemon's unit: systemd leaves it
    /// in system.slice's cpu cgroup, whose quota counts.
    @Test func v1SliceOfAServiceWithoutItsOwnCgroupCounts() {
        let fs = FakeCgroupFS()
        fs.write("/cpu,cpuacct/system.slice/cpu.cfs_quota_us", "150000\n")
        fs.write("/cpu,cpuacct/system.slice/cpu.cfs_period_us", "100000\n")
        let membership = "4:cpu,cpuacct:/system.slice\n1:name=systemd:/system.slice/fairshared.service\n0::/system.slice/fairshared.service\n"
        #expect(CgroupLimits.above(membership: membership, root: fs.root).cpu == CPUQuantity(usecPerSecond: 1_500_000))
    }

    /// The tightest quota above the service wins; a quota near UInt64.max
    /// (set by hand, or systemd's infinity written as a number) is no
    /// limit, not an overflow.
    @Test(arguments: [("max 100000", "50000 100000", UInt64(500_000)),
                      ("18446744073709551615 100000", "18446744073709551 1000", 18_446_744_073_709_551_000)])
    func v2TakesTheTightest(outerCPU: String, serviceCPU: String, tightest: UInt64) {
        let fs = FakeCgroupFS()
        fs.write("/cgroup.controllers", "cpu memory pids\n")
        fs.write("/machine.slice/cpu.max", outerCPU + "\n")
        fs.write("/machine.slice/memory.max", "4294967296\n")
        fs.write("/machine.slice/system.slice/cpu.max", serviceCPU + "\n")
        fs.write("/machine.slice/system.slice/memory.max", "max\n")
        // The daemon's own MemoryMax= and CPU quota do not count.
        fs.write("/machine.slice/system.slice/fairshared.service/cpu.max", "1000 100000\n")
        fs.write("/machine.slice/system.slice/fairshared.service/memory.max", "268435456\n")
        let limits = CgroupLimits.above(membership: "0::/machine.slice/system.slice/fairshared.service\n", root: fs.root)
        #expect(limits.cpu == CPUQuantity(usecPerSecond: tightest))
        #expect(limits.mem == .gibibytes(4))
    }

    @Test func noLimitsMeansNil() {
        let fs = FakeCgroupFS()
        fs.write("/cgroup.controllers", "cpu memory\n")
        #expect(CgroupLimits.above(membership: "0::/\n", root: fs.root) == CgroupLimits())
    }

    @Test func usageFallsBackToV1Files() {
        let fs = FakeCgroupFS()
        fs.write("/unified/fairshare.slice/x.slice/cpu.stat", "usage_usec 1234\nuser_usec 1000\n")
        fs.write("/memory/fairshare.slice/x.slice/memory.usage_in_bytes", "4096\n")
        fs.write("/pids/fairshare.slice/x.slice/pids.current", "3\n")
        let u = CgroupUsage.read(path: "/fairshare.slice/x.slice", root: fs.root)
        #expect(u == CgroupUsage(cpuUsec: 1234, memoryBytes: 4096, tasks: 3))
    }

    /// The unified files are read on a pure v2 root, and on a hybrid one
    /// for controllers its v1 hierarchies lack (v1 files come first there).
    @Test(arguments: [true, false]) func unifiedFilesAreRead(pureV2: Bool) {
        let fs = FakeCgroupFS()
        let dir = (pureV2 ? "" : "/unified") + "/fairshare.slice/x.slice"
        if pureV2 { fs.write("/cgroup.controllers", "cpu memory pids io\n") }
        fs.write(dir + "/cpu.stat", "usage_usec 7\n")
        fs.write(dir + "/memory.current", "4096\n")
        fs.write(dir + "/pids.current", "2\n")
        fs.write(dir + "/io.stat", "8:0 rbytes=1 wbytes=2\n8:16 rbytes=3 wbytes=4\n")
        let u = CgroupUsage.read(path: "/fairshare.slice/x.slice", root: fs.root)
        #expect(u == CgroupUsage(cpuUsec: 7, memoryBytes: 4096, tasks: 2, ioReadBytes: 4, ioWriteBytes: 6))
    }
}
