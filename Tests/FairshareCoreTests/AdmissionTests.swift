import Testing
@testable import FairshareCore

@Suite struct AdmissionTests {
    let max = Resources(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(4), tasks: TaskLimit(100))
    let capacity = Capacity(cpu: CPUQuantity(cpus: 4), mem: .gibibytes(8))

    func res(_ cpu: Double, _ memGiB: UInt64, _ tasks: UInt64 = 10) -> Resources {
        Resources(cpu: CPUQuantity(usecPerSecond: UInt64(cpu * 1e6)), mem: .gibibytes(memGiB), tasks: TaskLimit(tasks))
    }

    @Test func grantsWithinMaxAndCapacity() {
        #expect(Admission.evaluate(requested: res(1, 2), held: nil, userMax: max, capacity: capacity, holdings: Holdings()) == .success(res(1, 2)))
    }

    @Test func refusesAboveUserMaxNamingTheLimit() throws {
        let r = Admission.evaluate(requested: res(3, 1), held: nil, userMax: max, capacity: capacity, holdings: Holdings())
        guard case .failure(let refusal) = r else { Issue.record("granted"); return }
        #expect(refusal.resource == .cpu)
        #expect(refusal.bound == .userMax)
        #expect(refusal.description == "cpu 3 CPUs exceeds your maximum of 2 CPUs (policy 'max.cpu')")
        let tasks = Admission.evaluate(requested: res(1, 1, 101), held: nil, userMax: max, capacity: capacity, holdings: Holdings())
        guard case .failure(let t) = tasks else { Issue.record("granted"); return }
        #expect(t.resource == .tasks)
    }

    @Test func refusesAboveAvailableAndSaysWhatFits() {
        let others = Holdings([res(2, 1), res(1.5, 1)])
        let r = Admission.evaluate(requested: res(1, 1), held: nil, userMax: max, capacity: capacity, holdings: others)
        guard case .failure(let refusal) = r else { Issue.record("granted"); return }
        #expect(refusal.bound == .available)
        #expect(refusal.fits == "0.5 CPUs")
    }

    @Test func ownHoldingCountsAsFreeWhenChanging() {
        let mine = res(2, 2)
        let all = Holdings([mine, res(2, 2)])
        // The pool is full, but growing memory within max fits after giving back mine.
        #expect(Admission.evaluate(requested: res(2, 4), held: mine, userMax: max, capacity: capacity, holdings: all) == .success(res(2, 4)))
    }

    @Test func shrinkingIsAlwaysGranted() {
        let mine = res(2, 4)
        let crowded = Holdings([mine, res(4, 8)]) // over capacity, e.g. after a lowered reserve
        #expect(Admission.evaluate(requested: res(1, 1), held: mine, userMax: max, capacity: capacity, holdings: crowded) == .success(res(1, 1)))
    }
}
