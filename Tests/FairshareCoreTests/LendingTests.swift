import Testing
@testable import FairshareCore

/// `sharing: lend`: weights, burst ceilings, the properties sent, and the
/// policy keys that choose them.
@Suite struct LendingTests {
    let pool = Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1))
    let unlimited = Resources(cpu: .unlimited, mem: .unlimited, tasks: .infinity)

    func grant(_ cpu: UInt64, _ mib: UInt64, io: IOLimits = .none) -> Resources {
        Resources(cpu: CPUQuantity(usecPerSecond: cpu * 10_000), mem: .mebibytes(mib), tasks: TaskLimit(64), io: io)
    }

    func value(_ props: [UnitProperty], _ name: String) -> UInt64? {
        for p in props.reversed() where p.name == name { if case .uint64(let v) = p.value { return v } }
        return nil
    }

    @Test func weightsFollowTheGrant() {
        #expect(SliceShape.weight(for: CPUQuantity(cpus: 1)) == 100)
        #expect(SliceShape.weight(for: CPUQuantity(usecPerSecond: 500_000)) == 50)
        #expect(SliceShape.weight(for: .zero) == 1)
        #expect(SliceShape.weight(for: CPUQuantity(cpus: 500)) == 10_000)
        #expect(SliceShape.weight(for: .unlimited) == 10_000)
    }

    @Test func strictWithoutLendingSendsWhatItAlwaysDid() {
        let g = grant(100, 256)
        let shape = SliceShape(grant: g, sharing: .strict, burst: .max, userMax: unlimited, pool: pool, weighted: false, memoryProtection: true)
        #expect(shape.unitProperties() == g.unitProperties)
        let reset = shape.unitProperties(resetting: true)
        #expect(value(reset, "CPUWeight") == .max && value(reset, "IOWeight") == .max)
        #expect(value(reset, "MemoryLow") == 0 && value(reset, "MemoryMin") == 0 && value(reset, "MemoryHigh") == .max)
    }

    @Test func strictInALendingPolicyGetsAWeightButNoBurst() {
        let shape = SliceShape(grant: grant(150, 256), sharing: .strict, burst: .max, userMax: unlimited, pool: pool, weighted: true, memoryProtection: true)
        let p = shape.unitProperties()
        #expect(value(p, "CPUWeight") == 150 && value(p, "IOWeight") == 150)
        #expect(value(p, "CPUQuotaPerSecUSec") == 1_500_000 && value(p, "MemoryMax") == 256 << 20)
        #expect(value(p, "MemoryLow") == nil)
    }

    @Test func lendOnV2() {
        let shape = SliceShape(grant: grant(100, 256), sharing: .lend, burst: .max, userMax: unlimited, pool: pool, weighted: true, memoryProtection: true)
        let p = shape.unitProperties()
        #expect(value(p, "CPUWeight") == 100)
        #expect(value(p, "CPUQuotaPerSecUSec") == 2_000_000, "burst to the pool")
        #expect(value(p, "MemoryLow") == 256 << 20 && value(p, "MemoryMin") == 256 << 20)
        #expect(value(p, "MemoryHigh") == 1 << 30 && value(p, "MemoryMax") == 1 << 30)
        #expect(shape.lendsMemory)
    }

    @Test func lendOnV1KeepsMemoryStrict() {
        let shape = SliceShape(grant: grant(100, 256), sharing: .lend, burst: .max, userMax: unlimited, pool: pool, weighted: true, memoryProtection: false)
        let p = shape.unitProperties()
        #expect(value(p, "CPUQuotaPerSecUSec") == 2_000_000)
        #expect(value(p, "MemoryMax") == 256 << 20)
        #expect(value(p, "MemoryLow") == nil && value(p, "MemoryHigh") == nil)
        #expect(!shape.lendsMemory)
    }

    @Test func anExplicitIOWeightWins() {
        let shape = SliceShape(grant: grant(100, 256, io: IOLimits(weight: 700)), sharing: .lend, burst: .max, userMax: unlimited, pool: pool,
                               weighted: true, memoryProtection: true)
        let p = shape.unitProperties(resetting: true)
        #expect(p.filter { $0.name == "IOWeight" } == [UnitProperty("IOWeight", .uint64(700))])
    }

    @Test func burstCeilings() {
        let g = Capacity(cpu: CPUQuantity(cpus: 1), mem: .mebibytes(256))
        let max = Capacity(cpu: CPUQuantity(usecPerSecond: 1_500_000), mem: .gibibytes(8))
        #expect(BurstCeiling.of(grant: g, burst: .max, userMax: max, pool: pool) == Capacity(cpu: CPUQuantity(usecPerSecond: 1_500_000), mem: .gibibytes(1)))
        #expect(BurstCeiling.of(grant: g, burst: .factor(hundredths: 125), userMax: max, pool: pool)
                == Capacity(cpu: CPUQuantity(usecPerSecond: 1_250_000), mem: .mebibytes(320)))
        #expect(BurstCeiling.of(grant: g, burst: .amount(cpu: CPUQuantity(cpus: 9), mem: .mebibytes(100)), userMax: max, pool: pool)
                == Capacity(cpu: CPUQuantity(usecPerSecond: 1_500_000), mem: .mebibytes(256)), "capped by max, never below the grant")
        let huge = Capacity(cpu: .unlimited, mem: .unlimited)
        #expect(BurstCeiling.of(grant: huge, burst: .factor(hundredths: 100_000), userMax: huge, pool: huge).mem == .unlimited, "saturates")
    }

    @Test func policyKeys() throws {
        let text = """
        sharing: lend
        burst: 1.5x
        users:
          alice: {sharing: strict}
          carol: {burst: {cpu: 2, mem: 1G}}
        groups:
          staff: {burst: max}
        """
        let (settings, diagnostics) = PolicyFileReader.read(Array(text.utf8), path: "p.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let policy = Policy(settings: settings)
        #expect(policy.lends)
        #expect(policy.effectiveLimits(user: "alice", groups: []).sharing.value == .strict)
        #expect(policy.effectiveLimits(user: "bob", groups: []).burst.value == .factor(hundredths: 150))
        #expect(policy.effectiveLimits(user: "bob", groups: ["staff"]).burst.value == .max)
        #expect(policy.effectiveLimits(user: "carol", groups: []).burst.value == .amount(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)))
        #expect(!Policy().lends && Policy().globalLimits.sharing.value == .strict)
    }

    @Test(arguments: ["sharing: lent", "burst: 0.5x", "burst: 2", "burst: {gpus: 1}", "burst: -2x"])
    func badValuesAreErrors(text: String) {
        let (_, diagnostics) = PolicyFileReader.read(Array(text.utf8), path: "p.yaml")
        #expect(diagnostics.contains { $0.isError }, "\(text)")
    }

    @Test func pressureFiles() {
        let text = "some avg10=1.52 avg60=0.40 avg300=0.08 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        #expect(SlicePressure.someAvg10(text) == 152)
        #expect(SlicePressure.someAvg10("full avg10=3.00") == nil)
        #expect(SlicePressure.format(152) == "1.52" && SlicePressure.format(nil) == "-")
    }
}

