import Testing
@testable import FairshareCore

@Suite struct QuantityTests {
    @Test func cpuParses() {
        #expect(CPUQuantity.parse("2") == CPUQuantity(cpus: 2))
        #expect(CPUQuantity.parse("0.5")?.usecPerSecond == 500_000)
        #expect(CPUQuantity.parse("150%")?.usecPerSecond == 1_500_000)
        #expect(CPUQuantity.parse("0.0000001") == nil)
        #expect(CPUQuantity.parse("-1") == nil)
        #expect(CPUQuantity.parse("") == nil)
        #expect(CPUQuantity.parse("1.2.3") == nil)
    }

    @Test func cpuFormats() {
        #expect(CPUQuantity(usecPerSecond: 500_000).withUnit == "0.5 CPUs")
        #expect(CPUQuantity(cpus: 1).withUnit == "1 CPU")
        #expect(CPUQuantity(usecPerSecond: 1_250_000).description == "1.25")
        #expect(CPUQuantity(usecPerSecond: 2_050_000).description == "2.05")
    }

    @Test func sizesParse() {
        #expect(ByteSize.parse("64M")?.bytes == 64 << 20)
        #expect(ByteSize.parse("1.5G")?.bytes == 3 << 29)
        #expect(ByteSize.parse("8GiB")?.bytes == 8 << 30)
        #expect(ByteSize.parse("512")?.bytes == 512)
        #expect(ByteSize.parse("1K")?.bytes == 1024)
        #expect(ByteSize.parse("G") == nil)
        #expect(ByteSize.parse("12X") == nil)
    }

    @Test func sizesFormat() {
        #expect(ByteSize(bytes: 64 << 20).description == "64M")
        #expect(ByteSize(bytes: 3 << 29).description == "1.5G")
        #expect(ByteSize(bytes: 100).description == "100")
    }

    @Test func appletNames() {
        #expect(AppletName.named("/usr/sbin/fairshared") == .daemon)
        #expect(AppletName.named("-fairshare") == .client)
        #expect(AppletName.named("./fs") == .unknown("fs"))
    }

    @Test func sliceNames() {
        #expect(UnitNames.slice(uid: 1001).string == "fairshare-1001.slice")
        #expect(UnitNames.uid(ofSlice: "fairshare-1001.slice") == 1001)
        #expect(UnitNames.uid(ofSlice: "fairshare-1001-exec-3.scope") == nil)
        #expect(UnitNames.uid(ofSlice: "fairshare.slice") == nil)
        #expect(UnitNames.uid(ofSlice: "fairshare-99999999999.slice") == nil)
    }

    @Test func jobServiceNames() {
        let name = UnitNames.jobService(uid: 1001, job: 7).string
        #expect(UnitNames.job(ofService: name)?.uid == 1001)
        #expect(UnitNames.job(ofService: name)?.id == 7)
        for other in ["fairshare-1001-exec-7.scope", "fairshare-1001-job-.service", "fairshare-1001-job-7-x.service",
                      "fairshare--job-7.service", "fairshare-1001-job-+7.service", "user-1001.service"] {
            #expect(UnitNames.job(ofService: other) == nil, "\(other)")
        }
    }
}

@Suite struct TimeSpanTests {
    @Test func parsesUnitsAndCombinations() {
        #expect(TimeSpan.parse("90s")?.seconds == 90)
        #expect(TimeSpan.parse("30m")?.seconds == 1800)
        #expect(TimeSpan.parse("2h")?.seconds == 7200)
        #expect(TimeSpan.parse("1d")?.seconds == 86400)
        #expect(TimeSpan.parse("1h30m")?.seconds == 5400)
        #expect(TimeSpan.parse("45")?.seconds == 45)
    }

    @Test(arguments: ["", "h", "1x", "1h30", "-5m", "1.5h", "99999999999999999999s"])
    func refusesMalformed(_ text: String) { #expect(TimeSpan.parse(text) == nil) }

    @Test func formats() {
        #expect(TimeSpan(seconds: 5400).description == "1h30m")
        #expect(TimeSpan(seconds: 90).description == "1m30s")
        #expect(TimeSpan(seconds: 0).description == "0s")
    }
}
