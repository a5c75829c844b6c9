import Testing
@testable import FairshareCore

@Suite struct RecentReadingsTests {
    @Test func aReadingIsReusedUntilItIsTooOld() {
        var readings = RecentReadings<String, Int>(maxAgeUSec: 100_000)
        var reads = 0
        let read = { () -> Int in reads += 1; return reads }
        #expect(readings.value(for: "a", nowUSec: 1_000, read: read) == 1)
        #expect(readings.value(for: "a", nowUSec: 100_999, read: read) == 1)
        #expect(readings.value(for: "b", nowUSec: 100_999, read: read) == 2)
        #expect(readings.value(for: "a", nowUSec: 101_000, read: read) == 3)
        // A clock that went back (it never does: monotonic) reads again.
        #expect(readings.value(for: "a", nowUSec: 50, read: read) == 4)
    }

    @Test func memoryIsBounded() {
        var readings = RecentReadings<Int, Int>(maxAgeUSec: 1_000_000, capacity: 3)
        for key in 0..<10 { _ = readings.value(for: key, nowUSec: 0) { key } }
        var reread = false
        _ = readings.value(for: 0, nowUSec: 1) { reread = true; return 0 }
        #expect(reread)
    }
}
