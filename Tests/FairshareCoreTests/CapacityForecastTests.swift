import Foundation
import Testing
@testable import FairshareCore

/// `admin check --capacity` with the packaged policy (contrib/default.yaml)
/// on machines from 1 to 256 CPUs.
@Suite struct CapacityForecastTests {
    static let packaged: Policy = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = repository.appendingPathComponent("contrib/default.yaml").path
        let bytes = Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        return PolicyCompiler.compile([.init(path: path, bytes: bytes)], accounts: .any).policy!
    }()

    func forecast(cpus: Double, memGiB: UInt64) -> CapacityForecast {
        CapacityForecast.simulate(policy: Self.packaged, machine: Capacity(cpu: CPUQuantity(usecPerSecond: UInt64(cpus * 1e6)), mem: .gibibytes(memGiB)))
    }

    func granted(_ turn: CapacityForecast.Turn) -> Resources? {
        if case .granted(let r, _) = turn { return r }
        return nil
    }

    @Test func theSmallestMachineServesAFewUsersWithLessMemory() {
        let f = forecast(cpus: 1, memGiB: 1)
        #expect(f.fullDefaults == 0)
        #expect(granted(f.turns[0])?.mem == .mebibytes(512))
        #expect(granted(f.turns[0])?.cpu == CPUQuantity(cpus: 1))
        guard case .refused(let r)? = f.turns.last else { Issue.record("never refused"); return }
        #expect(r.bound == .minimum)
        #expect(f.turns.count == 4)
    }

    /// The container testbed: five users in a row get something, the fifth
    /// less CPU than the default.
    @Test func twoCPUsServeFiveUsersInARow() {
        let f = forecast(cpus: 2, memGiB: 24)
        #expect(f.fullDefaults == 4)
        #expect(f.turns.count > 5)
        guard case .granted(let fifth, let shrunk) = f.turns[4] else { Issue.record("fifth refused"); return }
        #expect(fifth.cpu < CPUQuantity(cpus: 1))
        #expect(shrunk.map(\.resource) == [.cpu])
    }

    @Test func largeMachinesGiveFullDefaultsToMany() {
        #expect(forecast(cpus: 64, memGiB: 256).fullDefaults == 64)
        #expect(forecast(cpus: 256, memGiB: 1024).fullDefaults == 256)
    }

    /// Every row ends in a refusal below `min` or at 1000 users, and each
    /// grant is no larger than the one before.
    @Test(arguments: [(1.0, UInt64(1)), (2, 2), (2, 24), (64, 256), (256, 1024)])
    func grantsNeverGrowAlongTheRow(cpus: Double, memGiB: UInt64) {
        let f = forecast(cpus: cpus, memGiB: memGiB)
        let grants = f.turns.compactMap(granted)
        for (a, b) in zip(grants, grants.dropFirst()) {
            #expect(b.cpu <= a.cpu)
            #expect(b.mem <= a.mem)
        }
        #expect(grants.allSatisfy { $0.cpu >= Self.packaged.minimum.cpu && $0.mem >= Self.packaged.minimum.mem })
        if case .refused(let r)? = f.turns.last { #expect(r.bound == .minimum) } else { #expect(f.turns.count == 1000) }
    }

    @Test func notableTurnsStartAfterTheFullDefaultsAndEndWithTheLast() {
        let f = forecast(cpus: 2, memGiB: 24)
        let ks = f.notableTurns.map(\.k)
        #expect(ks.first == 5)
        #expect(ks.last == f.turns.count)
        #expect(ks == ks.sorted())
    }
}
