import Testing
@testable import FairshareCore

/// A login cap rendered as a systemd drop-in, and the plan that brings
/// the files on disk to the wanted ones.
@Suite struct LoginDropInTests {
    private func cap(_ text: String, user: String = "alice", uid: UInt32 = 1001, groups: [String] = []) throws -> LoginCap {
        try policy([("p.yaml", text)]).loginCap(user: user, uid: uid, groups: groups)
    }

    @Test func rendersTheCapFromCheckedValues() throws {
        let dropIn = try #require(LoginDropIn.render(try cap("login: {cpu: 0.5, mem: 256M, tasks: 100}\n"), uid: 1001))
        #expect(dropIn.text == """
            # Written by fairshared: the policy's login cap for uid 1001.
            # Rewritten at every start and policy reload; see fairshare-policy(5), LOGIN CAPS.
            [Slice]
            CPUQuota=50%
            MemoryMax=268435456
            TasksMax=100

            """)
    }

    @Test func infinityLiftsAndFractionsKeepTheirPrecision() throws {
        let lifted = try #require(LoginDropIn.render(try cap("login: {cpu: infinity, mem: infinity, tasks: infinity}\n"), uid: 1001))
        #expect(lifted.settings.map { "\($0.directive.rawValue)=\($0.value.text)" } == ["CPUQuota=", "MemoryMax=infinity", "TasksMax=infinity"])
        let fine = try #require(LoginDropIn.render(try cap("login: {cpu: 1.2345}\n"), uid: 1001))
        #expect(fine.settings.map(\.value) == [.percent(hundredths: 12345)])
        #expect(fine.settings[0].value.text == "123.45%")
        // Below systemd's 0.01 %: rounded up, never 0.
        let tiny = try #require(LoginDropIn.render(try cap("login: {cpu: 0.000001}\n"), uid: 1001))
        #expect(tiny.settings[0].value.text == "0.01%")
    }

    @Test func ioBecomesWeightAndPerDeviceLines() throws {
        let dropIn = try #require(LoginDropIn.render(try cap("login:\n  io: {weight: 50, read_bw: {/dev/vdb: 1M, /dev/vda: 2M}, write_iops: {/dev/vda: 100}}\n"), uid: 1001))
        #expect(dropIn.text.split(separator: "\n").dropFirst(3) == [
            "IOWeight=50", "IOReadBandwidthMax=/dev/vda 2097152", "IOReadBandwidthMax=/dev/vdb 1048576", "IOWriteIOPSMax=/dev/vda 100",
        ])
    }

    @Test func nothingToWriteForAnUncappedAccount() throws {
        #expect(LoginDropIn.render(try cap("defaults: {cpu: 1}\n"), uid: 1001) == nil)
        #expect(LoginDropIn.render(try cap("login: {cpu: 1}\n", uid: 0), uid: 0) == nil)
    }

    @Test func everyLineIsOneSettingOrAComment() throws {
        let dropIn = try #require(LoginDropIn.render(try cap("login: {cpu: 3, mem: 1G, tasks: 7, io: {read_iops: {/dev/sda1: 9}}}\n"), uid: 4_294_967_294))
        for line in dropIn.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            #expect(line.hasPrefix("# ") || line == "[Slice]" || UnitDropIn.Directive.allCases.contains { line.hasPrefix($0.rawValue + "=") })
            #expect(!line.contains("%") || line.hasPrefix("CPUQuota=") || line.hasPrefix("# "))
            #expect(!line.hasSuffix("\\"))
        }
    }

    @Test func pathsAndTheNameThatSortsAfterDebians() {
        #expect(LoginDropIn.path(uid: 1001) == "/run/systemd/system/user-1001.slice.d/50-fairshare-login.conf")
        #expect(LoginDropIn.slice(uid: 1001).string == "user-1001.slice")
        // systemd applies drop-ins in file-name order across directories:
        // the later one's TasksMax= wins over Debian's TasksMax=33%.
        #expect(Array(LoginDropIn.fileName.utf8).lexicographicallyPrecedes(Array(LoginDropIn.debianDefaultsFileName.utf8)) == false)
        #expect(LoginDropIn.fileName > LoginDropIn.debianDefaultsFileName)
        // …and after what `systemctl set-property --runtime` leaves behind.
        for property in ["50-CPUQuota.conf", "50-MemoryMax.conf", "50-TasksMax.conf", "50-IOWeight.conf", "50-IOReadBandwidthMax.conf"] {
            #expect(LoginDropIn.fileName > property)
        }
        #expect(LoginDropIn.uid(ofDirectory: "user-1001.slice.d") == 1001)
        for name in ["user-.slice.d", "user-1001.slice", "user-10a.slice.d", "user-99999999999.slice.d", "fairshare-1001.slice.d"] {
            #expect(LoginDropIn.uid(ofDirectory: name) == nil, "\(name)")
        }
    }

    @Test func planWritesOnlyWhatChangedAndRemovesWhatIsNoLongerCapped() throws {
        let a = try #require(LoginDropIn.render(try cap("login: {cpu: 1}\n"), uid: 1001))
        let b = try #require(LoginDropIn.render(try cap("login: {cpu: 2}\n", uid: 1002), uid: 1002))
        let same = LoginDropInPlan.plan(wanted: [1001: a, 1002: b], present: [1001: a.text, 1002: b.text])
        #expect(same == LoginDropInPlan())
        #expect(!same.needsReload)
        let changed = LoginDropInPlan.plan(wanted: [1001: a], present: [1001: "old", 1002: b.text, 1005: "x"])
        #expect(changed.write == [1001: a])
        #expect(changed.remove == [1002, 1005])
        #expect(changed.needsReload)
    }
}
