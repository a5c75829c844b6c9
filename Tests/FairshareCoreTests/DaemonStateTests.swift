import Testing
@testable import FairshareCore

@Suite struct DaemonStateTests {
    @Test func roundTrips() throws {
        var s = DaemonState()
        s.allocations[1001] = Allocation(uid: 1001, user: "alice",
                                         resources: Resources(cpu: CPUQuantity(usecPerSecond: 500_000), mem: .mebibytes(64), tasks: .infinity),
                                         since: 1_700_000_000)
        #expect(try DaemonState.decode(try JSON.parse(s.json.serialized)) == s)
    }

    @Test func refusesNewerVersions() {
        #expect(throws: DaemonState.DecodingError.newerVersion(9)) {
            try DaemonState.decode(["version": 9, "allocations": []])
        }
    }

    @Test func refusesMalformed() {
        #expect(throws: DaemonState.DecodingError.self) { try DaemonState.decode(["version": 1, "allocations": [["uid": 1]]]) }
    }

    @Test func rolesFollowTheTable() {
        let fs: UInt32 = 900, adm: UInt32 = 901, rd: UInt32 = 902
        #expect(Role.of(uid: 0, groups: [], fairshareGID: fs, adminGID: adm, readerGID: rd) == .admin)
        #expect(Role.of(uid: 5, groups: [adm], fairshareGID: fs, adminGID: adm, readerGID: rd) == .outsider)
        #expect(Role.of(uid: 5, groups: [fs, adm], fairshareGID: fs, adminGID: adm, readerGID: rd) == .admin)
        #expect(Role.of(uid: 5, groups: [fs, rd], fairshareGID: fs, adminGID: adm, readerGID: rd) == .reader)
        #expect(Role.of(uid: 5, groups: [fs], fairshareGID: fs, adminGID: nil, readerGID: nil) == .member)
    }
}
