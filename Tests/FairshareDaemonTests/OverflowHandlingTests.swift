import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon

/// The daemon fed systemd's infinities, far-future times from state.json
/// and durations at the top of UInt64: it answers, it does not trap.
extension RequestHandlerTests {
    /// A slice someone set by hand to `CPUQuota=` near infinity,
    /// `MemoryMax=infinity` and `TasksMax=infinity`, adopted at start.
    @Test func adoptedSliceWithInfiniteLimits() throws {
        let h = handler()
        _ = run(h, .request(ResourceRequest()), as: alice)
        let infinite = Resources(cpu: CPUQuantity(usecPerSecond: .max - 1), mem: .unlimited, tasks: .infinity)
        let result = h.reconcile(with: [SliceInfo(name: "fairshare-1001.slice", resources: nil),
                                        SliceInfo(name: "fairshare-1005.slice", resources: infinite)],
                                 userName: { "user\($0)" })
        #expect(result.adopted == 1)
        let heldMem = h.state.holdings.mem
        #expect(heldMem == .unlimited)
        let available = h.status(for: alice).json["available"]?["mem"]?.uint64Value
        #expect(available == 0)
        let listed = h.list().json["allocations"]?.arrayValue?.count
        #expect(listed == 2)
        guard case .failure(let error)? = run(h, .request(ResourceRequest(mem: .mebibytes(128))), as: caller(uid: 1002, name: "bob")) else {
            Issue.record("granted with the pool full"); return
        }
        #expect(error.message.contains("exceeds what is available"))
        let saved = try #require(store.saved)
        let state = h.state
        #expect(try DaemonState.decode(try JSON.parse(saved.json.serialized)) == state)
    }

    /// `request --for 213503982334601d` and beyond: the lease end is past
    /// the clock's range, so the lease never ends.
    @Test func leaseBeyondTheClockNeverEnds() throws {
        let h = handler()
        let reply = run(h, .request(ResourceRequest(lease: TimeSpan(seconds: .max - 10))), as: alice)
        guard case .success? = reply else { Issue.record("\(String(describing: reply))"); return }
        let leaseEnd = h.state.allocations[1001]?.leaseEnd
        #expect(leaseEnd == .max)
        h.expireLeases()
        let held = h.state.allocations[1001] != nil
        #expect(held)
    }

    /// state.json granted an allocation at the latest time it accepts;
    /// `list` computes CPU use since then in microseconds.
    @Test func listWithAFarFutureGrantTime() throws {
        var state = DaemonState()
        state.allocations[1001] = Allocation(uid: 1001, user: "alice",
                                             resources: Resources(cpu: CPUQuantity(cpus: 1), mem: .mebibytes(64), tasks: TaskLimit(64)),
                                             since: 9_007_199_254_740_992)
        controller.usageBySlice["fairshare-1001.slice"] = SliceUsage(cpuUsec: 5_000_000)
        let h = handler()
        h.state = state
        let list = h.list().json.serialized
        #expect(list.contains(#""uid":1001"#))
        #expect(list.contains(#""cpu_percent":null"#))
    }
}

extension JobHandlingTests {
    /// `logs` with an offset past off_t (a request may carry any UInt64):
    /// an empty page at the end, not a trap converting it.
    @Test func logsFromAnOffsetBeyondAnyFile() throws {
        let h = handler()
        let id = try start(h)
        try FileIO.writeAtomically("\(directory)/1001/1.log", Array("hello".utf8))
        for offset in [UInt64.max, UInt64(Int64.max)] {
            let reply = run(h, .logs(job: id, offset: offset), as: alice)
            guard case .success(let page)? = reply else { Issue.record("offset \(offset): \(String(describing: reply))"); continue }
            #expect(page["data"] == "")
            #expect(page["next"]?.uint64Value == offset)
            #expect(page["size"]?.uint64Value == 5)
        }
    }
}
