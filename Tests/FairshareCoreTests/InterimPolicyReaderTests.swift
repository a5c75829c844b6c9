import Testing
@testable import FairshareCore

@Suite struct InterimPolicyReaderTests {
    func read(_ text: String) throws(InterimPolicyReader.Failure) -> InterimPolicyReader.Settings {
        var s = InterimPolicyReader.Settings()
        try InterimPolicyReader.read(Array(text.utf8), path: "p.yaml", into: &s)
        return s
    }

    @Test func readsTheSeedFormat() throws {
        let s = try read("""
            defaults:            # comment
              cpu: 2
              mem: 8G
              tasks: 1024

            max:
              cpu: 8
              mem: 32G

            admin_group: sysadmins
            """)
        #expect(s.defaults.cpu == CPUQuantity(cpus: 2))
        #expect(s.defaults.mem == .gibibytes(8))
        #expect(s.max.mem == .gibibytes(32))
        #expect(s.max.tasks == nil)
        #expect(s.adminGroup == "sysadmins")
    }

    @Test func laterFilesOverrideKeyByKey() throws {
        var s = InterimPolicyReader.Settings()
        try InterimPolicyReader.read(Array("max:\n  cpu: 8\n  mem: 4G\n".utf8), path: "a.yaml", into: &s)
        try InterimPolicyReader.read(Array("max:\n  cpu: 2\n".utf8), path: "b.yaml", into: &s)
        #expect(s.max.cpu == CPUQuantity(cpus: 2))
        #expect(s.max.mem == .gibibytes(4))
    }

    @Test(arguments: [
        ("defaults:\n  cpu: lots\n", "p.yaml:2:8: error: invalid CPU amount 'lots' (expected e.g. 2, 0.5 or 150%)"),
        ("maxx:\n", "p.yaml:1:1: error: unknown key 'maxx' (known: defaults, max, reserve, overcommit, allocator, idle_release, admin_group, reader_group)"),
        ("max:\n  cpu: 1\n   mem: 1G\n", "p.yaml:3:4: error: inconsistent indentation"),
        ("max:\n  memory: 1G\n", "p.yaml:2:3: error: unknown key 'memory' in 'max' (known: cpu, mem, tasks)"),
        ("max:\n  cpu: 1\n  cpu: 2\n", "p.yaml:3:3: error: duplicate key 'cpu'"),
        ("\tmax:\n", "p.yaml:1:1: error: tab in indentation"),
    ])
    func pointsAtMistakes(_ text: String, _ message: String) {
        #expect(throws: InterimPolicyReader.Failure.self) { try read(text) }
        do { _ = try read(text) } catch { #expect(error.description == message) }
    }
}

@Suite struct InterimPolicyReaderAllocationKeysTests {
    @Test func readsReserveOvercommitAndAllocator() throws {
        var s = InterimPolicyReader.Settings()
        try InterimPolicyReader.read(Array("reserve:\n  cpu: 1\n  mem: 2G\novercommit:\n  cpu: 2.5\nallocator: quasilinear\n".utf8),
                                     path: "p.yaml", into: &s)
        #expect(s.reserve.cpu == CPUQuantity(cpus: 1))
        #expect(s.reserve.mem == .gibibytes(2))
        #expect(s.cpuOvercommit == 2.5)
        #expect(s.allocator == .quasilinear)
    }

    @Test func refusesBadAllocationKeys() {
        var s = InterimPolicyReader.Settings()
        #expect(throws: InterimPolicyReader.Failure.self) {
            try InterimPolicyReader.read(Array("allocator: greedy\n".utf8), path: "p.yaml", into: &s)
        }
        #expect(throws: InterimPolicyReader.Failure.self) {
            try InterimPolicyReader.read(Array("overcommit:\n  cpu: 0.5\n".utf8), path: "p.yaml", into: &s)
        }
        #expect(throws: InterimPolicyReader.Failure.self) {
            try InterimPolicyReader.read(Array("reserve:\n  tasks: 5\n".utf8), path: "p.yaml", into: &s)
        }
    }
}
