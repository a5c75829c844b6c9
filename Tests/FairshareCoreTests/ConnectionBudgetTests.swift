import Testing
@testable import FairshareCore

@Suite struct ConnectionBudgetTests {
    let budget = ConnectionBudget(total: 10, perUser: 4, reserved: 2)

    @Test func aUserGetsUpToTheirOwnLimit() {
        #expect(budget.refusal(uid: 1000, role: .member, userConnections: 3, allConnections: 3) == nil)
        #expect(budget.refusal(uid: 1000, role: .member, userConnections: 4, allConnections: 4) == .userLimit(4))
        // Another user is not affected by the first one's limit.
        #expect(budget.refusal(uid: 1001, role: .member, userConnections: 0, allConnections: 4) == nil)
    }

    @Test func adminGroupMembersHaveAPerUserLimitToo() {
        #expect(budget.refusal(uid: 1002, role: .admin, userConnections: 4, allConnections: 4) == .userLimit(4))
        #expect(budget.refusal(uid: 1003, role: .reader, userConnections: 4, allConnections: 4) == .userLimit(4))
    }

    @Test func rootHasNoPerUserLimit() {
        #expect(budget.refusal(uid: 0, role: .admin, userConnections: 9, allConnections: 9) == nil)
    }

    @Test func theReserveIsForRootAndAdminGroupOnly() {
        for role in [Role.member, .reader] {
            #expect(budget.refusal(uid: 1000, role: role, userConnections: 0, allConnections: 9) == nil)
            #expect(budget.refusal(uid: 1000, role: role, userConnections: 0, allConnections: 10) == .full(10))
        }
        #expect(budget.refusal(uid: 1002, role: .admin, userConnections: 0, allConnections: 10) == nil)
        #expect(budget.refusal(uid: 0, role: .admin, userConnections: 0, allConnections: 11) == nil)
        #expect(budget.refusal(uid: 0, role: .admin, userConnections: 0, allConnections: 12) == .full(12))
        #expect(budget.refusal(uid: 1002, role: .admin, userConnections: 1, allConnections: 12) == .full(12))
    }

    /// Filling the daemon one connection at a time from many users: no user
    /// holds more than perUser, members never past total, and whatever the
    /// members did, root still gets `reserved` connections.
    @Test func membersCannotTakeTheReserve() {
        var held: [UInt32: Int] = [:]
        var all = 0
        var rng = SplitMix64(seed: 16)
        for _ in 0..<1_000 {
            let uid = UInt32(1000 + rng.next() % 5)
            if budget.refusal(uid: uid, role: .member, userConnections: held[uid] ?? 0, allConnections: all) == nil {
                held[uid, default: 0] += 1
                all += 1
            }
        }
        #expect(held.values.allSatisfy { $0 <= 4 })
        #expect(all == 10)
        for _ in 0..<2 {
            #expect(budget.refusal(uid: 0, role: .admin, userConnections: held[0] ?? 0, allConnections: all) == nil)
            held[0, default: 0] += 1
            all += 1
        }
        #expect(budget.refusal(uid: 0, role: .admin, userConnections: held[0] ?? 0, allConnections: all) == .full(12))
    }

    @Test func aHugeReserveDoesNotOverflow() {
        let wide = ConnectionBudget(total: .max, perUser: .max, reserved: .max)
        #expect(wide.refusal(uid: 0, role: .admin, userConnections: 0, allConnections: .max - 1) == nil)
    }
}
