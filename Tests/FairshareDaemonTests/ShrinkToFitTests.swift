import Testing
import FairshareCore
@testable import FairshareDaemon

/// Issue 22 in the handler: a first request's defaults shrink to fit and
/// the reply says so; named amounts are all or nothing; below `min` a
/// refusal says what is held and by how many.
extension RequestHandlerTests {
    var tight: FixedPolicy {
        FixedPolicy(allocator: .polynomial, defaults: "{cpu: 1, mem: 64M, tasks: 64}", max: "{cpu: 2, mem: 256M, tasks: 256}",
                    extra: "min: {cpu: 0.2, mem: 16M}")
    }

    @Test func laterUsersGetTheirFairShareAndAreToldSo() throws {
        let h = handler(policy: tight)
        guard case .success(let first)? = run(h, .request(ResourceRequest()), as: alice) else { Issue.record("alice refused"); return }
        #expect(first["shrunk"] == nil)
        #expect(first["notice"] == nil)
        // Pool 2 CPUs, alice holds 1: bob's fair share is 1 / 3.
        let bob = caller(uid: 1002, name: "bob")
        guard case .success(let second)? = run(h, .request(ResourceRequest()), as: bob) else { Issue.record("bob refused"); return }
        let reply = try GrantReply(json: second)
        #expect(reply.allocation.cpu == CPUQuantity(usecPerSecond: 330_000))
        #expect(reply.shrunk == [DefaultGrant.Shrunk(resource: .cpu, policyDefault: "1 CPU", granted: "0.33 CPUs")])
        #expect(second["notice"] == "granted 0.33 CPUs — your fair share now; the default is 1 CPU")
        #expect(h.state.notices[1002] == nil)
    }

    @Test func anExplicitAmountAboveTheFairShareIsStillRefused() {
        let h = handler(policy: tight)
        _ = run(h, .request(ResourceRequest()), as: alice)
        let reply = run(h, .request(ResourceRequest(cpu: CPUQuantity(cpus: 1))), as: caller(uid: 1002, name: "bob"))
        guard case .failure(let e)? = reply else { Issue.record("granted"); return }
        #expect(e.details["bound"] == "fair_share")
    }

    @Test func belowTheFloorIsRefusedSayingWhatIsHeldAndByHowMany() {
        let h = handler(policy: tight)
        _ = run(h, .request(ResourceRequest()), as: alice)
        _ = run(h, .request(ResourceRequest()), as: caller(uid: 1002, name: "bob"))
        // 0.67 CPUs left, a third holder: 0.67 / 4 is below 0.2.
        let reply = run(h, .request(ResourceRequest()), as: caller(uid: 1003, name: "carol"))
        guard case .failure(let e)? = reply else { Issue.record("granted: \(String(describing: reply))"); return }
        #expect(e.details["bound"] == "min")
        #expect(e.details["holders"] == 2)
        #expect(h.state.allocations[1003] == nil)
        #expect(e.message.hasPrefix("cpu: your fair share now is 0.16 CPUs, below the policy's minimum of 0.2 CPUs (policy 'min.cpu'); 1.33 CPUs of 2 CPUs are held by 2 users — try again"))
    }
}
