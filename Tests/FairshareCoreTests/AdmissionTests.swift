import Testing
@testable import FairshareCore

@Suite struct AdmissionTests {
    let max = Resources(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4), tasks: TaskLimit(100))
    let capacity = Capacity(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(8))

    func res(_ cpu: Double, _ memGiB: UInt64, _ tasks: UInt64 = 10) -> Resources {
        Resources(cpu: CPUQuantity(usecPerSecond: UInt64(cpu * 1e6)), mem: .gibibytes(memGiB), tasks: TaskLimit(tasks))
    }

    func pool(_ held: [Resources], _ rule: FairShareRule = .none, overcommit: Double = 1) -> Admission.Pool {
        Admission.Pool(capacity: capacity, holdings: Holdings(held), rule: rule, cpuOvercommit: overcommit)
    }

    func refusal(_ r: Result<Resources, Refusal>) -> Refusal? {
        if case .failure(let f) = r { return f }
        return nil
    }

    @Test func grantsWithinMaxAndCapacity() {
        #expect(Admission.evaluate(requested: res(1, 2), held: nil, userMax: max, pool: pool([])) == .success(res(1, 2)))
    }

    @Test func refusesAboveUserMaxNamingTheLimit() throws {
        let r = try #require(refusal(Admission.evaluate(requested: res(3, 1), held: nil, userMax: max, pool: pool([]))))
        #expect(r.resource == .cpu)
        #expect(r.bound == .userMax)
        #expect(r.description == "cpu 3 CPUs exceeds your maximum of 2 CPUs (policy 'max.cpu')")
        let t = try #require(refusal(Admission.evaluate(requested: res(1, 1, 101), held: nil, userMax: max, pool: pool([]))))
        #expect(t.resource == .tasks)
    }

    @Test func refusesAboveAvailableAndSaysWhatFits() throws {
        let r = try #require(refusal(Admission.evaluate(requested: res(1, 1), held: nil, userMax: max, pool: pool([res(2, 1), res(1.5, 1)]))))
        #expect(r.bound == .available)
        #expect(r.fits == "0.5 CPUs")
    }

    @Test func ownHoldingCountsAsFreeWhenChanging() {
        let mine = res(2, 2)
        #expect(Admission.evaluate(requested: res(2, 4), held: mine, userMax: max, pool: pool([mine, res(2, 2)])) == .success(res(2, 4)))
    }

    @Test func shrinkingIsAlwaysGranted() {
        let mine = res(2, 4)
        let crowded = pool([mine, res(4, 8)], .polynomial)
        #expect(Admission.evaluate(requested: res(1, 1), held: mine, userMax: max, pool: crowded) == .success(res(1, 1)))
    }

    @Test func fairShareStopsTheFirstGreedyUser() throws {
        // Polynomial, empty pool of 4 CPUs: the first holder may take 4/2 = 2.
        let big = Resources(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(8), tasks: TaskLimit(10))
        let r = try #require(refusal(Admission.evaluate(requested: res(3, 1), held: nil, userMax: big, pool: pool([], .polynomial))))
        #expect(r.bound == .fairShare)
        #expect(r.fits == "2 CPUs")
        #expect(Admission.evaluate(requested: res(2, 1), held: nil, userMax: big, pool: pool([], .polynomial)) == .success(res(2, 1)))
    }

    @Test func overcommitStretchesCPUButNotMemory() throws {
        let full = [res(2, 4), res(2, 3)]
        #expect(Admission.evaluate(requested: res(2, 1), held: nil, userMax: max, pool: pool(full, overcommit: 2)) == .success(res(2, 1)))
        let r = try #require(refusal(Admission.evaluate(requested: res(1, 2), held: nil, userMax: max, pool: pool(full, overcommit: 2))))
        #expect(r.resource == .mem)
    }

    /// Random arrivals, growths and releases of up to 1000 users: the pool is
    /// never over-promised, and every newcomer can still get the share its
    /// rule promises: (remaining)/A(n).
    @Test(arguments: [FairShareRule.polynomial, .quasilinear, .none])
    func randomWorkloadsKeepTheGuarantees(_ rule: FairShareRule) {
        var rng = SplitMix64(seed: 42)
        let cap = Capacity(cpu: CPUQuantity(cpus: 40), mem: .gibibytes(256))
        let unlimited = Resources(cpu: cap.cpu, mem: cap.mem, tasks: .infinity)
        var held: [Int: Resources] = [:]
        for _ in 0..<3000 {
            let user = Int(rng.next() % 1000)
            if held[user] != nil && rng.next() % 4 == 0 { held[user] = nil; continue }
            let pool = Admission.Pool(capacity: cap, holdings: Holdings(held.values), rule: rule)
            let n = pool.holdings.holders + (held[user] == nil ? 1 : 0)
            let remaining = cap.cpu.usecPerSecond - pool.holdings.cpu.usecPerSecond
            if held[user] == nil, let a = rule.divisor(holders: n) {
                // The promise to a newcomer: at least remaining / A(n) of CPU.
                let promised = CPUQuantity(usecPerSecond: remaining / a)
                let ask = Resources(cpu: promised, mem: ByteSize(bytes: 1), tasks: TaskLimit(1))
                #expect(Admission.evaluate(requested: ask, held: nil, userMax: unlimited, pool: pool) == .success(ask))
            }
            let want = Resources(cpu: CPUQuantity(usecPerSecond: rng.next() % cap.cpu.usecPerSecond + 1),
                                 mem: ByteSize(bytes: rng.next() % (cap.mem.bytes / 8) + 1), tasks: TaskLimit(1))
            if case .success(let granted) = Admission.evaluate(requested: want, held: held[user], userMax: unlimited, pool: pool) {
                held[user] = granted
            }
            let sum = Holdings(held.values)
            #expect(sum.cpu <= cap.cpu && sum.mem <= cap.mem)
        }
    }

    /// Splitting a request into steps never gets more than asking at once.
    @Test(arguments: [FairShareRule.polynomial, .quasilinear])
    func splittingDoesNotPay(_ rule: FairShareRule) {
        let cap = Capacity(cpu: CPUQuantity(cpus: 64), mem: .gibibytes(64))
        let others = (0..<5).map { _ in res(1, 1) }
        let unlimited = Resources(cpu: cap.cpu, mem: cap.mem, tasks: .infinity)
        let pool = Admission.Pool(capacity: cap, holdings: Holdings(others), rule: rule)
        func largest(from held: Resources?, pool: Admission.Pool) -> UInt64 {
            var lo = held?.cpu.usecPerSecond ?? 0, hi = cap.cpu.usecPerSecond
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                let ask = Resources(cpu: CPUQuantity(usecPerSecond: mid), mem: .gibibytes(1), tasks: TaskLimit(1))
                if case .success = Admission.evaluate(requested: ask, held: held, userMax: unlimited, pool: pool) { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }
        let atOnce = largest(from: nil, pool: pool)
        var mine = res(0.5, 1)
        var p = Admission.Pool(capacity: cap, holdings: Holdings(others + [mine]), rule: rule)
        for _ in 0..<10 {
            let next = largest(from: mine, pool: p)
            mine = Resources(cpu: CPUQuantity(usecPerSecond: next), mem: .gibibytes(1), tasks: TaskLimit(1))
            p = Admission.Pool(capacity: cap, holdings: Holdings(others + [mine]), rule: rule)
        }
        #expect(mine.cpu.usecPerSecond <= atOnce)
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