/// The reclaim state machine: lowers borrowers step by step while a lender
/// stalls, never below their grant, at most once per interval; restores
/// when the pressure stays clear.
@Suite struct MemoryReclaimTests {
    func slice(_ uid: UInt32, use: UInt64, psi: UInt64) -> MemoryReclaim.Slice {
        MemoryReclaim.Slice(uid: uid, grant: .mebibytes(256), ceiling: .mebibytes(768), inUse: .mebibytes(use), memoryPressure: psi)
    }

    @Test func lowersWhileTheLenderStallsThenRestores() {
        var r = MemoryReclaim()
        // alice (1) at her grant stalls; carol (2) borrows 600M.
        var steps = r.evaluate([slice(1, use: 200, psi: 500), slice(2, use: 600, psi: 0)], now: 100)
        #expect(steps.map(\.to) == [.mebibytes(472)], "600M minus a quarter of 512M")
        #expect(steps.first?.lenders == [1] && steps.first?.uid == 2)
        #expect(r.evaluate([slice(1, use: 200, psi: 500), slice(2, use: 470, psi: 0)], now: 101).isEmpty, "bounded frequency")
        steps = r.evaluate([slice(1, use: 200, psi: 500), slice(2, use: 470, psi: 0)], now: 102)
        #expect(steps.map(\.to) == [.mebibytes(342)])
        _ = r.evaluate([slice(1, use: 200, psi: 500), slice(2, use: 340, psi: 0)], now: 104)
        steps = r.evaluate([slice(1, use: 200, psi: 500), slice(2, use: 260, psi: 0)], now: 106)
        #expect(steps.isEmpty || steps.allSatisfy { $0.to >= .mebibytes(256) }, "never below the grant")
        #expect(r.lowered[2] == .mebibytes(256))
        // Clear: nothing for `clearFor`, then a step per interval up to the ceiling.
        #expect(r.evaluate([slice(1, use: 200, psi: 0), slice(2, use: 250, psi: 0)], now: 110).isEmpty)
        #expect(r.evaluate([slice(1, use: 200, psi: 0), slice(2, use: 250, psi: 0)], now: 119).isEmpty)
        var ups: [ByteSize] = []
        for t in stride(from: UInt64(120), through: 140, by: 2) {
            ups += r.evaluate([slice(1, use: 200, psi: 0), slice(2, use: 250, psi: 0)], now: t).map(\.to)
        }
        #expect(ups == [.mebibytes(384), .mebibytes(512), .mebibytes(640), .mebibytes(768)])
        #expect(r.lowered.isEmpty)
    }

    @Test func aBorrowerUnderPressureIsNoLender() {
        var r = MemoryReclaim()
        #expect(r.evaluate([slice(1, use: 600, psi: 900), slice(2, use: 600, psi: 0)], now: 1).isEmpty)
    }

    @Test func goneSlicesAreForgotten() {
        var r = MemoryReclaim()
        _ = r.evaluate([slice(1, use: 100, psi: 500), slice(2, use: 700, psi: 0)], now: 1)
        #expect(r.lowered[2] != nil)
        _ = r.evaluate([slice(1, use: 100, psi: 0)], now: 3)
        #expect(r.lowered[2] == nil)
    }
}
