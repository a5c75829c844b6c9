import Testing
@testable import FairshareCore

/// Shrink to fit: unnamed CPU and memory of a first request become the
/// default or the largest admissible amount, whichever is smaller.
@Suite struct DefaultGrantTests {
    let capacity = Capacity(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(8))
    let userMax = Resources(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(8), tasks: TaskLimit(100))
    let minimum = Capacity(cpu: CPUQuantity(usecPerSecond: 100_000), mem: .mebibytes(64))

    func res(_ cpu: Double, _ memMiB: UInt64) -> Resources {
        Resources(cpu: CPUQuantity(usecPerSecond: UInt64(cpu * 1e6)), mem: .mebibytes(memMiB), tasks: TaskLimit(10))
    }

    func pool(_ held: [Resources], _ rule: FairShareRule) -> Admission.Pool {
        Admission.Pool(capacity: capacity, holdings: Holdings(held), rule: rule)
    }

    func grant(_ wanted: Resources, cpu: Bool = false, mem: Bool = false, held: Resources? = nil,
               _ pool: Admission.Pool) -> Result<DefaultGrant.Outcome, Refusal> {
        DefaultGrant.evaluate(wanted: wanted, namedCPU: cpu, namedMem: mem, held: held, userMax: userMax, minimum: minimum, pool: pool)
    }

    /// For every allocator and each pooled resource: the shrunk amount is
    /// admissible, one step (0.01 CPU, 1 MiB) more is not, and the other
    /// resource keeps its default.
    @Test(arguments: [FairShareRule.polynomial, .quasilinear, .none])
    func unnamedDefaultsShrinkToTheLargestAdmissible(rule: FairShareRule) throws {
        let p = pool([res(1, 2048), res(0.5, 1024)], rule)
        guard case .success(let cpuOutcome) = grant(res(4, 64), p) else { Issue.record("cpu refused"); return }
        let cpu = cpuOutcome.granted.cpu
        #expect(cpu < CPUQuantity(cpus: 4))
        #expect(cpuOutcome.shrunk == [DefaultGrant.Shrunk(resource: .cpu, policyDefault: "4 CPUs", granted: cpu.withUnit)])
        #expect(cpuOutcome.granted.mem == .mebibytes(64))
        #expect(throws: Never.self) { try Admission.evaluate(requested: cpuOutcome.granted, held: nil, userMax: userMax, pool: p).get() }
        var more = cpuOutcome.granted
        more.cpu = CPUQuantity(usecPerSecond: cpu.usecPerSecond + 10_000)
        #expect(throws: Refusal.self) { try Admission.evaluate(requested: more, held: nil, userMax: userMax, pool: p).get() }

        guard case .success(let memOutcome) = grant(res(0.1, 8192), p) else { Issue.record("mem refused"); return }
        let mem = memOutcome.granted.mem
        #expect(mem < .gibibytes(8))
        #expect(memOutcome.shrunk.map(\.resource) == [.mem])
        #expect(memOutcome.shrunk.first?.policyDefault == "8G")
        #expect(mem.bytes % (1 << 20) == 0)
        #expect(throws: Never.self) { try Admission.evaluate(requested: memOutcome.granted, held: nil, userMax: userMax, pool: p).get() }
        var bigger = memOutcome.granted
        bigger.mem = ByteSize(bytes: mem.bytes + (1 << 20))
        #expect(throws: Refusal.self) { try Admission.evaluate(requested: bigger, held: nil, userMax: userMax, pool: p).get() }
    }

    /// Defaults that fit are granted as they are, with nothing shrunk.
    @Test(arguments: [FairShareRule.polynomial, .quasilinear, .none])
    func defaultsThatFitAreKept(rule: FairShareRule) {
        #expect(grant(res(0.5, 256), pool([], rule)) == .success(DefaultGrant.Outcome(granted: res(0.5, 256), shrunk: [])))
    }

    /// What the user named keeps the all-or-nothing answer scripts rely on.
    @Test(arguments: [FairShareRule.polynomial, .quasilinear])
    func namedAmountsAreAllOrNothing(rule: FairShareRule) throws {
        let p = pool([res(1, 2048), res(0.5, 1024)], rule)
        guard case .failure(let cpu) = grant(res(4, 64), cpu: true, p) else { Issue.record("named cpu granted"); return }
        #expect(cpu.bound == .fairShare || cpu.bound == .available)
        guard case .failure(let mem) = grant(res(0.1, 8192), mem: true, p) else { Issue.record("named mem granted"); return }
        #expect(mem.resource == .mem)
    }

    /// A change of a held allocation never shrinks: what it does not name
    /// is what is held.
    @Test func aChangeIsNotShrunk() {
        let held = res(1, 1024)
        let p = pool([res(2, 6144), held], .polynomial)
        guard case .failure(let r) = grant(res(3, 1024), held: held, p) else { Issue.record("granted"); return }
        #expect(r.resource == .cpu)
    }

    /// Below the floor: refused, saying what is held and by how many users.
    @Test func belowTheMinimumIsRefusedSayingWhatIsHeld() throws {
        let p = pool([res(3.9, 1024), res(0.05, 1024)], .none)
        guard case .failure(let r) = grant(res(1, 256), p) else { Issue.record("granted"); return }
        #expect(r.bound == .minimum)
        #expect(r.resource == .cpu)
        #expect(r.description == "cpu: your fair share now is 0.05 CPUs, below the policy's minimum of 0.1 CPUs (policy 'min.cpu'); 3.95 CPUs of 4 CPUs are held by 2 users — try again when some is released")
        #expect(r.details["holders"] == 2)
        let m = pool([res(0.1, 2048), res(0.1, 2048), res(0.1, 7987 - 4096)], .polynomial)
        guard case .failure(let rm) = grant(res(0.1, 256), m) else { Issue.record("granted"); return }
        #expect(rm.description == "mem: your fair share now is 41M, below the policy's minimum of 64M (policy 'min.mem'); 7.8G of 8G are held by 3 users — try again when some is released")
    }

    @Test func theFloorIsAPolicyKeyWithABuiltinValue() throws {
        let builtin = try #require(PolicyCompiler.compile([.init(path: "p.yaml", bytes: Array("defaults: {cpu: 1}\n".utf8))], accounts: .any).policy)
        #expect(builtin.minimum == Policy.builtinMinimum)
        let set = try #require(PolicyCompiler.compile([.init(path: "p.yaml", bytes: Array("min: {cpu: 0.25, mem: 1G}\n".utf8))], accounts: .any).policy)
        #expect(set.minimum == Capacity(cpu: CPUQuantity(usecPerSecond: 250_000), mem: .gibibytes(1)))
        let bad = PolicyCompiler.compile([.init(path: "p.yaml", bytes: Array("min:\n  tasks: 10\n".utf8))], accounts: .any)
        #expect(bad.policy == nil)
        #expect(bad.diagnostics.first?.description.hasPrefix("p.yaml:2:3:") == true)
    }
}
