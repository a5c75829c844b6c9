import Testing
@testable import FairshareCore

/// Values at the top of UInt64 from a policy file, state.json or systemd
/// (`infinity` is UInt64.max on the bus): each either works or yields a
/// diagnostic, never an overflow trap (DESIGN.md, "The trust boundary").
@Suite struct OverflowTests {
    @Test func sizesNearUInt64MaxFormat() {
        #expect(ByteSize(bytes: .max).description == "infinity")
        #expect(ByteSize(bytes: .max - 1).description == "16777216T")
        #expect(ByteSize(bytes: 1 << 62).description == "4194304T")
        #expect(ByteSize(bytes: (1 << 61) + (1 << 39)).description == "2097152.5T")
    }

    @Test func cpuNearUInt64MaxFormats() {
        #expect(CPUQuantity(usecPerSecond: .max).description == "18446744073709.55")
        #expect(CPUQuantity(usecPerSecond: .max - 4_999).withUnit == "18446744073709.55 CPUs")
        #expect(CPUQuantity(usecPerSecond: 4_999).description == "0")
        #expect(CPUQuantity(usecPerSecond: 5_000).description == "0.01")
    }

    @Test func cpuSumsSaturateAtInfinity() {
        #expect(CPUQuantity(usecPerSecond: .max - 1) + CPUQuantity(cpus: 2) == CPUQuantity(usecPerSecond: .max))
        #expect(CPUQuantity(cpus: .max / 1_000) == CPUQuantity(usecPerSecond: .max))
    }

    @Test func memorySumsSaturateInsteadOfWrapping() {
        #expect(ByteSize.unlimited + .mebibytes(64) == .unlimited)
        #expect(ByteSize.gibibytes(.max >> 10) == .unlimited)
    }

    /// Two adopted slices, one with `CPUQuotaPerSecUSec` and `MemoryMax`
    /// at infinity (UInt64.max), one ordinary.
    @Test func holdingsOfInfiniteSlicesSaturate() {
        let infinite = Resources(cpu: CPUQuantity(usecPerSecond: .max - 1), mem: .unlimited, tasks: .infinity)
        let small = Resources(cpu: CPUQuantity(cpus: 1), mem: .mebibytes(64), tasks: TaskLimit(64))
        var h = Holdings([infinite, small])
        #expect(h.cpu == CPUQuantity(usecPerSecond: .max))
        #expect(h.mem == .unlimited)
        h.remove(small)
        #expect(h.holders == 1)
    }

