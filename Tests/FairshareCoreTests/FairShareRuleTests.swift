import Testing
@testable import FairshareCore

@Suite struct FairShareRuleTests {
    @Test func divisorsMatchThePublishedFormulas() {
        #expect(FairShareRule.polynomial.divisor(holders: 1) == 2)
        #expect(FairShareRule.polynomial.divisor(holders: 10) == 11)
        #expect(FairShareRule.quasilinear.divisor(holders: 1) == 4)   // 2·1 + 2
        #expect(FairShareRule.quasilinear.divisor(holders: 2) == 9)   // 3·2 + 3
        #expect(FairShareRule.quasilinear.divisor(holders: 3) == 12)  // 4·2 + 4
        #expect(FairShareRule.none.divisor(holders: 5) == nil)
    }

    @Test func designWorkedExample() {
        // Pool 1024, quasilinear: the first user may take 256, the second 768/9 ≈ 85.
        let q = FairShareRule.quasilinear
        #expect(q.largestTotal(share: 0, remaining: 1024, holders: 1) == 256)
        #expect(q.admits(total: 256, share: 0, remaining: 1024, holders: 1))
        #expect(!q.admits(total: 257, share: 0, remaining: 1024, holders: 1))
        #expect(q.largestTotal(share: 0, remaining: 768, holders: 2) == 85)
    }

    @Test func holdersMayGrowAgainstWhatTheyHold() {
        // Holding 200 of a pool with 300 left, two holders: new total ≤ 500/3.
        let p = FairShareRule.polynomial
        #expect(!p.admits(total: 250, share: 200, remaining: 300, holders: 2))
        #expect(p.admits(total: 100, share: 200, remaining: 300, holders: 2)) // shrinking
        #expect(p.largestTotal(share: 200, remaining: 300, holders: 2) == 200)
    }

    /// Greedy arrivals: each newcomer takes the largest total it may. The n-th
    /// still gets at least pool/(n·(n+1)) under the polynomial rule.
    @Test(arguments: [FairShareRule.polynomial, .quasilinear])
    func greedyArrivalsLeaveRoomForEveryNewcomer(_ rule: FairShareRule) {
        let pool: UInt64 = 1 << 40
        var remaining = pool
        for n in 1...1000 {
            let got = rule.largestTotal(share: 0, remaining: remaining, holders: n)
            #expect(got > 0)
            if rule == .polynomial { #expect(got >= pool / UInt64(n * (n + 1))) }
            remaining -= got
        }
        #expect(remaining > 0)
    }
}
