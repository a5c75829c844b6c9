import FairshareCore
import FairshareSystem

/// `status`, `whoami` and `admin list`: what the daemon knows, read-only.
extension RequestHandler {
    func status(for caller: Caller) -> StatusReply {
        let held = state.holdings
        let allocation = state.allocations[caller.uid]
        return StatusReply(
            uid: caller.uid, user: caller.userName,
            system: CPUAndMemory(cpu: capacity.cpu, mem: capacity.mem),
            available: CPUAndMemory(cpu: pool.cpuCapacity - held.cpu, mem: capacity.mem - held.mem),
            slice: allocation?.sliceName.string,
            allocation: allocation.map(ReplyResources.init),
            leaseEnd: allocation?.leaseEnd,
            usage: allocation.map { SliceUsageReply(controller.usage(of: $0.sliceName)) },
            disk: policy.setsDiskQuotas
                ? diskUsage(quota: policy.effectiveLimits(user: caller.userName, groups: caller.groupNames).disk?.value, uid: caller.uid) : nil,
            sharing: allocation.map { sharingReport($0, groups: caller.groupNames) })
    }

    func whoami(for caller: Caller) -> WhoamiReply {
        let relevant = Set(["fairshare", policy.adminGroup, policy.readerGroup].compactMap { $0 })
        return WhoamiReply(uid: caller.uid, user: caller.userName, groups: caller.groupNames.filter(relevant.contains),
                           role: caller.role, slice: state.allocations[caller.uid]?.sliceName.string)
    }

    /// Replies stop adding rows past this size, so a page stays well
    /// inside the protocol's line limit.
    static let listPageBytes = WireProtocol.maxLineBytes * 3 / 4

    /// Everyone's allocation with live usage, by uid, from the first uid
    /// above `after`; `next` is where the following page starts.
    func list(after: UInt32? = nil) -> AllocationListPage {
        let nowUsec = now() * 1_000_000
        var rows: [AllocationRow] = []
        var size = 0
        for uid in state.allocations.keys.sorted() where after.map({ uid > $0 }) ?? true {
            if size > Self.listPageBytes, let last = rows.last {
                return AllocationListPage(allocations: rows, next: last.uid)
            }
            let a = state.allocations[uid]!
            let usage = controller.usage(of: a.sliceName)
            var cpuPercent: Double?
            if let cpu = usage.cpuUsec {
                // Since the last reading, or since the grant for the first one.
                let (wall0, cpu0) = cpuSamples[uid] ?? (a.since.multipliedSaturating(by: 1_000_000), 0)
                if nowUsec > wall0, cpu >= cpu0 {
                    cpuPercent = (Double(cpu - cpu0) / Double(nowUsec - wall0) * 1000).rounded() / 10
                }
                cpuSamples[uid] = (nowUsec, cpu)
            }
            let row = AllocationRow(user: a.user, uid: uid, cpu: a.resources.cpu, mem: a.resources.mem, tasks: a.resources.tasks,
                                    lease: a.leaseEnd, since: a.since, io: a.resources.io, gpus: a.gpuDevices, cpuPercent: cpuPercent,
                                    usage: SliceUsageReply(usage),
                                    disk: policy.setsDiskQuotas ? diskUsage(quota: diskQuota(of: a.user), uid: uid) : nil,
                                    pressure: controller.pressure(of: a.sliceName))
            size += row.json.serialized.utf8.count + 1
            rows.append(row)
        }
        return AllocationListPage(allocations: rows)
    }
}

extension ReplyResources {
    /// An allocation's resources with its IO settings and GPU nodes.
    init(_ a: Allocation) {
        self.init(cpu: a.resources.cpu, mem: a.resources.mem, tasks: a.resources.tasks, io: a.resources.io, gpus: a.gpuDevices)
    }
}

extension SliceUsageReply {
    init(_ usage: SliceUsage) {
        self.init(mem: usage.memoryBytes, tasks: usage.tasks, ioRead: usage.ioReadBytes, ioWrite: usage.ioWriteBytes)
    }
}