    @Test func durationsWhoseSumOverflowsAreRefused() {
        #expect(TimeSpan.parse("213503982334601d")?.seconds == 18_446_744_073_709_526_400)
        #expect(TimeSpan.parse("213503982334601d1d") == nil)
        #expect(TimeSpan.parse("213503982334601d25216s") == nil)
        #expect(TimeSpan.parse("213503982334601d25215s")?.seconds == .max)
        #expect(policyHeadlines("idle_release: 213503982334601d1d\n")
                == ["p.yaml:1:15: error: invalid duration '213503982334601d1d'; expected e.g. 90s, 30m, 2h, 1d or 1h30m, or off"])
    }

    /// The whole pool, and one user's holding, at the top of the range.
    @Test func admissionWithHugeValuesDecides() {
        let held = Resources(cpu: CPUQuantity(usecPerSecond: 10), mem: ByteSize(bytes: 10), tasks: .infinity)
        let wanted = Resources(cpu: CPUQuantity(usecPerSecond: .max), mem: .unlimited, tasks: .infinity)
        let pool = Admission.Pool(capacity: Capacity(cpu: CPUQuantity(usecPerSecond: .max), mem: .unlimited),
                                  holdings: Holdings([held]), rule: .polynomial, cpuOvercommit: 2)
        #expect(pool.cpuCapacity == CPUQuantity(usecPerSecond: .max))
        let result = Admission.evaluate(requested: wanted, held: held, userMax: wanted, pool: pool)
        guard case .failure(let refusal) = result else { Issue.record("granted \(result)"); return }
        #expect(refusal.resource == .cpu)
        #expect(refusal.bound == .fairShare)
    }

    @Test func fairShareBoundNearTheTop() {
        #expect(FairShareRule.none.largestTotal(share: .max, remaining: .max, holders: 1) == .max)
        #expect(FairShareRule.polynomial.largestTotal(share: 1, remaining: .max, holders: 1) == UInt64.max / 2)
        #expect(FairShareRule.quasilinear.divisor(holders: .max) == .max)
        #expect(!FairShareRule.quasilinear.admits(total: 2, share: 1, remaining: .max, holders: .max))
    }

    /// Policy values at the top: read when they fit (whole byte counts
    /// above 2^44 included), a positioned diagnostic when they do not.
    @Test func policyValuesAtTheTopReadOrSayWhy() throws {
        #expect(policyHeadlines("max:\n  cpu: 18446744073709\n").first?.hasPrefix("p.yaml:2:8: error: invalid CPU amount") == true)
        #expect(policyHeadlines("max:\n  mem: 16E\n").first?.hasPrefix("p.yaml:2:8: error: invalid size") == true)
        #expect(policyHeadlines("max:\n  mem: 18446744073709551616\n").first?.hasPrefix("p.yaml:2:8: error: invalid size") == true)
        let s = try readPolicy("max:\n  cpu: 4611686018427\n  mem: 16777215T\n  tasks: 18446744073709551614\ndefaults:\n  mem: 17592186044417\n")
        #expect(s.global.max.mem?.value == ByteSize(bytes: .max - (1 << 40) + 1))
        #expect(s.global.max.mem.map { "\($0.value)" } == "16777215T")
        #expect(s.global.defaults.mem?.value == ByteSize(bytes: (1 << 44) + 1))
        #expect(s.global.max.tasks?.value == TaskLimit(.max - 1))
    }

    @Test func integersAboveTwoToThe53StayExactInJSON() throws {
        #expect(JSON.uint(1 << 53).serialized == "9007199254740992")
        #expect(try JSON.parse("18446744073709551615").uint64Value == .max)
        #expect(try JSON.parse("9007199254740993").uint64Value == 9_007_199_254_740_993)
        #expect(JSON.uint(.max).serialized == "18446744073709551615")
        #expect(JSON.uint(9_007_199_254_740_993).serialized == "9007199254740993")
        #expect(try JSON.parse("18446744073709551616").uint64Value == nil)
        #expect(try JSON.parse("1e19").uint64Value == nil)
    }

    /// An adopted slice with systemd's infinities, a lease that never ends
    /// and IO limits at the top: written, read back, the same.
    @Test func stateWithInfinitiesRoundTripsThroughStateJSON() throws {
        var s = DaemonState()
        s.allocations[1001] = Allocation(uid: 1001, user: "alice",
                                         resources: Resources(cpu: CPUQuantity(usecPerSecond: .max - 1), mem: .unlimited, tasks: .infinity,
                                                              io: IOLimits(limits: [.readBandwidth: ["/dev/vda": .max]])),
                                         since: 1_700_000_000, leaseEnd: .max)
        s.allocations[1002] = Allocation(uid: 1002, user: "bob",
                                         resources: Resources(cpu: CPUQuantity(usecPerSecond: 9_007_199_254_740_993),
                                                              mem: ByteSize(bytes: 9_007_199_254_740_993), tasks: TaskLimit(.max - 1)),
                                         since: 1_700_000_000)
        let text = s.json.pretty
        #expect(text.contains("18446744073709551615"))
        #expect(try DaemonState.decode(try JSON.parse(text)) == s)
    }

    /// `exit_status` is an Int32; a state.json with a larger one is
    /// refused, not converted with a trap.
    @Test func stateWithAnOutOfRangeExitStatusIsRefused() throws {
        let text = #"{"version": 1, "allocations": [], "jobs": [{"id": 1, "uid": 1001, "user": "alice", "argv": ["true"], "started": 5, "end": {"exit_status": 1e10, "signal": null, "stopped": false, "ended": 6}}]}"#
        #expect(throws: DaemonState.DecodingError.self) { try DaemonState.decode(try JSON.parse(text)) }
    }
}
