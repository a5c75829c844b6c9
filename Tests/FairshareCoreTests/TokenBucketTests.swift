import Testing
@testable import FairshareCore

@Suite struct TokenBucketTests {
    @Test func aNewBucketGrantsItsBurstThenLimits() {
        var bucket = TokenBucket(rate: 10, burst: 5, now: 1_000)
        for _ in 0..<5 { #expect(bucket.take(now: 1_000) == .granted) }
        // One token every 100 ms at 10 a second.
        #expect(bucket.take(now: 1_000) == .limited(retryAfterMicroseconds: 100_000))
        #expect(bucket.take(now: 41_000) == .limited(retryAfterMicroseconds: 60_000))
        #expect(bucket.take(now: 101_000) == .granted)
        #expect(bucket.take(now: 101_000) == .limited(retryAfterMicroseconds: 100_000))
    }

    @Test func refillStopsAtTheBurst() {
        var bucket = TokenBucket(rate: 1_000, burst: 3, now: 0)
        for _ in 0..<3 { _ = bucket.take(now: 0) }
        #expect(bucket.available(now: 0) == 0)
        #expect(bucket.available(now: 3_600_000_000) == 3)
        #expect(bucket.isFull(now: 3_600_000_000))
        #expect(!bucket.isFull(now: 1_000))
    }

    @Test func aClockGoingBackAddsNothing() {
        var bucket = TokenBucket(rate: 1, burst: 1, now: 5_000_000)
        #expect(bucket.take(now: 5_000_000) == .granted)
        #expect(bucket.take(now: 0) == .limited(retryAfterMicroseconds: 1_000_000))
        // Time before the last update counts for nothing once it returns.
        #expect(bucket.take(now: 5_500_000) == .limited(retryAfterMicroseconds: 500_000))
        #expect(bucket.take(now: 6_000_000) == .granted)
    }

    @Test func extremesNeitherTrapNorOverflow() {
        var bucket = TokenBucket(rate: .max, burst: .max, now: 0)
        #expect(bucket.take(now: .max) == .granted)
        #expect(bucket.available(now: .max) > 1_000_000)
        var slow = TokenBucket(rate: 0, burst: 0, now: .max)
        #expect(slow.rate == 1 && slow.burst == 1)
        #expect(slow.take(now: .max) == .granted)
        #expect(slow.take(now: .max) == .limited(retryAfterMicroseconds: 1_000_000))
    }

    @Test func reconfiguringKeepsTokensUpToTheNewBurst() {
        var bucket = TokenBucket(rate: 100, burst: 100, now: 0)
        bucket.reconfigure(rate: 10, burst: 4, now: 0)
        #expect(bucket.available(now: 0) == 4)
        bucket.reconfigure(rate: 10, burst: 50, now: 0)
        #expect(bucket.available(now: 0) == 4)
        #expect(bucket.available(now: 1_000_000) == 14)
    }

    /// Over any schedule of requests, the tokens granted in a window never
    /// exceed burst + rate × window, and a steady caller below the rate is
    /// never limited.
    @Test(arguments: [(rate: UInt64(1), burst: UInt64(1)), (10, 3), (200, 400), (10_000, 20_000), (50_000, 100_000)])
    func grantsAreBoundedByBurstPlusRate(rate: UInt64, burst: UInt64) {
        var rng = SplitMix64(seed: rate &* 31 &+ burst)
        var bucket = TokenBucket(rate: rate, burst: burst, now: 0)
        var now: UInt64 = 0
        var grants: [UInt64] = []
        for _ in 0..<20_000 {
            now += rng.next() % (2_000_000 / rate + 1)
            if bucket.take(now: now) == .granted { grants.append(now) }
        }
        // Every window starting at a grant: at most burst + rate × length.
        var end = 0
        for start in grants.indices where start % 97 == 0 {
            let from = grants[start]
            end = max(end, start)
            while end < grants.count && grants[end] - from <= 1_000_000 { end += 1 }
            let inWindow = UInt64(end - start)
            #expect(inWindow <= burst + rate, "window from \(from) µs: \(inWindow) grants")
        }
        var steady = TokenBucket(rate: rate, burst: burst, now: 0)
        let interval = 1_000_000 / rate + 1
        for i in 0..<UInt64(1_000) { #expect(steady.take(now: i * interval) == .granted) }
    }
}
